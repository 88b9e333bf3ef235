"""Exact asynchronous attractors with biodivine-aeon (the only biodivine_aeon import).

Constants are percolated first (nodes that can never change are removed), the rest goes to AEON's
symbolic Xie-Beerel algorithm. With an initial state, only nodes already at their percolated value
are removed (others may still move before they settle), the forward-reachable set is computed
symbolically and the attractors are searched inside it: exactly the attractors reachable from
that state under asynchronous dynamics.

AEON prints progress to the process's standard output from native code; :func:`_quiet` points
file descriptor 1 at ``/dev/null`` during each call so that stdout carries only results.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from boolfate.engines import MAX_LISTED_STATES, Attractor, Limits
from boolfate.errors import EngineFailure
from boolfate.expr import Const, Expr, format_expr, substitute
from boolfate.logic import python_source
from boolfate.model import Network
from boolfate.percolation import stable_values
from boolfate.types import Value

__all__ = ["aeon_attractors"]


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence native writes to fd 1 (AEON's progress messages) for the duration."""
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
    local = {free[int(k[1:])]: (1 if v else 0) for k, v in sub.items()}
    full: dict[str, Value] = {**values, **local}
    fixed = tuple((n, full[n]) for n in network.nodes if n in full)
    osc = tuple(n for n in network.nodes if n not in full)
    states = None
    if size <= MAX_LISTED_STATES and osc:
        listed = []
        for model in vertices.items():
            named = model.to_named_dict()
            point = {**values, **{free[int(k[1:])]: (1 if v else 0) for k, v in named.items()}}
            listed.append(tuple(point[n] for n in network.nodes))
        states = tuple(sorted(listed))
    elif not osc:
        states = (tuple(full[n] for n in network.nodes),)
    return Attractor(fixed, osc, size, states, nodes=network.nodes)


def aeon_attractors(
    network: Network, initial: Mapping[str, Value] | None, limits: Limits
) -> tuple[Attractor, ...]:
    """Exact asynchronous attractors (reachable from ``initial`` when given)."""
    del limits  # symbolic: no state-count limit applies
    values = stable_values(network, initial)
    if len(values) == len(network.nodes):
        point = tuple(values[n] for n in network.nodes)
        fixed = tuple((n, values[n]) for n in network.nodes)
        return (Attractor(fixed, (), 1, (point,), nodes=network.nodes),)
    import biodivine_aeon as ba

    text, free = _bnet_for_aeon(network, values)
    try:
        with _quiet():
            bn = ba.BooleanNetwork.from_bnet(text, repair_graph=True)
            graph = ba.AsynchronousGraph(bn)
            if initial is None:
                found = ba.Attractors.xie_beerel(graph)
            else:
                start = graph.mk_subspace({f"v{i}": bool(initial[n]) for i, n in enumerate(free)})
                reach = ba.Reachability.forward_superset(graph, start)
                found = ba.Attractors.xie_beerel(graph, reach)
    except (RuntimeError, ValueError, TypeError) as exc:
        raise EngineFailure(f"biodivine-aeon failed on '{network.name}': {exc}") from exc
    return tuple(_to_attractor(network, values, free, a.vertices()) for a in found)


def describe_reduced(network: Network) -> str:
    """Debug helper: the percolated network as ``.bnet`` lines in boolfate names."""
    values = stable_values(network, None)
    return "\n".join(
        f"{n}, {format_expr(substitute(f, values))}" for n, f in network.rules if n not in values
    )
