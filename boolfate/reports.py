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
>>> table = rows_to_csv(rows).splitlines()
>>> table[0].split(",")[-2:], table[1].split(",")[:3], table[1].split(",")[-2:]
(['fate_Death', 'fate_Life'], ['WT', 'on', 'wild type'], ['True', 'True'])
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
from dataclasses import dataclass
from typing import Any

from boolfate.fates import base_fate
from boolfate.palette import CHANGE_COLOURS, CHANGE_MARKS, fate_colour, text_colour
from boolfate.screens import ScreenRow

__all__ = [
    "BASE_COLUMNS",
    "CSV_COLUMNS",
    "CsvSchema",
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
    if len(rows) > DETAIL_ROWS:
        grid = [
            (label, by)
            for label, by in grid
            if any(r.change not in ("reference", "unchanged") for r in by.values()) or label == "WT"
        ]
        lines += ["Only perturbations that change the fates under some condition.", ""]
    lines.append("| perturbation | " + " | ".join(_md(c) for c in conds) + " |")
    lines.append("|---|" + "---|" * len(conds))
    for label, by_cond in grid:
        cells = [_md(_cell_text(by_cond[c])) if c in by_cond else "" for c in conds]
        lines.append(f"| {_md(label)} | " + " | ".join(cells) + " |")
    lines += ["", "## Details", ""]
    shown = rows
    if len(rows) > DETAIL_ROWS:
        shown = [r for r in rows if r.change not in ("reference", "unchanged")][:DETAIL_ROWS]
        lines += [
            f"{len(shown)} rows that change the fates (all rows: results.csv, traces: "
            "traces.jsonl).",
            "",
        ]
    for r in shown:
        lines += _md_row(r)
    return "\n".join(lines).rstrip() + "\n"


def _md_row(r: ScreenRow) -> list[str]:
    """The Markdown details of one row."""
    lines: list[str] = []
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
            f" ({_plural(r.n_reachable or 0, 'attractor')})"
        )
    lines.append(
        f"- fates of all attractors: {_md(', '.join(r.attractor_fates) or '-')}"
        f" ({_plural(r.n_attractors, 'attractor')})"
    )
    if r.probabilities:
        lines.append(f"- probabilities (MaBoSS semantics): {_md(_probability_text(r))}")
    if r.lost or r.gained:
        lines.append(
            f"- lost: {_md(', '.join(r.lost) or '-')}; gained: {_md(', '.join(r.gained) or '-')}"
        )
    if r.interaction:
        lines.append(f"- interaction: **{r.interaction}**: {_md(r.interaction_detail)}")
    lines.append(f"- decision: {_md(r.decision)}")
    if r.trace:
        lines.append("- percolation trace:")
        lines += [f"  {i}. {_md(step)}" for i, step in enumerate(r.trace, start=1)]
    lines.append("")
    return lines


