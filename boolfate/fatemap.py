"""The fate map of a perturbation screen: perturbations grouped by the set of fates they reach.

Examples
--------
>>> rows = [{"perturbation": "", "condition": "TNF", "reachable_fates": ["A", "B"]},
...         {"perturbation": "x%0", "condition": "TNF", "reachable_fates": ["A"]}]
>>> "-B vs WT" in fate_map_diagram({"rows": rows}).source
True
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import graphviz

from boolfate.diagram_style import _FONT, _OFF, _ON, _OSC
from boolfate.errors import BoolfateError
from boolfate.fates import base_fate
from boolfate.palette import fate_colour

__all__ = ["fate_map_diagram"]


def _rows(results: Mapping[str, Any]) -> list[tuple[str, str, tuple[str, ...] | None]]:
    """(perturbation, condition, reachable fates or None) from a screen's results JSON."""
    if not isinstance(results, Mapping) or not isinstance(results.get("rows"), list):
        raise BoolfateError(
            "screen results need a top-level 'rows' list (each with 'perturbation', 'condition' "
            "and 'reachable_fates'); is this a 'boolfate screen --kind fates' results.json?"
        )
    out: list[tuple[str, str, tuple[str, ...] | None]] = []
    for i, row in enumerate(results["rows"]):
        if not isinstance(row, Mapping):
            raise BoolfateError(f"screen results: row {i + 1} is not an object")
        missing = [k for k in ("perturbation", "reachable_fates") if k not in row]
        if missing:
            raise BoolfateError(f"screen results: row {i + 1} has no '{missing[0]}' key")
        fates = row["reachable_fates"]
        if fates is None and isinstance(row.get("attractor_fates"), list):
            fates = row["attractor_fates"]  # the screen did not restrict to reachability
        if fates is not None and (
            not isinstance(fates, (list, tuple)) or not all(isinstance(f, str) for f in fates)
        ):
            raise BoolfateError(
                f"screen results: row {i + 1}: 'reachable_fates' must be a list of fate names"
            )
        pert = str(row["perturbation"] or "").strip()
        if pert.upper() == "WT":
            pert = ""
        cond = str(row.get("condition") or "")
        out.append((pert, cond, None if fates is None else tuple(fates)))
    return out


def _fate_rank(
    results: Mapping[str, Any],
    rows: list[tuple[str, str, tuple[str, ...] | None]],
    fate_order: Sequence[str],
) -> dict[str, int]:
    order = list(fate_order)
    top = results.get("fates")
    if not order and isinstance(top, list) and all(isinstance(f, str) for f in top):
        order = list(top)
    for f in (f for _, _, fates in rows for f in fates or ()):
        if f not in order:
            order.append(f)
    return {f: i for i, f in enumerate(order)}


def _group_attrs(
    key: tuple[str, ...] | None,
    perts: list[str],
    wt_key: tuple[str, ...] | None,
    max_listed: int,
) -> dict[str, str]:
    """The box of one fate set: header (with the change versus WT) and its perturbations."""
    has_wt = "" in perts
    names = sorted({p for p in perts if p})
    header = "no result" if key is None else (" + ".join(key) or "no fate")
    if key is not None and wt_key is not None and key != wt_key:
        change = [f"-{f}" for f in wt_key if f not in key]
        change += [f"+{f}" for f in key if f not in wt_key]
        header += f"  ({' '.join(change)} vs WT)" if change else ""
    listed = (["WT"] if has_wt else []) + names
    cells = [html.escape(p) for p in listed[:max_listed]]
    if has_wt:
        cells[0] = "<B>WT</B>"
    lines = [", ".join(cells[i : i + 4]) for i in range(0, len(cells), 4)]
    if len(listed) > max_listed:
        lines.append(f"... and {len(listed) - max_listed} more")
    count = len(listed)
    squares = "".join(
        f'<FONT COLOR="{fate_colour(f)}">&#9632;</FONT>' for f in dict.fromkeys(key or ())
    )
    label = (
        f"<{squares}{' ' if squares else ''}<B>{html.escape(header)}</B><BR/>"
        f'<FONT POINT-SIZE="9">{count} perturbation{"s" if count != 1 else ""}</FONT><BR/>'
        + "<BR/>".join(lines)
        + ">"
    )
    attrs = {"label": label}
    if has_wt:
        attrs.update(peripheries="2", penwidth="2", fillcolor=_OSC)
    elif key is None:
        attrs.update(style="rounded,dashed")
    return attrs


