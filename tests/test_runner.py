"""The screen runner: files, resume after a crash, --jobs and Dask give identical results."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from boolfate.bundle import load_bundle
from boolfate.cli import main
from boolfate.runner import Progress, ScreenInterrupted, run_to_directory
from boolfate.screens import ScreenRow, screen_items


@pytest.fixture(scope="module")
def calzone():  # type: ignore[no-untyped-def]
    return load_bundle("calzone2010")


@pytest.fixture(scope="module")
def items(calzone):  # type: ignore[no-untyped-def]
    return screen_items(calzone, scenarios=True, singles=True)[:20]


CONDS = ["TNF", "FASL"]


def _rows(path: Path) -> list[dict[str, object]]:
    return json.loads((path / "results.json").read_text())["rows"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def reference(calzone, items, tmp_path_factory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("ref")
    run_to_directory(calzone, items, CONDS, out, update="mp")
    return out


def test_writes_four_files(reference: Path) -> None:
    for name in ("results.csv", "results.json", "report.md", "report.html"):
        assert (reference / name).stat().st_size > 0
    doc = json.loads((reference / "results.json").read_text())
    prov = doc["provenance"]
    assert prov["complete"] and prov["rows"] == 40 and prov["update"] == "mp"
    assert set(prov["model_files"]) == {"model.bnet", "model.toml"}
    assert len(prov["model_files"]["model.bnet"]) == 64


def test_jobs_two_is_identical(calzone, items, reference, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run_to_directory(calzone, items, CONDS, tmp_path, update="mp", jobs=2)
    assert (tmp_path / "results.csv").read_text() == (reference / "results.csv").read_text()
    assert _rows(tmp_path) == _rows(reference)


def test_crash_then_resume(calzone, items, reference, tmp_path) -> None:  # type: ignore[no-untyped-def]
    seen: list[ScreenRow] = []

    def crash(row: ScreenRow) -> None:
        seen.append(row)
        if len(seen) == 7:
            raise KeyboardInterrupt

    with pytest.raises(ScreenInterrupted, match="interrupted: 7 of 40 rows kept"):
        run_to_directory(calzone, items, CONDS, tmp_path, update="mp", on_row=crash)
    with (tmp_path / "results.csv").open() as fh:
        partial = list(csv.DictReader(fh))
    assert len(partial) == 7  # valid CSV with complete lines only
    assert json.loads((tmp_path / "results.json").read_text())["provenance"]["complete"] is False
    # a kill may cut the journal's last line: resume must cope
    with (tmp_path / "journal.jsonl").open("a") as fh:
        fh.write('{"perturbation": "CAS')
    run = run_to_directory(calzone, items, CONDS, tmp_path, update="mp", resume=True)
    assert run.reused == 7 and run.computed == 33
    assert (tmp_path / "results.csv").read_text() == (reference / "results.csv").read_text()
    assert _rows(tmp_path) == _rows(reference)


def test_resume_refuses_other_settings(calzone, items, reference, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run_to_directory(calzone, items[:3], ["TNF"], tmp_path, update="mp")
    from boolfate.errors import BoolfateError

    with pytest.raises(BoolfateError, match=r"different perturbations \(--scenarios"):
        run_to_directory(calzone, items[:4], ["TNF"], tmp_path, update="mp", resume=True)


def test_dask_local_cluster(calzone, items, reference, tmp_path) -> None:  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster:
        run_to_directory(
            calzone, items, CONDS, tmp_path, update="mp", dask_scheduler=cluster.scheduler_address
        )
    assert (tmp_path / "results.csv").read_text() == (reference / "results.csv").read_text()
    assert _rows(tmp_path) == _rows(reference)


def test_cli_async_scenarios(tmp_path: Path) -> None:
    lst = tmp_path / "list.txt"
    lst.write_text("# extra\nRIP1%0 CASP8%0\n")
    result = CliRunner().invoke(
        main,
        [
            "screen",
            "calzone2010",
            "--scenarios",
            "--list",
            str(lst),
            "-c",
            "TNF",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "caspase\\_inhibition" in (tmp_path / "out" / "report.md").read_text()
    assert "TNF: wild type Survival, Apoptosis, NonACD" in result.output
    rows = _rows(tmp_path / "out")
    pair = next(r for r in rows if r["perturbation"] == "CASP8%0 RIP1%0")
    assert pair["interaction"] and pair["trace"]


def test_cli_unknown_node_in_list(tmp_path: Path) -> None:
    lst = tmp_path / "list.txt"
    lst.write_text("CASP8%0\n\nRIPK3%0\n")
    result = CliRunner().invoke(
        main, ["screen", "calzone2010", "--list", str(lst), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert f"{lst}:3: unknown node 'RIPK3'" in result.output


def test_sigkill_then_resume_gives_the_uninterrupted_results(tmp_path: Path) -> None:
    """A screen process killed with SIGKILL mid-run leaves a valid partial CSV, and --resume
    completes it to exactly the files of an uninterrupted run (timing fields aside)."""
    import json
    import signal
    import subprocess
    import sys
    import time

    args = ["screen", "calzone2010", "--singles", "--doubles", "--all-conditions"]
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    subprocess.run(
        [sys.executable, "-m", "boolfate", *args, "--out", str(whole)],
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "boolfate", *args, "--out", str(killed)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    csv_path = killed / "results.csv"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if csv_path.exists() and csv_path.read_text().count("\n") > 60:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the screen finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = csv_path.read_text().splitlines()
    total = len((whole / "results.csv").read_text().splitlines())
    assert 60 < len(partial) < total
    import csv

    parsed = list(csv.reader(csv_path.read_text(encoding="utf-8").splitlines()))
    assert all(len(r) == len(parsed[0]) for r in parsed), "the partial CSV has a torn row"
    subprocess.run(
        [sys.executable, "-m", "boolfate", *args, "--out", str(killed), "--resume"],
        check=True,
        capture_output=True,
    )
    assert (killed / "results.csv").read_text() == (whole / "results.csv").read_text()
    rows = [
        json.loads(p.read_text())["rows"] for p in (whole / "results.json", killed / "results.json")
    ]
    assert rows[0] == rows[1]


def _bar(total: int, times: list[float], done: int = 0) -> tuple[Progress, io.StringIO]:
    ticks = iter(times)
    stream = io.StringIO()
    return Progress(total, stream, done=done, clock=lambda: next(ticks)), stream


def test_eta_ignores_start_up_and_waits_for_a_rate() -> None:
    # started at 0, first row after 100 s of start-up (pool, grounding), then one row a second
    bar, stream = _bar(100, [0.0] + [100.0 + i for i in range(10)])
    for _ in range(4):
        bar.step()
        assert bar.eta() is None  # too few rows for a rate: no absurd first ETA
    bar.step()
    assert bar.eta() == pytest.approx(95.0)
    assert "ETA --" in stream.getvalue().splitlines()[0]


def test_eta_follows_a_moving_rate() -> None:
    slow = [10.0 * i for i in range(1, 11)]  # ten rows of 10 s
    fast = [100.0 + 0.5 * i for i in range(1, 61)]  # then rows of 0.5 s
    bar, _ = _bar(200, [0.0, *slow, *fast])
    for _ in range(70):
        bar.step()
    assert bar.eta() == pytest.approx(130 * 0.5)  # the window holds only fast rows now


def test_resumed_rows_do_not_count_in_the_rate() -> None:
    bar, stream = _bar(1000, [0.0] + [float(i) for i in range(1, 7)], done=990)
    for _ in range(6):
        bar.step()
    assert bar.eta() == pytest.approx(4.0)
    bar.note("writing report.html …")
    assert stream.getvalue().endswith("screen: writing report.html …\n")
