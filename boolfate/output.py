"""Pure renderers for an :class:`~boolfate.analysis.Analysis`: table, JSON and CSV text.

Examples
--------
>>> from boolfate.bundle import load_bundle
>>> from boolfate.analysis import analyze
>>> doc = analysis_to_dict(analyze(load_bundle("calzone2010"), condition="TNF"))
>>> [a["fate"] for a in doc["attractors"]]
['NonACD', 'Apoptosis', 'Survival']
>>> doc["attractors"][0]["states"], doc["attractors"][0]["fixed"]["ATP"]
(1, 0)
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from boolfate.analysis import Analysis

__all__ = ["analysis_to_dict", "analysis_json", "analysis_csv", "analysis_table"]


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """A JSON-ready dict: provenance, fates, and one entry per attractor."""
    return {
        "network": analysis.network,
        "condition": {
            "name": analysis.condition.name,
            "inputs": str(analysis.condition.perturbation),
        },
        "perturbation": str(analysis.perturbation),
        "update": analysis.update,
        "engine": analysis.engine,
        "scope": "reachable" if analysis.reachable else "all",
        "initial_state": analysis.initial,
        "fates": list(analysis.fates),
        "attractors": [
            {
                "fate": fa.fate,
                "fixed": dict(fa.attractor.fixed),
                "oscillating": list(fa.attractor.oscillating),
                "states": fa.attractor.size,
                "exact": fa.attractor.exact,
            }
            for fa in analysis.attractors
        ],
    }


def analysis_json(analysis: Analysis) -> str:
    """Indented JSON text of :func:`analysis_to_dict`."""
    return json.dumps(analysis_to_dict(analysis), indent=2) + "\n"


def analysis_csv(analysis: Analysis, nodes: tuple[str, ...]) -> str:
    """One CSV row per attractor: fate, states, then each node's value (0, 1 or '*')."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["attractor", "fate", "states", "exact", *nodes])
    for i, fa in enumerate(analysis.attractors, start=1):
        values = fa.attractor.values
        cells = [str(values[n]) if n in values else "*" for n in nodes]
        writer.writerow([i, fa.fate, fa.attractor.size, fa.attractor.exact, *cells])
    return buf.getvalue()


def _input_groups(analysis: Analysis, inputs: Sequence[str]) -> list[tuple[str, list[int]]]:
    """(label, attractor numbers) per combination of ``inputs``, in input-value order."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, fa in enumerate(analysis.attractors, start=1):
        values = fa.attractor.values
        key = tuple(str(values.get(n, "*")) for n in inputs)
        groups.setdefault(key, []).append(i)
    out = []
    for key in sorted(groups):
        label = " ".join(f"{n}={v}" for n, v in zip(inputs, key, strict=True))
        out.append((label, groups[key]))
    return out


def analysis_table(analysis: Analysis, *, group_by: Sequence[str] = ()) -> str:
    """Human-readable summary: header, then one block per attractor.

    With ``group_by`` (input nodes), attractors are listed under one heading per combination of
    those nodes' values, keeping their numbers.
    """
    scope = "reachable from the initial state" if analysis.reachable else "all attractors"
    lines = [
        f"network {analysis.network} | condition {analysis.condition.name} "
        f"({analysis.condition.perturbation or 'no inputs fixed'}) | perturbation "
        f"{analysis.perturbation.label()} | update {analysis.update} ({analysis.engine}) | {scope}",
        f"fates: {', '.join(analysis.fates) or '-'}",
        "",
    ]
    width = max((len(fa.fate) for fa in analysis.attractors), default=4)
    if group_by:
        lines[1] += f" | {len(analysis.attractors)} attractors"
        for label, numbers in _input_groups(analysis, group_by):
            lines.append(f"inputs {label}:")
            lines.extend(_attractor_lines(analysis, numbers, width, indent="  "))
        return "\n".join(lines) + "\n"
    lines.extend(_attractor_lines(analysis, range(1, len(analysis.attractors) + 1), width))
    return "\n".join(lines) + "\n"


def _attractor_lines(
    analysis: Analysis, numbers: Iterable[int], width: int, indent: str = ""
) -> list[str]:
    lines = []
    for i in numbers:
        fa = analysis.attractors[i - 1]
        a = fa.attractor
        on = [n for n, v in a.fixed if v == 1]
        kind = "fixed point" if a.is_fixed_point else f"{a.size} states"
        if not a.exact:
            kind += ", trap space"
        lines.append(f"{indent}#{i}  {fa.fate:<{width}}  [{kind}]  ON: {' '.join(on) or '-'}")
        if a.oscillating:
            lines.append(f"{indent}{'':>{width + 5}}  oscillating: {' '.join(a.oscillating)}")
    return lines
