"""Target search against the brute-force screen and against biodivine-aeon's phenotype control.

Work: the flagship ``tnf_necroptosis`` under TNF.

brute force  - ``boolfate targets`` (minimality and percolation pruning, shared cache) against a
               full screen of every candidate set up to K = 2 and K = 3 (``run_screen`` over all
               sets of knock-outs, over-expressions and added drugs, then the minimal qualifying
               sets by definition). Question: only Necroptosis or CICD reachable from the
               initial state. Same answers asserted; the speed-up is printed.
AEON control - ``Control.phenotype_permanent`` (biodivine-aeon) poses "every attractor of the
               perturbed network lies in the fate's region" (oscillation forbidden), for node
               knock-outs / over-expressions up to K; boolfate answers the same question with
               ``scope="all"``. AEON returns every working perturbation; its minimal ones
               are compared with boolfate's. AEON's ``initial_states`` argument is not the
               question "reachable from this state" (it returns, e.g., CASP3%1 for Necroptosis,
               whose only reachable fate is Apoptosis), so reachability is not compared.
Every tool runs in this process after one untimed warm-up; the median wall time of the repeats
is reported. Results: ``benchmarks/results/targets.json``.

Run: ``python benchmarks/bench_targets.py [--repeats 1] [--max-size 3]``
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from boolfate import __version__
from boolfate.bnet import format_bnet
from boolfate.bundle import Bundle, load_bundle
from boolfate.expr import evaluate as eval_expr
from boolfate.expr import variables
from boolfate.perturbations import Perturbation, apply
from boolfate.screens import ScreenItem, run_screen
from boolfate.targets import TargetQuestion, candidate_fixes, find_targets

CONDITION = "TNF"
FATES = ("Necroptosis", "CICD")


def _median(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """AEON prints progress from native code to fd 1."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _all_sets(fixes: Sequence[tuple[str, int]], k: int) -> list[Perturbation]:
    out = []
    for size in range(k + 1):
        for combo in itertools.combinations(fixes, size):
            if len({n for n, _ in combo}) == size:
                out.append(Perturbation.from_mapping(dict(combo)))
    return out


def _minimal(working: set[Perturbation]) -> set[str]:
    def has_sub(p: Perturbation) -> bool:
        return any(
            Perturbation(sub) in working
            for n in range(len(p.fixes))
            for sub in itertools.combinations(p.fixes, n)
        )

    return {p.label() for p in working if not has_sub(p)}


def brute_force(bundle: Bundle, k: int) -> set[str]:
    """Screen every candidate set, then keep the minimal qualifying ones (the definition)."""
    setting = bundle.condition(CONDITION).perturbation.mapping
    fixes = [f for f in candidate_fixes(bundle, "both") if setting.get(f[0]) != f[1]]
    items = [ScreenItem(p, "list") for p in _all_sets(fixes, k)]
    rows = run_screen(bundle, items, [CONDITION])
    working = {r.perturbation for r in rows if r.fates and set(r.fates) <= set(FATES)}
    return _minimal(working)


def ours(bundle: Bundle, k: int, **kw: Any) -> tuple[set[str], Any]:
    question = TargetQuestion(fates=kw.pop("fates", FATES), conditions=(CONDITION,), max_size=k)
    question = TargetQuestion(**{**question.__dict__, **kw})
    result = find_targets(bundle, question)
    return {t.perturbation.label() for t in result.sets}, result.stats


def _region(bundle: Bundle, fate: str) -> list[dict[str, bool]]:
    """The states whose first matching fate rule is ``fate``, as a union of subspaces."""
    rules = bundle.fates.rules
    upto = rules[: [r.name for r in rules].index(fate) + 1]
    names = sorted({n for r in upto for n in variables(r.expr)})
    out = []
    for bits in itertools.product((0, 1), repeat=len(names)):
        state = dict(zip(names, bits, strict=True))
        first = next((r.name for r in upto if eval_expr(r.expr, state)), None)
        if first == fate:
            out.append({n: bool(v) for n, v in state.items()})
    return out


