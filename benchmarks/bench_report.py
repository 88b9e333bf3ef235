"""Screen report size and opening time in headless Chromium, for a large screen.

Work: the screen ``tnf_necroptosis --doubles --pairs all --all-conditions`` (16,643 rows; run
once with ``--jobs``, or re-used from ``--out`` with ``--resume``), then each output file's size
and the time to write it (from the runner's progress lines), then ``report.html`` opened
``--repeats`` times in headless Chromium with ``--dump-dom``: the process wall time (start, load,
script, dump, exit), the in-page time at which the matrix script finished
(``performance.now()``, recorded by the page as ``data-ready-ms``), and whether any script error
was recorded. A blank page gives Chromium's own start-up time. Results go to
``benchmarks/results/report.json``.

Run: ``python benchmarks/bench_report.py [--out DIR] [--jobs 2] [--repeats 5]``
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from boolfate import __version__

SCREEN = ["tnf_necroptosis", "--doubles", "--pairs", "all", "--all-conditions"]


def _run_screen(out: Path, jobs: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "boolfate", "screen", *SCREEN, "--jobs", str(jobs)]
    cmd += ["--out", str(out)] + (["--resume"] if (out / "journal.jsonl").is_file() else [])
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stamps: list[tuple[float, str]] = []
    assert proc.stderr is not None
    for line in proc.stderr:
        stamps.append((time.monotonic() - start, line.rstrip()))
    stdout = proc.stdout.read() if proc.stdout else ""
    if proc.wait() != 0:
        raise SystemExit(f"screen failed: {stamps[-1][1] if stamps else stdout}")
    total = time.monotonic() - start
    writes = [(t, m.group(1)) for t, line in stamps if (m := re.search(r"writing (\S+)", line))]
    times = {
        name: round(b - a, 3)
        for (a, name), (b, _) in zip(writes, [*writes[1:], (total, "")], strict=True)
    }
    return {
        "command": " ".join(cmd[2:]),
        "wall_s": round(total, 3),
        "write_s": times,
        "summary": stdout.splitlines()[0] if stdout else "",
    }


def _open(chromium: str, page: Path) -> dict[str, Any]:
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"]
    start = time.monotonic()
    done = subprocess.run(
        [*cmd, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    wall = time.monotonic() - start
    ready = re.search(r'data-ready-ms="(\d+)"', done.stdout)
    return {
        "wall_s": round(wall, 3),
        "ready_ms": int(ready.group(1)) if ready else None,
        "script_error": '<pre id="script-errors"' in done.stdout,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="screen folder (kept)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "screen"
        screen = _run_screen(out, args.jobs)
        sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir()) if p.is_file()}
        blank = Path(tmp) / "blank.html"
        blank.write_text("<!DOCTYPE html><html><body>x</body></html>\n")
        base = [_open(chromium, blank)["wall_s"] for _ in range(args.repeats)]
        runs = [_open(chromium, out / "report.html") for _ in range(args.repeats)]
    result = {
        "boolfate": __version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "screen": screen,
        "bytes": sizes,
        "chromium_blank_wall_s_median": statistics.median(base),
        "report_wall_s_median": statistics.median(r["wall_s"] for r in runs),
        "report_ready_ms_median": statistics.median(r["ready_ms"] or 0 for r in runs),
        "script_errors": sum(r["script_error"] for r in runs),
        "runs": runs,
    }
    dest = Path(__file__).parent / "results" / "report.json"
    dest.parent.mkdir(exist_ok=True)
    dest.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
