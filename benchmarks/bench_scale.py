"""Exact asynchronous attractors and minimal trap spaces at scale: boolfate against its peers.

Models: the published models shipped in ``benchmarks/models`` (sources and licences in its
README), any ``--extra`` ``.bnet`` files, and seeded random networks
(``benchmarks/random_networks.py``). Tasks and tools:

* ``traps``: minimal trap spaces -- boolfate (clingo), mpbn, trappist, biobalm;
* ``async``: exact asynchronous attractors -- boolfate (``decompose``), biobalm, AEON.

Every run is a fresh subprocess killed at the cap (``--cap`` seconds; parsing excluded from the
measured time, which is taken inside the worker), repeated ``--repeats`` times (median). The
answers are checked: the same number of results from every tool, and for tools that return
whole trap spaces / attractors, the same ones (a digest of the sorted fixed values and sizes).
A limit hit inside boolfate is reported with its typed error and the option that raises it.

The default is bounded (a few models, a 20 s cap, one repeat: a few minutes). ``--all`` runs
every shipped model and the 100- to 1,000-node random networks with the 120 s cap and three
repeats.

Run: ``python benchmarks/bench_scale.py [--all] [--cap S] [--repeats N] [--extra FILE.bnet ...]``
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MODELS = HERE / "models"
DEFAULT_MODELS = ("bbm070", "bbm141", "bbm210", "bbm277")
DEFAULT_RANDOM = (100, 500)
TOOLS = {
    "traps": ("boolfate", "mpbn", "trappist", "biobalm"),
    "async": ("boolfate", "biobalm", "aeon"),
}


def digest(items: list[str]) -> str:
    """A short digest of a sorted list of canonical answers."""
    return hashlib.sha1("\n".join(sorted(items)).encode()).hexdigest()[:10]


def space_key(space: dict[str, Any]) -> str:
    """Canonical text of a subspace: its fixed nodes, sorted (free nodes left out)."""
    return " ".join(f"{n}={int(v)}" for n, v in sorted(space.items()) if v in (0, 1, True, False))


def load_text(spec: str) -> str:
    """The ``.bnet`` text of a model path or ``random:N``, in boolfate's canonical form."""
    from boolfate.bnet import format_bnet, parse_bnet

    if spec.startswith("random:"):
        sys.path.insert(0, str(HERE))
        from random_networks import random_bnet

        return format_bnet(parse_bnet(random_bnet(int(spec[7:]), seed=1)))
    return format_bnet(parse_bnet(Path(spec).read_text(), name=Path(spec).stem))


def boolfate_run(text: str, task: str) -> Callable[[], tuple[int, str | None]]:
    from boolfate.bnet import parse_bnet
    from boolfate.engines import attractors

    net = parse_bnet(text)
    update, engine = ("mp", "clingo") if task == "traps" else ("async", "decompose")
    importlib.import_module(f"boolfate.engines.{'_clingo' if task == 'traps' else 'decompose'}")
    importlib.import_module("biodivine_aeon")  # peers import their solvers before the clock
    importlib.import_module("clingo")

    def run() -> tuple[int, str | None]:
        found = attractors(net, update=update, engine=engine)  # type: ignore[arg-type]
        keys = [f"{space_key(a.values)} #{a.size}" for a in found]
        return len(found), digest(keys)

    return run


def mpbn_run(text: str, task: str) -> Callable[[], tuple[int, str | None]]:
    import mpbn

    rules = dict(line.split(", ", 1) for line in text.splitlines()[1:])
    net = mpbn.MPBooleanNetwork(rules)

    def run() -> tuple[int, str | None]:
        found = list(net.attractors())
        keys = [f"{space_key(s)} #{2 ** sum(1 for v in s.values() if v == '*')}" for s in found]
        return len(found), digest(keys)

    return run


def trappist_run(text: str, task: str) -> Callable[[], tuple[int, str | None]]:
    import tempfile

    import trappist

    path = Path(tempfile.mkdtemp()) / "model.bnet"
    path.write_text(text)

    def run() -> tuple[int, str | None]:
        with path.open() as handle:
            found = list(trappist.compute_trap_spaces(handle, method="sat"))
        return len(found), None

    return run


def biobalm_run(text: str, task: str) -> Callable[[], tuple[int, str | None]]:
    from biobalm import SuccessionDiagram

    rules = text.replace("targets, factors\n", "")

    def run() -> tuple[int, str | None]:
        sd = SuccessionDiagram.from_rules(rules)
        if task == "traps":
            sd.expand_minimal_spaces()
            return len(sd.minimal_trap_spaces()), None
        sd.build()
        return sum(len(x) for x in sd.expanded_attractor_seeds().values()), None

    return run


