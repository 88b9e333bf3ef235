"""The self-contained HTML screen report (escaped text, inline SVG, scripted matrix)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from boolfate.palette import CHANGE_COLOURS, CHANGE_MARKS, fate_colour, text_colour
from boolfate.report_assets import (
    _CSS,
    _ERRORS_JS,
    _JS,
    DETAIL_ROWS,
    STATIC_DETAIL_ROWS,
    STATIC_ROWS,
    _chip,
    _e,
    _script_json,
    _svg,
)
from boolfate.report_tables import (
    _conditions,
    _fates,
    _matrix,
    _plural,
    _probability_text,
    summary_lines,
    synergy_text,
)
from boolfate.report_text import _provenance_lines
from boolfate.screens import ScreenRow

_FORCED = re.compile(r"^(\S+)=([01]) because")


def _row_detail(r: ScreenRow) -> dict[str, Any]:
    d: dict[str, Any] = {"decision": r.decision}
    if r.interaction:
        d["interaction"] = f"{r.interaction}: {r.interaction_detail}"
    scope = f"{len(r.attractor_fates)} fate(s) over {_plural(r.n_attractors, 'attractor')}"
    if r.reachable_fates is not None:
        scope = f"{_plural(r.n_reachable or 0, 'reachable attractor')}; all attractors: " + scope
    d["attractors"] = scope
    if r.probabilities:
        d["probabilities"] = _probability_text(r)
    d["trace"] = list(r.trace)
    forced = {}
    for step in r.trace:
        m = _FORCED.match(step)
        if m:
            forced[m.group(1)] = int(m.group(2))
    d["forced"] = forced
    return d


def _screen_data(rows: Sequence[ScreenRow]) -> dict[str, Any]:
    """The compact JSON behind the matrix: one entry per perturbation, one cell per condition."""
    conds, grid = _matrix(rows)
    fates = _fates(rows)
    fi = {f: i for i, f in enumerate(fates)}
    changes = list(CHANGE_COLOURS)
    ci = {c: i for i, c in enumerate(changes)}
    inter = ["", "synergy", "epistasis", "additive", "none"]
    full = len(rows) <= DETAIL_ROWS
    out_rows: list[Any] = []
    details: list[Any] = []
    descriptions: list[str] = []
    for label, by_cond in grid:
        first = next(iter(by_cond.values()))
        cells: list[Any] = []
        det: list[Any] = []
        for c in conds:
            r = by_cond.get(c)
            if r is None:
                cells.append(0)
                det.append(None)
                continue
            if r.interaction not in inter:
                inter.append(r.interaction)
            cells.append(
                [
                    [fi[f] for f in r.fates],
                    [fi[f] for f in r.lost if f in fi],
                    [fi[f] for f in r.gained if f in fi],
                    ci.get(r.change, 1),
                    inter.index(r.interaction) if r.interaction == "synergy" else 0,
                ]
            )
            changed = r.change not in ("reference", "unchanged")
            if full:
                det.append(_row_detail(r))
            elif changed or r.interaction == "synergy":
                det.append({"decision": r.decision, "interaction": r.interaction_detail})
            else:
                det.append(None)
        out_rows.append([label, str(first.perturbation), first.name, cells])
        details.append(det)
        descriptions.append(first.description)
    colours = [fate_colour(f) for f in fates]
    return {
        "fates": fates,
        "colours": colours,
        "text": [text_colour(c) for c in colours],
        "conds": conds,
        "changes": changes,
        "changeColours": [CHANGE_COLOURS[c] for c in changes],
        "marks": [CHANGE_MARKS[c] for c in changes],
        "interactions": inter,
        "rows": out_rows,
        "details": details,
        "descriptions": descriptions,
    }


def _condition_block(provenance: Mapping[str, Any]) -> str:
    """Conditions as the inputs that differ between them (the shared ones listed once)."""
    conds = provenance.get("conditions")
    if not isinstance(conds, Mapping) or not conds:
        return ""
    parsed = {
        name: dict(t.split("%", 1) for t in str(v).split() if "%" in t) for name, v in conds.items()
    }
    keys = (
        set.intersection(*(set(p.items()) for p in parsed.values())) if len(parsed) > 1 else set()
    )
    rows = []
    for name, values in parsed.items():
        own = " ".join(f"{k}%{v}" for k, v in values.items() if (k, v) not in keys)
        rows.append(f"<tr><td>{_e(name)}</td><td><code>{_e(own or '-')}</code></td></tr>")
    shared = " ".join(f"{k}%{v}" for k, v in sorted(keys))
    foot = f"<p><small>shared by all: <code>{_e(shared)}</code></small></p>" if shared else ""
    return (
        "<details><summary>conditions (their inputs)</summary><table>"
        + "".join(rows)
        + "</table>"
        + foot
        + "</details>"
    )


def _top_block(
    rows: Sequence[ScreenRow], provenance: Mapping[str, Any], about: Mapping[str, str]
) -> list[str]:
    conds = _conditions(rows)
    perts = len({r.label for r in rows})
    changed = sum(r.change not in ("reference", "unchanged") for r in rows)
    synergy = synergy_text(rows)
    kinds: dict[str, int] = {}
    for r in rows:
        if r.condition == conds[0]:
            kinds[r.kind] = kinds.get(r.kind, 0) + 1
    wt = {r.condition: ", ".join(r.fates) for r in rows if not r.perturbation}
    model = _e(provenance.get("model", "model"))
    if about.get("title") and about["title"] != provenance.get("model"):
        model += f"<br><small>{_e(about['title'])}</small>"
    if about.get("citation"):
        model += f"<br><small>{_e(about['citation'])}</small>"
    cells = [
        ("model", model),
        ("semantics", _e(provenance.get("engine", provenance.get("update", "")))),
        (
            "conditions",
            f"{len(conds)}: "
            + ", ".join(f"{_e(c)} (WT {_e(wt.get(c, '?'))})" for c in conds[:6])
            + (f" and {len(conds) - 6} more" if len(conds) > 6 else ""),
        ),
        (
            "perturbations",
            f"{perts}: "
            + ", ".join(
                f"{n} {_e(k)}" if k == "wild type" else _e(_plural(n, k)) for k, n in kinds.items()
            ),
        ),
        (
            "rows",
            f"{len(rows)}; {changed} change the fates" + (f"; {_e(synergy)}" if synergy else ""),
        ),
    ]
    if provenance.get("complete") is False:
        cells.append(("status", "<b>incomplete</b> (interrupted; resume with --resume)"))
    body = "".join(f"<div><b>{k}</b>{v}</div>" for k, v in cells)
    return [f'<section class="top" id="top">{body}</section>', _condition_block(provenance)]


def _legend(fates: Sequence[str]) -> str:
    chips = "".join(_chip(f) for f in fates)
    swatches = "".join(
        f'<span><span class="swatch" style="background:{c}">{CHANGE_MARKS[k] or "&nbsp;"}'
        f"</span>{_e(k)}</span>"
        for k, c in CHANGE_COLOURS.items()
    )
    return (
        f'<div class="legend"><span><b>fates</b></span>{chips}'
        '<span class="fate lost" style="background:#fff">lost</span></div>'
        f'<div class="legend"><span><b>cell (vs the wild type)</b></span>{swatches}</div>'
    )


def _controls(fates: Sequence[str]) -> str:
    fate_opts = "".join(f'<option value="{i}">{_e(f)}</option>' for i, f in enumerate(fates))
    change_opts = "".join(
        f'<option value="{i}">{_e(k)}</option>' for i, k in enumerate(CHANGE_COLOURS)
    )
    return (
        '<div class="controls">'
        '<label>node or name <input id="f-node" type="search" placeholder="e.g. CASP8"></label>'
        f'<label>reaches fate <select id="f-fate"><option value="">any</option>{fate_opts}'
        "</select></label>"
        '<label>change <select id="f-change"><option value="">all rows</option>'
        f'<option value="any">any change</option>{change_opts}</select></label>'
        '<label>rows per page <select id="f-size"><option>50</option><option selected>100'
        "</option><option>500</option></select></label>"
        '<span id="f-count"></span></div>'
    )


def _static_rows(rows: Sequence[ScreenRow]) -> list[str]:
    """The first matrix page as plain HTML (readable before, or without, the script)."""
    conds, grid = _matrix(rows)
    out = []
    for label, by_cond in grid[:STATIC_ROWS]:
        cells = []
        for c in conds:
            r = by_cond.get(c)
            if r is None:
                cells.append("<td></td>")
                continue
            chips = "".join(_chip(f) for f in r.fates)
            chips += "".join(_chip(f, "fate lost") for f in r.lost)
            mark = CHANGE_MARKS.get(r.change, "")
            chips += f'<span class="mark">{mark}</span>' if mark else ""
            bg = CHANGE_COLOURS.get(r.change, "#fff")
            cells.append(f'<td style="background:{bg}" title="{_e(r.change)}">{chips}</td>')
        name = next((r.name for r in by_cond.values() if r.name), "")
        head = f"<code>{_e(label)}</code>" + (f" <small>{_e(name)}</small>" if name else "")
        out.append(f"<tr><td>{head}</td>{''.join(cells)}</tr>")
    return out


def _matrix_section(rows: Sequence[ScreenRow]) -> list[str]:
    conds, _ = _matrix(rows)
    fates = _fates(rows)
    scope = (
        "fates reachable from the initial state (exact asynchronous)"
        if any(r.reachable_fates is not None for r in rows)
        else "fates of all attractors (minimal trap spaces, most-permissive semantics)"
    )
    head = '<th data-k="-1">perturbation</th>' + "".join(
        f'<th data-k="{i}">{_e(c)}</th>' for i, c in enumerate(conds)
    )
    return [
        '<h2 id="fate-matrix">Fate matrix</h2>',
        f"<p>Each cell: the {scope} of one perturbation under one condition. Click a header "
        "to sort, a cell for its details and network overlay.</p>",
        _legend(fates),
        _controls(fates),
        f'<div class="wrap"><table id="matrix"><thead><tr>{head}</tr></thead>'
        f'<tbody id="matrix-body">{"".join(_static_rows(rows))}</tbody></table></div>',
        '<div class="pager"><button id="p-prev" type="button">&larr; previous</button>'
        '<span id="p-info"></span><button id="p-next" type="button">next &rarr;</button></div>',
        '<h3 id="selected">Selected row</h3>',
        '<div id="detail">Click a cell of the matrix.</div>',
    ]


def _summary_section(rows: Sequence[ScreenRow]) -> list[str]:
    parts = ['<h2 id="what-changes">What changes fate</h2>']
    by_cond: dict[str, list[str]] = {}
    for line in summary_lines(rows):
        cond, _, text = line.partition(": ")
        by_cond.setdefault(cond, []).append(text)
    for cond, lines in by_cond.items():
        first, rest = lines[0], lines[1:]
        items = "".join(f"<li>{_e(t)}</li>" for t in rest)
        parts.append(
            f"<details><summary><b>{_e(cond)}</b>: {_e(first)}</summary><ul>{items}</ul></details>"
        )
    return parts


def _figure_section(
    figures: Mapping[str, str], images: Mapping[str, str], missing: str
) -> list[str]:
    parts = ['<h2 id="figures">Figures</h2>']
    for caption, uri in images.items():
        parts.append(
            f'<figure><h3>{_e(caption)}</h3><div class="fig"><img alt="{_e(caption)}" '
            f'src="{_e(uri)}"></div><figcaption>Click to zoom.</figcaption></figure>'
        )
    if missing:
        parts.append(f'<p class="note">{_e(missing)}</p>')
    for caption, svg in figures.items():
        body = _svg(svg)
        if not body:
            continue
        fid = "fig-network" if caption.lower().startswith("network") else ""
        extra = '<span id="network-overlay"></span> ' if fid else ""
        parts.append(
            f'<figure id="{fid or "fig-" + _e(caption.lower().replace(" ", "-"))}">'
            f'<h3>{_e(caption)}</h3><div class="fig">{body}</div>'
            f"<figcaption>{extra}Click to zoom.</figcaption></figure>"
        )
    return parts


def _details_section(rows: Sequence[ScreenRow]) -> list[str]:
    parts = ['<h2 id="details">Details</h2>']
    if len(rows) > STATIC_DETAIL_ROWS:
        changed = sum(r.change not in ("reference", "unchanged") for r in rows)
        return parts + [
            f"<p>{len(rows)} rows ({changed} change the fates): click a cell of the fate matrix "
            "for its details; every row with its percolation trace is in results.csv and "
            "traces.jsonl.</p>"
        ]
    return parts + [_details_html(r) for r in rows]


def screen_html(
    rows: Sequence[ScreenRow],
    provenance: Mapping[str, Any],
    figures: Mapping[str, str] | None = None,
    *,
    images: Mapping[str, str] | None = None,
    missing: str = "",
    about: Mapping[str, str] | None = None,
) -> str:
    """A self-contained HTML report: one file, inline CSS, data and script, no network access.

    Parameters
    ----------
    rows
        The screen rows, in report order.
    provenance
        Key -> value pairs (model, version, hashes, engine, conditions ...).
    figures
        Heading -> SVG text (e.g. from :mod:`boolfate.diagrams`), embedded inline; a heading
        starting with ``Network`` gets the selected row's overlay.
    images
        Heading -> ``data:`` URI of a raster figure (e.g. the heatmap PNG).
    missing
        A note shown where figures could not be drawn (e.g. Graphviz not installed).
    about
        The model's ``title`` and ``citation``, shown under its name.
    """
    title = _e(provenance.get("model", "model"))
    toc = (
        '<nav class="toc"><a href="#fate-matrix">Fate matrix</a><a href="#what-changes">'
        'What changes fate</a><a href="#figures">Figures</a><a href="#details">Details</a>'
        '<a href="#provenance">Provenance</a></nav>'
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Perturbation screen: {title}</title><style>{_CSS}</style>",
        f"<script>{_ERRORS_JS}</script></head><body>",
        f"<h1>Perturbation screen: {title}</h1>",
        *_top_block(rows, provenance, about or {}),
        toc,
        *_matrix_section(rows),
        *_summary_section(rows),
        *_figure_section(figures or {}, images or {}, missing),
        *_details_section(rows),
        '<h2 id="provenance">Provenance</h2><details><summary>hashes, command, versions'
        '</summary><table class="prov">',
    ]
    parts += [
        f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>"
        for k, v in _provenance_lines(provenance)
        if k != "conditions"
    ]
    parts += [
        "</table></details>",
        f'<script type="application/json" id="screen-data">{_script_json(_screen_data(rows))}'
        "</script>",
        f"<script>{_JS}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _details_html(r: ScreenRow) -> str:
    summary = f"<code>{_e(r.label)}</code> under {_e(r.condition)}: {_e(r.change)}"
    if r.name:
        summary += f" ({_e(r.name)})"
    items = [f"<li>kind: {_e(r.kind)}</li>"]
    if r.description:
        items.append(f"<li>{_e(r.description)}</li>")
    if r.reachable_fates is not None:
        items.append(
            "<li>reachable fates: "
            + ("".join(_chip(f) for f in r.reachable_fates) or "-")
            + f" ({_plural(r.n_reachable or 0, 'attractor')})</li>"
        )
    items.append(
        "<li>fates of all attractors: "
        + ("".join(_chip(f) for f in r.attractor_fates) or "-")
        + f" ({_plural(r.n_attractors, 'attractor')})</li>"
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
