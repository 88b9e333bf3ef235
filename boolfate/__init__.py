"""boolfate: Boolean network models of cell-fate decisions.

Attractors, fates and in-silico perturbation screens for logical models such as the
apoptosis / necroptosis / survival switch after TNF signalling (Calzone et al., PLoS Comput
Biol 2010).

Load a model: a bundled name, a bundle folder (``model.bnet`` + ``model.toml``) or a ``.bnet``.

>>> import boolfate
>>> calzone = boolfate.load("calzone2010")
>>> calzone.network
Network(name='calzone2010', nodes=28, inputs=3)
>>> list(calzone.conditions), calzone.fates.names
(['none', 'TNF', 'FASL'], ('Survival', 'Apoptosis', 'NonACD', 'Naive'))

Ask which fates a condition and a perturbation reach. Conditions and perturbations are text
(``"TNF"``, ``"CASP8%0 RIP1%1"``, scenario names) or values; the answer is a typed result.

>>> result = boolfate.attractors("calzone2010", condition="TNF", perturbation="CASP8%0")
>>> result
FateResult('calzone2010 | condition TNF | CASP8%0 | async (aeon) | reachable', \
fates=('Survival', 'NonACD'), attractors=2)
>>> [a.fate for a in result]
['NonACD', 'Survival']
>>> result.decision
'percolation decides no fate; the dynamics choose'
>>> boolfate.attractors(calzone, "TNF", "casp8_ko").fates == result.fates
True

A contradictory perturbation is an error, not a silent choice:

>>> boolfate.attractors(calzone, "TNF", "CASP8%0 CASP8%1")
Traceback (most recent call last):
...
boolfate.errors.PerturbationSyntaxError: node 'CASP8' is fixed to both 0 and 1 in 'CASP8%0 CASP8%1'

All attractors instead of the reachable ones, other update schemes, tables for pandas:

>>> boolfate.attractors(calzone, "TNF", scope="all").fates
('Survival', 'Apoptosis', 'NonACD')
>>> boolfate.attractors(calzone, "TNF", update="mp").question.scope
'all'
>>> frame = result.to_pandas()
>>> list(frame["fate"]), int(frame["CASP8"].iloc[0])
(['NonACD', 'Survival'], 0)

Screen perturbations against the wild type, and see why a fate is lost:

>>> screen = boolfate.screen(calzone, conditions=["TNF"], perturbations=["CASP8%0", "RIP1%0"])
>>> screen
Screen(model='calzone2010', rows=3, changed=2)
>>> [(row.label, row.reachable_fates, row.change) for row in screen]
... # doctest: +NORMALIZE_WHITESPACE
[('WT', ('Survival', 'Apoptosis', 'NonACD'), 'reference'),
 ('CASP8%0', ('Survival', 'NonACD'), 'lost'), ('RIP1%0', ('Apoptosis',), 'lost')]

Check the model against published observations, and estimate fate probabilities:

>>> boolfate.validate(calzone).ok
True
>>> sim = boolfate.simulate(calzone, "TNF", "RIP1%0", trajectories=200, seed=1)
>>> sim.final["Apoptosis"]
1.0

A bare network works too (all its attractors; fates unclassified):

>>> net = boolfate.parse_bnet("a, !b\\nb, !a")
>>> [a.attractor.describe() for a in boolfate.attractors(net)]
['a=0 b=1', 'a=1 b=0']
"""

from __future__ import annotations

import importlib
import sys
import types as _types  # not "types": the submodule boolfate.types would rebind it
from typing import TYPE_CHECKING, Any

from boolfate._version import __version__

if TYPE_CHECKING:
    from boolfate.api import Screen, attractors, find_targets, load, screen, simulate, validate
    from boolfate.attractor import Attractor, Limits
    from boolfate.bnet import format_bnet, parse_bnet, read_bnet, write_bnet
    from boolfate.bundle import Bundle
    from boolfate.errors import BoolfateError
    from boolfate.evaluator import FateAttractor, FateResult, evaluate
    from boolfate.model import Network
    from boolfate.perturbations import Perturbation, apply
    from boolfate.question import Question, ask
    from boolfate.resolve import Condition, Scenario

_LAZY = {
    **dict.fromkeys(
        ["Screen", "attractors", "find_targets", "load", "screen", "simulate", "validate"], "api"
    ),
    **dict.fromkeys(["Attractor", "Limits"], "attractor"),
    **dict.fromkeys(["format_bnet", "parse_bnet", "read_bnet", "write_bnet"], "bnet"),
    "Bundle": "bundle",
    "BoolfateError": "errors",
    **dict.fromkeys(["FateAttractor", "FateResult", "evaluate"], "evaluator"),
    "Network": "model",
    **dict.fromkeys(["Perturbation", "apply"], "perturbations"),
    **dict.fromkeys(["Question", "ask"], "question"),
    **dict.fromkeys(["Condition", "Scenario"], "resolve"),
}


class _Package(_types.ModuleType):
    """``boolfate.simulate`` and ``boolfate.validate`` are the API functions, not the submodules
    of the same name: importing those submodules later must not rebind the names."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    """Import the public names on first use, so that ``boolfate --version`` starts fast."""
    if name in _LAZY:
        value = getattr(importlib.import_module(f"boolfate.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'boolfate' has no attribute {name!r}")


__all__ = [
    "Attractor",
    "BoolfateError",
    "Bundle",
    "Condition",
    "FateAttractor",
    "FateResult",
    "Limits",
    "Network",
    "Perturbation",
    "Question",
    "Scenario",
    "Screen",
    "__version__",
    "apply",
    "ask",
    "attractors",
    "evaluate",
    "find_targets",
    "format_bnet",
    "load",
    "parse_bnet",
    "read_bnet",
    "screen",
    "simulate",
    "validate",
    "write_bnet",
]
