"""The screen runner: files, resume after a crash, --jobs and Dask give identical results."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from boolfate.bundle import load_bundle
from boolfate.cli import main
from boolfate.runner import run_to_directory
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

    with pytest.raises(KeyboardInterrupt):
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

    with pytest.raises(BoolfateError, match="other settings"):
        run_to_directory(calzone, items[:4], ["TNF"], tmp_path, update="mp", resume=True)


def test_dask_local_cluster(calzone, items, reference, tmp_path) -> None:  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
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
