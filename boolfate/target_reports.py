"""Pure renderers for target searches: a result -> CSV, JSON, Markdown and self-contained HTML.

No file I/O here (the ``boolfate targets`` command writes the files). Figures (inline SVG of
the network with a set overlaid) are passed in, keyed by the set's ``NODE%v`` label.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> from boolfate.bundle import bundle_from_toml
>>> from boolfate.targets import TargetQuestion, find_targets
>>> net = parse_bnet("s, s\\na, s & !b\\nb, !a\\ndead, a\\nalive, b")
>>> toy = bundle_from_toml(net, {"fates": {"Death": "dead", "Life": "alive"},
...                              "conditions": {"on": "s%1"}}, src="toy", name="toy", path=None)
>>> result = find_targets(toy, TargetQuestion(fates=("Death",), conditions=("on",)))
>>> print(targets_csv(result).splitlines()[1][:60])
a%1,1,on: Death,on,1,on,percolation,percolation alone forces
>>> "<table" in targets_html(result, {"model": "toy"})
True
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from boolfate.palette import fate_colours, text_colour
from boolfate.reports import _CSS, _e, _md, _provenance_lines, _svg
from boolfate.target_sets import Explanation, TargetResult, TargetSet

__all__ = [
    "TARGET_COLUMNS",
    "targets_csv",
    "targets_to_dict",
    "targets_json",
    "targets_markdown",
    "targets_html",
    "summary_lines",
]

TARGET_COLUMNS: tuple[str, ...] = (
    "perturbation",
    "size",
    "fates",
    "conditions",
    "robustness",
    "minimal_in",
    "decided_by",
    "explanation",
)
"""``targets.csv`` columns: the set (``NODE%v``, ``WT`` for none), its size, the fates reached
per condition (``TNF: Necroptosis; TSZ: CICD``), the conditions where it works and their
share, where it is minimal, how it was decided, and the percolation decision where it works."""


def _colours(fates: Sequence[str]) -> dict[str, str]:
    return fate_colours(fates)


def _chip(fate: str, colours: Mapping[str, str]) -> str:
    bg = colours.get(fate, "#777777")
    style = f"background:{bg};color:{text_colour(bg)}"
    return f'<span class="fate" style="{style}">{_e(fate)}</span>'


def _fates_text(e: Explanation) -> str:
    return f"{e.condition}: {', '.join(e.fates) or '-'}"


def _main_explanation(t: TargetSet) -> Explanation:
    """The explanation shown first: the first condition where the set works."""
    return next((e for e in t.explanations if e.works), t.explanations[0])


def _row(t: TargetSet) -> list[str]:
    return [
        t.perturbation.label(),
        str(t.size),
        "; ".join(_fates_text(e) for e in t.explanations),
        ";".join(t.works_in),
        f"{t.robustness:.3g}",
        ";".join(t.minimal_in),
        t.decided_by,
        _main_explanation(t).decision,
    ]


def targets_csv(result: TargetResult) -> str:
    """Header plus one line per minimal set, in rank order."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(TARGET_COLUMNS)
    writer.writerows(_row(t) for t in result.sets)
    return buf.getvalue()


def _explanation_dict(e: Explanation) -> dict[str, Any]:
    return {
        "condition": e.condition,
        "fates": list(e.fates),
        "works": e.works,
        "decided_by": e.decided_by,
        "decision": e.decision,
        "trace": list(e.trace),
        "probabilities": dict(e.probabilities) if e.probabilities else None,
    }


