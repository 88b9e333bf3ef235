"""Attractor engines behind one function, :func:`attractors`, selected by name.

============  ========  =================================================================
engine        update    guarantee
============  ========  =================================================================
``aeon``      async     exact asynchronous attractors, cyclic ones included (symbolic BDDs,
                        biodivine-aeon), after percolating constants; ``initial`` restricts
                        to attractors reachable from that state (exact forward reachability)
``decompose`` async     exact asynchronous attractors by trap-space decomposition: minimal
                        trap spaces (clingo), symbolic search inside them and a symbolic
                        proof that no attractor avoids them (no ``initial``)
``stg``       async     exact, explicit state-transition graph; reference engine for small
                        networks (``max_nodes`` free nodes after percolation)
``numpy``     sync      exact synchronous attractors including cycles, exhaustive over the
                        free nodes after percolation (``max_nodes``); ``initial`` follows the
                        single deterministic trajectory
``clingo``    mp        minimal trap spaces (= most-permissive attractors), exact, in-process
                        ASP; each contains at least one asynchronous attractor
``fixpoints`` any       fixed points only (exact for every update scheme)
``pyboolnet`` mp        minimal trap spaces through pyboolnet (independent cross-check)
============  ========  =================================================================

``update="priority"`` takes ranked update classes (:class:`~boolfate.timescales.Timescales`):
a node of a slower class may change only in states where no node of a faster class can
change, asynchronously within a class; nodes with a constant rule (perturbed nodes) hold that
value. Engines ``aeon`` (symbolic, default), ``stg`` (explicit reference) and ``fixpoints``
(fixed points are the asynchronous ones) answer it; without timescales it is plain ``async``.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("x, !x & y | z\\ny, !x | !z\\nz, x & !y")
>>> [a.describe() for a in attractors(net, update="async")]
['x=1 y=0 z=1', 'y=1 z=0 | x oscillating (2 states)']
>>> [a.describe() for a in attractors(net, update="mp")]
['x=1 y=0 z=1', 'y=1 z=0 | x oscillating (2 states)']

A fast oscillation can freeze a slow node (here ``s`` never gets to switch on):

>>> from boolfate.timescales import Timescales
>>> net = parse_bnet("f, !f\\ns, 1 & f | s")
>>> ts = Timescales.from_mapping({"fast": ["f"], "slow": ["s"]}, net.nodes)
>>> [a.describe() for a in attractors(net, update="priority", timescales=ts)]
['s=0 | f oscillating (2 states)', 's=1 | f oscillating (2 states)']
>>> [a.describe() for a in attractors(net, update="async")]
['s=1 | f oscillating (2 states)']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from boolfate.attractor import (
    MAX_LISTED_STATES,
    Attractor,
    Limits,
    as_values,
    from_states,
    from_subspace,
    sort_attractors,
)
from boolfate.errors import BoolfateError
from boolfate.model import Network
from boolfate.timescales import Timescales
from boolfate.types import UpdateScheme, Value

__all__ = [
    "attractors_and_reachable",
    "Attractor",
    "Limits",
    "EngineName",
    "EngineSpec",
    "ENGINES",
    "REGISTRY",
    "DEFAULT_ENGINE",
    "PRIORITY_ENGINES",
    "DECOMPOSE_ABOVE",
    "default_engine",
    "MAX_LISTED_STATES",
    "as_values",
    "attractors",
    "from_states",
    "from_subspace",
    "sort_attractors",
]

EngineName = Literal["aeon", "decompose", "stg", "numpy", "clingo", "fixpoints", "pyboolnet"]

Runner = Callable[[Network, Mapping[str, Value] | None, Limits], tuple[Attractor, ...]]
"""An engine's entry point: (network, optional initial state, limits) -> attractors."""