def aeon_run(text: str, task: str) -> Callable[[], tuple[int, str | None]]:
    import biodivine_aeon as ba

    def run() -> tuple[int, str | None]:
        graph = ba.AsynchronousGraph(ba.BooleanNetwork.from_bnet(text, repair_graph=True))
        found = ba.Attractors.attractors(graph)
        keys = []
        for a in found:
            sub = a.vertices().enclosing_named_subspace() or {}
            keys.append(f"{space_key(dict(sub))} #{int(a.vertices().cardinality())}")
        return len(found), digest(keys)

    return run


RUNNERS = {"boolfate": boolfate_run, "mpbn": mpbn_run, "trappist": trappist_run}
RUNNERS.update({"biobalm": biobalm_run, "aeon": aeon_run})


def worker(tool: str, task: str, spec: str) -> None:
    """Run one measurement and print it as JSON on the last line of stdout."""
    from boolfate.errors import BoolfateError

    text = load_text(spec)
    try:
        run = RUNNERS[tool](text, task)
    except ImportError as exc:
        print(json.dumps({"error": f"not installed ({exc.name})"}))
        return
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(sys.stderr):
            count, answer = run()
    except BoolfateError as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        return
    cell = {"seconds": time.perf_counter() - start, "count": count, "answer": answer}
    print(json.dumps(cell))


def measure(tool: str, task: str, spec: str, cap: float, repeats: int) -> dict[str, Any]:
    """Median over ``repeats`` fresh workers, each killed after ``cap`` seconds of work."""
    times: list[float] = []
    cell: dict[str, Any] = {}
    for _ in range(repeats):
        cmd = [sys.executable, __file__, "--worker", tool, task, spec]
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=cap + 15, env=env)
        except subprocess.TimeoutExpired:
            return {"error": f"> {cap:g} s"}
        lines = done.stdout.strip().splitlines()
        if not lines:
            return {"error": f"crashed: {done.stderr.strip().splitlines()[-1:]}"}
        cell = json.loads(lines[-1])
        if "error" in cell:
            return cell
        if cell["seconds"] > cap:
            return {"error": f"> {cap:g} s"}
        times.append(cell["seconds"])
    cell["seconds"] = statistics.median(times)
    return cell


def verdict(row: dict[str, dict[str, Any]]) -> str:
    """'same' when every finished tool gives the same count (and digest where both have one)."""
    done = [c for c in row.values() if "count" in c]
    counts = {c["count"] for c in done}
    answers = {c["answer"] for c in done if c.get("answer")}
    if len(done) < 2:
        return "-"
    return "same" if len(counts) == 1 and len(answers) <= 1 else "DIFFERENT"


def show(cell: dict[str, Any], ours: float | None) -> str:
    if "error" in cell:
        text = str(cell["error"])
        if "limit (--" in text:  # a typed limit error: show the option that raises it
            text = "limit " + text.split("limit (")[1].split(";")[0]
        return f"{text[:24]:>24}"
    ratio = f"x{cell['seconds'] / ours:5.2f}" if ours else "     "
    return f"{cell['seconds']:8.2f}s {ratio} [{cell['count']:>5}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every model, 120 s cap, 3 repeats")
    parser.add_argument("--cap", type=float, help="seconds per run (default 20; --all: 120)")
    parser.add_argument("--repeats", type=int, help="runs per cell (default 1; --all: 3)")
    parser.add_argument("--extra", nargs="*", default=[], help="more .bnet files")
    parser.add_argument("--tasks", default="traps,async")
    parser.add_argument("--out", default=str(HERE / "results" / "scale.json"))
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    cap = args.cap or (120.0 if args.all else 20.0)
    repeats = args.repeats or (3 if args.all else 1)
    files = sorted(MODELS.glob("*.bnet"))
    if not args.all:
        files = [f for f in files if f.name.startswith(DEFAULT_MODELS)]
    specs = [str(f) for f in files] + list(args.extra)
    specs += [f"random:{n}" for n in ((100, 200, 500, 1000) if args.all else DEFAULT_RANDOM)]
    results: dict[str, dict[str, dict[str, Any]]] = {}
    print(f"cap {cap:g} s, {repeats} repeat(s); ratio = tool / boolfate (> 1: boolfate faster)")
    for task in args.tasks.split(","):
        print(f"\n{task:6} {'model':34}" + "".join(f"{t:>28}" for t in TOOLS[task]) + "  answers")
        for spec in specs:
            row = {tool: measure(tool, task, spec, cap, repeats) for tool in TOOLS[task]}
            results[f"{task}:{Path(spec).stem}"] = row
            ours = row["boolfate"].get("seconds")
            cells = "".join(f"{show(row[t], ours):>28}" for t in TOOLS[task])
            print(f"{task:6} {Path(spec).stem[:34]:34}{cells}  {verdict(row)}", flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"cap": cap, "repeats": repeats, "results": results}, indent=1))
    print(f"\nwritten {out}")


if __name__ == "__main__":
    main()