_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;padding:1em 2em;
color:#222;max-width:90em;line-height:1.4}
h1{font-size:1.5em;margin:.2em 0}
h2{font-size:1.2em;margin:1.2em 0 .4em;border-bottom:1px solid #ddd}
h3{font-size:1em;margin:.8em 0 .3em}
.top{display:flex;flex-wrap:wrap;gap:.4em 2em;background:#f6f6f6;border:1px solid #ddd;
border-radius:.4em;padding:.6em 1em}.top div{min-width:12em}.top b{display:block;font-size:.8em;
color:#555;font-weight:600;text-transform:uppercase;letter-spacing:.03em}
nav.toc{margin:.6em 0;font-size:.9em}nav.toc a{margin-right:1.2em}
table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ccc;padding:.2em .45em;
text-align:left;vertical-align:top}
.wrap{max-height:75vh;overflow:auto;border:1px solid #ccc}
#matrix thead th{background:#eee;position:sticky;top:0;z-index:2;cursor:pointer;
white-space:nowrap}#matrix thead th:first-child{left:0;z-index:3}
#matrix tbody td{white-space:nowrap}
#matrix tbody td:first-child{position:sticky;left:0;background:#fafafa;z-index:1;
white-space:nowrap}#matrix tbody tr:hover td{outline:1px solid #888}
#matrix td.sel{outline:2px solid #000!important}
.fate{display:inline-block;border-radius:.6em;padding:0 .45em;margin:.05em;font-size:.9em;
border:1px solid rgba(0,0,0,.35)}.fate.lost{background:#fff!important;color:#555!important;
text-decoration:line-through;border-style:dashed}
.mark{font-weight:bold;margin-left:.2em}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1.2em;align-items:center;font-size:.85em;margin:.4em 0}
.swatch{display:inline-block;min-width:1.6em;padding:0 .3em;border:1px solid #777;margin-right:.3em;
text-align:center}
.controls{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:center;margin:.5em 0;font-size:.9em}
.pager{margin:.4em 0;font-size:.9em}.pager button{margin:0 .3em}
figure{margin:.5em 0 1.5em}figure .fig{max-width:100%;overflow:auto;border:1px solid #eee}
figure .fig svg,figure .fig img{max-width:100%;height:auto;display:block}
figure .fig.zoom svg,figure .fig.zoom img{max-width:none}
figcaption{font-size:.85em;color:#444}.note{background:#fff8e1;border:1px solid #e0c060;
padding:.5em .8em;border-radius:.3em}
#detail{border:1px solid #ccc;border-radius:.3em;padding:.4em .8em;background:#fcfcfc}
details{margin:.3em 0}summary{cursor:pointer}code{font-size:.92em}
.prov td:first-child{font-weight:bold;white-space:nowrap}
svg .ovl-ko>ellipse,svg .ovl-ko>polygon{stroke:#D55E00;stroke-width:4}
svg .ovl-oe>ellipse,svg .ovl-oe>polygon{stroke:#0072B2;stroke-width:4}
svg .ovl-on>ellipse,svg .ovl-on>polygon{fill:#4d4d4d}svg .ovl-on>text{fill:#fff}
svg .ovl-off>ellipse,svg .ovl-off>polygon{fill:#fff}
"""

_JS = r"""
(function(){
const D=JSON.parse(document.getElementById('screen-data').textContent);
const $=id=>document.getElementById(id);
const ESC={'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'};
const esc=s=>String(s).replace(/[&<>"']/g,c=>ESC[c]);
const chip=(i,lost)=>'<span class="fate'+(lost?' lost':'')+'" style="background:'+D.colours[i]+
  ';color:'+D.text[i]+'">'+esc(D.fates[i])+'</span>';
let view=D.rows.map((r,i)=>i), page=0, sortKey=null, sortDir=1;
const size=()=>parseInt($('f-size').value,10);
function cellText(c){return c?c[0].map(i=>D.fates[i]).join(', '):'';}
function match(r){
  const q=$('f-node').value.trim().toLowerCase(), fate=$('f-fate').value, ch=$('f-change').value;
  if(q && !(r[0].toLowerCase().includes(q)||r[2].toLowerCase().includes(q))) return false;
  const cells=r[3].filter(c=>c);
  if(fate!=='' && !cells.some(c=>c[0].includes(+fate))) return false;
  if(ch==='any' && !cells.some(c=>c[3]>1)) return false;
  if(ch!=='' && ch!=='any' && !cells.some(c=>c[3]===+ch)) return false;
  return true;
}
function apply(){
  view=D.rows.map((r,i)=>i).filter(i=>match(D.rows[i]));
  if(sortKey!==null){
    const key=sortKey<0?(i=>D.rows[i][0]):(i=>{const c=D.rows[i][3][sortKey];
      return c?(D.changes[c[3]]+' '+cellText(c)):'~';});
    view.sort((a,b)=>{const x=key(a),y=key(b);return (x<y?-1:x>y?1:a-b)*sortDir;});
  }
  page=0; draw();
}
function draw(){
  const n=size(), pages=Math.max(1,Math.ceil(view.length/n));
  if(page>=pages) page=pages-1;
  const out=[];
  for(const i of view.slice(page*n,page*n+n)){
    const r=D.rows[i];
    let h='<tr><td><code>'+esc(r[0])+'</code>'+(r[2]?' <small>'+esc(r[2])+'</small>':'')+'</td>';
    r[3].forEach((c,j)=>{
      if(!c){h+='<td></td>';return;}
      const ch=D.changes[c[3]];
      h+='<td data-r="'+i+'" data-c="'+j+'" style="background:'+D.changeColours[c[3]]+
        '" title="'+esc(ch)+'">'+c[0].map(k=>chip(k,false)).join('')+
        c[1].map(k=>chip(k,true)).join('')+(D.marks[c[3]]?'<span class="mark">'+
        D.marks[c[3]]+'</span>':'')+(c[4]?' <small>'+esc(D.interactions[c[4]])+'</small>':'')+
        '</td>';
    });
    out.push(h+'</tr>');
  }
  $('matrix-body').innerHTML=out.join('');
  $('f-count').textContent=view.length+' of '+D.rows.length+' perturbations';
  $('p-info').textContent='page '+(page+1)+' of '+pages;
}
function detail(i,j){
  const r=D.rows[i], c=r[3][j], d=(D.details[i]||[])[j];
  const items=['<b><code>'+esc(r[0])+'</code> under '+esc(D.conds[j])+'</b>'+
    (r[2]?' ('+esc(r[2])+')':'')];
  if(D.descriptions[i]) items.push(esc(D.descriptions[i]));
  items.push('change: <b>'+esc(D.changes[c[3]])+'</b>; fates: '+
    (c[0].map(k=>chip(k,false)).join('')||'-')+(c[1].length?'; lost: '+
    c[1].map(k=>chip(k,true)).join(''):'')+(c[2].length?'; gained: '+
    c[2].map(k=>chip(k,false)).join(''):''));
  if(d){
    if(d.interaction) items.push('interaction: '+esc(d.interaction));
    if(d.decision) items.push('decision: '+esc(d.decision));
    if(d.attractors) items.push(esc(d.attractors));
    if(d.probabilities) items.push('probabilities (MaBoSS semantics): '+esc(d.probabilities));
    if(d.trace&&d.trace.length) items.push('percolation trace:<ol>'+
      d.trace.map(t=>'<li><code>'+esc(t)+'</code></li>').join('')+'</ol>');
  } else items.push('details of unchanged rows of large screens: results.csv and traces.jsonl');
  $('detail').innerHTML=items.map(t=>'<div>'+t+'</div>').join('');
  overlay(r[1], d&&d.forced?d.forced:{});
  document.querySelectorAll('#matrix td.sel').forEach(e=>e.classList.remove('sel'));
  const td=document.querySelector('#matrix td[data-r="'+i+'"][data-c="'+j+'"]');
  if(td) td.classList.add('sel');
}
function overlay(pert, forced){
  const svg=document.querySelector('#fig-network svg'); if(!svg) return;
  const fixes={};
  for(const t of pert.split(' ')){const m=t.split('%'); if(m.length===2) fixes[m[0]]=m[1];}
  svg.querySelectorAll('g.node').forEach(g=>{
    const t=g.querySelector('title'); if(!t) return; const n=t.textContent;
    g.classList.remove('ovl-ko','ovl-oe','ovl-on','ovl-off');
    if(n in fixes) g.classList.add(fixes[n]==='0'?'ovl-ko':'ovl-oe');
    if(n in forced) g.classList.add(forced[n]?'ovl-on':'ovl-off');
  });
  const cap=$('network-overlay'); if(cap) cap.textContent=pert?('overlay: '+pert+
    ' (red border: knock-out, blue border: over-expression; dark/white: values percolation '+
    'forces in every attractor of the row)'):'';
}
$('matrix-body').addEventListener('click',e=>{const td=e.target.closest('td[data-r]');
  if(td) detail(+td.dataset.r,+td.dataset.c);});
document.querySelectorAll('#matrix thead th').forEach(th=>th.addEventListener('click',()=>{
  const k=+th.dataset.k; sortDir=(sortKey===k)?-sortDir:1; sortKey=k; apply();}));
['f-node','f-fate','f-change','f-size'].forEach(id=>$(id).addEventListener('input',apply));
$('p-prev').addEventListener('click',()=>{if(page>0){page--;draw();}});
$('p-next').addEventListener('click',()=>{page++;draw();});
document.querySelectorAll('figure .fig').forEach(f=>f.addEventListener('click',
  ()=>f.classList.toggle('zoom')));
apply();
const sel=location.hash.match(/^#select=(\d+),(\d+)$/);
if(sel&&D.rows[+sel[1]]&&D.rows[+sel[1]][3][+sel[2]]) detail(+sel[1],+sel[2]);
const box=$('matrix').getBoundingClientRect();
document.body.dataset.matrixTop=String(Math.round(box.top));
document.body.dataset.matrixHeight=String(Math.round(box.height));
document.body.dataset.matrix='ready';
document.body.dataset.readyMs=String(Math.round(performance.now()));
})();
"""

_ERRORS_JS = (
    "window.addEventListener('error',function(e){var p=document.getElementById('script-errors');"
    "if(!p){p=document.createElement('pre');p.id='script-errors';"
    "(document.body||document.documentElement).appendChild(p);}"
    "p.textContent+=String(e.message)+'\\n';});"
)

DETAIL_ROWS = 2000
"""Screens up to this many rows carry every row's details (trace included) in the HTML."""

STATIC_DETAIL_ROWS = 300
"""Screens up to this many rows also list every row's details as plain HTML."""

STATIC_ROWS = 100
"""Matrix rows written as plain HTML (the first page; scripts render the rest)."""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _chip(fate: str, cls: str = "fate") -> str:
    bg = fate_colour(fate)
    return f'<span class="{cls}" style="background:{bg};color:{text_colour(bg)}">{_e(fate)}</span>'


def _svg(text: str) -> str:
    start = text.find("<svg")
    return text[start:] if start >= 0 else ""


def _script_json(data: Any) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` characters."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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


def _plural(n: int, word: str) -> str:
    """``1 attractor``, ``2 attractors``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


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
