"""Exact asynchronous attractors by trap-space decomposition (engine ``decompose``).

Every asynchronous attractor either lies inside a minimal trap space (each minimal trap space
holds at least one) or avoids all of them (a *motif-avoidant* attractor, in the terms of
Trinh et al. 2023, biobalm). The engine therefore

1. percolates the constants (nodes that can never change are removed);
2. enumerates the minimal trap spaces with clingo (the fastest engine of boolfate);
3. searches each minimal trap space that still has free nodes for its attractors
   symbolically (biodivine-aeon's Xie-Beerel, confined to that subspace); a minimal trap
   space without free nodes is a fixed point and needs no search;
4. proves that no other attractor exists: the states that cannot reach a minimal trap space
   (the complement of the symbolic backward-reachable set of their union, as in AEON's
   reduction) form a trap set holding exactly the motif-avoidant attractors. Xie-Beerel runs
   on that set only when it is not empty.

The answer is exact (the same attractors and states as ``aeon`` and ``stg``); the work is
symbolic only where candidates remain.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("x, !x & y | z\\ny, !x | !z\\nz, x & !y")
>>> [a.describe() for a in decompose_attractors(net, None, Limits())]
['x=1 y=0 z=1', 'y=1 z=0 | x oscillating (2 states)']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boolfate.attractor import Attractor, Limits
from boolfate.engines._aeon import _bnet_for_aeon, _quiet, _to_attractor
from boolfate.engines._clingo import trap_spaces
from boolfate.errors import EngineFailure
from boolfate.model import Network
from boolfate.percolation import stable_values
from boolfate.types import Value

__all__ = ["decompose_attractors"]


def decompose_attractors(
    network: Network, initial: Mapping[str, Value] | None, limits: Limits
) -> tuple[Attractor, ...]:
    """All exact asynchronous attractors of ``network`` (``initial`` is not supported).

    Raises
    ------
    EngineLimitError
        When the network has more than ``limits.max_results`` minimal trap spaces.
    """
    del initial  # the registry marks this engine as unable to restrict to a state
    values = stable_values(network, None)
    if len(values) == len(network.nodes):
        return (_point(network, values),)
    spaces = list(trap_spaces(network, limits=limits))
    import biodivine_aeon as ba

    text, free = _bnet_for_aeon(network, values)
    try:
        with _quiet():
            graph = ba.AsynchronousGraph(ba.BooleanNetwork.from_bnet(text, repair_graph=True))
            found = _search(ba, graph, free, spaces)
            converted = [_to_attractor(network, values, free, a.vertices()) for a in found]
    except (RuntimeError, ValueError, TypeError) as exc:
        raise EngineFailure(f"biodivine-aeon failed on '{network.name}': {exc}") from exc
    points = [_point(network, s) for s in spaces if len(s) == len(network.nodes)]
    return (*points, *converted)


def _point(network: Network, values: Mapping[str, Value]) -> Attractor:
    state = tuple(values[n] for n in network.nodes)
    fixed = tuple((n, values[n]) for n in network.nodes)
    return Attractor(fixed, (), 1, (state,), nodes=network.nodes)


def _search(ba: Any, graph: Any, free: list[str], spaces: list[dict[str, Value]]) -> list[Any]:
    """Attractors (symbolic sets) in the minimal trap spaces with free nodes, then the
    motif-avoidant ones (outside the backward basin of all minimal trap spaces)."""
    ids = {n: f"v{i}" for i, n in enumerate(free)}
    found: list[Any] = []
    union = graph.mk_empty_colored_vertices()
    for space in spaces:
        sub = graph.mk_subspace({ids[n]: bool(v) for n, v in space.items() if n in ids})
        union = union.union(sub)
        if any(n not in space for n in free):
            found.extend(ba.Attractors.xie_beerel(graph, sub))
    rest = graph.mk_unit_colored_vertices().minus(ba.Reachability.backward_superset(graph, union))
    if not rest.is_empty():
        found.extend(ba.Attractors.xie_beerel(graph, rest))
    return found