@dataclass(frozen=True)
class EngineSpec:
    """One engine of the registry.

    Attributes
    ----------
    name
        The ``--engine`` name.
    update
        The update scheme it answers (None: every scheme, e.g. fixed points).
    exact
        True when its answer is the exact attractor set of ``update``.
    initial
        True when it can restrict to the attractors reachable from an initial state.
    runner
        ``"module:function"`` of the entry point (imported on first use).
    summary
        One-line guarantee.
    """

    name: str
    update: UpdateScheme | None
    exact: bool
    initial: bool
    runner: str
    summary: str

    def load(self) -> Runner:
        """Import and return the entry point."""
        module, func = self.runner.split(":")
        found: Runner = getattr(importlib.import_module(module), func)
        return found


REGISTRY: tuple[EngineSpec, ...] = (
    EngineSpec(
        "aeon",
        "async",
        True,
        True,
        "boolfate.engines._aeon:aeon_attractors",
        "exact asynchronous attractors (symbolic, biodivine-aeon)",
    ),
    EngineSpec(
        "decompose",
        "async",
        True,
        False,
        "boolfate.engines.decompose:decompose_attractors",
        "exact asynchronous attractors: minimal trap spaces, then symbolic search inside",
    ),
    EngineSpec(
        "stg",
        "async",
        True,
        True,
        "boolfate.engines.stg:stg_attractors",
        "exact asynchronous attractors (explicit graph; small networks)",
    ),
    EngineSpec(
        "numpy",
        "sync",
        True,
        True,
        "boolfate.engines.sync:sync_attractors",
        "exact synchronous attractors incl. cycles (exhaustive)",
    ),
    EngineSpec(
        "clingo",
        "mp",
        True,
        False,
        "boolfate.engines._clingo:trap_space_attractors",
        "minimal trap spaces = most-permissive attractors (ASP, in-process)",
    ),
    EngineSpec(
        "pyboolnet",
        "mp",
        True,
        False,
        "boolfate.engines._pyboolnet:pyboolnet_attractors",
        "minimal trap spaces through pyboolnet (cross-check)",
    ),
    EngineSpec(
        "fixpoints",
        None,
        False,
        False,
        "boolfate.engines._clingo:fixed_point_attractors",
        "fixed points only (exact under every update scheme)",
    ),
)
"""Every engine, in ``--engine`` order: the one table the CLI, the docs and the checks read."""

ENGINES: Mapping[str, EngineSpec] = {spec.name: spec for spec in REGISTRY}
"""Engine name -> its :class:`EngineSpec`."""

DEFAULT_ENGINE: Mapping[UpdateScheme, EngineName] = {
    "async": "aeon",
    "sync": "numpy",
    "mp": "clingo",
    "priority": "aeon",
}
"""The exact engine used for each update scheme when none is named (see :func:`default_engine`)."""

DECOMPOSE_ABOVE = 40
"""Networks with more nodes than this get the ``decompose`` engine for asynchronous attractors
when none is named and no initial state restricts them (it is slower than ``aeon`` on
Calzone-size screens, and faster on the published benchmark models where both finish)."""


def default_engine(update: UpdateScheme, *, nodes: int = 0, initial: bool = False) -> EngineName:
    """The engine used when none is named, for a network of ``nodes`` nodes.

    Examples
    --------
    >>> default_engine("async", nodes=28), default_engine("async", nodes=150)
    ('aeon', 'decompose')
    >>> default_engine("async", nodes=150, initial=True)
    'aeon'
    """
    if update == "async" and not initial and nodes > DECOMPOSE_ABOVE:
        return "decompose"
    return DEFAULT_ENGINE[update]


PRIORITY_ENGINES = ("aeon", "stg", "fixpoints")
"""Engines that answer ``update="priority"`` (``fixpoints``: fixed points do not depend on it)."""


def engine_spec(name: str) -> EngineSpec:
    """Return the spec of engine ``name`` (unknown names raise with the known ones)."""
    if name not in ENGINES:
        raise BoolfateError(f"unknown engine '{name}'; choose one of {', '.join(ENGINES)}")
    return ENGINES[name]


