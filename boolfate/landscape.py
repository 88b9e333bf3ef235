"""The exact asynchronous commitment landscape: which attractors each reachable state can reach.

Every state reachable from an initial state (asynchronous update, explicit state graph, after
percolating the constants) is grouped by the set of attractors it can still reach; a group
that reaches one attractor only is committed. :func:`boolfate.diagrams.landscape_diagram` draws
the result.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("a, !b\\nb, !a")
>>> land = commitment_landscape(net, {"a": 0, "b": 0})
>>> [a.describe() for a in land.attractors], land.classes, land.sizes
(['a=0 b=1', 'a=1 b=0'], (frozenset({0, 1}), frozenset({0}), frozenset({1})), (1, 1, 1))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from boolfate.attractor import Attractor, from_states
from boolfate.engines.stg import compile_rules, explore, terminal_components
from boolfate.errors import BoolfateError, EngineLimitError
from boolfate.expr import evaluate, variables
from boolfate.model import Network
from boolfate.percolation import stable_values
from boolfate.types import Value

__all__ = ["LANDSCAPE_MAX_STATES", "Landscape", "commitment_landscape"]

LANDSCAPE_MAX_STATES = 200_000
"""Reachable states the explicit commitment landscape may enumerate by default."""


@dataclass(frozen=True)
class Landscape:
    """The exact asynchronous commitment structure from one initial state.

    Attributes
    ----------
    attractors
        Reachable attractors in canonical order (as ``boolfate attractors`` lists them).
    fates
        The fate of each attractor.
    classes
        Commitment classes: the sets of attractor indices (0-based) reachable from a state,
        largest first; ``classes[i]`` has ``sizes[i]`` states.
    sizes
        Number of reachable states in each class.
    transitions
        ``(i, j) -> n``: ``n`` asynchronous transitions from class ``i`` to class ``j != i``.
    initial_class
        Index of the class of the initial state.
    free_nodes
        Nodes that can change (the others are constant from the initial state on), without
        ``readouts``.
    states
        Reachable states, projected on ``free_nodes``.
    readouts
        Driven read-outs left out of the state graph: non-constant nodes no other node reads
        (peeled layer by layer). They follow the rest and cannot change which attractors are
        reachable, so classes, counts and transitions are over the other nodes; attractors
        include them.
    """

    attractors: tuple[Attractor, ...]
    fates: tuple[str, ...]
    classes: tuple[frozenset[int], ...]
    sizes: tuple[int, ...]
    transitions: Mapping[tuple[int, int], int]
    initial_class: int
    free_nodes: tuple[str, ...]
    states: int
    readouts: tuple[str, ...] = ()


def _driven_readouts(network: Network) -> list[str]:
    """Read-out nodes that nothing else reads, peeled layer by layer (no self-loops).

    They follow the rest of the network and cannot change which attractors it reaches, so the
    landscape is computed without them (and they are restored in the attractors).
    """
    removed: list[str] = []
    gone: set[str] = set()
    while True:
        used: set[str] = set()
        for n, f in network.rules:
            if n not in gone:
                used.update(v for v in variables(f) if v != n)
        layer = [
            n for n, f in network.rules if n not in gone and n not in used and n not in variables(f)
        ]
        if not layer:
            return removed
        removed.extend(layer)
        gone.update(layer)


def _reach_masks(
    adj: Mapping[int, list[int]], targets: list[tuple[int, list[int]]]
) -> dict[int, int]:
    """State -> bit mask of the attractors (bit = index) it can reach (backward search)."""
    reverse: dict[int, list[int]] = {s: [] for s in adj}
    for s, succ in adj.items():
        for t in succ:
            reverse[t].append(s)
    reach: dict[int, int] = dict.fromkeys(adj, 0)
    for index, comp in targets:
        seen = set(comp)
        todo = list(comp)
        while todo:
            t = todo.pop()
            reach[t] |= 1 << index
            todo.extend(s for s in reverse[t] if s not in seen)
            seen.update(reverse[t])
    return reach


def _explore(
    start: int, funcs: list[Any], cap: int, what: str, n_free: int, n_driven: int
) -> dict[int, list[int]]:
    """Asynchronous successors of every state reachable from ``start`` (packed ints)."""
    where = f" ({what})" if what else ""
    without = f", not counting {n_driven} downstream-only nodes" if n_driven else ""
    return explore(
        [start],
        funcs,
        cap,
        lambda: EngineLimitError(
            f"landscape{where}: more than max_states={cap} states are reachable "
            f"from the initial state ({n_free} free nodes after percolating "
            f"constants{without}); the commitment diagram needs the explicit state "
            "graph. Add a perturbation that fixes more nodes, or raise the limit "
            "(--max-states; about 0.5 kB of memory per state)"
        ),
    )


def commitment_landscape(
    network: Network,
    initial: Mapping[str, Value],
    *,
    classify: Any = None,
    max_states: int = LANDSCAPE_MAX_STATES,
    what: str = "",
) -> Landscape:
    """Compute the commitment classes of the states reachable from ``initial`` (exact, async).

    Parameters
    ----------
    network
        The already perturbed network.
    initial
        A full initial state.
    classify
        ``Attractor -> fate name`` (default: every attractor is ``"attractor"``).
    max_states
        Refuse with :class:`~boolfate.errors.EngineLimitError` beyond this many reachable
        states (the state graph is explicit: roughly 0.5 kB of memory per state).
    what
        Describes the setting in the refusal message.
    """
    missing = [n for n in network.nodes if n not in initial]
    if missing:
        raise BoolfateError(f"the initial state gives no value to {', '.join(missing[:5])}")
    values = stable_values(network, initial)
    driven = _driven_readouts(network)
    core = Network(tuple((n, f) for n, f in network.rules if n not in driven), name=network.name)
    free = [n for n in core.nodes if n not in values]
    funcs = compile_rules(core, free, values)
    start = sum(initial[n] << i for i, n in enumerate(free))
    adj = _explore(start, funcs, max_states, what, len(free), len(driven))
    terminal = terminal_components(adj)

    def full_state(s: int) -> dict[str, Value]:
        state: dict[str, Value] = {
            n: values[n] if n in values else (1 if s >> free.index(n) & 1 else 0)
            for n in core.nodes
        }
        for n in reversed(driven):  # the last removed read only core nodes
            state[n] = 1 if evaluate(network.functions[n], state) else 0
        return state

    full_free = [n for n in network.nodes if n not in values]
    full_funcs = compile_rules(network, full_free, values)
    found: list[tuple[Attractor, list[int]]] = []
    for comp in terminal:
        # every full state above this core attractor reaches this one (the read-outs catch
        # up), so the full attractor is what is reachable from it
        seed = full_state(min(comp))
        packed = sum(seed[n] << i for i, n in enumerate(full_free))
        cap = max(max_states, 4 * len(comp))
        states = _explore(packed, full_funcs, cap, what, len(full_free), 0)
        tuples = [
            tuple(
                values[n] if n in values else (1 if s >> full_free.index(n) & 1 else 0)
                for n in network.nodes
            )
            for s in states
        ]
        found.append((from_states(network, tuples), comp))
    found.sort(key=lambda pair: (pair[0].sort_key(), min(pair[1])))  # as sort_attractors
    ordered = tuple(a for a, _ in found)
    reach = _reach_masks(adj, [(i, comp) for i, (_, comp) in enumerate(found)])
    counts: dict[int, int] = {}
    for mask in reach.values():
        counts[mask] = counts.get(mask, 0) + 1
    masks = sorted(counts, key=lambda m: (-bin(m).count("1"), [i for i in range(64) if m >> i & 1]))
    cls_index = {m: i for i, m in enumerate(masks)}
    transitions: dict[tuple[int, int], int] = {}
    for s, succ in adj.items():
        a = cls_index[reach[s]]
        for t in succ:
            b = cls_index[reach[t]]
            if a != b:
                transitions[(a, b)] = transitions.get((a, b), 0) + 1
    fates = tuple(str(classify(a)) if classify else "attractor" for a in ordered)
    return Landscape(
        attractors=ordered,
        fates=fates,
        classes=tuple(frozenset(i for i in range(len(ordered)) if m >> i & 1) for m in masks),
        sizes=tuple(counts[m] for m in masks),
        transitions=MappingProxyType(dict(sorted(transitions.items()))),
        initial_class=cls_index[reach[start]],
        free_nodes=tuple(free),
        states=len(adj),
        readouts=tuple(n for n in network.nodes if n in driven and n not in values),
    )
