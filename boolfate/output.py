"""Pure renderers for a :class:`~boolfate.evaluator.FateResult`: table, JSON and CSV text.

Examples
--------
>>> from boolfate.bundle import load_bundle
>>> from boolfate.evaluator import evaluate
>>> from boolfate.question import ask
>>> calzone = load_bundle("calzone2010")
>>> doc = analysis_to_dict(evaluate(calzone, ask(calzone, "TNF")))
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

from boolfate.evaluator import FateResult

__all__ = ["analysis_to_dict", "analysis_json", "analysis_csv", "analysis_table"]


def analysis_to_dict(result: FateResult) -> dict[str, Any]:
    """A JSON-ready dict: provenance, fates, and one entry per attractor."""
    q = result.question
    return {
        "network": q.model,
        "condition": {
            "name": q.condition.name,
            "inputs": str(q.condition.perturbation),
        },
        "perturbation": str(q.perturbation),
        "update": q.update,
        "engine": q.engine,
        "scope": q.scope,
        "initial_state": result.initial_state,
        "fates": list(result.fates),
        "attractors": [
            {
                "fate": fa.fate,
                "fixed": dict(fa.attractor.fixed),
                "oscillating": list(fa.attractor.oscillating),
                "states": fa.attractor.size,
                "exact": fa.attractor.exact,
            }
            for fa in result.attractors
        ],
    }


def analysis_json(result: FateResult) -> str:
    """Indented JSON text of :func:`analysis_to_dict`."""
    return json.dumps(analysis_to_dict(result), indent=2) + "\n"


def analysis_csv(result: FateResult, nodes: tuple[str, ...]) -> str:
    """One CSV row per attractor: fate, states, then each node's value (0, 1 or '*')."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["attractor", "fate", "states", "exact", *nodes])
    for i, fa in enumerate(result.attractors, start=1):
        values = fa.attractor.values
        cells = [str(values[n]) if n in values else "*" for n in nodes]
        writer.writerow([i, fa.fate, fa.attractor.size, fa.attractor.exact, *cells])
    return buf.getvalue()


def _input_groups(result: FateResult, inputs: Sequence[str]) -> list[tuple[str, list[int]]]:
    """(label, attractor numbers) per combination of ``inputs``, in input-value order."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, fa in enumerate(result.attractors, start=1):
        values = fa.attractor.values
        key = tuple(str(values.get(n, "*")) for n in inputs)
        groups.setdefault(key, []).append(i)
    out = []
    for key in sorted(groups):
        label = " ".join(f"{n}={v}" for n, v in zip(inputs, key, strict=True))
        out.append((label, groups[key]))
    return out


def analysis_table(result: FateResult, *, group_by: Sequence[str] = ()) -> str:
    """Human-readable summary: header, then one block per attractor.

    With ``group_by`` (input nodes), attractors are listed under one heading per combination of
    those nodes' values, keeping their numbers.
    """
    q = result.question
    scope = "reachable from the initial state" if q.scope == "reachable" else "all attractors"
    lines = [
        f"network {q.model} | condition {q.condition.name} "
        f"({q.condition.perturbation or 'no inputs fixed'}) | perturbation "
        f"{q.perturbation.label()} | update {q.update} ({q.engine}) | {scope}",
        f"fates: {', '.join(result.fates) or '-'}",
        "",
    ]
    width = max((len(fa.fate) for fa in result.attractors), default=4)
    if group_by:
        lines[1] += f" | {len(result.attractors)} attractors"
        for label, numbers in _input_groups(result, group_by):
            lines.append(f"inputs {label}:")
            lines.extend(_attractor_lines(result, numbers, width, indent="  "))
        return "\n".join(lines) + "\n"
    lines.extend(_attractor_lines(result, range(1, len(result.attractors) + 1), width))
    return "\n".join(lines) + "\n"


def _attractor_lines(
    result: FateResult, numbers: Iterable[int], width: int, indent: str = ""
) -> list[str]:
    lines = []
    for i in numbers:
        fa = result.attractors[i - 1]
        a = fa.attractor
        on = [n for n, v in a.fixed if v == 1]
        kind = "fixed point" if a.is_fixed_point else f"{a.size} states"
        if not a.exact:
            kind += ", trap space"
        lines.append(f"{indent}#{i}  {fa.fate:<{width}}  [{kind}]  ON: {' '.join(on) or '-'}")
        if a.oscillating:
            lines.append(f"{indent}{'':>{width + 5}}  oscillating: {' '.join(a.oscillating)}")
    return lines
