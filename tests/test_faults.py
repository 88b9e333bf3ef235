"""Screens under faults: SIGKILL, Ctrl-C at several moments, a second screen, a full disk, Dask.

Each trial ends with one line (no traceback) and ``--resume`` gives the uninterrupted results.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from boolfate.bundle import load_bundle
from boolfate.cli import main
from boolfate.errors import BoolfateError
from boolfate.runner import LOCK_FILE, _locked, run_to_directory
from boolfate.screens import ScreenRow, screen_items

BASE = ["screen", "tnf_necroptosis", "--singles", "--doubles"]
ARGS = [*BASE, "-c", "TNF", "-c", "zVAD"]


def _boolfate(*args: str, **kw: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "boolfate", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a shell job
        **kw,
    )


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _wait_for(cond: Callable[[], bool], proc: subprocess.Popen[str], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not cond():
        assert proc.poll() is None, "the screen ended before the fault was injected"
        assert time.monotonic() < deadline, "timed out waiting for the screen"
        time.sleep(0.005)


def _rows(path: Path) -> list[dict[str, object]]:
    return json.loads((path / "results.json").read_text())["rows"]  # type: ignore[no-any-return]


def _same_results(a: Path, b: Path) -> None:
    assert (a / "results.csv").read_bytes() == (b / "results.csv").read_bytes()
    assert _rows(a) == _rows(b)


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("whole")
    subprocess.run(
        [sys.executable, "-m", "boolfate", *ARGS, "--jobs", "2", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except FileNotFoundError:
            continue
        for t in tasks:
            try:
                kids = Path(f"/proc/{p}/task/{t}/children").read_text().split()
            except FileNotFoundError:
                continue
            for k in map(int, kids):
                if k not in found:
                    found.add(k)
                    todo.append(k)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_sigkill_takes_the_workers_with_it(tmp_path: Path) -> None:
    proc = _boolfate(*BASE, "--all-conditions", "--jobs", "2", "--out", str(tmp_path))
    _wait_for(lambda: _lines(tmp_path / "results.csv") > 20, proc)
    workers = _descendants(proc.pid)
    assert len(workers) >= 2, workers  # the two pool workers (and multiprocessing helpers)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [w for w in workers if _alive(w)]
    for w in left:  # clean up before failing
        os.kill(w, signal.SIGKILL)
    assert not left, f"workers {left} outlived their SIGKILLed parent"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_during_rows_then_resume(whole: Path, tmp_path: Path, jobs: str) -> None:
    proc = _boolfate(*ARGS, "--jobs", jobs, "--out", str(tmp_path))
    _wait_for(lambda: _lines(tmp_path / "results.csv") > 40, proc)
    os.killpg(proc.pid, signal.SIGINT)  # to the whole group, as a terminal does
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "panic" not in err.lower()
    last = err.strip().splitlines()[-1]
    assert last.startswith("Error: interrupted: ") and "--resume" in last, err
    assert "wrote" not in out
    kept = int(last.split("interrupted: ")[1].split(" of ")[0])
    assert kept == len((tmp_path / "results.csv").read_text().splitlines()) - 1
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))
    again = subprocess.run(
        [sys.executable, "-m", "boolfate", *ARGS, "-j", "2", "--out", str(tmp_path), "--resume"],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr
    assert f"{kept} already done" in again.stderr
    _same_results(tmp_path, whole)


def test_ctrl_c_at_the_start_is_one_line(whole: Path, tmp_path: Path) -> None:
    proc = _boolfate(*ARGS, "--jobs", "2", "--out", str(tmp_path))
    assert proc.stderr is not None
    first = proc.stderr.readline()  # the screen has started: "screen: N rows (...)"
    assert first.startswith("screen: "), first
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "panic" not in err.lower()
    assert err.strip().splitlines()[-1].startswith(("Error: interrupted", "interrupted")), err
    assert "wrote" not in out


def test_ctrl_c_while_writing_reports_claims_only_real_files(whole: Path, tmp_path: Path) -> None:
    proc = _boolfate(*ARGS, "--out", str(tmp_path))
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "writing report.md" in line:
            os.killpg(proc.pid, signal.SIGINT)
            break
    out, err = proc.communicate(timeout=60)
    err = "".join(seen) + err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    if proc.returncode == 0 or last == "interrupted":
        # the signal landed after the reports (exit 0, or 130 while printing the summary)
        for name in ("results.csv", "results.json", "report.md", "report.html"):
            assert (tmp_path / name).is_file()
    else:
        assert proc.returncode == 130, err
        last = err.strip().splitlines()[-1]
        assert "interrupted while writing the reports" in last, err
        claimed = last.split("(")[1].split(" written)")[0].split(", ")
        for name in claimed:
            assert (tmp_path / name).is_file(), name
        assert "wrote" not in out
    assert not list(tmp_path.glob(".*.tmp"))
    again = subprocess.run(
        [sys.executable, "-m", "boolfate", *ARGS, "-j", "2", "--out", str(tmp_path), "--resume"],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr
    assert "already done" in again.stderr
    _same_results(tmp_path, whole)
    # a completed folder: the journal is compacted (one line per row, no cut or repeated lines)
    journal = (tmp_path / "journal.jsonl").read_text().splitlines()
    assert len(journal) == 1 + len(_rows(whole))


# -------------------------------------------------------------------------------- in-process


@pytest.fixture(scope="module")
def calzone():  # type: ignore[no-untyped-def]
    return load_bundle("calzone2010")


@pytest.fixture(scope="module")
def items(calzone):  # type: ignore[no-untyped-def]
    return screen_items(calzone, scenarios=True, singles=True)[:20]


CONDS = ["TNF", "FASL"]


@pytest.fixture(scope="module")
def reference(calzone, items, tmp_path_factory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("ref")
    run_to_directory(calzone, items, CONDS, out, update="mp")
    return out


def test_resume_on_a_completed_folder_reuses_every_row(calzone, items, reference, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run_to_directory(calzone, items, CONDS, tmp_path, update="mp")
    run = run_to_directory(calzone, items, CONDS, tmp_path, update="mp", resume=True)
    assert (run.reused, run.computed) == (40, 0)
    _same_results(tmp_path, reference)


def test_a_second_screen_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    with _locked(tmp_path):
        result = CliRunner().invoke(main, ["screen", "calzone2010", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path} is in use by another running screen (pid {os.getpid()})" in result.output
    assert "choose another --out" in result.output
    assert not (tmp_path / "journal.jsonl").exists()  # the refused screen wrote nothing
    assert (tmp_path / LOCK_FILE).is_file()
    # once released, a screen runs
    assert (
        CliRunner().invoke(main, ["screen", "calzone2010", "--out", str(tmp_path)]).exit_code == 0
    )


def test_resume_with_other_settings_names_the_setting(tmp_path: Path) -> None:
    base = ["screen", "calzone2010", "-c", "TNF", "--out", str(tmp_path)]
    assert CliRunner().invoke(main, [*base, "--update", "mp"]).exit_code == 0
    result = CliRunner().invoke(main, [*base, "--resume"])
    assert result.exit_code == 1
    assert "different update scheme (--update) (was 'mp', now 'async')" in result.output
    result = CliRunner().invoke(main, [*base, "--update", "mp", "--singles", "--resume"])
    assert "different perturbations (--scenarios / --singles" in result.output


def _full_disk_after(monkeypatch: pytest.MonkeyPatch, calls: int) -> None:
    real = os.write
    count = [0]

    def write(fd: int, data: Any) -> int:
        count[0] += 1
        if count[0] > calls:
            # a short write first, then the error: the file must be cut back
            if count[0] == calls + 1 and len(data) > 1:
                return real(fd, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)


def test_full_disk_mid_screen(calzone, items, reference, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _full_disk_after(monkeypatch, 25)
    with pytest.raises(BoolfateError) as info:
        run_to_directory(calzone, items, CONDS, tmp_path, update="mp")
    message = str(info.value)
    assert "\n" not in message
    assert f"in {tmp_path}: No space left on device" in message and "--resume" in message
    monkeypatch.undo()
    table = (tmp_path / "results.csv").read_text()
    assert table.endswith("\n")
    parsed = list(csv.reader(table.splitlines()))
    assert all(len(r) == len(parsed[0]) for r in parsed), "a half-written CSV line"
    journal = (tmp_path / "journal.jsonl").read_bytes()
    assert journal.endswith(b"\n")
    assert len(journal.splitlines()) == len(parsed)  # settings + rows == header + rows
    assert not list(tmp_path.glob(".*.tmp")), "a stray temporary file"
    assert not (tmp_path / "report.html").exists()  # nothing claimed, nothing half-written
    run = run_to_directory(calzone, items, CONDS, tmp_path, update="mp", resume=True)
    assert run.reused == len(parsed) - 1
    _same_results(tmp_path, reference)


def test_full_disk_while_writing_a_report(calzone, items, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import boolfate.runner as runner

    real = runner._write_atomic

    def write_atomic(path: Path, text: str) -> None:
        if path.name == "report.html":
            _full_disk_after(monkeypatch, 0)
        real(path, text)

    monkeypatch.setattr(runner, "_write_atomic", write_atomic)
    with pytest.raises(BoolfateError, match=r"cannot write report.html in .*No space left"):
        run_to_directory(calzone, items[:3], CONDS, tmp_path, update="mp")
    monkeypatch.undo()
    assert not (tmp_path / "report.html").exists()
    assert not list(tmp_path.glob(".*.tmp"))
    assert (tmp_path / "results.json").is_file()


def test_results_csv_on_a_full_device(calzone, items, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    (tmp_path / "results.csv").symlink_to("/dev/full")
    with pytest.raises(BoolfateError, match=f"write results.csv in {tmp_path}: No space left"):
        run_to_directory(calzone, items[:3], CONDS, tmp_path, update="mp")


def test_a_cut_journal_line_never_poisons_a_later_resume(  # type: ignore[no-untyped-def]
    calzone, items, reference, tmp_path
) -> None:
    seen: list[ScreenRow] = []

    def crash_at(n: int) -> Callable[[ScreenRow], None]:
        def crash(row: ScreenRow) -> None:
            seen.append(row)
            if len(seen) == n:
                raise KeyboardInterrupt

        return crash

    with pytest.raises(BoolfateError, match="interrupted"):
        run_to_directory(calzone, items, CONDS, tmp_path, update="mp", on_row=crash_at(5))
    with (tmp_path / "journal.jsonl").open("a") as fh:
        fh.write('{"perturbation": "CAS')  # a kill mid-line
    seen.clear()
    with pytest.raises(BoolfateError, match="interrupted: 9 of 40"):
        run_to_directory(
            calzone, items, CONDS, tmp_path, update="mp", resume=True, on_row=crash_at(4)
        )
    run = run_to_directory(calzone, items, CONDS, tmp_path, update="mp", resume=True)
    assert run.reused == 9 and run.computed == 31
    _same_results(tmp_path, reference)
    # a corrupt line that is not the last one is an error naming it
    lines = (tmp_path / "journal.jsonl").read_text().splitlines()
    lines[3] = lines[3][:20]
    (tmp_path / "journal.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(BoolfateError, match=r"journal.jsonl:4: corrupt journal line"):
        run_to_directory(calzone, items, CONDS, tmp_path, update="mp", resume=True)


# -------------------------------------------------------------------------------- Dask


def test_dask_bad_addresses_are_one_line(tmp_path: Path) -> None:
    for address, expected in [
        ("notanaddress", "is not a scheduler address; give tcp://HOST:PORT"),
        ("tcp://127.0.0.1:1", "cannot reach the Dask scheduler at tcp://127.0.0.1:1"),
    ]:
        start = time.monotonic()
        result = CliRunner().invoke(
            main, ["screen", "calzone2010", "--out", str(tmp_path), "--dask-scheduler", address]
        )
        assert result.exit_code == 1
        lines = [x for x in result.output.splitlines() if not x.startswith("screen: ")]
        assert len(lines) == 1 and expected in lines[0], result.output
        assert time.monotonic() - start < 15


def test_dask_cluster_lost_mid_screen_keeps_rows(calzone, items, reference, tmp_path) -> None:  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0")
    seen: list[ScreenRow] = []

    def lose_cluster(row: ScreenRow) -> None:
        seen.append(row)
        if len(seen) == 2:
            cluster.close()

    try:
        with pytest.raises(BoolfateError) as info:
            run_to_directory(
                calzone,
                items,
                CONDS,
                tmp_path,
                update="mp",
                dask_scheduler=cluster.scheduler_address,
                on_row=lose_cluster,
            )
    finally:
        cluster.close()
    message = str(info.value)
    assert "\n" not in message
    assert "the Dask cluster at" in message and "restart the scheduler" in message, message
    found = re.search(r"; (\d+) of 40 rows kept in .*; run again with resume=True$", message)
    assert found is not None, message
    kept = int(found.group(1))
    assert kept >= 2
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as again:
        run = run_to_directory(
            calzone,
            items,
            CONDS,
            tmp_path,
            update="mp",
            resume=True,
            dask_scheduler=again.scheduler_address,
        )
    assert run.reused == kept
    _same_results(tmp_path, reference)
