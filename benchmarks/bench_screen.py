"""Perturbation screens side by side: boolfate against pyboolnet, mpbn and biodivine-aeon.

Work (issue 4): the Calzone 2010 model under TNF (TNF%1 FADD%1 FASL%0),
  single screen: all 56 single knock-outs / over-expressions of the 28 nodes;
  double screen: all 378 double knock-outs.
Two questions per screen:
  trap spaces  - minimal trap spaces of every perturbed network: boolfate ``screen --update mp``
                 (full rows: fates, wild-type delta, explanation) vs a pyboolnet loop
                 (``create_constants`` + ``compute_trap_spaces(primes, "min")``);
  reachable    - attractors reachable from the TNF initial state: boolfate ``screen`` (exact
                 asynchronous reachable fates + exact attractor fates + explanation, full rows) vs
                 mpbn (most-permissive reachability, an over-approximation) and a raw
                 biodivine-aeon loop (exact: forward reachability + Xie-Beerel).
Every tool runs in this process; parsing is excluded; each screen is repeated and the median
wall time is reported with ratios. Results: ``benchmarks/results/screen.json``.

Run: ``python benchmarks/bench_screen.py [--repeats 3]``
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from boolfate import __version__
from boolfate.bnet import format_bnet
from boolfate.bundle import load_bundle
from boolfate.perturbations import Perturbation
from boolfate.screens import ScreenItem, run_screen

CONDITION = {"TNF": 1, "FADD": 1, "FASL": 0}


def _median(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time of ``repeats`` runs after one untimed warm-up run (every tool alike:
    imports, caches and first groundings are excluded)."""
    times, out = [], fn()
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


@contextlib.contextmanager
def _quiet() -> Any:
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def main() -> None:  # noqa: C901 - one linear script: setup, peers, runs, report
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    bundle = load_bundle("calzone2010")
    net = bundle.network
    nodes = net.nodes
    singles = [{n: v} for n in nodes for v in (0, 1)]
    doubles = [{a: 0, b: 0} for a, b in itertools.combinations(nodes, 2)]
    screens = {"single (56)": singles, "double KO (378)": doubles}
    initial_tnf = bundle.initial_state(bundle.condition("TNF"))
    bnet_text = format_bnet(net)
    results: dict[str, dict[str, Any]] = {}

    def boolfate_screen(perts: list[dict[str, int]], update: str) -> Callable[[], Any]:
        items = [ScreenItem(Perturbation(), "wild type")] + [
            ScreenItem(Perturbation.from_mapping(p), "list") for p in perts
        ]

        def run() -> Any:
            rows = list(run_screen(bundle, items, ["TNF"], update=update))  # type: ignore[arg-type]
            return sum(
                r.n_attractors if update == "mp" else (r.n_reachable or 0)
                for r in rows
                if r.perturbation
            )

        return run

    peers: dict[str, Callable[[list[dict[str, int]]], Callable[[], Any]]] = {}
    versions: dict[str, str] = {"boolfate": __version__}
    try:
        import pyboolnet
        from pyboolnet.file_exchange import bnet2primes
        from pyboolnet.prime_implicants import create_constants
        from pyboolnet.trap_spaces import compute_trap_spaces

        versions["pyboolnet"] = getattr(pyboolnet, "__version__", "?")
        primes = bnet2primes(bnet_text)

        def pyboolnet_loop(perts: list[dict[str, int]]) -> Callable[[], Any]:
            def run() -> Any:
                total = 0
                for p in perts:
                    fixed = create_constants(primes, {**CONDITION, **p}, copy=True)
                    total += len(compute_trap_spaces(fixed, "min"))
                return total

            return run

        peers["pyboolnet trap spaces"] = pyboolnet_loop
    except ImportError:
        print("pyboolnet not installed: skipped")
    try:
        import mpbn

        versions["mpbn"] = getattr(mpbn, "__version__", "?")
        base = mpbn.MPBooleanNetwork(bnet_text)

        def mpbn_loop(perts: list[dict[str, int]]) -> Callable[[], Any]:
            def run() -> Any:
                total = 0
                for p in perts:
                    fixes = {**CONDITION, **p}
                    mbn = mpbn.MPBooleanNetwork(base)
                    for n, v in fixes.items():
                        mbn[n] = v
                    start = {**initial_tnf, **p}
                    total += sum(1 for _ in mbn.attractors(reachable_from=start))
                return total

            return run

        peers["mpbn reachable (MP)"] = mpbn_loop
    except ImportError:
        print("mpbn not installed (pip install mpbn): skipped")
    try:
        import biodivine_aeon as ba

        versions["biodivine-aeon"] = getattr(ba, "__version__", "?")
        with _quiet():
            aeon_base = ba.BooleanNetwork.from_bnet(bnet_text, repair_graph=True)

        def aeon_loop(perts: list[dict[str, int]]) -> Callable[[], Any]:
            def run() -> Any:
                total = 0
                with _quiet():
                    for p in perts:
                        fixes = {**CONDITION, **p}
                        bn = (
                            aeon_base.__copy__()
                            if hasattr(aeon_base, "__copy__")
                            else (ba.BooleanNetwork.from_bnet(bnet_text, repair_graph=True))
                        )
                        for n, v in fixes.items():
                            bn.set_update_function(n, "true" if v else "false")
                        bn = bn.infer_valid_graph()
                        graph = ba.AsynchronousGraph(bn)
                        state = {**initial_tnf, **p}
                        start = graph.mk_subspace({n: bool(v) for n, v in state.items()})
                        reach = ba.Reachability.forward_superset(graph, start)
                        total += len(ba.Attractors.xie_beerel(graph, reach))
                return total

            return run

        peers["aeon reachable (exact)"] = aeon_loop
    except ImportError:
        print("biodivine-aeon not installed: skipped")

    for screen, perts in screens.items():
        entry: dict[str, Any] = {}
        plan: list[tuple[str, str, Callable[[], Any]]] = [
            ("trap spaces", "boolfate screen --update mp", boolfate_screen(perts, "mp")),
            ("reachable", "boolfate screen (exact async)", boolfate_screen(perts, "async")),
        ]
        for name, make in peers.items():
            question = "trap spaces" if "trap" in name else "reachable"
            plan.append((question, name, make(perts)))
        for question, name, fn in plan:
            seconds, count = _median(fn, args.repeats)
            entry.setdefault(question, {})[name] = {"median_s": round(seconds, 4), "count": count}
            print(
                f"{screen:<16} {question:<12} {name:<32} {seconds * 1000:9.1f} ms  "
                f"({count} attractors)",
                flush=True,
            )
        for tools in entry.values():
            ours = next(v for k, v in tools.items() if k.startswith("boolfate"))["median_s"]
            for v in tools.values():
                v["ratio_to_boolfate"] = round(v["median_s"] / ours, 2) if ours else None
        results[screen] = entry
    print()
    for screen, entry in results.items():
        for question, tools in entry.items():
            line = ", ".join(f"{k} ×{v['ratio_to_boolfate']}" for k, v in tools.items())
            print(f"{screen} / {question}: {line}")
    out = Path(__file__).parent / "results" / "screen.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "work": "Calzone 2010 under TNF: 56 single KO/OE and 378 double KO, median of "
                f"{args.repeats}",
                "python": platform.python_version(),
                "machine": platform.platform(),
                "cpus": os.cpu_count(),
                "versions": versions,
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
