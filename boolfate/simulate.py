"""Continuous-time stochastic simulation with MaBoSS semantics (fate probabilities over time).

Each node ``i`` flips from 0 to 1 at rate ``up_i(x)`` and from 1 to 0 at rate ``down_i(x)``; by
default ``up_i = rate_up * [f_i(x) = 1]`` and ``down_i = rate_down * [f_i(x) = 0]`` with both rates
1 (the MaBoSS defaults). A rate is a sum of ``(condition, value)`` terms (:class:`NodeRates`), which
also covers MaBoSS rate expressions such as ``rate_up = NFkB & !SMAC ? $TransRate : 0``.

All trajectories are advanced together (a vectorised Gillespie algorithm over a ``nodes x
trajectories`` boolean array). Fate probabilities are time-averaged over each ``time_tick`` window
(as MaBoSS does) and taken on the state at ``max_time`` for the final values.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> from boolfate.fates import FateScheme
>>> net = parse_bnet("s, s\\na, s & !b\\nb, s & !a")
>>> scheme = FateScheme.from_mapping({"A": "a", "B": "b"}, net, default="none")
>>> res = simulate(net, fates=scheme, initial={"s": 1}, trajectories=2000, seed=1)
>>> res.fates
('A', 'B', 'none')
>>> round(res.final["A"] + res.final["B"], 3), abs(res.final["A"] - 0.5) < 4 * res.final_se["A"]
(1.0, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from boolfate.bundle import Bundle
from boolfate.errors import BoolfateError
from boolfate.expr import Expr, Var
from boolfate.fates import FateScheme
from boolfate.logic import compile_numpy
from boolfate.model import Network
from boolfate.perturbations import Perturbation, apply
from boolfate.rates import NodeRates, RateTerm, default_rates, rates_from_toml
from boolfate.resolve import ConditionRef
from boolfate.simulation_result import FloatArray, SimulationResult

__all__ = [
    "RateTerm",
    "NodeRates",
    "default_rates",
    "rates_from_toml",
    "SimulationResult",
    "simulate",
    "simulate_bundle",
]

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class _Spec:
    """Everything a worker needs (picklable: no compiled functions)."""

    nodes: tuple[str, ...]
    rates: tuple[NodeRates, ...]
    fate_exprs: tuple[Expr, ...]
    initial: tuple[float, ...]
    max_time: float
    n_bins: int
    time_tick: float


@dataclass
class _Partial:
    final_fates: npt.NDArray[np.int64]
    occupancy: FloatArray
    states: dict[bytes, int]
    transitions: int


Kernel = Callable[[BoolArray, FloatArray], None]


def _kernels(spec: _Spec) -> tuple[list[int], list[Kernel]]:
    """One function per dynamic node writing its flip rate into a row of R."""
    index = {n: i for i, n in enumerate(spec.nodes)}
    rows: list[int] = []
    kernels: list[Kernel] = []
    for i, (node, nr) in enumerate(zip(spec.nodes, spec.rates, strict=True)):
        if not nr.up and not nr.down:
            continue
        std = nr.standard()
        if std is not None and std[0] == Var(node):
            continue  # an input: its rule keeps its value
        if std is not None and std[1] == std[2]:
            f = compile_numpy(std[0], index)
            rate = std[1]

            def k_same(
                X: BoolArray, out: FloatArray, f: Any = f, i: int = i, r: float = rate
            ) -> None:
                if r == 1.0:
                    np.not_equal(f(X), X[i], out=out, casting="unsafe")
                else:
                    np.multiply(np.not_equal(f(X), X[i]), r, out=out)

            kernels.append(k_same)
        else:
            ups = [(compile_numpy(c, index), v) for c, v in nr.up]
            downs = [(compile_numpy(c, index), v) for c, v in nr.down]

            def k_gen(
                X: BoolArray, out: FloatArray, ups: Any = ups, downs: Any = downs, i: int = i
            ) -> None:
                x = X[i]
                up = np.zeros(x.shape)
                for c, v in ups:
                    up += v * c(X)
                down = np.zeros(x.shape)
                for c, v in downs:
                    down += v * c(X)
                np.copyto(out, np.where(x, down, up))

            kernels.append(k_gen)
        rows.append(i)
    return rows, kernels


def _is_unit(nr: NodeRates) -> bool:
    std = nr.standard()
    return std is not None and std[1] == std[2] == 1.0


def _fate_codes(fate_fns: Sequence[Callable[..., Any]], X: BoolArray) -> npt.NDArray[np.int64]:
    code = np.full(X.shape[1], len(fate_fns), dtype=np.int64)
    for j in range(len(fate_fns) - 1, -1, -1):
        code = np.where(fate_fns[j](X), j, code)
    return code


def _initial_states(initial: Sequence[float], n: int, rng: np.random.Generator) -> BoolArray:
    X = np.zeros((len(initial), n), dtype=np.bool_)
    for i, p in enumerate(initial):
        if p >= 1.0:
            X[i] = True
        elif p > 0.0:
            X[i] = rng.random(n) < p
    return X


def _draw(
    kernels: Sequence[Kernel], X: BoolArray, buffer: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """Waiting times (inf when no node can flip) and the row index of the node that flips."""
    m = X.shape[1]
    n_rows = max(len(kernels), 1)
    cum = buffer[: n_rows * m].reshape(n_rows, m)  # contiguous, reused between steps
    if not kernels:
        cum.fill(0.0)
    for k, kern in enumerate(kernels):
        kern(X, cum[k])
    for k in range(1, n_rows):  # much faster than np.cumsum along axis 0
        np.add(cum[k - 1], cum[k], out=cum[k])
    total = cum[-1]
    with np.errstate(divide="ignore"):
        dt: FloatArray = rng.standard_exponential(m) / total
    thr = rng.random(m) * total
    choice = np.zeros(m, dtype=np.intp)
    for k in range(n_rows - 1):  # the first k with cum[k] > thr
        choice += cum[k] <= thr
    return dt, choice


def _run_chunk(spec: _Spec, n: int, seed: np.random.SeedSequence) -> _Partial:
    rng = np.random.default_rng(seed)
    index = {name: i for i, name in enumerate(spec.nodes)}
    rows, kernels = _kernels(spec)
    row_index = np.asarray(rows, dtype=np.intp)
    fate_fns = [compile_numpy(e, index) for e in spec.fate_exprs]
    n_fates = len(fate_fns) + 1
    n_nodes, tick, tmax, nb = len(spec.nodes), spec.time_tick, spec.max_time, spec.n_bins

    X = _initial_states(spec.initial, n, rng)
    t = np.zeros(n)
    fate = _fate_codes(fate_fns, X)
    ev_fate: list[npt.NDArray[np.int64]] = [fate]
    ev_time: list[FloatArray] = [t.copy()]
    ev_weight: list[FloatArray] = [np.ones(n)]
    final_X = np.zeros((n_nodes, n), dtype=np.bool_)
    final_fate = np.zeros(n, dtype=np.int64)
    ids = np.arange(n)
    transitions = 0
    buffer = np.zeros(max(len(rows), 1) * n)
    while ids.size:
        dt, choice = _draw(kernels, X, buffer, rng)
        tnew = t + dt
        done = tnew > tmax
        if done.any():
            final_X[:, ids[done]] = X[:, done]
            final_fate[ids[done]] = fate[done]
            keep = ~done
            X, t, fate, ids, choice = X[:, keep], tnew[keep], fate[keep], ids[keep], choice[keep]
            if not ids.size:
                break
        else:
            t = tnew
        m = ids.size
        cols = np.arange(m)
        flip_rows = row_index[choice]
        X[flip_rows, cols] = ~X[flip_rows, cols]
        transitions += m
        new_fate = _fate_codes(fate_fns, X)
        changed = new_fate != fate
        if changed.any():
            tc = t[changed]
            ev_fate += [fate[changed], new_fate[changed]]
            ev_time += [tc, tc]
            ev_weight += [-np.ones(tc.size), np.ones(tc.size)]
            fate = new_fate

    # time-averaged occupancy per window from the fate-change events (see _occupancy)
    occupancy = _occupancy(
        np.concatenate(ev_fate),
        np.concatenate(ev_time),
        np.concatenate(ev_weight),
        n_fates,
        nb,
        tick,
        tmax,
    )
    states = _state_counts(final_X)
    return _Partial(np.bincount(final_fate, minlength=n_fates), occupancy, states, transitions)


def _state_counts(X: BoolArray) -> dict[bytes, int]:
    """Count the distinct columns of ``X``, keyed by their ``np.packbits`` bytes."""
    packed = np.packbits(X, axis=0)
    if packed.shape[0] <= 8:  # up to 64 nodes: sort one integer per trajectory
        code = np.zeros(X.shape[1], dtype=np.uint64)
        for row in packed:
            code = (code << np.uint64(8)) | row.astype(np.uint64)
        uniq, first, counts = np.unique(code, return_index=True, return_counts=True)
        del uniq
        return {packed[:, f].tobytes(): int(c) for f, c in zip(first, counts, strict=True)}
    keys, counts = np.unique(packed.T, axis=0, return_counts=True)
    return {k.tobytes(): int(c) for k, c in zip(keys, counts, strict=True)}


def _occupancy(
    fates: npt.NDArray[np.int64],
    times: FloatArray,
    weights: FloatArray,
    n_fates: int,
    nb: int,
    tick: float,
    tmax: float,
) -> FloatArray:
    """Integral of each fate's trajectory count over each window, from +1/-1 events.

    With events ``(tau, w)`` the count is ``g(T) = sum w [tau <= T]`` and its integral from 0 is
    ``G(T) = sum w (T - tau)^+``; per window ``j`` keep ``sum w`` and ``sum w tau``.
    """
    bins = np.minimum((times / tick).astype(np.int64), nb - 1)
    flat = fates * nb + bins
    W = np.bincount(flat, weights=weights, minlength=n_fates * nb).reshape(n_fates, nb)
    M = np.bincount(flat, weights=weights * times, minlength=n_fates * nb).reshape(n_fates, nb)
    edges = np.minimum(np.arange(nb + 1) * tick, tmax)
    G = np.zeros((n_fates, nb + 1))
    G[:, 1:] = np.cumsum(W, axis=1) * edges[1:] - np.cumsum(M, axis=1)
    out: FloatArray = np.diff(G, axis=1)
    return out


def _check_jobs(jobs: int, trajectories: int) -> int:
    if jobs < 1:
        raise BoolfateError(f"jobs must be at least 1, got {jobs}")
    if trajectories < 1:
        raise BoolfateError(f"trajectories must be at least 1, got {trajectories}")
    return min(jobs, trajectories)


def simulate(
    network: Network,
    *,
    fates: FateScheme,
    initial: Mapping[str, float],
    rates: Mapping[str, NodeRates] | None = None,
    perturbation: Perturbation | None = None,
    trajectories: int = 10_000,
    max_time: float = 100.0,
    time_tick: float = 1.0,
    seed: int | None = 0,
    jobs: int = 1,
) -> SimulationResult:
    """Simulate ``trajectories`` continuous-time trajectories and return fate probabilities.

    Parameters
    ----------
    network
        The Boolean network (its rules give the default rates).
    fates
        Fate scheme evaluated on every state (first rule that holds, else the default).
    initial
        Probability that each node starts at 1 (0/1 for a fixed initial state); missing nodes 0.
    rates
        Per-node :class:`NodeRates`; nodes not listed get rates 1 from their rule.
    perturbation
        Nodes fixed as MaBoSS mutants: constant rule, no transitions, initial value set.
    trajectories, max_time, time_tick
        Number of trajectories, simulated time, width of the time windows.
    seed
        Seed of numpy's random generator (None: fresh entropy). The same seed and ``jobs`` give
        identical results.
    jobs
        Processes; trajectories are split into ``jobs`` chunks with seeds spawned from ``seed``.

    Returns
    -------
    SimulationResult
    """
    jobs = _check_jobs(jobs, trajectories)
    if not (max_time > 0 and time_tick > 0):
        raise BoolfateError("max_time and time_tick must be positive")
    pert = perturbation or Perturbation()
    net = apply(network, pert)
    given = dict(rates or {})
    for node in given:
        network.check_node(node, context="rates")
    node_rates = []
    for node, rule in net.rules:
        if node in pert.mapping:
            node_rates.append(NodeRates())
        else:
            node_rates.append(given.get(node) or NodeRates.from_rule(rule))
    init = dict(initial)
    for node in init:
        network.check_node(node, context="initial state")
    init.update({n: float(v) for n, v in pert.fixes})
    n_bins = max(1, math.ceil(max_time / time_tick - 1e-9))
    spec = _Spec(
        nodes=net.nodes,
        rates=tuple(node_rates),
        fate_exprs=tuple(r.expr for r in fates.rules),
        initial=tuple(float(init.get(n, 0.0)) for n in net.nodes),
        max_time=float(max_time),
        n_bins=n_bins,
        time_tick=float(time_tick),
    )
    seeds = np.random.SeedSequence(seed).spawn(jobs)
    sizes = [trajectories // jobs + (1 if k < trajectories % jobs else 0) for k in range(jobs)]
    if jobs == 1:
        parts = [_run_chunk(spec, sizes[0], seeds[0])]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(_run_chunk, [spec] * jobs, sizes, seeds))
    return _combine(spec, fates, parts, trajectories, seed)


def _combine(
    spec: _Spec, fates: FateScheme, parts: list[_Partial], n: int, seed: int | None
) -> SimulationResult:
    names = fates.names
    counts = sum((p.final_fates for p in parts), np.zeros(len(names), dtype=np.int64))
    occupancy = sum((p.occupancy for p in parts), np.zeros((len(names), spec.n_bins)))
    states: dict[bytes, int] = {}
    for p in parts:
        for k, c in p.states.items():
            states[k] = states.get(k, 0) + c
    edges = np.minimum(np.arange(spec.n_bins + 1) * spec.time_tick, spec.max_time)
    widths = np.diff(edges)
    timecourse = (occupancy / (n * widths)).T
    probs = counts / n
    final = {f: float(probs[j]) for j, f in enumerate(names)}
    final_se = {f: math.sqrt(max(probs[j] * (1 - probs[j]), 0.0) / n) for j, f in enumerate(names)}
    labelled: dict[str, float] = {}
    for key, c in sorted(states.items(), key=lambda kv: -kv[1]):
        bits = np.unpackbits(np.frombuffer(key, dtype=np.uint8))[: len(spec.nodes)]
        label = " -- ".join(spec.nodes[i] for i in np.flatnonzero(bits)) or "<nil>"
        labelled[label] = c / n
    return SimulationResult(
        fates=names,
        times=edges[:-1].copy(),
        timecourse=np.asarray(timecourse, dtype=np.float64),
        final=final,
        final_se=final_se,
        final_states=labelled,
        trajectories=n,
        transitions=sum(p.transitions for p in parts),
        max_time=spec.max_time,
        time_tick=spec.time_tick,
        seed=seed,
    )


def simulate_bundle(
    bundle: Bundle,
    *,
    condition: ConditionRef = None,
    perturbation: Perturbation | None = None,
    rates: Mapping[str, NodeRates] | None = None,
    **options: Any,
) -> SimulationResult:
    """Simulate a :class:`~boolfate.bundle.Bundle` under a condition and perturbation.

    The initial state is ``bundle.initial_state(condition, perturbation)``; the condition's inputs
    and the perturbation are fixed; rates come from the bundle's ``[rates]`` table unless given.
    Other keyword arguments go to :func:`simulate`.

    Examples
    --------
    >>> from boolfate.bundle import load_bundle
    >>> b = load_bundle("calzone2010")
    >>> res = simulate_bundle(b, condition="TNF", perturbation=Perturbation.parse("RIP1%0"),
    ...                       trajectories=500, seed=3)
    >>> res.final["Apoptosis"]
    1.0
    """
    cond = bundle.condition(condition)
    pert = perturbation or Perturbation()
    fixes = cond.perturbation + pert
    if rates is None:
        rates = bundle.rates
    initial = {n: float(v) for n, v in bundle.initial_state(cond, pert).items()}
    result = simulate(
        bundle.network,
        fates=bundle.fates,
        initial=initial,
        rates=rates,
        perturbation=fixes,
        **options,
    )
    return result
