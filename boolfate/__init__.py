"""boolfate: Boolean network models of cell-fate decisions.

Attractors, fates and in-silico perturbation screens for logical models such as the
apoptosis / necroptosis / survival switch after TNF signalling.

Examples
--------
>>> import boolfate
>>> net = boolfate.parse_bnet("a, !b\\nb, !a")
>>> [a.describe() for a in boolfate.attractors(net, update="async")]
['a=0 b=1', 'a=1 b=0']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boolfate.bnet import format_bnet, parse_bnet, read_bnet, write_bnet
    from boolfate.engines import Attractor, Limits, attractors
    from boolfate.errors import BoolfateError
    from boolfate.model import Network
    from boolfate.perturbations import Perturbation, apply

_LAZY = {
    "format_bnet": "boolfate.bnet",
    "parse_bnet": "boolfate.bnet",
    "read_bnet": "boolfate.bnet",
    "write_bnet": "boolfate.bnet",
    "Attractor": "boolfate.engines",
    "Limits": "boolfate.engines",
    "attractors": "boolfate.engines",
    "BoolfateError": "boolfate.errors",
    "Network": "boolfate.model",
    "Perturbation": "boolfate.perturbations",
    "apply": "boolfate.perturbations",
}


def __getattr__(name: str) -> Any:
    """Import the public names on first use, so that ``boolfate --version`` starts fast."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'boolfate' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "Attractor",
    "BoolfateError",
    "Limits",
    "Network",
    "Perturbation",
    "__version__",
    "apply",
    "attractors",
    "format_bnet",
    "parse_bnet",
    "read_bnet",
    "write_bnet",
]
