"""Screen rows as tables: the CSV columns and cells, tidy records, JSON and the trace lines.

Pure text; no file I/O (see :mod:`boolfate.runner`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boolfate.fates import base_fate
from boolfate.screens import ScreenRow

BASE_COLUMNS: tuple[str, ...] = (
    "perturbation",
    "condition",
    "kind",
    "name",
    "description",
    "fates",
    "reachable_fates",
    "attractor_fates",
    "n_reachable",
    "n_attractors",
    "change",
    "lost",
    "gained",
    "interaction",
    "interaction_detail",
    "decision",
)
"""The first CSV columns; then ``fate_<F>`` (True/False) per fate and ``p_<F>`` per probability.

``perturbation`` is ``WT`` for the wild type; ``fates`` are the compared fates (reachable
ones when computed). List cells join items with ``;`` (a ``;`` or ``\\`` inside an item is
escaped with ``\\``). Text cells that a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading ``'``. The percolation trace
is in ``traces.jsonl`` (see :func:`trace_lines`).
"""

CSV_COLUMNS = BASE_COLUMNS
"""Kept for callers of the earlier name: the fixed columns."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    """Neutralise a text cell that spreadsheets would evaluate as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _join(items: Iterable[str]) -> str:
    return ";".join(i.replace("\\", "\\\\").replace(";", "\\;") for i in items)


def _probability_text(row: ScreenRow) -> str:
    """``Survival 0.204, Apoptosis 0.517`` (largest first, zeros left out)."""
    ranked = sorted((row.probabilities or {}).items(), key=lambda kv: -kv[1])
    return ", ".join(f"{k} {v:.3f}" for k, v in ranked if v > 0) or "-"


