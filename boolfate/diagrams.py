"""Graphviz diagrams: the signed interaction graph with overlays, fate maps and fate landscapes.

The builders return :class:`graphviz.Digraph` objects and never touch files; :func:`render`
writes one to ``.svg``, ``.png``, ``.pdf`` (through Graphviz's ``dot``) or ``.dot`` (the source),
and :func:`to_svg` returns inline SVG for HTML reports. Node and edge order follow the network's
order, so the DOT source of a diagram is deterministic and can be diffed.

Visual conventions (they survive grey-scale printing: shapes, borders, arrowheads and fill
lightness carry the meaning, hue is only a redundant cue):

============================  =================================================================
element                       drawn as
============================  =================================================================
activation / inhibition       normal arrow / tee; dual-sign regulation: dashed, open diamond
input (``X, X``)              ``invhouse`` box
read-out                      hexagon (network outputs, and nodes a fate rule reads, whose
                              label names the fate in brackets, e.g. ``NFkB [Survival]``)
other node                    ellipse
knock-out (``X%0``)           thick border, mid-grey fill, label ``KO``; its outgoing edges
                              are dotted grey (the cut)
over-expression (``X%1``)     double border, dark fill, label ``OE``
condition input               ``=0`` / ``=1`` in the label, dark fill when on
attractor value               dark fill with white text = on, white = off, light grey + ``~`` =
                              oscillating
module                        a dashed, rounded cluster named after the module
fate set (fate map)           a box headed by one square per fate, in the fate's colour from
                              :mod:`boolfate.palette` (the same as in reports and plots)
attractor (landscape)         dark double-bordered box, its border in the fate's colour
============================  =================================================================

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> from boolfate.perturbations import Perturbation
>>> net = parse_bnet("s, s\\na, s & !b\\nb, a")
>>> dot = network_diagram(net, perturbation=Perturbation.parse("b%0")).source
>>> print("\\n".join(line.strip() for line in dot.splitlines() if "->" in line))
s -> a [arrowhead=normal color="#1b7837" style=solid]
a -> b [arrowhead=normal color="#1b7837" style=solid]
b -> a [arrowhead=tee arrowsize=1.5 color="#999999" penwidth=1.0 style=dotted]
>>> "KO" in dot and "invhouse" in dot
True
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphviz

from boolfate.bundle import Bundle, Condition
from boolfate.engines import Attractor, from_states
from boolfate.errors import BoolfateError, EngineLimitError
from boolfate.expr import evaluate, variables
from boolfate.fates import base_fate
from boolfate.logic import edge_sign
from boolfate.model import Network
from boolfate.palette import fate_colour
from boolfate.perturbations import Perturbation, apply
from boolfate.types import Value

__all__ = [
    "GraphvizNotFoundError",
    "DIAGRAM_FORMATS",
    "LANDSCAPE_MAX_STATES",
    "network_diagram",
    "fate_map_diagram",
    "landscape_diagram",
    "Landscape",
    "commitment_landscape",
    "render",
    "to_svg",
    "have_dot",
]

DIAGRAM_FORMATS = (".svg", ".png", ".pdf", ".dot", ".gv")
"""Output suffixes :func:`render` accepts (``.dot`` / ``.gv`` write the DOT source)."""

LANDSCAPE_MAX_STATES = 200_000
"""Default cap on the states reachable from the initial state that a landscape enumerates."""

INSTALL_HINT = (
    "install Graphviz to render it (e.g. 'apt-get install graphviz', 'brew install graphviz' "
    "or 'conda install -c conda-forge graphviz')"
)

# grey levels: on = dark, off = white, oscillating = light, knocked out = mid grey
_ON, _OFF, _OSC, _KO = "#4d4d4d", "#ffffff", "#e0e0e0", "#a8a8a8"
_ACT, _INH, _DUAL, _CUT = "#1b7837", "#b2182b", "#555555", "#999999"
_FONT = "Helvetica"


class GraphvizNotFoundError(BoolfateError):
    """Graphviz's ``dot`` is not installed; the DOT source was written instead.

    Attributes
    ----------
    dot_path
        Where the DOT source was written.
    """

    def __init__(self, message: str, dot_path: Path) -> None:
        super().__init__(message)
        self.dot_path = dot_path


def have_dot() -> bool:
    """True when Graphviz's ``dot`` executable is on the ``PATH``."""
    return shutil.which("dot") is not None


