"""Stochastic simulation side by side: boolfate (numpy, vectorised) against MaBoSS (cmaboss).

Work (issue 6): the Calzone 2010 model under TNF (initial state ATP = cIAP = FADD = TNF = 1),
uniform rates 1, ``max_time = 100``, ``time_tick = 1`` (100 time-binned probability windows kept
by both tools), 10^4 trajectories, one thread / process each. MaBoSS runs the model exported by
``boolfate.maboss.export_bundle`` in this process (``cmaboss.MaBoSSSim``; parsing excluded, only
``run()`` timed) and reports the three fate read-out nodes (NFkB, CASP3, ATP; the others are
``is_internal``). The runs alternate between tools; medians of wall and CPU time are reported
with the throughput ratio, and the final fate probabilities are compared within 3 standard
errors. Results go to ``benchmarks/results/simulate.json``.

Run: ``python benchmarks/bench_simulate.py [--repeats 7] [--trajectories 10000]``
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from boolfate import __version__
from boolfate.bundle import load_bundle
from boolfate.expr import evaluate
from boolfate.maboss import export_bundle
from boolfate.simulate import simulate_bundle

FATES = ("Survival", "Apoptosis", "NonACD")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--trajectories", type=int, default=10_000)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "results" / "simulate.json"
    )
    args = parser.parse_args()
    n = args.trajectories
    bundle = load_bundle("calzone2010")
    try:
        import cmaboss  # type: ignore[import-untyped]
    except ImportError:
        cmaboss = None

    tmp = Path(tempfile.mkdtemp())
    bnd, cfg = export_bundle(
        bundle,
        tmp / "calzone.bnd",
        condition="TNF",
        settings={"sample_count": n, "max_time": 100, "time_tick": 1, "thread_count": 1},
    )
    rows: dict[str, list[float]] = {
        "boolfate_wall": [],
        "boolfate_cpu": [],
        "maboss_wall": [],
        "maboss_cpu": [],
    }
    ours: Any = None
    theirs: dict[str, float] = {}
    transitions: list[int] = []
    simulate_bundle(bundle, condition="TNF", trajectories=500, seed=0)  # warm-up (imports)
    for rep in range(args.repeats):
        w, c = time.perf_counter(), time.process_time()
        ours = simulate_bundle(
            bundle, condition="TNF", trajectories=n, seed=rep, max_time=100, time_tick=1
        )
        rows["boolfate_wall"].append(time.perf_counter() - w)
        rows["boolfate_cpu"].append(time.process_time() - c)
        transitions.append(ours.transitions)
        if cmaboss is not None:
            cfg_text = re.sub(
                r"seed_pseudorandom = \d+;", f"seed_pseudorandom = {100 + rep};", cfg.read_text()
            )
            cfg.write_text(cfg_text)
            sim = cmaboss.MaBoSSSim(network=str(bnd), config=str(cfg))
            w, c = time.perf_counter(), time.process_time()
            res = sim.run()
            rows["maboss_wall"].append(time.perf_counter() - w)
            rows["maboss_cpu"].append(time.process_time() - c)
            probs, _, labels, _ = res.get_last_probtraj()
            theirs = dict.fromkeys((*FATES, "Naive"), 0.0)
            for label, p in zip(labels, probs[0], strict=True):
                on = set() if label == "<nil>" else set(label.split(" -- "))
                state = {v: int(v in on) for v in ("NFkB", "CASP3", "ATP")}
                fate = next(
                    (r.name for r in bundle.fates.rules if evaluate(r.expr, state)),
                    bundle.fates.default,
                )
                theirs[fate] += float(p)

    med = {k: statistics.median(v) if v else None for k, v in rows.items()}
    mean_transitions = float(np.mean(transitions)) / n
    doc: dict[str, Any] = {
        "benchmark": "Calzone 2010, TNF, uniform rates, max_time 100, time_tick 1",
        "trajectories": n,
        "repeats": args.repeats,
        "boolfate_version": __version__,
        "cmaboss": None if cmaboss is None else "present",
        "machine": platform.platform(),
        "python": platform.python_version(),
        "median_seconds": med,
        "transitions_per_trajectory": mean_transitions,
        "boolfate_transitions_per_second_cpu": mean_transitions * n / med["boolfate_cpu"],
        "boolfate_final": {f: ours.final[f] for f in FATES},
    }
    print(
        f"{n} trajectories, {args.repeats} repeats, "
        f"{mean_transitions:.1f} transitions per trajectory"
    )
    print(
        f"boolfate: wall {med['boolfate_wall'] * 1e3:.0f} ms, cpu "
        f"{med['boolfate_cpu'] * 1e3:.0f} ms "
        f"({doc['boolfate_transitions_per_second_cpu'] / 1e6:.2f} M transitions/s cpu)"
    )
    if cmaboss is not None:
        ratio_wall = med["maboss_wall"] / med["boolfate_wall"]
        ratio_cpu = med["maboss_cpu"] / med["boolfate_cpu"]
        agree = {}
        for f in FATES:
            p, q = ours.final[f], theirs[f]
            se = math.sqrt(p * (1 - p) / n + q * (1 - q) / n)
            agree[f] = {"boolfate": p, "maboss": q, "diff_in_se": abs(p - q) / se if se else 0.0}
        doc.update(
            {
                "maboss_final": {f: theirs[f] for f in FATES},
                "speedup_wall": ratio_wall,
                "speedup_cpu": ratio_cpu,
                "agreement": agree,
                "within_3_se": all(a["diff_in_se"] <= 3 for a in agree.values()),
            }
        )
        print(
            f"MaBoSS:   wall {med['maboss_wall'] * 1e3:.0f} ms, cpu "
            f"{med['maboss_cpu'] * 1e3:.0f} ms"
        )
        print(
            f"speed-up (MaBoSS time / boolfate time): wall {ratio_wall:.2f}x, cpu {ratio_cpu:.2f}x"
        )
        for f, a in agree.items():
            print(
                f"  {f:<10} boolfate {a['boolfate']:.4f}  MaBoSS {a['maboss']:.4f}  "
                f"|diff| = {a['diff_in_se']:.2f} SE"
            )
    else:
        print("cmaboss not installed (pip install cmaboss): boolfate only")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
