"""Exact synchronous attractors (fixed points and cycles) by exhaustive numpy enumeration.

Constants are percolated first. Under synchronous update a free input keeps its value forever, so
each assignment of the free inputs is solved separately (and percolated again). For each, the
successor of every state is computed with vectorised bit operations, the states on cycles are the
image of the successor map iterated ``2^k`` times (``k`` squarings), and each cycle is labelled
by pointer doubling. With an initial state, the single deterministic trajectory is followed until
it repeats.

Costs are bounded before any work is done: at most ``2^max_nodes`` states are enumerated in
total over all combinations of the free inputs (at ``2^25`` states the peak is 0.7-0.9 GB and
the run takes one to three minutes), more than ``max_results`` input combinations or attractors are
refused (each combination has at least one), and a trajectory from an initial state may visit
at most ``max_states`` states.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from boolfate.attractor import MAX_LISTED_STATES, Attractor, Limits, as_values, from_states
from boolfate.errors import EngineLimitError
from boolfate.expr import Var, substitute
from boolfate.logic import compile_numpy
from boolfate.model import Network
from boolfate.percolation import stable_values
from boolfate.types import Value

__all__ = ["sync_attractors", "successor_table", "cyclic_states"]

_CHUNK = 1 << 16

Array = npt.NDArray[np.int64]


def _index_type(k: int) -> Any:
    return np.int32 if k <= 30 else np.int64


def successor_table(network: Network, free: list[str], values: Mapping[str, Value]) -> Array:
    """Synchronous successor of every packed state over ``free`` (bit i = ``free[i]``).

    The table is ``int32`` up to 30 free nodes (4 bytes per state), ``int64`` beyond.
    """
    k = len(free)
    pos = {n: i for i, n in enumerate(free)}
    funcs = [compile_numpy(substitute(network.functions[n], values), pos) for n in free]
    kind = _index_type(k)
    succ = np.empty(1 << k, dtype=kind)
    shifts = np.arange(k, dtype=kind)[:, None]
    for lo in range(0, 1 << k, _CHUNK):
        states = np.arange(lo, min(lo + _CHUNK, 1 << k), dtype=kind)
        x = ((states[None, :] >> shifts) & 1).astype(bool)
        nxt = np.zeros(states.shape, dtype=kind)
        for i, f in enumerate(funcs):
            out = np.broadcast_to(np.asarray(f(x), dtype=bool), states.shape)
            nxt |= out.astype(kind) << i
        succ[lo : lo + len(states)] = nxt
    return succ


def cyclic_states(succ: Array) -> Array:
    """States that lie on a cycle of the functional graph ``succ``, sorted.

    Every path of ``len(succ)`` steps ends on a cycle, so the image of ``succ`` iterated
    ``2^ceil(log2 n)`` times (by repeated squaring) is exactly the set of cyclic states.

    Examples
    --------
    >>> cyclic_states(np.array([1, 2, 1, 3, 0]))
    array([1, 2, 3])
    """
    n = len(succ)
    jump = succ
    for _ in range(max(1, (n - 1).bit_length())):
        jump = jump[jump]
    on_cycle = np.zeros(n, dtype=bool)
    on_cycle[jump] = True
    del jump
    return np.flatnonzero(on_cycle).astype(succ.dtype)


def _labels(succ: Array, cyc: Array) -> Array:
    """For each cyclic state, the smallest state of its cycle (pointer doubling)."""
    nxt = np.searchsorted(cyc, succ[cyc]).astype(cyc.dtype)
    label = cyc.copy()
    steps = 1
    while steps < len(cyc):
        np.minimum(label, label[nxt], out=label)
        nxt = nxt[nxt]
        steps *= 2
    return label


def _limit_results(count: int, limits: Limits) -> None:
    if count > limits.max_results:
        raise EngineLimitError(
            f"engine 'numpy' found {count} synchronous attractors; the limit is "
            f"max_results={limits.max_results}. Raise it with --max-results "
            "(Python: Limits(max_results=...)) or fix more nodes with a condition or perturbation"
        )


def _attractors(
    network: Network, free: list[str], values: Mapping[str, Value], cyc: Array, label: Array
) -> list[Attractor]:
    order = np.argsort(label, kind="stable")
    cyc, label = cyc[order], label[order]
    starts = np.flatnonzero(np.r_[True, label[1:] != label[:-1]])
    ends = np.r_[starts[1:], len(cyc)]
    ones = np.bitwise_or.reduceat(cyc, starts)
    alls = np.bitwise_and.reduceat(cyc, starts)
    bit = {n: i for i, n in enumerate(free)}
    out: list[Attractor] = []
    for lo, hi, any_, all_ in zip(starts, ends, ones.tolist(), alls.tolist(), strict=True):
        if hi - lo <= MAX_LISTED_STATES:
            states = [
                tuple(values[n] if n in values else (s >> bit[n] & 1) for n in network.nodes)
                for s in cyc[lo:hi].tolist()
            ]
            out.append(from_states(network, states))
            continue
        fixed = tuple(
            (n, values[n] if n in values else as_values([all_ >> bit[n] & 1])[0])
            for n in network.nodes
            if n in values or (any_ >> bit[n] & 1) == (all_ >> bit[n] & 1)
        )
        osc = tuple(n for n in network.nodes if n not in dict(fixed))
        out.append(Attractor(fixed, osc, int(hi - lo), None, nodes=network.nodes))
    return out


def _solve(network: Network, values: dict[str, Value], limits: Limits) -> list[Attractor]:
    free = [n for n in network.nodes if n not in values]
    succ = successor_table(network, free, values)
    cyc = cyclic_states(succ)
    label = _labels(succ, cyc)
    del succ
    _limit_results(int(np.count_nonzero(label == cyc)), limits)
    return _attractors(network, free, values, cyc, label)


def _trajectory(network: Network, initial: Mapping[str, Value], limits: Limits) -> Attractor:
    nodes = network.nodes
    index = network.index
    funcs = [compile_numpy(network.functions[n], dict(index)) for n in nodes]
    state = tuple(initial[n] for n in nodes)
    seen: dict[tuple[Value, ...], int] = {}
    order: list[tuple[Value, ...]] = []
    while state not in seen:
        if len(order) >= limits.max_states:
            raise EngineLimitError(
                f"engine 'numpy': the synchronous trajectory from the initial state visits more "
                f"than max_states={limits.max_states} states without repeating. Raise it with "
                "--max-states (Python: Limits(max_states=...)) or use --all"
            )
        seen[state] = len(order)
        order.append(state)
        x = np.array(state, dtype=bool)
        state = as_values(bool(f(x)) for f in funcs)
    return from_states(network, order[seen[state] :])


def _input_seeds(
    network: Network, base: Mapping[str, Value], inputs: list[str], limits: Limits
) -> list[dict[str, Value]]:
    """The fixed values of every input combination, refused before any enumeration when the
    combinations (each has at least one attractor) or their states in total exceed a limit."""
    n = len(inputs)
    if n >= 63 or (1 << n) > limits.max_results:
        raise EngineLimitError(
            f"engine 'numpy': {n} free inputs give 2^{n} input combinations, each with at least "
            f"one synchronous attractor; the limit is max_results={limits.max_results}. Raise it "
            "with --max-results (Python: Limits(max_results=...)) or fix inputs with a condition"
        )
    seeds: list[dict[str, Value]] = []
    total = 0
    for combo in range(1 << n):
        bits = as_values(combo >> (n - 1 - i) & 1 for i in range(n))
        seed: dict[str, Value] = {**base, **dict(zip(inputs, bits, strict=True))}
        values = stable_values(_fix(network, inputs, seed), None)
        free = len(network.nodes) - len(values)
        total += 1 << free
        if total > 1 << limits.max_nodes:
            what = (
                f"2^{free} states ({free} free nodes after percolation)"
                if not n
                else f"more than 2^{limits.max_nodes} states over the 2^{n} combinations of "
                f"{n} free inputs"
            )
            raise EngineLimitError(
                f"engine 'numpy' would enumerate {what}; the limit is max_nodes="
                f"{limits.max_nodes} (2^{limits.max_nodes} states in total, free inputs "
                "included). Raise it with --max-nodes (Python: Limits(max_nodes=...); about 1 GB "
                "per 2^25 states) or fix inputs with a condition"
            )
        seeds.append(seed)
    return seeds


def _fix(network: Network, inputs: list[str], seed: Mapping[str, Value]) -> Network:
    return network.with_functions({n: substitute(Var(n), seed) for n in inputs})


def sync_attractors(
    network: Network, initial: Mapping[str, Value] | None, limits: Limits
) -> tuple[Attractor, ...]:
    """Exact synchronous attractors (or the one reached from ``initial``).

    Raises
    ------
    EngineLimitError
        More than ``2^max_nodes`` states to enumerate (free inputs included), more than
        ``max_results`` attractors, or a trajectory longer than ``max_states`` states.
    """
    if initial is not None:
        return (_trajectory(network, initial, limits),)
    base = stable_values(network, None)
    free_inputs = [n for n in network.nodes if n not in base and network.functions[n] == Var(n)]
    found: list[Attractor] = []
    for seed in _input_seeds(network, base, free_inputs, limits):
        fixed = _fix(network, free_inputs, seed)
        found.extend(_solve(fixed, stable_values(fixed, None), limits))
        _limit_results(len(found), limits)
    return tuple(found)
