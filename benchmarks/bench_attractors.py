"""Attractor engines side by side: boolfate against pyboolnet, mpbn, biobalm and biodivine-aeon.

Work (issue 2): the Calzone 2010 model under TNF (TNF%1 FADD%1 FASL%0),
  (a) minimal trap spaces, (b) exact asynchronous attractors, (c) attractors reachable from the
  TNF initial state (ATP = cIAP = FADD = TNF = 1), each for the wild type and for all 56 single
  knock-outs / over-expressions (57 networks per screen).
Every tool runs in this one process, on the same networks, parsing excluded; each screen is
repeated and the median wall time is reported with ratios to boolfate. Results go to
``benchmarks/results/attractors.json``. Peers are optional (``pip install -e .[bench]``): a
missing one is reported as such.

Run: ``python benchmarks/bench_attractors.py [--repeats 3]``
"""

from __future__ import annotations

import argparse
import contextlib
import io
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
from boolfate.engines import attractors
from boolfate.expr import format_expr
from boolfate.perturbations import Perturbation, apply

CONDITION = {"TNF": 1, "FADD": 1, "FASL": 0}


def perturbations(nodes: tuple[str, ...]) -> list[dict[str, int]]:
    """Wild type plus every single knock-out and over-expression."""
    return [{}] + [{n: v} for n in nodes for v in (0, 1)]


@contextlib.contextmanager
def quiet_fd1() -> Any:
    """Peers print progress from native code: silence file descriptor 1 while they run."""
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def timed(func: Callable[[], int], repeats: int) -> tuple[float, int]:
    """Median seconds over ``repeats`` runs and the result count of the last run."""
    times, count = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        with quiet_fd1():
            count = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), count


def boolfate_tasks(screen: list[dict[str, int]], initial: dict[str, int]) -> dict[str, Any]:
    net = load_bundle("calzone2010").network

    def run(update: str, reach: bool) -> int:
        total = 0
        for fixes in screen:
            p = Perturbation.from_mapping({**CONDITION, **fixes})  # type: ignore[arg-type]
            start = {**initial, **fixes} if reach else None
            total += len(attractors(apply(net, p), update=update, initial=start))  # type: ignore[arg-type]
        return total

    return {
        "a": lambda: run("mp", False),
        "b": lambda: run("async", False),
        "c": lambda: run("async", True),
    }


def pyboolnet_task(bnet: str, screen: list[dict[str, int]]) -> dict[str, Any]:
    with contextlib.redirect_stdout(io.StringIO()):
        from pyboolnet.file_exchange import bnet2primes
        from pyboolnet.prime_implicants import create_constants
        from pyboolnet.trap_spaces import compute_trap_spaces
    primes = bnet2primes(bnet)

    def run() -> int:
        total = 0
        for fixes in screen:
            p = create_constants(primes, {**CONDITION, **fixes}, copy=True)
            total += len(compute_trap_spaces(p, "min"))
        return total

    return {"a": run}


def mpbn_tasks(rules: dict[str, str], screen: list[dict[str, int]], initial: dict[str, int]):  # type: ignore[no-untyped-def]
    import mpbn

    def make(fixes: dict[str, int]) -> Any:
        mbn = mpbn.MPBooleanNetwork(rules)
        for n, v in {**CONDITION, **fixes}.items():
            mbn[n] = v
        return mbn

    def run(reach: bool) -> int:
        total = 0
        for fixes in screen:
            start = {**initial, **fixes} if reach else None
            total += len(list(make(fixes).attractors(reachable_from=start)))
        return total

    return {"a": lambda: run(False), "c_mp_approx": lambda: run(True)}


def biobalm_task(bnet_by_fix: Callable[[dict[str, int]], str], screen: list[dict[str, int]]):  # type: ignore[no-untyped-def]
    from biobalm import SuccessionDiagram

    def run() -> int:
        total = 0
        for fixes in screen:
            sd = SuccessionDiagram.from_rules(bnet_by_fix(fixes))
            sd.build()
            total += sum(len(x) for x in sd.expanded_attractor_seeds().values())
        return total

    return {"b": run}


