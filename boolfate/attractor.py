"""Attractor values: :class:`Attractor`, engine :class:`Limits`, canonical order (no engine here).

Two attractors are equal when they fix the same nodes to the same values, oscillate on the same
nodes and list the same states: the two synchronous 2-cycles of ``a, !a / b, !b`` differ.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("a, !a\\nb, !b")
>>> one = from_states(net, [(0, 0), (1, 1)])
>>> two = from_states(net, [(0, 1), (1, 0)])
>>> one == two, one.oscillating == two.oscillating
(False, True)
>>> [a.states for a in sort_attractors([two, one])]
[((0, 0), (1, 1)), ((0, 1), (1, 0))]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from boolfate.model import Network
from boolfate.types import Subspace, Value

__all__ = [
    "Attractor",
    "Limits",
    "MAX_LISTED_STATES",
    "as_values",
    "from_states",
    "from_subspace",
    "sort_attractors",
]

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
        The states as sorted tuples of values in network order, when ``size <= 4096``
        (part of equality: two cycles over the same nodes are different attractors).
    exact
        False for a minimal trap space not proven to be a single asynchronous attractor.
    nodes
        The network's node order, which ``states`` follow.
    """

    fixed: tuple[tuple[str, Value], ...]
    oscillating: tuple[str, ...]
    size: int
    states: tuple[tuple[Value, ...], ...] | None = None
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

    def sort_key(self) -> tuple[int, str, tuple[tuple[Value, ...], ...]]:
        """Canonical order: fixed points first, then by the fixed values, then by the states."""
        return (
            len(self.oscillating),
            "".join(f"{n}{v}" for n, v in self.fixed),
            self.states or (),
        )


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
