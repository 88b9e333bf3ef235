"""Exact asynchronous attractors by trap-space decomposition (engine ``decompose``).

The search walks the succession diagram of the network (Rozum et al. 2021; Trinh et al.
2023, biobalm): its nodes are percolated trap spaces, the children of a node are its maximal
proper trap subspaces (enumerated by clingo, the fastest engine of boolfate, on one ground
program whose ``#external`` switches fix the node), and its leaves are the minimal trap
spaces. An attractor whose smallest enclosing trap space is the node ``S`` lies in ``S`` but
in none of its children, so each node is searched only outside its children:

1. percolate the node's fixed values (nodes that can never change are removed);
2. build the symbolic asynchronous graph of the percolated subnetwork (biodivine-aeon);
3. a leaf is searched whole (Xie-Beerel); in an inner node the states that cannot reach any
   child (the complement of the symbolic backward-reachable set of their union, as in AEON's
   reduction) form a trap set holding exactly the node's own (motif-avoidant) attractors, and
   Xie-Beerel runs on it only when it is not empty.

A leaf without free nodes is a fixed point and needs no graph. The answer is exact: the same
attractors and states as ``aeon`` and ``stg``.

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
from boolfate.errors import EngineFailure, EngineLimitError
from boolfate.model import Network
from boolfate.percolation import stable_values
from boolfate.perturbations import Perturbation, apply
from boolfate.types import Value

__all__ = ["decompose_attractors"]

Space = dict[str, Value]


def decompose_attractors(
    network: Network, initial: Mapping[str, Value] | None, limits: Limits
) -> tuple[Attractor, ...]:
    """All exact asynchronous attractors of ``network`` (``initial`` is not supported).

    Raises
    ------
    EngineLimitError
        When a node of the succession diagram has more than ``limits.max_results`` children,
        or the diagram more than ``limits.max_results`` nodes (``--max-results``).
    """
    del initial  # the registry marks this engine as unable to restrict to a state
    import biodivine_aeon as ba

    found: dict[Attractor, None] = {}
    seen: set[frozenset[tuple[str, Value]]] = set()
    todo = _input_spaces(network, stable_values(network, None), limits)
    try:
        with _quiet():
            while todo:
                values = todo.pop()
                key = frozenset(values.items())
                if key in seen:
                    continue
                seen.add(key)
                if len(seen) > limits.max_results:
                    raise EngineLimitError(
                        f"the succession diagram has more than max_results={limits.max_results}"
                        " trap spaces; raise the limit (--max-results; Python: "
                        "Limits(max_results=...))"
                    )
                children = _children(network, values, limits)
                todo.extend(children)
                for a in _own_attractors(ba, network, values, children):
                    found[a] = None
    except (RuntimeError, ValueError, TypeError) as exc:
        raise EngineFailure(f"biodivine-aeon failed on '{network.name}': {exc}") from exc
    return tuple(found)


def _input_spaces(network: Network, values: Space, limits: Limits) -> list[Space]:
    """The root's children when free inputs remain: one percolated space per combination.

    Inputs never change, so every attractor fixes them; the combinations partition the state
    space and the root itself holds no attractor of its own.
    """
    free = [n for n in network.inputs if n not in values]
    if not free:
        return [values]
    if 1 << len(free) > limits.max_results:
        raise EngineLimitError(
            f"{len(free)} free inputs give {1 << len(free)} input combinations, more than "
            f"max_results={limits.max_results}; fix some inputs or raise the limit "
            "(--max-results; Python: Limits(max_results=...))"
        )
    out = []
    for combo in range(1 << len(free)):
        bits: Space = {n: 1 if combo >> i & 1 else 0 for i, n in enumerate(free)}
        fixes = {**values, **bits}
        closed = stable_values(apply(network, Perturbation.from_mapping(fixes)), None)
        out.append({n: closed[n] for n in network.nodes if n in closed})
    return out


def _children(network: Network, values: Space, limits: Limits) -> list[Space]:
    """The percolated maximal proper trap subspaces of the (percolated) space ``values``."""
    if len(values) == len(network.nodes):
        return []
    node = apply(network, Perturbation.from_mapping(values)) if values else network
    out = []
    for space in trap_spaces(node, kind="max", limits=limits):
        child = apply(network, Perturbation.from_mapping(space))
        closed = stable_values(child, None)
        out.append({n: closed[n] for n in network.nodes if n in closed})
    return out


def _own_attractors(
    ba: Any, network: Network, values: Space, children: list[Space]
) -> list[Attractor]:
    """The attractors whose smallest enclosing trap space is ``values``."""
    if len(values) == len(network.nodes):
        state = tuple(values[n] for n in network.nodes)
        fixed = tuple((n, values[n]) for n in network.nodes)
        return [Attractor(fixed, (), 1, (state,), nodes=network.nodes)]
    node = apply(network, Perturbation.from_mapping(values)) if values else network
    text, free = _bnet_for_aeon(node, values)
    graph = ba.AsynchronousGraph(ba.BooleanNetwork.from_bnet(text, repair_graph=True))
    rest = graph.mk_unit_colored_vertices()
    if children:
        ids = {n: f"v{i}" for i, n in enumerate(free)}
        union = graph.mk_empty_colored_vertices()
        for child in children:
            sub = {ids[n]: bool(v) for n, v in child.items() if n in ids}
            union = union.union(graph.mk_subspace(sub))
        rest = rest.minus(ba.Reachability.backward_superset(graph, union))
    if rest.is_empty():
        return []
    return [
        _to_attractor(network, values, free, a.vertices())
        for a in ba.Attractors.xie_beerel(graph, rest)
    ]