def targets_to_dict(result: TargetResult, provenance: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-ready document: provenance, question, work counts, wild type and ranked sets."""
    q = result.question
    return {
        "provenance": dict(provenance),
        "question": {
            "fates": list(q.fates),
            "mode": q.mode,
            "conditions": list(q.conditions),
            "max_size": q.max_size,
            "using": q.using,
            "exclude": list(q.exclude),
            "scope": q.scope,
            "candidate_fixes": list(result.fixes),
        },
        "stats": dict(result.stats.__dict__),
        "summary": summary_lines(result),
        "wild_type": [_explanation_dict(e) for e in result.wild_type],
        "sets": [
            {
                "perturbation": str(t.perturbation),
                "label": t.perturbation.label(),
                "size": t.size,
                "works_in": list(t.works_in),
                "robustness": round(t.robustness, 6),
                "minimal_in": list(t.minimal_in),
                "decided_by": t.decided_by,
                "explanations": [_explanation_dict(e) for e in t.explanations],
            }
            for t in result.sets
        ],
    }


def targets_json(result: TargetResult, provenance: Mapping[str, Any]) -> str:
    """Indented JSON text of :func:`targets_to_dict`."""
    return json.dumps(targets_to_dict(result, provenance), indent=2) + "\n"


def _wanted(result: TargetResult) -> str:
    q = result.question
    fates = " or ".join(q.fates)
    scope = "reachable" if q.scope == "reachable" else "as every attractor"
    return {
        "only": f"only {fates} {scope}",
        "includes": f"{fates} among the fates {scope}",
        "dominant": f"{fates} most probable",
    }[q.mode]


def summary_lines(result: TargetResult) -> list[str]:
    """The answer in a few sentences: the wild type, how many sets, the best ones, the work."""
    q, st = result.question, result.stats
    out = [
        f"{e.condition}: without intervention the cells reach {', '.join(e.fates) or '-'}"
        for e in result.wild_type
    ]
    every = [t for t in result.sets if t.works_in == q.conditions]
    out.append(
        f"{len(result.sets)} minimal set(s) of at most {q.max_size} fixes give {_wanted(result)}"
        + (f"; {len(every)} work under every condition" if len(q.conditions) > 1 else "")
    )
    if result.sets:
        best = ", ".join(t.perturbation.label() for t in result.sets[:8])
        out.append(f"best ranked: {best}" + (" ..." if len(result.sets) > 8 else ""))
    out.append(
        f"{st.candidates} candidate sets: {st.skipped_supersets} skipped (a subset already "
        f"works), {st.by_percolation} decided by percolation, "
        + (f"{st.by_trap_spaces} by trap spaces, " if st.by_trap_spaces else "")
        + f"{st.by_dynamics} by "
        f"{'simulation' if q.mode == 'dominant' else 'exact dynamics'} ({st.seconds:.2f} s)"
    )
    return out


def _table_md(result: TargetResult) -> list[str]:
    lines = [
        "| rank | set | size | robustness | works in | fates reached | decided by |",
        "|---|---|---|---|---|---|---|",
    ]
    for rank, t in enumerate(result.sets, start=1):
        fates = "; ".join(_fates_text(e) for e in t.explanations)
        lines.append(
            f"| {rank} | `{t.perturbation.label()}` | {t.size} | {t.robustness:.2f} | "
            f"{_md(', '.join(t.works_in))} | {_md(fates)} | {t.decided_by} |"
        )
    return lines


def _why_md(t: TargetSet) -> list[str]:
    lines = [f"### `{t.perturbation.label()}`", ""]
    for e in t.explanations:
        verdict = "works" if e.works else "does not work"
        lines.append(
            f"- under **{_md(e.condition)}** it {verdict}: reaches {_md(', '.join(e.fates) or '-')}"
            f" (decided by {e.decided_by}); {_md(e.decision)}"
        )
        if e.probabilities:
            probs = ", ".join(f"{k} {v:.3f}" for k, v in e.probabilities if v > 0)
            lines.append(f"  - probabilities (MaBoSS semantics): {_md(probs)}")
    main = _main_explanation(t)
    if main.trace:
        lines.append(f"- percolation under {_md(main.condition)}, steps that reach the read-outs:")
        lines += [f"  {i}. {_md(step)}" for i, step in enumerate(main.trace, start=1)]
    return [*lines, ""]


def targets_markdown(result: TargetResult, provenance: Mapping[str, Any]) -> str:
    """A Markdown report: provenance, the answer, ranked sets and why each one works."""
    title = _md(str(provenance.get("model", "model")))
    lines = [f"# Targets: {_md(_wanted(result))} in {title}", ""]
    lines += [f"- **{_md(k)}**: {_md(v)}" for k, v in _provenance_lines(provenance)]
    lines += ["", "## Answer", ""]
    lines += [f"- {_md(s)}" for s in summary_lines(result)]
    lines += ["", "## Ranked minimal sets", ""]
    lines += [
        "Ranked by robustness (share of the conditions where the set works), then size. "
        "Minimal: no proper subset works under the same condition.",
        "",
    ]
    lines += _table_md(result) if result.sets else ["No set of this size works."]
    lines += ["", "## Why each set works", ""]
    for t in result.sets:
        lines += _why_md(t)
    return "\n".join(lines).rstrip() + "\n"


def _why_html(t: TargetSet, colours: Mapping[str, str], figure: str | None) -> str:
    items = []
    for e in t.explanations:
        verdict = "works" if e.works else "does not work"
        chips = "".join(_chip(f, colours) for f in e.fates) or "-"
        items.append(
            f"<li>under <b>{_e(e.condition)}</b> it {verdict}: {chips} "
            f"(decided by {_e(e.decided_by)}); {_e(e.decision)}</li>"
        )
    main = _main_explanation(t)
    steps = "".join(f"<li><code>{_e(s)}</code></li>" for s in main.trace)
    if steps:
        items.append(
            f"<li>percolation under {_e(main.condition)}, steps that reach the read-outs:"
            f"<ol>{steps}</ol></li>"
        )
    body = f"<ul>{''.join(items)}</ul>"
    if figure:
        caption = f"network with {t.perturbation.label()} under {main.condition}"
        body += f"<figure>{_svg(figure)}<figcaption>{_e(caption)}</figcaption></figure>"
    label = _e(t.perturbation.label())
    return (
        f"<details><summary><code>{label}</code>: works in {_e(', '.join(t.works_in) or '-')}"
        f"</summary>{body}</details>"
    )


def targets_html(
    result: TargetResult,
    provenance: Mapping[str, Any],
    figures: Mapping[str, str] | None = None,
) -> str:
    """A self-contained HTML report (inline CSS and SVG, no scripts).

    ``figures`` maps a set's label to the SVG of the network with that set overlaid.
    """
    title = _e(f"Targets: {_wanted(result)} in {provenance.get('model', 'model')}")
    fates = sorted({f for t in result.sets for e in t.explanations for f in e.fates})
    colours = _colours(fates)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
        f"<h1>{title}</h1>",
        '<table class="prov">',
        *(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in _provenance_lines(provenance)),
        "</table>",
        "<h2>Answer</h2><ul>",
        *(f"<li>{_e(s)}</li>" for s in summary_lines(result)),
        "</ul>",
        "<h2>Ranked minimal sets</h2>",
        "<p>Ranked by robustness (share of the conditions where the set works), then size. "
        "Minimal: no proper subset works under the same condition.</p>",
    ]
    parts += _table_html(result, colours)
    parts.append("<h2>Why each set works</h2>")
    parts += [
        _why_html(t, colours, (figures or {}).get(t.perturbation.label())) for t in result.sets
    ]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _table_html(result: TargetResult, colours: Mapping[str, str]) -> Sequence[str]:
    if not result.sets:
        return ["<p>No set of this size works.</p>"]
    rows = [
        "<table><thead><tr><th>rank</th><th>set</th><th>size</th><th>robustness</th>"
        "<th>works in</th><th>fates reached</th><th>decided by</th></tr></thead><tbody>"
    ]
    for rank, t in enumerate(result.sets, start=1):
        fates = "<br>".join(
            f"{_e(e.condition)}: " + ("".join(_chip(f, colours) for f in e.fates) or "-")
            for e in t.explanations
        )
        rows.append(
            f"<tr><td>{rank}</td><td><code>{_e(t.perturbation.label())}</code></td>"
            f"<td>{t.size}</td><td>{t.robustness:.2f}</td><td>{_e(', '.join(t.works_in))}</td>"
            f"<td>{fates}</td><td>{_e(t.decided_by)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return rows