# --------------------------------------------------------------------------------------------
# network diagram


def _as_perturbation(value: Perturbation | str | None, network: Network, what: str) -> Perturbation:
    if value is None:
        return Perturbation()
    pert = value if isinstance(value, Perturbation) else Perturbation.parse(value)
    return pert.check(network, context=what)


def _fate_markers(bundle: Bundle | None) -> dict[str, list[str]]:
    """Node -> names of the fates it marks (in rule order).

    A fate's markers are the nodes that activate its rule (``NFkB`` in
    ``NFkB & !CASP3``); a rule without any (``!ATP``) is marked on the nodes it reads.
    """
    out: dict[str, list[str]] = {}
    if bundle is None:
        return out
    for rule in bundle.fates.rules:
        names = sorted(variables(rule.expr))
        positive = [v for v in names if edge_sign(rule.expr, v) == "+"]
        for var in positive or names:
            out.setdefault(var, []).append(rule.name)
    return out


def _attractor_values(
    attractor: Any, nodes: Sequence[str]
) -> tuple[dict[str, Value], frozenset[str], str]:
    """(fixed values, oscillating nodes, caption) of an Attractor, FateAttractor or mapping."""
    fate = ""
    if hasattr(attractor, "attractor") and hasattr(attractor, "fate"):
        fate = str(attractor.fate)
        attractor = attractor.attractor
    if isinstance(attractor, Attractor):
        osc = frozenset(attractor.oscillating)
        kind = "fixed point" if not osc else f"cyclic, {attractor.size} states"
        caption = f"attractor ({kind}{', fate ' + fate if fate else ''})"
        return dict(attractor.values), osc, caption
    if isinstance(attractor, Mapping):
        values: dict[str, Value] = {n: 1 if attractor[n] else 0 for n in nodes if n in attractor}
        return values, frozenset(), "state"
    raise TypeError(
        f"attractor must be an Attractor, a FateAttractor or a mapping, not {attractor!r}"
    )


def network_diagram(
    source: Bundle | Network,
    *,
    perturbation: Perturbation | str | None = None,
    condition: Condition | Perturbation | str | None = None,
    attractor: Any = None,
    title: str | None = None,
    legend: bool = True,
) -> graphviz.Digraph:
    """Build the signed interaction graph of a network or bundle, with optional overlays.

    Parameters
    ----------
    source
        A :class:`~boolfate.bundle.Bundle` (modules become clusters, fate read-outs are marked)
        or a bare :class:`~boolfate.model.Network`.
    perturbation
        Mutations / drugs to mark: ``X%0`` as knock-out (KO), ``X%1`` as over-expression (OE).
    condition
        Input values to show: a condition name (bundles only), a :class:`Condition`, a
        :class:`Perturbation` or a ``"TNF%1 FASL%0"`` string. None shows no condition.
    attractor
        An :class:`~boolfate.engines.Attractor`, a
        :class:`~boolfate.analysis.FateAttractor` or a ``{node: 0/1}`` mapping whose values
        fill the nodes (dark = on, white = off, light grey ``~`` = oscillating).
    title
        Graph caption (default: the network name and the overlays).
    legend
        Append a one-line key to the caption.

    Returns
    -------
    graphviz.Digraph
        Nodes in network order, edges sorted by (regulator, target) network position; input
        self-loops are omitted.
    """
    bundle = source if isinstance(source, Bundle) else None
    network = source.network if isinstance(source, Bundle) else source
    pert = _as_perturbation(perturbation, network, "perturbation")
    cond, cond_name = _resolve_condition(condition, bundle, network)
    style = _NodeStyle(
        inputs=frozenset(network.inputs),
        outputs=frozenset(network.outputs),
        markers=_fate_markers(bundle),
        condition=cond.mapping,
        fixes=pert.mapping,
    )
    caption = ""
    if attractor is not None:
        style.values, style.oscillating, caption = _attractor_values(attractor, network.nodes)

    graph = graphviz.Digraph(name=network.name, strict=False)
    graph.attr(
        "graph",
        rankdir="TB",
        splines="true",
        nodesep="0.25",
        ranksep="0.45",
        fontname=_FONT,
        fontsize="12",
        labelloc="t",
        newrank="true",
        outputorder="edgesfirst",
    )
    graph.attr(
        "node",
        fontname=_FONT,
        fontsize="11",
        style="filled",
        fillcolor=_OFF,
        color="black",
        margin="0.06,0.03",
        height="0.35",
    )
    graph.attr("edge", arrowsize="0.9", penwidth="1.3")
    _add_nodes(graph, network, bundle.modules if bundle is not None else {}, style)
    _add_edges(graph, network, style)

    parts = [title if title is not None else network.name]
    if title is None:
        parts += [f"condition {cond_name}"] if cond_name else []
        parts += [f"perturbation {pert}"] if pert else []
        parts += [caption] if caption else []
    text = " | ".join(parts)
    if legend:
        key = (
            "key: arrow = activation, tee = inhibition, dashed diamond = dual sign; "
            "house = input, hexagon = read-out [fate]\\nKO = knock-out (thick border, "
            "its regulations dotted), OE = over-expression (double border)"
        )
        if style.values or style.oscillating:
            key += "; dark = on, white = off, ~ = oscillating"
        elif style.condition:
            key += "; dark = input on"
        text += "\\n" + key
    graph.attr("graph", label=text)
    return graph


