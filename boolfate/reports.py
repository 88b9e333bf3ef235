"""Pure renderers for screens: rows -> CSV, JSON, Markdown and self-contained HTML text.

One module per format (:mod:`boolfate.report_tables`: CSV, tidy records, JSON;
:mod:`boolfate.report_text`: Markdown; :mod:`boolfate.report_html` with
:mod:`boolfate.report_assets`: HTML), gathered here. No file I/O here (see
:mod:`boolfate.runner`). Every text that comes from a model file (node, fate, condition and
scenario names, descriptions) is escaped in HTML.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> from boolfate.bundle import bundle_from_toml
>>> from boolfate.screens import run_screen, screen_items, sorted_rows
>>> net = parse_bnet("s, s\\na, s & !b\\nb, !a\\ndead, a\\nalive, b")
>>> toy = bundle_from_toml(net, {"fates": {"Death": "dead", "Life": "alive"},
...                              "conditions": {"on": "s%1"}}, src="toy", name="toy", path=None)
>>> items = screen_items(toy, singles=True)
>>> rows = sorted_rows(run_screen(toy, items, ["on"]), items, ["on"])
>>> table = rows_to_csv(rows).splitlines()
>>> table[0].split(",")[-2:], table[1].split(",")[:3], table[1].split(",")[-2:]
(['fate_Death', 'fate_Life'], ['WT', 'on', 'wild type'], ['True', 'True'])
>>> "<td" in screen_html(rows, {"model": "toy"})
True
"""

from __future__ import annotations

from boolfate.report_assets import DETAIL_ROWS, STATIC_DETAIL_ROWS, STATIC_ROWS
from boolfate.report_html import screen_html
from boolfate.report_tables import (
    BASE_COLUMNS,
    CSV_COLUMNS,
    CsvSchema,
    csv_header,
    csv_line,
    csv_schema,
    rows_to_csv,
    screen_json,
    screen_to_dict,
    summary_lines,
    synergy_text,
    tidy_records,
    trace_lines,
)
from boolfate.report_text import screen_markdown

__all__ = [
    "BASE_COLUMNS",
    "CSV_COLUMNS",
    "CsvSchema",
    "DETAIL_ROWS",
    "STATIC_DETAIL_ROWS",
    "STATIC_ROWS",
    "csv_schema",
    "trace_lines",
    "tidy_records",
    "csv_header",
    "csv_line",
    "rows_to_csv",
    "screen_to_dict",
    "screen_json",
    "screen_markdown",
    "screen_html",
    "summary_lines",
    "synergy_text",
]
