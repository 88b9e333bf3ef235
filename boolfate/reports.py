"""Pure renderers for screens: rows -> CSV, JSON, Markdown and self-contained HTML text.

No file I/O here (see :mod:`boolfate.runner`). Every text that comes from a model file (node,
fate, condition and scenario names, descriptions) is escaped in HTML.

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
>>> print(rows_to_csv(rows[:2]).splitlines()[1][:59])
,WT,on,wild type,,,Death;Life,Death;Life,2,2,reference,,,,,
>>> "<td" in screen_html(rows, {"model": "toy"})
True
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from boolfate.fates import base_fate
from boolfate.screens import ScreenRow

__all__ = [
    "CSV_COLUMNS",
    "csv_header",
    "csv_line",
    "rows_to_csv",
    "screen_to_dict",
    "screen_json",
    "screen_markdown",
    "screen_html",
    "summary_lines",
]

CSV_COLUMNS: tuple[str, ...] = (
    "perturbation",
    "label",
    "condition",
    "kind",
    "name",
    "description",
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
    "trace",
    "probabilities",
)
"""CSV columns; lists are joined with ``;`` (the trace with `` ; ``)."""

_PALETTE = (
    "#4e79a7",
    "#e15759",
    "#f28e2b",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
_CHANGE_COLOURS = {
    "reference": "#f0f0f0",
    "unchanged": "#ffffff",
    "lost": "#fde0dd",
    "gained": "#e5f5e0",
    "mixed": "#fff7bc",
    "switched": "#fdd49e",
}


def _probability_text(row: ScreenRow) -> str:
    """``Survival 0.204, Apoptosis 0.517`` (largest first, zeros left out)."""
    ranked = sorted((row.probabilities or {}).items(), key=lambda kv: -kv[1])
    return ", ".join(f"{k} {v:.3f}" for k, v in ranked if v > 0) or "-"


def _cells(row: ScreenRow) -> list[str]:
    probs = row.probabilities
    return [
        str(row.perturbation),
        row.label,
        row.condition,
        row.kind,
        row.name,
        row.description,
        "" if row.reachable_fates is None else ";".join(row.reachable_fates),
        ";".join(row.attractor_fates),
        "" if row.n_reachable is None else str(row.n_reachable),
        str(row.n_attractors),
        row.change,
        ";".join(row.lost),
        ";".join(row.gained),
        row.interaction,
        row.interaction_detail,
        row.decision,
        " ; ".join(row.trace),
        "" if probs is None else ";".join(f"{k}={v:.6g}" for k, v in probs.items()),
    ]


def _csv_text(lines: Iterable[Sequence[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(lines)
    return buf.getvalue()


def csv_header() -> str:
    """The CSV header line (with its newline)."""
    return _csv_text([CSV_COLUMNS])


def csv_line(row: ScreenRow) -> str:
    """One complete CSV line for ``row`` (with its newline), for incremental writing."""
    return _csv_text([_cells(row)])


def rows_to_csv(rows: Iterable[ScreenRow]) -> str:
    """Header plus one line per row (pandas: ``pd.read_csv(path, keep_default_na=False)``)."""
    return csv_header() + "".join(csv_line(r) for r in rows)


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
                f"{cond}: synergistic pairs (a fate change neither single gives): {_few(synergy)}"
            )
    return out


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


def _provenance_lines(prov: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for key, value in prov.items():
        if isinstance(value, Mapping):
            text = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        else:
            text = str(value)
        out.append((key, text))
    return out


def _md(text: str) -> str:
    return re.sub(r"([|\\`*_<>\[\]])", r"\\\1", text)


def screen_markdown(rows: Sequence[ScreenRow], provenance: Mapping[str, Any]) -> str:
    """A Markdown report: provenance, summary, fate matrix and per-row explanations."""
    title = provenance.get("model", "model")
    lines = [f"# Perturbation screen: {_md(str(title))}", ""]
    lines += [f"- **{_md(k)}**: {_md(v)}" for k, v in _provenance_lines(provenance)]
    lines += ["", "## What changes fate", ""]
    lines += [f"- {_md(s)}" for s in summary_lines(rows)] or ["- nothing"]
    conds, grid = _matrix(rows)
    scope = (
        "reachable from the initial state"
        if any(r.reachable_fates is not None for r in rows)
        else "of all attractors (minimal trap spaces, most-permissive semantics)"
    )
    lines += [
        "",
        "## Fate matrix",
        "",
        f"Fates {scope}; `-X` lost, `+X` gained vs the wild type.",
        "",
    ]
    lines.append("| perturbation | " + " | ".join(_md(c) for c in conds) + " |")
    lines.append("|---|" + "---|" * len(conds))
    for label, by_cond in grid:
        cells = [_md(_cell_text(by_cond[c])) if c in by_cond else "" for c in conds]
        lines.append(f"| {_md(label)} | " + " | ".join(cells) + " |")
    lines += ["", "## Details", ""]
    for r in rows:
        head = f"### {_md(r.label)} under {_md(r.condition)}"
        if r.name:
            head += f" ({_md(r.name)})"
        lines += [head, ""]
        if r.description:
            lines += [_md(r.description), ""]
        lines.append(f"- kind: {r.kind}; change: **{r.change}**")
        if r.reachable_fates is not None:
            lines.append(
                f"- reachable fates: {_md(', '.join(r.reachable_fates) or '-')}"
                f" ({r.n_reachable} attractors)"
            )
        lines.append(
            f"- fates of all attractors: {_md(', '.join(r.attractor_fates) or '-')}"
            f" ({r.n_attractors} attractors)"
        )
        if r.probabilities:
            lines.append(f"- probabilities (MaBoSS semantics): {_md(_probability_text(r))}")
        if r.lost or r.gained:
            lines.append(
                f"- lost: {_md(', '.join(r.lost) or '-')}; "
                f"gained: {_md(', '.join(r.gained) or '-')}"
            )
        if r.interaction:
            lines.append(f"- interaction: **{r.interaction}**: {_md(r.interaction_detail)}")
        lines.append(f"- decision: {_md(r.decision)}")
        if r.trace:
            lines.append("- percolation trace:")
            lines += [f"  {i}. {_md(step)}" for i, step in enumerate(r.trace, start=1)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2em;color:#222;max-width:80em}
table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ccc;padding:.2em .5em;
text-align:left;vertical-align:top}th{background:#f7f7f7;position:sticky;top:0}
.fate{display:inline-block;border-radius:.6em;padding:0 .45em;margin:.05em;color:#fff;
font-size:.9em}.lost{text-decoration:line-through;opacity:.55}
details{margin:.3em 0}summary{cursor:pointer}code{font-size:.9em}
.prov td:first-child{font-weight:bold}.legend span{margin-right:1em}
figure{margin:1em 0;overflow:auto}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _colours(fates: Sequence[str]) -> dict[str, str]:
    bases = list(dict.fromkeys(base_fate(f) for f in fates))
    base_colour = {f: _PALETTE[i % len(_PALETTE)] for i, f in enumerate(bases)}
    return {f: base_colour[base_fate(f)] for f in fates}


def _chip(fate: str, colours: Mapping[str, str], cls: str = "fate") -> str:
    return f'<span class="{cls}" style="background:{colours.get(fate, "#999")}">{_e(fate)}</span>'


def _svg(text: str) -> str:
    start = text.find("<svg")
    return text[start:] if start >= 0 else ""


def screen_html(
    rows: Sequence[ScreenRow],
    provenance: Mapping[str, Any],
    figures: Mapping[str, str] | None = None,
) -> str:
    """A self-contained HTML report (inline CSS, inline SVG figures, no scripts).

    Parameters
    ----------
    rows
        The screen rows, in report order.
    provenance
        Key -> value pairs shown in the header (model, version, hashes, engine ...).
    figures
        Caption -> SVG text (e.g. from :mod:`boolfate.diagrams`), embedded inline.
    """
    title = _e(provenance.get("model", "model"))
    fates = _fates(rows)
    colours = _colours(fates)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Perturbation screen: {title}</title><style>{_CSS}</style></head><body>",
        f"<h1>Perturbation screen: {title}</h1>",
        '<table class="prov">',
    ]
    parts += [
        f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in _provenance_lines(provenance)
    ]
    parts += ["</table>", "<h2>What changes fate</h2>", "<ul>"]
    parts += [f"<li>{_e(s)}</li>" for s in summary_lines(rows)]
    parts.append("</ul>")
    for caption, svg in (figures or {}).items():
        body = _svg(svg)
        if body:
            parts.append(f"<figure>{body}<figcaption>{_e(caption)}</figcaption></figure>")
    parts += _matrix_html(rows, colours)
    parts.append("<h2>Details</h2>")
    parts += [_details_html(r, colours) for r in rows]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _matrix_html(rows: Sequence[ScreenRow], colours: Mapping[str, str]) -> list[str]:
    parts: list[str] = []
    conds, grid = _matrix(rows)
    parts += [
        "<h2>Fate matrix</h2>",
        '<p class="legend">Cells: fates reached (struck through: lost vs the wild type). '
        "Background: "
        + "".join(
            f'<span style="background:{c};padding:0 .4em">{_e(k)}</span>'
            for k, c in _CHANGE_COLOURS.items()
        )
        + "</p>",
        "<table><thead><tr><th>perturbation</th>"
        + "".join(f"<th>{_e(c)}</th>" for c in conds)
        + "</tr></thead><tbody>",
    ]
    for label, by_cond in grid:
        cells = []
        for c in conds:
            r = by_cond.get(c)
            if r is None:
                cells.append("<td></td>")
                continue
            chips = "".join(_chip(f, colours) for f in r.fates)
            chips += "".join(_chip(f, colours, "fate lost") for f in r.lost)
            tip = f"{r.change}: {r.decision}"
            cells.append(
                f'<td style="background:{_CHANGE_COLOURS.get(r.change, "#fff")}" '
                f'title="{_e(tip)}">{chips}</td>'
            )
        name = next((r.name for r in by_cond.values() if r.name), "")
        head = f"<code>{_e(label)}</code>" + (f" <small>{_e(name)}</small>" if name else "")
        parts.append(f"<tr><td>{head}</td>{''.join(cells)}</tr>")
    parts.append("</tbody></table>")
    return parts


def _details_html(r: ScreenRow, colours: Mapping[str, str]) -> str:
    summary = f"<code>{_e(r.label)}</code> under {_e(r.condition)}: {_e(r.change)}"
    if r.name:
        summary += f" ({_e(r.name)})"
    items = [f"<li>kind: {_e(r.kind)}</li>"]
    if r.description:
        items.append(f"<li>{_e(r.description)}</li>")
    if r.reachable_fates is not None:
        items.append(
            "<li>reachable fates: "
            + ("".join(_chip(f, colours) for f in r.reachable_fates) or "-")
            + f" ({r.n_reachable} attractors)</li>"
        )
    items.append(
        "<li>fates of all attractors: "
        + ("".join(_chip(f, colours) for f in r.attractor_fates) or "-")
        + f" ({r.n_attractors} attractors)</li>"
    )
    if r.probabilities:
        items.append(f"<li>probabilities (MaBoSS semantics): {_e(_probability_text(r))}</li>")
    if r.lost or r.gained:
        items.append(
            f"<li>lost: {_e(', '.join(r.lost) or '-')}; "
            f"gained: {_e(', '.join(r.gained) or '-')}</li>"
        )
    if r.interaction:
        items.append(
            f"<li>interaction: <b>{_e(r.interaction)}</b>: {_e(r.interaction_detail)}</li>"
        )
    items.append(f"<li>decision: {_e(r.decision)}</li>")
    trace = "".join(f"<li><code>{_e(step)}</code></li>" for step in r.trace)
    if trace:
        items.append(f"<li>percolation trace:<ol>{trace}</ol></li>")
    return f"<details><summary>{summary}</summary><ul>{''.join(items)}</ul></details>"
