"""Start-up cost of the command line: whole-process wall time, medians over repeats.

Cases: ``boolfate --version`` (target 0.3 s) and ``boolfate attractors calzone2010`` (target
0.6 s), each a fresh ``python -m boolfate`` process (byte-code caches warm: one unmeasured run
first). Also lists which heavy optional modules ``import boolfate`` and ``boolfate --version``
load (none should be: dask, distributed, matplotlib, pyboolnet, cmaboss, graphviz).

Run: ``python benchmarks/bench_startup.py [--repeats 7]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES: dict[str, tuple[list[str], float]] = {
    "boolfate --version": (["--version"], 0.3),
    "boolfate attractors calzone2010": (["attractors", "calzone2010"], 0.6),
}
HEAVY = ("dask", "distributed", "matplotlib", "pyboolnet", "cmaboss", "graphviz", "networkx")


def wall(args: list[str]) -> float:
    """Seconds for one ``python -m boolfate ARGS`` process (output discarded)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "boolfate", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def heavy_imports(code: str) -> list[str]:
    """Heavy modules present in ``sys.modules`` after running ``code`` in a fresh process."""
    probe = (
        f"{code}\nimport sys\nsys.stderr.write(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    return out.stderr.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    opts = parser.parse_args()
    print(f"{'case':<36} {'median s':>9} {'min s':>7} {'target s':>9}  ok")
    for label, (args, target) in CASES.items():
        wall(args)  # warm the byte-code cache
        times = [wall(args) for _ in range(opts.repeats)]
        med = statistics.median(times)
        ok = "yes" if med <= target else "NO"
        print(f"{label:<36} {med:>9.3f} {min(times):>7.3f} {target:>9.1f}  {ok}")
    for label, code in {
        "import boolfate": "import boolfate",
        "boolfate --version": (
            "import sys; sys.argv = ['boolfate', '--version']\n"
            "from boolfate.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass"
        ),
    }.items():
        print(f"heavy modules after {label}: {', '.join(heavy_imports(code)) or 'none'}")


if __name__ == "__main__":
    main()
