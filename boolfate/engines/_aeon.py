"""Exact asynchronous attractors with biodivine-aeon (the only biodivine_aeon import).

Constants are percolated first (nodes that can never change are removed), the rest goes to AEON's
symbolic Xie-Beerel algorithm. With an initial state, only nodes already at their percolated value
are removed (others may still move before they settle), the forward-reachable set is computed
symbolically and the attractors are searched inside it: exactly the attractors reachable from
that state under asynchronous dynamics.

Priority classes (``update="priority"``) use the same graph with every variable's successors
and predecessors restricted to the states where no faster variable can change
(:class:`_PriorityGraph`), then exact saturation reachability and a Xie-Beerel terminal-SCC
search on that restricted relation.

AEON prints progress to the process's standard output from native code; :func:`_quiet` points
file descriptor 1 at ``/dev/null`` during each call so that stdout carries only results.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from boolfate.attractor import MAX_LISTED_STATES, Attractor, Limits, as_values
from boolfate.engines.stg import async_successors, compile_rules
from boolfate.errors import EngineFailure
from boolfate.expr import Const, Expr, format_expr, substitute
from boolfate.logic import python_source
from boolfate.model import Network
from boolfate.percolation import constant_rules, reduce_network, stable_values
from boolfate.types import Value

__all__ = [
    "aeon_attractors",
    "aeon_attractor_sets",
    "aeon_priority_attractors",
    "aeon_priority_attractor_sets",
]

WITNESS_BUDGET = 2000
"""States a best-first search may expand to prove a fixed point reachable before falling back
to symbolic forward reachability."""


_STDOUT_REDIRECT_LOCK = threading.Lock()
"""Guards the process-wide redirection of fd 1 in :func:`_quiet` (threads must not interleave
two redirections, or one would restore the other's /dev/null)."""


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence native writes to fd 1 (AEON's progress messages) for the duration."""
    with _STDOUT_REDIRECT_LOCK:
        yield from _redirected()


def _redirected() -> Iterator[None]:
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no fd 1 (embedded interpreters): nothing to protect
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _bnet_for_aeon(network: Network, values: Mapping[str, Value]) -> tuple[str, list[str]]:
    """Reduced network in AEON's bnet dialect, with safe ids ``v0, v1, ...``."""
    free = [n for n in network.nodes if n not in values]
    ids = {n: f"v{i}" for i, n in enumerate(free)}
    lines = ["targets, factors"]
    for n in free:
        func: Expr = substitute(network.functions[n], values)
        if isinstance(func, Const):
            text = "true" if func.value else "false"
        else:
            text = python_source(func, lambda name: ids[name]).replace("1 ^ ", "!")
        lines.append(f"{ids[n]}, {text}")
    return "\n".join(lines) + "\n", free


def _to_attractor(
    network: Network, values: Mapping[str, Value], free: list[str], vertices: Any
) -> Attractor:
    size = int(vertices.cardinality())
    sub = vertices.enclosing_named_subspace() or {}
    local: dict[str, Value] = {free[int(k[1:])]: (1 if v else 0) for k, v in sub.items()}
    full: dict[str, Value] = {**values, **local}
    fixed = tuple((n, full[n]) for n in network.nodes if n in full)
    osc = tuple(n for n in network.nodes if n not in full)
    states = None
    if size <= MAX_LISTED_STATES and osc:
        listed = []
        for model in vertices.items():
            named = model.to_named_dict()
            point = {**values, **{free[int(k[1:])]: int(v) for k, v in named.items()}}
            listed.append(as_values(point[n] for n in network.nodes))
        states = tuple(sorted(listed))
    elif not osc:
        states = (tuple(full[n] for n in network.nodes),)
    return Attractor(fixed, osc, size, states, nodes=network.nodes)


def _all_attractors(ba: Any, graph: Any) -> list[Any]:
    """All attractors: fixed points, then Xie-Beerel only outside their backward basin.

    The backward-reachable set of the fixed points is closed under predecessors, so its
    complement is a trap set holding exactly the remaining attractors. When the basin covers
    the whole space (the usual case in fate models) no cyclic attractor exists and the
    expensive SCC search is skipped.
    """
    unit = graph.mk_unit_colored_vertices()
    fixed = ba.FixedPoints.symbolic(graph)
    found = [ba.ColoredVertexSet(graph.symbolic_context(), b) for b in _singletons(fixed)]
    rest = unit if fixed.is_empty() else unit.minus(ba.Reachability.backward_superset(graph, fixed))
    if not rest.is_empty():
        found.extend(ba.Attractors.xie_beerel(graph, rest))
    return found


def _singletons(vertices: Any) -> list[Any]:
    """The BDDs of the individual vertices of a small colored set (fixed points)."""
    out = []
    for model in vertices.vertices().items():
        out.append(model.to_symbolic().extend_with_colors(vertices.colors()).to_bdd())
    return out


def _closure(
    funcs: list[Callable[[int], int]], regs: list[list[int]], state: int, k: int
) -> tuple[int, int]:
    """Smallest trap space containing ``state``: ``(free mask, values)`` over the k free nodes.

    A node is freed when, with the currently free nodes set either way, its function can
    differ from its value (checked on the 2**m assignments of its free regulators, m <= 12;
    larger in-degrees are freed conservatively).
    """
    free = 0
    changed = True
    while changed:
        changed = False
        for i in range(k):
            if free >> i & 1:
                continue
            loose = [j for j in regs[i] if free >> j & 1]
            if len(loose) > 12 or any(
                funcs[i](_assign(state, loose, bits)) != (state >> i & 1)
                for bits in range(1 << len(loose))
            ):
                free |= 1 << i
                changed = True
    return free, state & ~free


def _assign(state: int, positions: list[int], bits: int) -> int:
    for n, j in enumerate(positions):
        state = state | (1 << j) if bits >> n & 1 else state & ~(1 << j)
    return state


def _witness(funcs: list[Callable[[int], int]], start: int, target: int, budget: int) -> bool:
    """Best-first search for an asynchronous path from ``start`` to ``target`` (bounded)."""
    seen = {start}
    heap = [((start ^ target).bit_count(), start)]
    while heap and budget > 0:
        _, s = heapq.heappop(heap)
        if s == target:
            return True
        budget -= 1
        for t in async_successors(s, funcs):
            if t not in seen:
                seen.add(t)
                heapq.heappush(heap, ((t ^ target).bit_count(), t))
    return False


def _reachable(
    ba: Any, graph: Any, found: list[Any], network: Network, free: list[str], start: int
) -> list[Any]:
    """The attractors in ``found`` reachable from the packed state ``start`` (exact).

    Cheap proofs first: an attractor outside the smallest trap space containing ``start`` is
    unreachable; a fixed point reached by a bounded best-first search is reachable. Whatever
    is left undecided is settled by symbolic forward reachability.
    """
    funcs = compile_rules(network, free, {})
    regs = [[free.index(r) for r in network.regulators(n) if r in free] for n in free]
    mask, fixed_vals = _closure(funcs, regs, start, len(free))
    keep: list[Any] = []
    undecided: list[Any] = []
    for attractor in found:
        points = list(attractor.vertices().items()) if attractor.cardinality() == 1 else []
        if points:
            target = _pack(points[0].to_named_dict())
            if target & ~mask != fixed_vals:
                continue
            if _witness(funcs, start, target, WITNESS_BUDGET):
                keep.append(attractor)
                continue
        undecided.append(attractor)
    if undecided:
        init = graph.mk_subspace({f"v{i}": bool(b) for i, b in enumerate(_bits(start, len(free)))})
        forward = ba.Reachability.forward_superset(graph, init)
        keep.extend(a for a in undecided if not a.intersect(forward).is_empty())
    return keep


def _bits(state: int, k: int) -> list[int]:
    return [state >> i & 1 for i in range(k)]


def _pack(named: Mapping[str, bool]) -> int:
    """Pack an AEON vertex (names ``v0, v1, ...``) into an int."""
    return sum(1 << int(k[1:]) for k, v in named.items() if v)


def aeon_attractors(
    network: Network, initial: Mapping[str, Value] | None, limits: Limits
) -> tuple[Attractor, ...]:
    """Exact asynchronous attractors (reachable from ``initial`` when given)."""
    del limits  # symbolic: no state-count limit applies
    everything, reachable = aeon_attractor_sets(network, initial)
    return everything if reachable is None else reachable


def aeon_attractor_sets(
    network: Network, initial: Mapping[str, Value] | None
) -> tuple[tuple[Attractor, ...], tuple[Attractor, ...] | None]:
    """All exact asynchronous attractors and (with ``initial``) those reachable from it.

    One symbolic graph serves both: with an initial state only the nodes already at their
    percolated value are removed, and those are constant in every attractor anyway, so the
    attractors of that graph are all attractors of ``network``.
    """
    values = stable_values(network, initial)
    if len(values) == len(network.nodes):
        point = tuple(values[n] for n in network.nodes)
        fixed = tuple((n, values[n]) for n in network.nodes)
        only = (Attractor(fixed, (), 1, (point,), nodes=network.nodes),)
        return only, (only if initial is not None else None)
    import biodivine_aeon as ba

    text, free = _bnet_for_aeon(network, values)
    try:
        with _quiet():
            bn = ba.BooleanNetwork.from_bnet(text, repair_graph=True)
            graph = ba.AsynchronousGraph(bn)
            found = _all_attractors(ba, graph)
            reach = None
            if initial is not None:
                reduced = reduce_network(network, values)
                start = sum(initial[n] << i for i, n in enumerate(free))
                reach = _reachable(ba, graph, found, reduced, free, start)
            converted = [_to_attractor(network, values, free, a.vertices()) for a in found]
    except (RuntimeError, ValueError, TypeError) as exc:
        raise EngineFailure(f"biodivine-aeon failed on '{network.name}': {exc}") from exc
    if reach is None:
        return tuple(converted), None
    kept = {id(a) for a in reach}
    return tuple(converted), tuple(
        c for a, c in zip(found, converted, strict=True) if id(a) in kept
    )


def describe_reduced(network: Network) -> str:
    """Debug helper: the percolated network as ``.bnet`` lines in boolfate names."""
    values = stable_values(network, None)
    return "\n".join(
        f"{n}, {format_expr(substitute(f, values))}" for n, f in network.rules if n not in values
    )


class _PriorityGraph:
    """The priority-class transition relation on an AEON ``AsynchronousGraph``.

    Variable ``v{i}`` of rank ``r`` may change only in states where no variable of a smaller
    rank can change: its per-variable successors and predecessors are restricted to the
    complement of the union of those variables' ``var_can_post`` sets.
    """

    def __init__(self, graph: Any, ranks: list[int]) -> None:
        self.graph = graph
        self.unit = graph.mk_unit_colored_vertices()
        self.vars = [graph.find_network_variable(f"v{i}") for i in range(len(ranks))]
        can = [graph.var_can_post(v, self.unit) for v in self.vars]
        moving = graph.mk_empty_colored_vertices()
        for c in can:
            moving = moving.union(c)
        self.stable = self.unit.minus(moving)
        allowed: dict[int, Any] = {}
        for rank in sorted(set(ranks)):
            blocked = graph.mk_empty_colored_vertices()
            for c, r in zip(can, ranks, strict=True):
                if r < rank:
                    blocked = blocked.union(c)
            allowed[rank] = None if blocked.is_empty() else self.unit.minus(blocked)
        self.allowed: list[Any] = [allowed[r] for r in ranks]

    def _post(self, i: int, states: Any) -> Any:
        ok = self.allowed[i]
        return self.graph.var_post(self.vars[i], states if ok is None else states.intersect(ok))

    def _pre(self, i: int, states: Any) -> Any:
        ok = self.allowed[i]
        pre = self.graph.var_pre(self.vars[i], states)
        return pre if ok is None else pre.intersect(ok)

    def _saturate(self, start: Any, step: Callable[[int, Any], Any]) -> Any:
        result = start
        while True:
            for i in reversed(range(len(self.vars))):
                new = step(i, result).minus(result)
                if not new.is_empty():
                    result = result.union(new)
                    break
            else:
                return result

    def forward(self, start: Any) -> Any:
        """Every state reachable from ``start`` (a trap set)."""
        return self._saturate(start, self._post)

    def backward(self, start: Any, within: Any) -> Any:
        """Every state of the trap set ``within`` from which ``start`` is reachable."""
        return self._saturate(start, lambda i, s: self._pre(i, s).intersect(within))

    def attractors(self, ba: Any, universe: Any) -> list[Any]:
        """Terminal SCCs inside the trap set ``universe`` (Xie-Beerel with restricted steps).

        Fixed points are the same as asynchronous ones; outside their restricted backward
        basin (closed under restricted predecessors, so its complement is a trap set) a pivot's
        forward set is an attractor iff the pivot is reachable from all of it; the pivot's
        restricted backward set is removed either way, and the next pivot is taken from the
        forward set minus the backward set when the pivot was not in an attractor.
        """
        fixed = self.stable.intersect(universe)
        ctx = self.graph.symbolic_context()
        found = [ba.ColoredVertexSet(ctx, b) for b in _singletons(fixed)]
        rest = universe if fixed.is_empty() else universe.minus(self.backward(fixed, universe))
        todo = [] if rest.is_empty() else [(rest, rest)]
        while todo:
            space, hint = todo.pop()
            pivot = hint.pick_vertex()
            forward = self.forward(pivot)
            backward = self.backward(pivot, space)
            outside = forward.minus(backward)
            if outside.is_empty():
                found.append(forward)
            left = space.minus(backward)
            if not left.is_empty():
                todo.append((left, left if outside.is_empty() else outside))
        return found


def _priority_graph(
    network: Network, values: Mapping[str, Value], ranks: Mapping[str, int]
) -> tuple[Any, _PriorityGraph, list[str]]:
    import biodivine_aeon as ba

    text, free = _bnet_for_aeon(network, values)
    bn = ba.BooleanNetwork.from_bnet(text, repair_graph=True)
    graph = ba.AsynchronousGraph(bn)
    return ba, _PriorityGraph(graph, [ranks[n] for n in free]), free


def _point(pg: _PriorityGraph, free: list[str], state: Mapping[str, Value]) -> Any:
    return pg.graph.mk_subspace({f"v{i}": bool(state[n]) for i, n in enumerate(free)})


def aeon_priority_attractors(
    network: Network,
    initial: Mapping[str, Value] | None,
    limits: Limits,
    ranks: Mapping[str, int],
) -> tuple[Attractor, ...]:
    """Exact priority-class attractors (reachable from ``initial`` when given).

    Without ``initial`` only nodes with a constant rule are removed: percolating further is
    not valid under priorities (a node whose rule became constant may be blocked forever by a
    faster oscillation). With ``initial`` the nodes already at their percolated value are
    removed (they can never change under any semantics where only a node whose rule differs
    from its value may change) and attractors are searched in the forward-reachable set.
    """
    del limits  # symbolic: no state-count limit applies
    if initial is None:
        everything, _ = aeon_priority_attractor_sets(network, None, ranks)
        return everything
    start = {**initial, **constant_rules(network)}
    values = stable_values(network, start)
    if len(values) == len(network.nodes):
        return _single(network, values)
    try:
        with _quiet():
            ba, pg, free = _priority_graph(network, values, ranks)
            found = pg.attractors(ba, pg.forward(_point(pg, free, start)))
            return tuple(_to_attractor(network, values, free, a.vertices()) for a in found)
    except (RuntimeError, ValueError, TypeError) as exc:
        raise EngineFailure(f"biodivine-aeon failed on '{network.name}': {exc}") from exc


def aeon_priority_attractor_sets(
    network: Network, initial: Mapping[str, Value] | None, ranks: Mapping[str, int]
) -> tuple[tuple[Attractor, ...], tuple[Attractor, ...] | None]:
    """All priority-class attractors and (with ``initial``) those reachable from it, one graph."""
    values = constant_rules(network)
    start = None if initial is None else {**initial, **values}
    if len(values) == len(network.nodes):
        only = _single(network, values)
        return only, (only if start is not None else None)
    try:
        with _quiet():
            ba, pg, free = _priority_graph(network, values, ranks)
            found = pg.attractors(ba, pg.unit)
            converted = [_to_attractor(network, values, free, a.vertices()) for a in found]
            if start is None:
                return tuple(converted), None
            forward = pg.forward(_point(pg, free, start))
            reach = tuple(
                c
                for a, c in zip(found, converted, strict=True)
                if not a.intersect(forward).is_empty()
            )
    except (RuntimeError, ValueError, TypeError) as exc:
        raise EngineFailure(f"biodivine-aeon failed on '{network.name}': {exc}") from exc
    return tuple(converted), reach


def _single(network: Network, values: Mapping[str, Value]) -> tuple[Attractor, ...]:
    point = tuple(values[n] for n in network.nodes)
    fixed = tuple((n, values[n]) for n in network.nodes)
    return (Attractor(fixed, (), 1, (point,), nodes=network.nodes),)
