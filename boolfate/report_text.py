"""Screen rows as Markdown: the report, the per-condition summary and the synergy lines."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from boolfate.report_assets import DETAIL_ROWS
from boolfate.report_tables import (
    _cell_text,
    _matrix,
    _plural,
    _probability_text,
    summary_lines,
)
from boolfate.screens import ScreenRow


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