def aeon_control(bundle: Bundle, fate: str, k: int) -> set[str]:
    """Minimal node perturbations (up to k) whose every attractor is in ``fate``'s region."""
    import biodivine_aeon as ba

    net = apply(bundle.network, bundle.condition(CONDITION).perturbation)
    nodes = sorted({n for n, _ in candidate_fixes(bundle, "nodes")}, key=net.index.__getitem__)
    with _quiet():
        bn = ba.BooleanNetwork.from_bnet(format_bnet(net), repair_graph=True)
        graph = ba.AsynchronousPerturbationGraph(bn, nodes)
        phenotype = graph.mk_empty_vertices()
        for space in _region(bundle, fate):
            phenotype = phenotype.union(graph.mk_subspace_vertices(space))
        found = ba.Control.phenotype_permanent(graph, phenotype, "forbidden", k, False)
        working = set()
        for model in found.perturbations().items():
            fixed = {n: 1 if v else 0 for n, v in model.to_named_dict().items() if v is not None}
            working.add(Perturbation.from_mapping(fixed))
    return _minimal(working)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--max-size", type=int, default=3)
    args = parser.parse_args()
    bundle = load_bundle("tnf_necroptosis")
    ours(bundle, 1)  # warm-up: imports and the network's cached truth tables
    brute_force(bundle, 1)
    with _quiet():
        aeon_control(bundle, "CICD", 1)
    results: dict[str, Any] = {}
    print(f"tnf_necroptosis under {CONDITION}: only {' or '.join(FATES)} reachable")
    print(f"{'K':>2} {'sets':>5} {'targets s':>10} {'screen s':>9} {'speed-up':>9}  work")
    for k in range(2, args.max_size + 1):
        t_ours, (mine, stats) = _median(lambda k=k: ours(bundle, k), args.repeats)
        t_brute, theirs = _median(lambda k=k: brute_force(bundle, k), args.repeats)
        assert mine == theirs, (k, sorted(mine ^ theirs))
        ratio = t_brute / t_ours
        work = (
            f"{stats.candidates} candidates, {stats.skipped_supersets} skipped, "
            f"{stats.by_percolation} by percolation, {stats.by_dynamics} by dynamics"
        )
        print(f"{k:>2} {len(mine):>5} {t_ours:>10.2f} {t_brute:>9.2f} {ratio:>8.1f}x  {work}")
        results[f"brute K={k}"] = {
            "sets": sorted(mine),
            "targets_s": round(t_ours, 3),
            "screen_s": round(t_brute, 3),
            "speedup": round(ratio, 2),
            "agree": True,
            "stats": stats.__dict__,
        }
    print("\nvs biodivine-aeon Control.phenotype_permanent (every attractor in the fate; nodes)")
    print(f"{'fate':<12} {'K':>2} {'sets':>5} {'targets s':>10} {'aeon s':>8}  agreement")
    for fate in FATES:
        for k in range(1, args.max_size + 1):
            t_ours, (mine, _) = _median(
                lambda f=fate, k=k: ours(bundle, k, fates=(f,), using="nodes", scope="all"),
                args.repeats,
            )
            t_aeon, theirs = _median(lambda f=fate, k=k: aeon_control(bundle, f, k), args.repeats)
            agree = mine == theirs
            note = "same minimal sets" if agree else f"differ: {sorted(mine ^ theirs)[:6]}"
            print(f"{fate:<12} {k:>2} {len(mine):>5} {t_ours:>10.2f} {t_aeon:>8.2f}  {note}")
            results[f"aeon {fate} K={k}"] = {
                "sets": sorted(mine),
                "targets_s": round(t_ours, 3),
                "aeon_s": round(t_aeon, 3),
                "agree": agree,
                "only_ours": sorted(mine - theirs),
                "only_aeon": sorted(theirs - mine),
            }
    out = Path(__file__).parent / "results" / "targets.json"
    out.parent.mkdir(exist_ok=True)
    meta = {
        "boolfate": __version__,
        "python": platform.python_version(),
        "machine": platform.platform(),
        "repeats": args.repeats,
    }
    out.write_text(json.dumps({**meta, "results": results}, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