def _resolve_condition(
    condition: Condition | Perturbation | str | None, bundle: Bundle | None, network: Network
) -> tuple[Perturbation, str]:
    if isinstance(condition, Condition):
        return condition.perturbation, condition.name
    if isinstance(condition, str) and bundle is not None and "%" not in condition:
        found = bundle.condition(condition)
        return found.perturbation, found.name
    cond = _as_perturbation(condition, network, "condition")
    return cond, str(cond)


@dataclass
class _NodeStyle:
    """What decides how a node of the network diagram looks."""

    inputs: frozenset[str]
    outputs: frozenset[str]
    markers: Mapping[str, list[str]]
    condition: Mapping[str, Value]
    fixes: Mapping[str, Value]
    values: Mapping[str, Value] = field(default_factory=dict)
    oscillating: frozenset[str] = frozenset()

    def shape(self, node: str) -> str:
        if node in self.inputs:
            return "invhouse"
        if node in self.outputs or node in self.markers:
            return "hexagon"
        return "ellipse"

    def fill_and_label(self, node: str) -> tuple[str, str]:
        label, fill = node, _OFF
        if node in self.markers:
            label += "\\n[" + ", ".join(self.markers[node]) + "]"
        if node in self.condition and node not in self.fixes:
            label += f"={self.condition[node]}"
            fill = _ON if self.condition[node] else _OFF
        if node in self.values:
            fill = _ON if self.values[node] else _OFF
        elif node in self.oscillating:
            fill, label = _OSC, label + " ~"
        return fill, label

    def attrs(self, node: str) -> dict[str, str]:
        fill, label = self.fill_and_label(node)
        attrs = {"shape": self.shape(node)}
        if self.fixes.get(node) == 0:
            label, fill = label + "\\nKO", _KO
            attrs.update(penwidth="3", style="filled,bold")
        elif node in self.fixes:
            label, fill = label + "\\nOE", _ON
            attrs["peripheries"] = "2"
        if fill != _OFF:
            attrs["fillcolor"] = fill
        if fill == _ON:
            attrs["fontcolor"] = "white"
        attrs["label"] = label
        return attrs