def aeon_tasks(bnet_by_fix: Callable[[dict[str, int]], str], screen, initial):  # type: ignore[no-untyped-def]
    import biodivine_aeon as ba

    def run(reach: bool) -> int:
        total = 0
        for fixes in screen:
            bn = ba.BooleanNetwork.from_bnet(bnet_by_fix(fixes), repair_graph=True)
            graph = ba.AsynchronousGraph(bn)
            if reach:
                start = {**initial, **CONDITION, **fixes}
                init = graph.mk_subspace({n: bool(start[n]) for n in bn.variable_names()})
                fwd = ba.Reachability.forward_superset(graph, init)
                total += len(ba.Attractors.xie_beerel(graph, fwd))
            else:
                total += len(ba.Attractors.attractors(graph))
        return total

    return {"b": lambda: run(False), "c": lambda: run(True)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "attractors.json"))
    args = parser.parse_args()

    bundle = load_bundle("calzone2010")
    net = bundle.network
    screen = perturbations(net.nodes)
    initial = bundle.initial_state(bundle.condition("TNF"))
    rules = {n: format_expr(f).replace(" ", "") for n, f in net.rules}

    def bnet_by_fix(fixes: dict[str, int]) -> str:
        p = Perturbation.from_mapping({**CONDITION, **fixes})  # type: ignore[arg-type]
        return format_bnet(apply(net, p)).replace("targets, factors\n", "")

    def tools(work: list[dict[str, int]]) -> dict[str, Callable[[], dict[str, Any]]]:
        return {
            "boolfate": lambda: boolfate_tasks(work, initial),
            "pyboolnet": lambda: pyboolnet_task(format_bnet(net), work),
            "mpbn": lambda: mpbn_tasks(rules, work, initial),
            "biobalm": lambda: biobalm_task(bnet_by_fix, work),
            "aeon": lambda: aeon_tasks(bnet_by_fix, work, initial),
        }

    results: dict[str, dict[str, dict[str, float | int]]] = {}
    for suffix, work in (("", screen), ("_wt", [{}])):
        for tool, make in tools(work).items():
            try:
                tasks = make()
            except ImportError as exc:
                print(f"{tool}: not installed ({exc.name}); skipped", file=sys.stderr)
                continue
            for task, func in tasks.items():
                seconds, count = timed(func, args.repeats if suffix else args.repeats * 5)
                cell = {"seconds": seconds, "results": count}
                results.setdefault(task + suffix, {})[tool] = cell
                print(f"{task + suffix:14} {tool:10} {seconds * 1000:9.2f} ms  [{count} results]")

    labels = {
        "a": "(a) minimal trap spaces, 57 networks",
        "b": "(b) exact asynchronous attractors, 57 networks",
        "c": "(c) exact attractors reachable from the TNF state, 57 networks",
        "c_mp_approx": "(c') most-permissive reachable attractors (approximation), 57 networks",
    }
    labels.update(
        {k + "_wt": v.replace("57 networks", "wild type only") for k, v in list(labels.items())}
    )
    print("\nmedian wall time per screen; ratio = peer / boolfate (> 1: boolfate faster)")
    for task, row in results.items():
        exact = results.get(task.replace("_mp_approx", ""), {})  # (c') is compared with (c)
        ours = row.get("boolfate", {}).get("seconds") or exact.get("boolfate", {}).get("seconds")
        print(labels[task])
        for tool, cell in row.items():
            ratio = cell["seconds"] / ours if ours else float("nan")
            print(f"    {tool:10} {cell['seconds'] * 1000:9.2f} ms  x{ratio:6.2f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"boolfate": __version__, "python": platform.python_version(), "repeats": args.repeats}
    out.write_text(json.dumps({"meta": meta, "tasks": results}, indent=2) + "\n")
    print(f"\nwritten {out}")


if __name__ == "__main__":
    main()