def fate_map_diagram(
    results: Mapping[str, Any], *, fate_order: Sequence[str] = (), max_listed: int = 60
) -> graphviz.Digraph:
    """Build the fate map of a perturbation screen: perturbations grouped by their fate set.

    Parameters
    ----------
    results
        A screen's ``results.json`` as a dict. Read keys: ``rows``, a list of objects with
        ``perturbation`` (``""`` or ``"WT"`` = wild type), ``condition`` (optional, ``""``
        when absent) and ``reachable_fates`` (a list of fate names; when ``null``, the row's
        ``attractor_fates`` list is used if present, else the row is shown as "no result").
        Other keys are ignored; an optional top-level ``fates`` list fixes the order fates
        are written in.
    fate_order
        Fate names in display order (default: ``results["fates"]`` if present, else the order
        of first appearance).
    max_listed
        Perturbations listed per group before ``... and N more``.

    Returns
    -------
    graphviz.Digraph
        Left to right: one node per condition, linked to one box per distinct fate set holding
        its perturbations. The wild type's set has a double border and lists ``WT`` first.
    """
    rows = _rows(results)
    rank = _fate_rank(results, rows, fate_order)

    def fate_key(fates: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if fates is None:
            return None
        return tuple(sorted(set(fates), key=lambda f: (rank.get(base_fate(f), len(rank)), f)))

    conditions: list[str] = []
    groups: dict[str, dict[tuple[str, ...] | None, list[str]]] = {}
    for pert, cond, fates in rows:
        if cond not in groups:
            conditions.append(cond)
            groups[cond] = {}
        groups[cond].setdefault(fate_key(fates), []).append(pert)

    graph = graphviz.Digraph(name="fate_map")
    graph.attr(
        "graph",
        rankdir="LR",
        ordering="out",
        fontname=_FONT,
        fontsize="12",
        labelloc="t",
        nodesep="0.15",
        ranksep="0.4",
    )
    graph.attr(
        "node", fontname=_FONT, fontsize="10", shape="box", style="rounded,filled", fillcolor=_OFF
    )
    graph.attr("edge", arrowhead="none", color="#808080")
    n_perts = len({p for p, _, _ in rows if p})
    graph.attr(
        "graph",
        label=f"fate map: wild type and {n_perts} perturbations x {len(conditions)} "
        "condition(s), grouped by the set of reachable fates; double border = wild type",
    )
    # rankdir=LR draws the first node of a rank at the bottom: emit in reverse so that the
    # first condition and, within it, the wild type's group come out on top
    for ci, cond in reversed(list(enumerate(conditions))):
        cid = f"c{ci}"
        with graph.subgraph(name=f"cluster_{ci}") as sub:
            sub.attr(label="", style="invis")
            sub.node(
                cid,
                label=f"condition\\n{cond or '(none)'}",
                shape="box",
                style="filled",
                fillcolor=_ON,
                fontcolor="white",
                fontsize="12",
            )
            by_set = groups[cond]
            wt_key = next((k for k, ps in by_set.items() if "" in ps), None)

            def sort_key(item: tuple[tuple[str, ...] | None, list[str]]) -> tuple[Any, ...]:
                key, perts = item
                if "" in perts:
                    return (0, 0, ())
                if key is None:
                    return (2, 0, ())
                return (1, -len(perts), tuple(rank.get(base_fate(f), len(rank)) for f in key))

            ordered = list(enumerate(sorted(by_set.items(), key=sort_key)))
            for gi, (key, perts) in reversed(ordered):
                gid = f"c{ci}g{gi}"
                has_wt = "" in perts
                sub.node(gid, **_group_attrs(key, perts, wt_key, max_listed))
                sub.edge(cid, gid, penwidth="2" if has_wt else "1")
    return graph