def _add_nodes(
    graph: graphviz.Digraph,
    network: Network,
    modules: Mapping[str, tuple[str, ...]],
    style: _NodeStyle,
) -> None:
    """Nodes in network order; a node in several modules goes to the first cluster."""
    members: dict[str, str] = {}
    for module, nodes in modules.items():
        for n in nodes:
            members.setdefault(n, module)
    for module in modules:
        in_module = [n for n in network.nodes if members.get(n) == module]
        if not in_module:
            continue
        with graph.subgraph(name=f"cluster_{module}") as sub:
            if all(n in style.inputs for n in in_module):
                sub.attr(rank="min")  # environment on top
            sub.attr(
                label=module,
                style="rounded,dashed",
                color="#808080",
                fontsize="11",
                fontcolor="#404040",
                margin="8",
            )
            for n in in_module:
                sub.node(n, **style.attrs(n))
    loose = [n for n in network.nodes if n not in members]
    with graph.subgraph() as top:
        top.attr(rank="min")
        for n in (n for n in loose if n in style.inputs):
            top.node(n, **style.attrs(n))
    for n in (n for n in loose if n not in style.inputs):
        graph.node(n, **style.attrs(n))


def _add_edges(graph: graphviz.Digraph, network: Network, style: _NodeStyle) -> None:
    """Edges sorted by (regulator, target) network position; input self-loops omitted."""
    pos = network.index
    edges = sorted(
        network.interaction_graph().edges(data="sign"), key=lambda e: (pos[e[0]], pos[e[1]])
    )
    for reg, target, sign in edges:
        if reg == target and reg in style.inputs:
            continue
        attrs = {
            "+": {"arrowhead": "normal", "color": _ACT, "style": "solid"},
            "-": {"arrowhead": "tee", "color": _INH, "style": "solid", "arrowsize": "1.5"},
        }.get(sign, {"arrowhead": "odiamond", "color": _DUAL, "style": "dashed"})
        if reg in style.fixes or (reg in style.condition and reg not in style.inputs):
            attrs = {**attrs, "style": "dotted", "color": _CUT, "penwidth": "1.0"}
        graph.edge(reg, target, **attrs)


# --------------------------------------------------------------------------------------------
# fate map


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


# --------------------------------------------------------------------------------------------
# landscape (commitment diagram)


@dataclass(frozen=True)
class Landscape:
    """The exact asynchronous commitment structure from one initial state.

    Attributes
    ----------
    attractors
        Reachable attractors in canonical order (as ``boolfate attractors`` lists them).
    fates
        The fate of each attractor.
    classes
        Commitment classes: the sets of attractor indices (0-based) reachable from a state,
        largest first; ``classes[i]`` has ``sizes[i]`` states.
    sizes
        Number of reachable states in each class.
    transitions
        ``(i, j) -> n``: ``n`` asynchronous transitions from class ``i`` to class ``j != i``.
    initial_class
        Index of the class of the initial state.
    free_nodes
        Nodes that can change (the others are constant from the initial state on), without
        ``readouts``.
    states
        Reachable states, projected on ``free_nodes``.
    readouts
        Driven read-outs left out of the state graph: non-constant nodes no other node reads
        (peeled layer by layer). They follow the rest and cannot change which attractors are
        reachable, so classes, counts and transitions are over the other nodes; attractors
        include them.
    """

    attractors: tuple[Attractor, ...]
    fates: tuple[str, ...]
    classes: tuple[frozenset[int], ...]
    sizes: tuple[int, ...]
    transitions: Mapping[tuple[int, int], int]
    initial_class: int
    free_nodes: tuple[str, ...]
    states: int
    readouts: tuple[str, ...] = ()


def _driven_readouts(network: Network) -> list[str]:
    """Read-out nodes that nothing else reads, peeled layer by layer (no self-loops).

    They follow the rest of the network and cannot change which attractors it reaches, so the
    landscape is computed without them (and they are restored in the attractors).
    """
    removed: list[str] = []
    gone: set[str] = set()
    while True:
        used: set[str] = set()
        for n, f in network.rules:
            if n not in gone:
                used.update(v for v in variables(f) if v != n)
        layer = [
            n for n, f in network.rules if n not in gone and n not in used and n not in variables(f)
        ]
        if not layer:
            return removed
        removed.extend(layer)
        gone.update(layer)