def attractors(
    network: Network,
    *,
    update: UpdateScheme = "async",
    engine: str | None = None,
    initial: Mapping[str, Value] | None = None,
    limits: Limits | None = None,
    timescales: Timescales | None = None,
) -> tuple[Attractor, ...]:
    """Compute the attractors of ``network``, canonically sorted.

    Parameters
    ----------
    network
        The (already perturbed) network.
    update
        ``"async"``, ``"sync"``, ``"mp"`` (most permissive = minimal trap spaces) or
        ``"priority"`` (asynchronous with ``timescales``' ranked classes).
    engine
        Engine name (see the module table); default: :func:`default_engine`.
    initial
        A full initial state: return only the attractors reachable from it.
    limits
        Size limits (see :class:`Limits`).
    timescales
        The update classes for ``update="priority"`` (None: one class, i.e. asynchronous).

    Raises
    ------
    EngineLimitError
        When a limit would be exceeded (the message names it).
    BoolfateError
        When the engine does not answer ``update`` or cannot restrict to ``initial``.
    """
    name = engine or default_engine(update, nodes=len(network.nodes), initial=initial is not None)
    spec = engine_spec(name)
    if update == "priority" and name not in PRIORITY_ENGINES:
        raise BoolfateError(
            f"engine '{name}' does not answer update 'priority'; use {', '.join(PRIORITY_ENGINES)}"
        )
    if spec.update is not None and spec.update != update and update != "priority":
        raise BoolfateError(f"engine '{name}' computes {spec.update} attractors, not {update}")
    if initial is not None:
        _check_initial(network, initial)
        if not spec.initial:
            raise BoolfateError(
                f"engine '{name}' cannot restrict to attractors reachable from a state; "
                "use update 'async' or 'priority' (engine 'aeon' or 'stg') or 'sync'"
            )
    if update == "priority" and name != "fixpoints":
        return sort_attractors(
            _priority_runner(name)(
                network, initial, limits or Limits(), _ranks(network, timescales)
            )
        )
    return sort_attractors(spec.load()(network, initial, limits or Limits()))


def _check_initial(network: Network, initial: Mapping[str, Value]) -> None:
    missing = [n for n in network.nodes if n not in initial]
    if missing:
        raise BoolfateError(f"the initial state gives no value to {', '.join(missing[:5])}")


def _ranks(network: Network, timescales: Timescales | None) -> dict[str, int]:
    """Node -> class rank (0 = fastest); every node in class 0 without timescales."""
    if timescales is None:
        return dict.fromkeys(network.nodes, 0)
    for _, nodes in timescales.classes:
        for node in nodes:
            network.check_node(node, context="timescales")
    return dict(zip(network.nodes, timescales.ranks(network.nodes), strict=True))


PriorityRunner = Callable[
    [Network, Mapping[str, Value] | None, Limits, Mapping[str, int]], tuple[Attractor, ...]
]


def _priority_runner(engine: str) -> PriorityRunner:
    module = "boolfate.engines._aeon" if engine == "aeon" else "boolfate.engines.stg"
    func = "aeon_priority_attractors" if engine == "aeon" else "stg_priority_attractors"
    found: PriorityRunner = getattr(importlib.import_module(module), func)
    return found


def attractors_and_reachable(
    network: Network,
    initial: Mapping[str, Value],
    *,
    update: UpdateScheme = "async",
    timescales: Timescales | None = None,
    limits: Limits | None = None,
) -> tuple[tuple[Attractor, ...], tuple[Attractor, ...]]:
    """All exact attractors and those reachable from ``initial``, in one pass.

    Same answers as two :func:`attractors` calls (``update`` ``"async"`` or ``"priority"``,
    with and without ``initial``), from one symbolic graph (engine ``aeon``).
    """
    aeon = importlib.import_module("boolfate.engines._aeon")

    _check_initial(network, initial)
    if update == "priority":
        ranks = _ranks(network, timescales)
        everything, reachable = aeon.aeon_priority_attractor_sets(network, initial, ranks)
    elif update == "async":
        everything, reachable = aeon.aeon_attractor_sets(network, initial, limits)
    else:
        raise BoolfateError(f"update '{update}' has no exact reachability in one pass")
    if reachable is None:  # pragma: no cover - an initial state was given
        raise BoolfateError("engine 'aeon' returned no reachable set")
    return sort_attractors(everything), sort_attractors(reachable)
