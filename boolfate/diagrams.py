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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import graphviz

from boolfate.attractor import Attractor
from boolfate.bundle import Bundle, Condition
from boolfate.diagram_style import _ACT, _CUT, _DUAL, _FONT, _INH, _KO, _OFF, _ON, _OSC
from boolfate.dot import (
    DIAGRAM_FORMATS,
    GraphvizNotFoundError,
    have_dot,
    render,
    to_svg,
)
from boolfate.errors import BoolfateError
from boolfate.expr import variables
from boolfate.fatemap import fate_map_diagram
from boolfate.landscape import LANDSCAPE_MAX_STATES, Landscape, commitment_landscape
from boolfate.logic import edge_sign
from boolfate.model import Network
from boolfate.palette import fate_colour
from boolfate.perturbations import Perturbation, apply
from boolfate.question import ask
from boolfate.resolve import resolve_condition, resolve_perturbation
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

# --------------------------------------------------------------------------------------------
# network diagram


def _as_perturbation(
    value: Perturbation | str | None, network: Network, what: str, bundle: Bundle | None = None
) -> Perturbation:
    scenarios = bundle.scenarios if bundle is not None else None
    return resolve_perturbation(value, network, scenarios, where=what)


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
    pert = _as_perturbation(perturbation, network, "perturbation", bundle)
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
    if condition is None:
        return Perturbation(), ""
    named = bundle.conditions if bundle is not None else {}
    found = resolve_condition(condition, network, named)
    return found.perturbation, found.name


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
# landscape (commitment diagram): the analysis is boolfate.landscape, drawn here


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
    if bundle is not None:
        question = ask(bundle, condition, perturbation)
        cond, pert = question.condition, question.perturbation
        start = dict(initial) if initial is not None else bundle.initial_state(cond, pert)
        start.update(cond.perturbation.mapping)
        start.update(pert.mapping)
        cond_pert, cond_name = cond.perturbation, cond.name
    else:
        if initial is None:
            raise BoolfateError("a landscape of a bare network needs an initial state")
        pert = _as_perturbation(perturbation, network, "perturbation")
        cond_pert, cond_name = _resolve_condition(condition, None, network)
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
