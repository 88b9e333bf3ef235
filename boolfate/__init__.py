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

from boolfate.bnet import format_bnet, parse_bnet, read_bnet, write_bnet
from boolfate.engines import Attractor, Limits, attractors
from boolfate.errors import BoolfateError
from boolfate.model import Network
from boolfate.perturbations import Perturbation, apply

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
