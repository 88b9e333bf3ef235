"""Exact synchronous attractors (fixed points and cycles) by exhaustive numpy enumeration.

Constants are percolated first. Under synchronous update a free input keeps its value forever, so
each assignment of the free inputs is solved separately (and percolated again). For each, the
successor of every state is computed with vectorised bit operations, states with no predecessor
are peeled off until only cyclic states remain, and each cycle is labelled by pointer doubling.
With an initial state, the single deterministic trajectory is followed until it repeats.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from boolfate.attractor import Attractor, Limits, as_values, from_states
from boolfate.errors import EngineLimitError
from boolfate.expr import Var, substitute
from boolfate.logic import compile_numpy
from boolfate.model import Network
from boolfate.percolation import stable_values
from boolfate.types import Value

__all__ = ["sync_attractors", "successor_table", "cyclic_states"]

_CHUNK = 1 << 20

Array = npt.NDArray[np.int64]


def successor_table(network: Network, free: list[str], values: Mapping[str, Value]) -> Array:
    """Synchronous successor of every packed state over ``free`` (bit i = ``free[i]``)."""
    k = len(free)
    pos = {n: i for i, n in enumerate(free)}
    funcs = [compile_numpy(substitute(network.functions[n], values), pos) for n in free]
    succ = np.empty(1 << k, dtype=np.int64)
    for lo in range(0, 1 << k, _CHUNK):
        states = np.arange(lo, min(lo + _CHUNK, 1 << k), dtype=np.int64)
        bits = (states[None, :] >> np.arange(k, dtype=np.int64)[:, None]) & 1
        x = bits.astype(bool)
        nxt = np.zeros(states.shape, dtype=np.int64)
        for i, f in enumerate(funcs):
            out = np.broadcast_to(np.asarray(f(x), dtype=bool), states.shape)
            nxt |= out.astype(np.int64) << i
        succ[lo : lo + len(states)] = nxt
    return succ


def cyclic_states(succ: Array) -> Array:
    """States that lie on a cycle of the functional graph ``succ``."""
    alive = np.ones(len(succ), dtype=bool)
    while True:
        indeg = np.bincount(succ[alive], minlength=len(succ))
        dead = alive & (indeg == 0)
        if not dead.any():
            return np.flatnonzero(alive)
        alive &= ~dead


def _cycles(succ: Array) -> list[list[int]]:
    cyc = cyclic_states(succ)
    local = {int(s): i for i, s in enumerate(cyc)}
    nxt = np.array([local[int(succ[s])] for s in cyc], dtype=np.int64)
    label = cyc.copy()
    jump = nxt.copy()
    steps = 1
    while steps < len(cyc):
        label = np.minimum(label, label[jump])
        jump = jump[jump]
        steps *= 2
    groups: dict[int, list[int]] = {}
    for s, lab in zip(cyc.tolist(), label.tolist(), strict=True):
        groups.setdefault(lab, []).append(s)
    return [sorted(g) for _, g in sorted(groups.items())]


def _solve(network: Network, values: dict[str, Value], limits: Limits) -> list[Attractor]:
    free = [n for n in network.nodes if n not in values]
    if len(free) > limits.max_nodes:
        raise EngineLimitError(
            f"engine 'numpy' enumerates 2^{len(free)} states ({len(free)} free nodes after "
            f"percolation); the limit is max_nodes={limits.max_nodes}. Raise Limits.max_nodes "
            "(CLI: --max-nodes; about 1 GB per 2^27 states) or fix more inputs with a condition"
        )
    succ = successor_table(network, free, values)
    out = []
    for cycle in _cycles(succ):
        states = [
            tuple(values[n] if n in values else (s >> free.index(n) & 1) for n in network.nodes)
            for s in cycle
        ]
        out.append(from_states(network, states))
    return out


def _trajectory(network: Network, initial: Mapping[str, Value]) -> Attractor:
    nodes = network.nodes
    index = network.index
    funcs = [compile_numpy(network.functions[n], dict(index)) for n in nodes]
    state = tuple(initial[n] for n in nodes)
    seen: dict[tuple[Value, ...], int] = {}
    order: list[tuple[Value, ...]] = []
    while state not in seen:
        seen[state] = len(order)
        order.append(state)
        x = np.array(state, dtype=bool)
        state = as_values(bool(f(x)) for f in funcs)
    return from_states(network, order[seen[state] :])


def sync_attractors(
    network: Network, initial: Mapping[str, Value] | None, limits: Limits
) -> tuple[Attractor, ...]:
    """Exact synchronous attractors (or the one reached from ``initial``)."""
    if initial is not None:
        return (_trajectory(network, initial),)
    base = stable_values(network, None)
    free_inputs = [n for n in network.nodes if n not in base and network.functions[n] == Var(n)]
    found: list[Attractor] = []
    for combo in itertools.product((0, 1), repeat=len(free_inputs)):
        seeds: dict[str, Value] = {**base, **dict(zip(free_inputs, as_values(combo), strict=True))}
        fixed = network.with_functions({n: substitute(Var(n), seeds) for n in free_inputs})
        found.extend(_solve(fixed, stable_values(fixed, None), limits))
    return tuple(found)