def _reach_masks(
    adj: Mapping[int, list[int]], targets: list[tuple[int, list[int]]]
) -> dict[int, int]:
    """State -> bit mask of the attractors (bit = index) it can reach (backward search)."""
    reverse: dict[int, list[int]] = {s: [] for s in adj}
    for s, succ in adj.items():
        for t in succ:
            reverse[t].append(s)
    reach: dict[int, int] = dict.fromkeys(adj, 0)
    for index, comp in targets:
        seen = set(comp)
        todo = list(comp)
        while todo:
            t = todo.pop()
            reach[t] |= 1 << index
            todo.extend(s for s in reverse[t] if s not in seen)
            seen.update(reverse[t])
    return reach


def _explore(
    start: int, funcs: list[Any], cap: int, what: str, n_free: int, n_driven: int
) -> dict[int, list[int]]:
    """Asynchronous successors of every state reachable from ``start`` (packed ints)."""
    from boolfate.engines.stg import explore

    where = f" ({what})" if what else ""
    without = f", not counting {n_driven} downstream-only nodes" if n_driven else ""
    return explore(
        [start],
        funcs,
        cap,
        lambda: EngineLimitError(
            f"landscape{where}: more than max_states={cap} states are reachable "
            f"from the initial state ({n_free} free nodes after percolating "
            f"constants{without}); the commitment diagram needs the explicit state "
            "graph. Add a perturbation that fixes more nodes, or raise the limit "
            "(--max-states; about 0.5 kB of memory per state)"
        ),
    )


def commitment_landscape(
    network: Network,
    initial: Mapping[str, Value],
    *,
    classify: Any = None,
    max_states: int = LANDSCAPE_MAX_STATES,
    what: str = "",
) -> Landscape:
    """Compute the commitment classes of the states reachable from ``initial`` (exact, async).

    Parameters
    ----------
    network
        The already perturbed network.
    initial
        A full initial state.
    classify
        ``Attractor -> fate name`` (default: every attractor is ``"attractor"``).
    max_states
        Refuse with :class:`~boolfate.errors.EngineLimitError` beyond this many reachable
        states (the state graph is explicit: roughly 0.5 kB of memory per state).
    what
        Describes the setting in the refusal message.
    """
    from boolfate.engines.stg import compile_rules, terminal_components
    from boolfate.percolation import stable_values

    missing = [n for n in network.nodes if n not in initial]
    if missing:
        raise BoolfateError(f"the initial state gives no value to {', '.join(missing[:5])}")
    values = stable_values(network, initial)
    driven = _driven_readouts(network)
    core = Network(tuple((n, f) for n, f in network.rules if n not in driven), name=network.name)
    free = [n for n in core.nodes if n not in values]
    funcs = compile_rules(core, free, values)
    start = sum(initial[n] << i for i, n in enumerate(free))
    adj = _explore(start, funcs, max_states, what, len(free), len(driven))
    terminal = terminal_components(adj)

    def full_state(s: int) -> dict[str, Value]:
        state: dict[str, Value] = {
            n: values[n] if n in values else (1 if s >> free.index(n) & 1 else 0)
            for n in core.nodes
        }
        for n in reversed(driven):  # the last removed read only core nodes
            state[n] = 1 if evaluate(network.functions[n], state) else 0
        return state

    full_free = [n for n in network.nodes if n not in values]
    full_funcs = compile_rules(network, full_free, values)
    found: list[tuple[Attractor, list[int]]] = []
    for comp in terminal:
        # every full state above this core attractor reaches this one (the read-outs catch
        # up), so the full attractor is what is reachable from it
        seed = full_state(min(comp))
        packed = sum(seed[n] << i for i, n in enumerate(full_free))
        cap = max(max_states, 4 * len(comp))
        states = _explore(packed, full_funcs, cap, what, len(full_free), 0)
        tuples = [
            tuple(
                values[n] if n in values else (1 if s >> full_free.index(n) & 1 else 0)
                for n in network.nodes
            )
            for s in states
        ]
        found.append((from_states(network, tuples), comp))
    found.sort(key=lambda pair: (pair[0].sort_key(), min(pair[1])))  # as sort_attractors
    ordered = tuple(a for a, _ in found)
    reach = _reach_masks(adj, [(i, comp) for i, (_, comp) in enumerate(found)])
    counts: dict[int, int] = {}
    for mask in reach.values():
        counts[mask] = counts.get(mask, 0) + 1
    masks = sorted(counts, key=lambda m: (-bin(m).count("1"), [i for i in range(64) if m >> i & 1]))
    cls_index = {m: i for i, m in enumerate(masks)}
    transitions: dict[tuple[int, int], int] = {}
    for s, succ in adj.items():
        a = cls_index[reach[s]]
        for t in succ:
            b = cls_index[reach[t]]
            if a != b:
                transitions[(a, b)] = transitions.get((a, b), 0) + 1
    fates = tuple(str(classify(a)) if classify else "attractor" for a in ordered)
    return Landscape(
        attractors=ordered,
        fates=fates,
        classes=tuple(frozenset(i for i in range(len(ordered)) if m >> i & 1) for m in masks),
        sizes=tuple(counts[m] for m in masks),
        transitions=dict(sorted(transitions.items())),
        initial_class=cls_index[reach[start]],
        free_nodes=tuple(free),
        states=len(adj),
        readouts=tuple(n for n in network.nodes if n in driven and n not in values),
    )


