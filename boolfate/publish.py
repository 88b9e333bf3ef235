"""The files a finished screen writes, as ``(name, producer)`` pairs for the runner to write.

Each producer returns the file's text or bytes; nothing here touches the output folder, so the
runner decides how files are written (atomically) and reports progress between them.

``results.csv``
    Tidy table (see :data:`boolfate.reports.BASE_COLUMNS`): ``WT`` row, ``fate_<F>`` booleans,
    ``p_<F>`` probabilities.
``traces.jsonl``
    One JSON object per row: its percolation trace and decision.
``results.json``
    ``{"provenance": ..., "summary": [...], "rows": [...]}``: ``pd.DataFrame(doc["rows"])``.
``results.parquet``
    The CSV's columns, typed (lists as lists), when ``pyarrow`` is installed.
``report.md``, ``report.html``, ``heatmap.png``, ``heatmap.svg``
    The reports; the heatmap is embedded in the HTML as well.
"""

from __future__ import annotations

import base64
import functools
import importlib
import importlib.util
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from boolfate.bundle import Bundle
from boolfate.reports import (
    rows_to_csv,
    screen_html,
    screen_json,
    screen_markdown,
    tidy_records,
    trace_lines,
)
from boolfate.screens import ScreenRow

__all__ = ["Producer", "GRAPHVIZ_MISSING", "report_outputs", "parquet_bytes", "screen_figures"]

Producer = Callable[[], "str | bytes"]
"""Makes one file's content."""

GRAPHVIZ_MISSING = (
    "Graphviz is not installed, so the network and fate-map figures are missing: install it "
    "(e.g. 'apt-get install graphviz', 'brew install graphviz' or 'conda install -c "
    "conda-forge graphviz') and run the screen again with --resume to add them."
)
"""The note in the report (and the CLI's one warning line) when ``dot`` is missing."""


def parquet_bytes(records: Sequence[Mapping[str, Any]]) -> bytes | None:
    """A Parquet file of ``records`` (one column per key), or None without ``pyarrow``."""
    try:
        pa: Any = importlib.import_module("pyarrow")
        pq: Any = importlib.import_module("pyarrow.parquet")
    except ImportError:
        return None
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(list(records)), buf)
    return buf.getvalue()


def screen_figures(
    bundle: Bundle, document: Mapping[str, Any], warn: Callable[[str], None]
) -> tuple[dict[str, str], str]:
    """``({heading: svg}, note)``: the network and fate map, or a note why they are missing."""
    from boolfate import diagrams

    if not diagrams.have_dot():
        warn(GRAPHVIZ_MISSING)
        return {}, GRAPHVIZ_MISSING
    makers: list[tuple[str, Callable[[], Any]]] = [
        ("Network (overlay: the selected row)", lambda: diagrams.network_diagram(bundle)),
        ("Fate map", lambda: diagrams.fate_map_diagram(document)),
    ]
    out: dict[str, str] = {}
    notes = []
    for heading, make in makers:
        try:
            svg = diagrams.to_svg(make())
        except Exception as exc:  # noqa: BLE001 - a figure must never sink a finished screen
            warn(f"skipped the {heading.split(' (')[0].lower()} figure: {exc}")
            notes.append(f"The {heading.split(' (')[0].lower()} figure failed: {exc}")
            continue
        if svg:
            out[heading] = svg
    return out, " ".join(notes)


def _heatmap(rows: Sequence[ScreenRow]) -> Any:
    from boolfate.plots import screen_heatmap

    return screen_heatmap(rows)


def report_outputs(
    bundle: Bundle,
    rows: Sequence[ScreenRow],
    provenance: Mapping[str, Any],
    *,
    warn: Callable[[str], None] = lambda _msg: None,
) -> list[tuple[str, Producer]]:
    """The files of a finished (or interrupted) screen, in the order to write them.

    Parameters
    ----------
    bundle
        The screened model (figures, fate order).
    rows
        The rows in report order.
    provenance
        As shown in the reports.
    warn
        Called with a one-line warning (e.g. Graphviz missing; the CLI prints it once).
    """
    fates = bundle.fates.names
    records = tidy_records(rows, fates)
    parquet = importlib.util.find_spec("pyarrow") is not None
    heatmap = functools.cache(lambda: _heatmap(rows))

    @functools.cache
    def png() -> bytes:
        from boolfate.plots import figure_bytes

        return figure_bytes(heatmap(), "png")

    def svg() -> bytes:
        from boolfate.plots import figure_bytes

        return figure_bytes(heatmap(), "svg")

    def page() -> str:
        figures, note = screen_figures(bundle, {"rows": [r.to_dict() for r in rows]}, warn)
        image = "data:image/png;base64," + base64.b64encode(png()).decode("ascii")
        about = {"title": bundle.title, "citation": bundle.citation}
        return screen_html(
            rows, provenance, figures, images={"Fate heatmap": image}, missing=note, about=about
        )

    out: list[tuple[str, Producer]] = [
        ("results.csv", lambda: rows_to_csv(rows, fates)),
        ("traces.jsonl", lambda: trace_lines(rows)),
        ("results.json", lambda: screen_json(rows, provenance)),
    ]
    if parquet:
        out.append(("results.parquet", lambda: parquet_bytes(records) or b""))
    out += [
        ("report.md", lambda: screen_markdown(rows, provenance)),
        ("heatmap.png", png),
        ("heatmap.svg", svg),
        ("report.html", page),
    ]
    return out
