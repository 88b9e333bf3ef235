"""Attractor engines behind one function, :func:`attractors`, selected by name.

============  ========  =================================================================
engine        update    guarantee
============  ========  =================================================================
``aeon``      async     exact asynchronous attractors, cyclic ones included (symbolic BDDs,
                        biodivine-aeon), after percolating constants; ``initial`` restricts
                        to attractors reachable from that state (exact forward reachability)
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

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("x, !x & y | z\\ny, !x | !z\\nz, x & !y")
>>> [a.describe() for a in attractors(net, update="async")]
['x=1 y=0 z=1', 'y=1 z=0 | x oscillating (2 states)']
>>> [a.describe() for a in attractors(net, update="mp")]
['x=1 y=0 z=1', 'y=1 z=0 | x oscillating (2 states)']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from boolfate.errors import BoolfateError
from boolfate.model import Network
from boolfate.types import Subspace, UpdateScheme, Value

__all__ = [
    "attractors_and_reachable",
    "Attractor",
    "Limits",
    "EngineName",
    "ENGINES",
    "DEFAULT_ENGINE",
    "attractors",
    "sort_attractors",
]

EngineName = Literal["aeon", "stg", "numpy", "clingo", "fixpoints", "pyboolnet"]

MAX_LISTED_STATES = 4096
"""Attractors with at most this many states keep their explicit state list."""


@dataclass(frozen=True)
class Limits:
    """Size limits; an engine that would exceed one raises ``EngineLimitError`` naming it.

    Attributes
    ----------
    max_nodes
        The exhaustive synchronous ``numpy`` engine enumerates at most 2**max_nodes states in
        total over all combinations of the free inputs (after percolation). [Default: 25;
        a 25-node ring peaks at about 0.7 GB and takes one to three minutes]
    max_states
        States the explicit ``stg`` engine may enumerate, and the synchronous trajectory from
        an initial state may visit. [Default: 65_536]
    max_results
        Trap spaces / fixed points / synchronous attractors returned before giving up.
        [Default: 10_000]
    """

    max_nodes: int = 25
    max_states: int = 1 << 16
    max_results: int = 10_000


@dataclass(frozen=True)
class Attractor:
    """An attractor (or a minimal trap space), described over the network's nodes.

    Attributes
    ----------
    fixed
        Nodes constant on the attractor, in network order.
    oscillating
        Nodes that take both values, in network order.
    size
        Number of states (for a trap space, the number of states in the subspace).
    states
        The states as tuples of values in network order, when ``size <= 4096``.
    exact
        False for a minimal trap space not proven to be a single asynchronous attractor.
    nodes
        The network's node order, which ``states`` follow.
    """

    fixed: tuple[tuple[str, Value], ...]
    oscillating: tuple[str, ...]
    size: int
    states: tuple[tuple[Value, ...], ...] | None = field(default=None, compare=False)
    exact: bool = True
    nodes: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def state_dicts(self) -> list[dict[str, Value]]:
        """The listed states as dicts (empty when ``states`` is None)."""
        return [dict(zip(self.nodes, s, strict=True)) for s in self.states or ()]

    @property
    def values(self) -> dict[str, Value]:
        """The fixed nodes as a dict."""
        return dict(self.fixed)

    @property
    def is_fixed_point(self) -> bool:
        """True when the attractor is a single state."""
        return not self.oscillating

    def describe(self) -> str:
        """Compact text: fixed values, then oscillating nodes."""
        head = " ".join(f"{n}={v}" for n, v in self.fixed)
        if not self.oscillating:
            return head
        return f"{head} | {' '.join(self.oscillating)} oscillating ({self.size} states)"

    def sort_key(self) -> tuple[int, str]:
        """Canonical order: fixed points first, then by the fixed values."""
        return (len(self.oscillating), "".join(f"{n}{v}" for n, v in self.fixed))


def sort_attractors(items: Iterable[Attractor]) -> tuple[Attractor, ...]:
    """Sort attractors canonically (deterministic output)."""
    return tuple(sorted(items, key=Attractor.sort_key))


def as_values(state: Iterable[int]) -> tuple[Value, ...]:
    """Normalise 0/1 integers (or booleans) to a tuple of :data:`Value`."""
    return tuple(1 if v else 0 for v in state)


def from_states(
    network: Network, states: Iterable[Iterable[int]], *, size: int | None = None
) -> Attractor:
    """Build an :class:`Attractor` from explicit states (0/1 sequences in network order)."""
    listed = tuple(sorted({as_values(s) for s in states}))
    nodes = network.nodes
    fixed: list[tuple[str, Value]] = []
    osc: list[str] = []
    for i, n in enumerate(nodes):
        vals = {s[i] for s in listed}
        if len(vals) == 1:
            fixed.append((n, next(iter(vals))))
        else:
            osc.append(n)
    keep = listed if len(listed) <= MAX_LISTED_STATES else None
    return Attractor(tuple(fixed), tuple(osc), size or len(listed), keep, nodes=nodes)


def from_subspace(network: Network, space: Subspace, *, exact: bool) -> Attractor:
    """Build an :class:`Attractor` describing a (trap) subspace."""
    fixed = tuple((n, space[n]) for n in network.nodes if n in space)
    osc = tuple(n for n in network.nodes if n not in space)
    states = (tuple(space[n] for n in network.nodes),) if not osc else None
    return Attractor(fixed, osc, 2 ** len(osc), states, exact=exact or not osc, nodes=network.nodes)


Runner = Callable[[Network, Mapping[str, Value] | None, Limits], tuple[Attractor, ...]]

ENGINES: dict[str, tuple[UpdateScheme | None, str]] = {
    "aeon": ("async", "exact asynchronous attractors (symbolic, biodivine-aeon)"),
    "stg": ("async", "exact asynchronous attractors (explicit graph; small networks)"),
    "numpy": ("sync", "exact synchronous attractors incl. cycles (exhaustive)"),
    "clingo": ("mp", "minimal trap spaces = most-permissive attractors (ASP, in-process)"),
    "pyboolnet": ("mp", "minimal trap spaces through pyboolnet (cross-check)"),
    "fixpoints": (None, "fixed points only (exact under every update scheme)"),
}
"""Engine name -> (update scheme it answers, one-line guarantee)."""

DEFAULT_ENGINE: dict[UpdateScheme, EngineName] = {"async": "aeon", "sync": "numpy", "mp": "clingo"}


def _runner(engine: str) -> Runner:
    if engine == "aeon":
        from boolfate.engines._aeon import aeon_attractors

        return aeon_attractors
    if engine == "stg":
        from boolfate.engines.stg import stg_attractors

        return stg_attractors
    if engine == "numpy":
        from boolfate.engines.sync import sync_attractors

        return sync_attractors
    if engine in ("clingo", "fixpoints"):
        from boolfate.engines._clingo import fixed_point_attractors, trap_space_attractors

        return trap_space_attractors if engine == "clingo" else fixed_point_attractors
    if engine == "pyboolnet":
        from boolfate.engines._pyboolnet import pyboolnet_attractors

        return pyboolnet_attractors
    raise BoolfateError(f"unknown engine '{engine}'; choose one of {', '.join(ENGINES)}")


def attractors(
    network: Network,
    *,
    update: UpdateScheme = "async",
    engine: str | None = None,
    initial: Mapping[str, Value] | None = None,
    limits: Limits | None = None,
) -> tuple[Attractor, ...]:
    """Compute the attractors of ``network``, canonically sorted.

    Parameters
    ----------
    network
        The (already perturbed) network.
    update
        ``"async"``, ``"sync"`` or ``"mp"`` (most permissive = minimal trap spaces).
    engine
        Engine name (see the module table); default: the exact engine for ``update``.
    initial
        A full initial state: return only the attractors reachable from it.
    limits
        Size limits (see :class:`Limits`).

    Raises
    ------
    EngineLimitError
        When a limit would be exceeded (the message names it).
    BoolfateError
        When the engine does not answer ``update`` or cannot restrict to ``initial``.
    """
    name = engine or DEFAULT_ENGINE[update]
    answers, _ = ENGINES.get(name, (None, ""))
    if name not in ENGINES:
        _runner(name)
    if answers is not None and answers != update:
        raise BoolfateError(f"engine '{name}' computes {answers} attractors, not {update}")
    if initial is not None:
        missing = [n for n in network.nodes if n not in initial]
        if missing:
            raise BoolfateError(f"the initial state gives no value to {', '.join(missing[:5])}")
        if name in ("clingo", "pyboolnet", "fixpoints"):
            raise BoolfateError(
                f"engine '{name}' cannot restrict to attractors reachable from a state; "
                "use update 'async' (engine 'aeon' or 'stg') or 'sync'"
            )
    return sort_attractors(_runner(name)(network, initial, limits or Limits()))


def attractors_and_reachable(
    network: Network, initial: Mapping[str, Value]
) -> tuple[tuple[Attractor, ...], tuple[Attractor, ...]]:
    """All exact asynchronous attractors and those reachable from ``initial``, in one pass.

    Same answers as two :func:`attractors` calls (``update="async"``, with and without
    ``initial``), from one symbolic graph (engine ``aeon``).
    """
    from boolfate.engines._aeon import aeon_attractor_sets

    missing = [n for n in network.nodes if n not in initial]
    if missing:
        raise BoolfateError(f"the initial state gives no value to {', '.join(missing[:5])}")
    everything, reachable = aeon_attractor_sets(network, initial)
    if reachable is None:  # pragma: no cover - an initial state was given
        raise BoolfateError("engine 'aeon' returned no reachable set")
    return sort_attractors(everything), sort_attractors(reachable)