def landscape_diagram(
    source: Bundle | Network,
    condition: Condition | str | None = None,
    perturbation: Perturbation | str | None = None,
    *,
    initial: Mapping[str, Value] | None = None,
    max_states: int = LANDSCAPE_MAX_STATES,
) -> graphviz.Digraph:
    """Build the fate landscape: reachable attractors and the commitment classes leading there.

    Every state reachable from the initial state (asynchronous update, explicit state graph,
    after percolating the constants) is grouped by the set of attractors it can still reach.
    Each group is a node with its state count; an edge means some transition leads from one
    group to another (its label counts them). Groups that can reach one attractor only are
    committed; the attractors hang below them with their fates.

    Parameters
    ----------
    source
        A bundle (its condition, initial state and fate rules are used) or a bare network
        (then ``initial`` is required and attractors are unnamed).
    condition
        Condition name, spec or :class:`Condition` (bundles; None = the default condition).
    perturbation
        Mutations / drugs applied on top of the condition.
    initial
        Override the initial state (required for a bare network; condition and perturbation
        values are applied on top of it).
    max_states
        Refuse beyond this many reachable states (:class:`~boolfate.errors.EngineLimitError`).
    """
    bundle = source if isinstance(source, Bundle) else None
    network = source.network if isinstance(source, Bundle) else source
    pert = _as_perturbation(perturbation, network, "perturbation")
    if bundle is not None:
        cond = condition if isinstance(condition, Condition) else bundle.condition(condition)
        start = dict(initial) if initial is not None else bundle.initial_state(cond, pert)
        start.update(cond.perturbation.mapping)
        start.update(pert.mapping)
        cond_pert, cond_name = cond.perturbation, cond.name
    else:
        if initial is None:
            raise BoolfateError("a landscape of a bare network needs an initial state")
        cond_pert = (
            condition.perturbation
            if isinstance(condition, Condition)
            else _as_perturbation(condition, network, "condition")
        )
        cond_name = str(cond_pert)
        start = {**initial, **cond_pert.mapping, **pert.mapping}
    perturbed = apply(network, cond_pert + pert)
    what = f"{network.name}, condition {cond_name or 'none'}, {pert.label()}"
    land = commitment_landscape(
        perturbed,
        start,
        classify=bundle.fates.classify if bundle else None,
        max_states=max_states,
        what=what,
    )

    readouts = (
        f"; left out as downstream-only (no node outside them reads them, so they cannot "
        f"change the attractors reached): {', '.join(land.readouts)}"
        if land.readouts
        else ""
    )
    graph = graphviz.Digraph(name="landscape")
    graph.attr(
        "graph",
        rankdir="TB",
        fontname=_FONT,
        fontsize="12",
        labelloc="t",
        nodesep="0.3",
        ranksep="0.5",
    )
    graph.attr(
        "node", fontname=_FONT, fontsize="10", shape="box", style="rounded,filled", fillcolor=_OFF
    )
    graph.attr("edge", fontname=_FONT, fontsize="9", color="#404040", arrowsize="0.7")
    graph.attr(
        "graph",
        label=(
            f"fate landscape: {what}\\n{land.states} reachable states over "
            f"{len(land.free_nodes)} free nodes, {len(land.attractors)} attractor(s){readouts}\\n"
            "boxes: states grouped by the attractors "
            "they can still reach (thick = initial state's group, grey = committed); "
            "edge labels: transitions"
        ),
    )

    def name(i: int) -> str:
        return f"#{i + 1} {land.fates[i]}" if bundle else f"#{i + 1}"

    for ci, (members, size) in enumerate(zip(land.classes, land.sizes, strict=True)):
        reach = ", ".join(name(i) for i in sorted(members))
        fates = sorted({land.fates[i] for i in members})
        head = "committed to" if len(members) == 1 else "can reach"
        label = f"{head} {reach}\\n{size} state{'s' if size != 1 else ''}"
        attrs = {"label": label}
        if len(members) == 1 or len(fates) == 1 and bundle is not None:
            attrs["fillcolor"] = _OSC
        if ci == land.initial_class:
            attrs.update(penwidth="3", label="initial state's group\\n" + label)
        graph.node(f"k{ci}", **attrs)
    for (a, b), n in land.transitions.items():
        graph.edge(f"k{a}", f"k{b}", label=f" {n}")
    for i, att in enumerate(land.attractors):
        kind = "fixed point" if att.is_fixed_point else f"cyclic attractor, {att.size} states"
        label = f"attractor {name(i)}\\n{kind}"
        graph.node(
            f"a{i}",
            label=label,
            shape="box",
            style="filled",
            fillcolor=_ON,
            fontcolor="white",
            peripheries="2",
            color=fate_colour(land.fates[i]),
            penwidth="3",
        )
        home = land.classes.index(frozenset({i}))
        graph.edge(f"k{home}", f"a{i}", style="dashed", arrowhead="none")
    return graph