@dataclass(frozen=True)
class CsvSchema:
    """The columns of ``results.csv``: the fixed ones, one per fate, one per probability.

    Examples
    --------
    >>> CsvSchema(("Death", "Life"), probabilities=True).columns[-4:]
    ('fate_Death', 'fate_Life', 'p_Death', 'p_Life')
    """

    fates: tuple[str, ...]
    probabilities: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column name, in order."""
        extra = tuple(f"fate_{f}" for f in self.fates)
        if self.probabilities:
            extra += tuple(f"p_{f}" for f in self.fates)
        return BASE_COLUMNS + extra

    def cells(self, row: ScreenRow) -> list[str]:
        """The cells of one row (strings, as written)."""
        text = [
            row.label,
            row.condition,
            row.kind,
            row.name,
            row.description,
            _join(row.fates),
            "" if row.reachable_fates is None else _join(row.reachable_fates),
            _join(row.attractor_fates),
            "" if row.n_reachable is None else str(row.n_reachable),
            str(row.n_attractors),
            row.change,
            _join(row.lost),
            _join(row.gained),
            row.interaction,
            row.interaction_detail,
            row.decision,
        ]
        reached = {base_fate(f) for f in row.fates}
        out = [_safe(t) for t in text] + [str(f in reached) for f in self.fates]
        if self.probabilities:
            probs = row.probabilities or {}
            out += [f"{probs[f]:.6g}" if f in probs else "" for f in self.fates]
        return out

    def header(self) -> str:
        """The CSV header line (with its newline)."""
        return _csv_text([self.columns])

    def line(self, row: ScreenRow) -> str:
        """One complete CSV line for ``row`` (with its newline), for incremental writing."""
        return _csv_text([self.cells(row)])


def csv_schema(rows: Iterable[ScreenRow], fates: Sequence[str] = ()) -> CsvSchema:
    """The schema for ``rows``: ``fates`` (e.g. the bundle's) then any other fate they reach."""
    names: dict[str, None] = dict.fromkeys(fates)
    probabilities = False
    for r in rows:
        for f in (*r.fates, *r.attractor_fates):
            names.setdefault(base_fate(f), None)
        if r.probabilities is not None:
            probabilities = True
            for f in r.probabilities:
                names.setdefault(f, None)
    return CsvSchema(tuple(names), probabilities)


def _csv_text(lines: Iterable[Sequence[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(lines)
    return buf.getvalue()


def csv_header(schema: CsvSchema | None = None) -> str:
    """The CSV header line (with its newline); without a schema, the fixed columns only."""
    return (schema or CsvSchema(())).header()


def csv_line(row: ScreenRow, schema: CsvSchema | None = None) -> str:
    """One CSV line for ``row``; without a schema, the fixed columns only."""
    return (schema or CsvSchema(())).line(row)


def rows_to_csv(rows: Sequence[ScreenRow], fates: Sequence[str] = ()) -> str:
    """Header plus one line per row (pandas: ``pd.read_csv(path, keep_default_na=False)``)."""
    schema = csv_schema(rows, fates)
    return schema.header() + "".join(schema.line(r) for r in rows)


def trace_lines(rows: Iterable[ScreenRow]) -> str:
    """``traces.jsonl``: one JSON object per row with its percolation trace and decision."""
    return "".join(
        json.dumps(
            {
                "perturbation": r.label,
                "condition": r.condition,
                "trace": list(r.trace),
                "decision": r.decision,
            }
        )
        + "\n"
        for r in rows
    )


def tidy_records(rows: Sequence[ScreenRow], fates: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Typed records with the CSV's columns (lists stay lists), e.g. for a Parquet file."""
    schema = csv_schema(rows, fates)
    out = []
    for r in rows:
        reached = {base_fate(f) for f in r.fates}
        rec: dict[str, Any] = {
            "perturbation": r.label,
            "condition": r.condition,
            "kind": r.kind,
            "name": r.name,
            "description": r.description,
            "fates": list(r.fates),
            "reachable_fates": None if r.reachable_fates is None else list(r.reachable_fates),
            "attractor_fates": list(r.attractor_fates),
            "n_reachable": r.n_reachable,
            "n_attractors": r.n_attractors,
            "change": r.change,
            "lost": list(r.lost),
            "gained": list(r.gained),
            "interaction": r.interaction,
            "interaction_detail": r.interaction_detail,
            "decision": r.decision,
        }
        rec.update({f"fate_{f}": f in reached for f in schema.fates})
        if schema.probabilities:
            probs = r.probabilities or {}
            rec.update({f"p_{f}": probs.get(f) for f in schema.fates})
        out.append(rec)
    return out


def screen_to_dict(rows: Sequence[ScreenRow], provenance: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-ready document: ``provenance``, ``summary`` lines and ``rows`` (see ScreenRow)."""
    return {
        "provenance": dict(provenance),
        "summary": summary_lines(rows),
        "rows": [r.to_dict() for r in rows],
    }


def screen_json(rows: Sequence[ScreenRow], provenance: Mapping[str, Any]) -> str:
    """Indented JSON text of :func:`screen_to_dict`."""
    return json.dumps(screen_to_dict(rows, provenance), indent=2) + "\n"


def _plural(n: int, word: str) -> str:
    """``1 attractor``, ``2 attractors``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def _conditions(rows: Iterable[ScreenRow]) -> list[str]:
    return list(dict.fromkeys(r.condition for r in rows))


def _fates(rows: Iterable[ScreenRow]) -> list[str]:
    seen: dict[str, None] = {}
    for r in rows:
        for f in (*r.fates, *r.attractor_fates):
            seen.setdefault(f, None)
    return list(seen)


def summary_lines(rows: Sequence[ScreenRow]) -> list[str]:
    """What changes fate, per condition: fates lost and gained, and the synergistic pairs."""
    out: list[str] = []
    for cond in _conditions(rows):
        mine = [r for r in rows if r.condition == cond]
        wt = next((r for r in mine if not r.perturbation), None)
        changed = [r for r in mine if r.change not in ("reference", "unchanged")]
        head = f"{cond}: wild type reaches {', '.join(wt.fates) if wt else '?'}; "
        out.append(
            head + f"{len(changed)} of {len(mine) - (wt is not None)} perturbations "
            "change the fates"
        )
        for fate in _fates(mine):
            lost = [r.label for r in mine if fate in r.lost]
            gained = [r.label for r in mine if fate in r.gained]
            if lost:
                out.append(f"{cond}: {fate} lost with {_few(lost)}")
            if gained:
                out.append(f"{cond}: {fate} gained with {_few(gained)}")
        switched = [r.label for r in mine if r.change == "switched"]
        if switched:
            out.append(f"{cond}: fate switched entirely with {_few(switched)}")
        synergy = [r.label for r in mine if r.interaction == "synergy"]
        if synergy:
            out.append(
                f"{cond}: {synergy_text(mine)} (a fate change neither single gives): "
                f"{_few(synergy)}"
            )
    return out


def synergy_text(rows: Iterable[ScreenRow]) -> str:
    """``1 synergistic pair``, ``2 synergistic pairs, 1 synergistic two-node scenario`` or ''.

    Examples
    --------
    >>> synergy_text([])
    ''
    """
    counts: dict[str, int] = {}
    for r in rows:
        if r.interaction == "synergy":
            counts[r.kind] = counts.get(r.kind, 0) + 1
    return ", ".join(
        _plural(n, "synergistic " + ("pair" if kind == "pair" else f"two-node {kind}"))
        for kind, n in counts.items()
    )


def _few(labels: Sequence[str], limit: int = 12) -> str:
    if len(labels) <= limit:
        return ", ".join(labels)
    return ", ".join(labels[:limit]) + f" and {len(labels) - limit} more"


def _cell_text(row: ScreenRow) -> str:
    text = ", ".join(row.fates) or "-"
    marks = [f"-{f}" for f in row.lost] + [f"+{f}" for f in row.gained]
    return f"{text} ({' '.join(marks)})" if marks else text


def _matrix(rows: Sequence[ScreenRow]) -> tuple[list[str], list[tuple[str, dict[str, ScreenRow]]]]:
    conds = _conditions(rows)
    grid: dict[str, dict[str, ScreenRow]] = {}
    for r in rows:
        grid.setdefault(r.label, {})[r.condition] = r
    return conds, list(grid.items())
