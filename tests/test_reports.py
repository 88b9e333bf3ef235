"""Screen reports: CSV readable by pandas-like readers, JSON keys, Markdown, HTML escaping."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from boolfate.bnet import parse_bnet
from boolfate.bundle import bundle_from_toml
from boolfate.publish import parquet_bytes
from boolfate.reports import (
    BASE_COLUMNS,
    CsvSchema,
    rows_to_csv,
    screen_html,
    screen_json,
    screen_markdown,
    tidy_records,
    trace_lines,
)
from boolfate.screens import ScreenRow, run_screen, screen_items, sorted_rows

EVIL = "<script>alert(1)</script>"


def _rows(evil: bool = False) -> list[ScreenRow]:
    net = parse_bnet("s, s\na, s & !b\nb, !a\ndead, a\nalive, b")
    death = f"Death{EVIL}" if evil else "Death"
    data = {
        "fates": {death: "dead", "Life": "alive"},
        "conditions": {
            (f"on{EVIL}" if evil else "on"): {"inputs": "s%1", "description": EVIL},
        },
        "scenarios": {
            "kill": {"perturbation": "a%1", "description": f"<img src=x onerror=alert(2)>{EVIL}"}
        },
    }
    toy = bundle_from_toml(net, data, src="toy", name="toy", path=None)
    items = screen_items(toy, scenarios=True, singles=True)
    conds = list(toy.conditions)
    return sorted_rows(run_screen(toy, items, conds), items, conds)


PROV = {"model": "toy", "boolfate": "0.1.0", "model_files": {"model.bnet": "abc"}}


def test_csv_columns_and_rows() -> None:
    rows = _rows()
    table = list(csv.DictReader(io.StringIO(rows_to_csv(rows))))
    assert tuple(table[0]) == (*BASE_COLUMNS, "fate_Death", "fate_Life")
    assert "trace" not in table[0]
    assert len(table) == len(rows) == 5
    by = {r["perturbation"]: r for r in table}
    assert by["WT"]["kind"] == "wild type"
    assert by["a%1"]["reachable_fates"] == "Death" and by["a%1"]["lost"] == "Life"
    assert (by["a%1"]["fate_Death"], by["a%1"]["fate_Life"]) == ("True", "False")
    assert by["a%1"]["name"] == "kill"


def test_csv_is_tidy_for_pandas() -> None:
    pd = pytest.importorskip("pandas")
    rows = _rows()
    probs = {"Death": 0.25, "Life": 0.75}
    rows[0] = replace(rows[0], probabilities=probs)
    frame = pd.read_csv(io.StringIO(rows_to_csv(rows)))
    assert frame["perturbation"].tolist()[0] == "WT" and not frame["perturbation"].isna().any()
    assert frame["fate_Death"].dtype == bool and frame["fate_Life"].dtype == bool
    assert frame["p_Death"].dtype.kind == "f" and frame["p_Life"].iloc[0] == 0.75
    assert frame["p_Life"].iloc[1:].isna().all()


def test_csv_neutralises_formulas_and_escapes_list_items() -> None:
    row = replace(
        _rows()[1],
        name="=HYPERLINK(1)",
        description="@cmd",
        lost=("a;b", "c\\d"),
    )
    cells = dict(
        zip(
            CsvSchema(("Death", "Life")).columns,
            CsvSchema(("Death", "Life")).cells(row),
            strict=True,
        )
    )
    assert cells["name"] == "'=HYPERLINK(1)" and cells["description"] == "'@cmd"
    assert cells["lost"] == "a\\;b;c\\\\d"
    assert cells["n_attractors"].isdigit()


def test_traces_move_to_jsonl() -> None:
    rows = _rows()
    lines = [json.loads(line) for line in trace_lines(rows).splitlines()]
    assert [(d["perturbation"], d["condition"]) for d in lines] == [
        (r.label, r.condition) for r in rows
    ]
    assert any(d["trace"] for d in lines) and all("decision" in d for d in lines)


def test_json_rows_key_is_a_dataframe() -> None:
    pd = pytest.importorskip("pandas")
    doc = json.loads(screen_json(_rows(), PROV))
    frame = pd.DataFrame(doc["rows"])
    assert len(frame) == 5 and "perturbation" in frame


def test_parquet_when_pyarrow_is_installed() -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    data = parquet_bytes(tidy_records(_rows(), ("Death", "Life")))
    assert data is not None
    frame = pd.read_parquet(io.BytesIO(data))
    assert frame["perturbation"].iloc[0] == "WT" and frame["fate_Life"].dtype == bool
    assert list(frame["fates"].iloc[0]) == ["Death", "Life"]


def test_json_rows_keep_fate_map_keys() -> None:
    doc = json.loads(screen_json(_rows(), PROV))
    assert doc["provenance"]["model"] == "toy"
    row = doc["rows"][1]
    assert {"perturbation", "condition", "reachable_fates"} <= set(row)
    assert isinstance(row["reachable_fates"], list)
    assert any("Life lost with" in s for s in doc["summary"])


def test_markdown_has_matrix_and_details() -> None:
    md = screen_markdown(_rows(), PROV)
    assert "## Fate matrix" in md and "| perturbation | on |" in md
    assert "### a%1 under on (kill)" in md
    assert "percolation trace" in md


def test_html_escapes_model_text() -> None:
    rows = _rows(evil=True)
    page = screen_html(rows, {**PROV, "model": f"toy{EVIL}"}, {"Fig <b>": "<svg></svg>"})
    assert page.count("<script") == 3  # error recorder, the data, the matrix script
    assert "<script>alert" not in page and "alert(1)</script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<svg></svg>" in page and "Fig &lt;b&gt;" in page
    md = screen_markdown(rows, PROV)
    assert "<script>" not in md