# --------------------------------------------------------------------------------------------
# rendering


def render(digraph: graphviz.Digraph, path: str | Path) -> Path:
    """Write ``digraph`` to ``path``: ``.svg``, ``.png``, ``.pdf`` via ``dot``; ``.dot``/``.gv``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    GraphvizNotFoundError
        When ``dot`` is missing: the DOT source was written next to ``path`` (same stem,
        ``.dot``) and the message says in one line how to install Graphviz.
    BoolfateError
        On an unsupported suffix or when ``dot`` fails.
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in DIAGRAM_FORMATS:
        raise BoolfateError(
            f"cannot write '{out}': choose a file ending in {', '.join(DIAGRAM_FORMATS)}"
        )
    if suffix in (".dot", ".gv"):
        out.write_text(digraph.source, encoding="utf-8")
        return out
    if not have_dot():
        dot_path = out.with_suffix(".dot")
        dot_path.write_text(digraph.source, encoding="utf-8")
        raise GraphvizNotFoundError(
            f"Graphviz 'dot' not found: wrote the DOT source to {dot_path} instead of {out}; "
            + INSTALL_HINT,
            dot_path,
        )
    try:
        data = digraph.pipe(format=suffix[1:], quiet=True)
    except graphviz.ExecutableNotFound as exc:  # removed between the check and the call
        dot_path = out.with_suffix(".dot")
        dot_path.write_text(digraph.source, encoding="utf-8")
        raise GraphvizNotFoundError(
            f"Graphviz 'dot' not found: wrote {dot_path}; {INSTALL_HINT}", dot_path
        ) from exc
    except graphviz.CalledProcessError as exc:
        err = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
        raise BoolfateError(f"Graphviz failed to render {out}: {err[-1] if err else exc}") from exc
    out.write_bytes(data)
    return out


def to_svg(digraph: graphviz.Digraph) -> str | None:
    """Return ``digraph`` as an inline ``<svg>`` element (no XML prolog), or None without ``dot``.

    For embedding in HTML reports; a caller without ``dot`` can fall back to ``digraph.source``.
    """
    if not have_dot():
        return None
    try:
        svg = str(digraph.pipe(format="svg", quiet=True).decode("utf-8"))
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError):
        return None
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
