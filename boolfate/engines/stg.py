"""Explicit state-transition graphs: the reference engine for small networks.

Every state is enumerated (or, with an initial state, every reachable state), successors are
computed rule by rule, and attractors are the terminal strongly connected components
(``networkx.attracting_components``). Exact for asynchronous dynamics and independent of the
symbolic engines, which it cross-checks in the test suite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from boolfate.attractor import Attractor, Limits, from_states
from boolfate.errors import EngineLimitError
from boolfate.expr import substitute
from boolfate.logic import compile_int
from boolfate.model import Network
from boolfate.percolation import stable_values
from boolfate.types import Value

__all__ = ["stg_attractors", "async_successors", "compile_rules", "explore", "terminal_components"]


def compile_rules(
    network: Network, free: list[str], values: Mapping[str, Value]
) -> list[Callable[[int], int]]:
    """One function per free node, mapping a packed state (bit i = free[i]) to 0/1."""
    pos = {n: i for i, n in enumerate(free)}
    return [compile_int(substitute(network.functions[n], values), pos) for n in free]


def async_successors(state: int, funcs: list[Callable[[int], int]]) -> list[int]:
    """Asynchronous successors of a packed state (one changed node each)."""
    out = []
    for i, f in enumerate(funcs):
        if f(state) != (state >> i & 1):
            out.append(state ^ (1 << i))
    return out


def explore(
    starts: Iterable[int],
    funcs: list[Callable[[int], int]],
    cap: int,
    limit: Callable[[], EngineLimitError],
) -> dict[int, list[int]]:
    """Asynchronous successors of every state reachable from ``starts`` (packed ints).

    ``limit()`` is raised as soon as a state beyond the first ``cap`` would be added.
    """
    adj: dict[int, list[int]] = {s: [] for s in starts}
    todo = list(adj)
    while todo:
        s = todo.pop()
        succ = adj[s] = async_successors(s, funcs)
        for t in succ:
            if t not in adj:
                if len(adj) >= cap:
                    raise limit()
                adj[t] = []
                todo.append(t)
    return adj


def terminal_components(adj: Mapping[int, list[int]]) -> list[list[int]]:
    """Strongly connected components with no edge leaving them (the attractors), sorted."""
    import networkx as nx  # imported here: start-up of the CLI stays small

    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(adj)
    graph.add_edges_from((s, t) for s, succ in adj.items() for t in succ)
    return [sorted(c) for c in nx.attracting_components(graph)]


def stg_attractors(
    network: Network, initial: Mapping[str, Value] | None, limits: Limits
) -> tuple[Attractor, ...]:
    """Exact asynchronous attractors by explicit enumeration."""
    values = stable_values(network, initial)
    free = [n for n in network.nodes if n not in values]
    cap = limits.max_states
    funcs = compile_rules(network, free, values)
    if initial is None:
        if len(free) > 62 or (1 << len(free)) > cap:
            raise EngineLimitError(
                f"engine 'stg' would enumerate 2^{len(free)} states ({len(free)} free nodes after "
                f"percolation); the limit is max_states={cap}. "
                "Use engine 'aeon' (exact, symbolic: --engine aeon) or raise the limit "
                "(--max-states; Python: Limits(max_states=...))"
            )
        start = list(range(1 << len(free)))
    else:
        start = [sum(initial[n] << i for i, n in enumerate(free))]
    adj = explore(
        start,
        funcs,
        cap,
        lambda: EngineLimitError(
            f"engine 'stg' explored more than max_states={cap} states; "
            "use engine 'aeon' (exact, symbolic: --engine aeon) or raise the limit "
            "(--max-states; Python: Limits(max_states=...))"
        ),
    )
    result = []
    for comp in terminal_components(adj):
        states = [
            tuple(values[n] if n in values else (s >> free.index(n) & 1) for n in network.nodes)
            for s in comp
        ]
        result.append(from_states(network, states))
    return tuple(result)
