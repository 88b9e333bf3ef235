"""Screen reports: CSV readable by pandas-like readers, JSON keys, Markdown, HTML escaping."""

from __future__ import annotations

import csv
import io
import json

from boolfate.bnet import parse_bnet
from boolfate.bundle import bundle_from_toml
from boolfate.reports import (
    CSV_COLUMNS,
    rows_to_csv,
    screen_html,
    screen_json,
    screen_markdown,
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
    assert tuple(table[0]) == CSV_COLUMNS
    assert len(table) == len(rows) == 5
    by = {r["label"]: r for r in table}
    assert by["WT"]["perturbation"] == ""
    assert by["a%1"]["reachable_fates"] == "Death" and by["a%1"]["lost"] == "Life"
    assert by["a%1"]["name"] == "kill"


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
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<svg></svg>" in page and "Fig &lt;b&gt;" in page
    md = screen_markdown(rows, PROV)
    assert "<script>" not in md
