"""What a screen screens: :class:`ScreenItem` sets (wild type, scenarios, singles, pairs, lists)
and the conditions, resolved with the one grammar of :mod:`boolfate.resolve`.

Examples
--------
>>> from boolfate.bundle import load_bundle
>>> calzone = load_bundle("calzone2010")
>>> [i.label for i in screen_items(calzone, listed=parse_perturbation_list("casp8_ko", calzone))]
['WT', 'CASP8%0']
>>> len(single_items(screenable_nodes(calzone))), resolve_conditions(calzone)
(44, ['TNF'])
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from boolfate.bundle import Bundle
from boolfate.errors import BoolfateError
from boolfate.expr import Const
from boolfate.model import Network
from boolfate.perturbations import Perturbation
from boolfate.resolve import resolve_perturbation
from boolfate.types import Value

__all__ = [
    "PAIR_KINDS",
    "KIND_ORDER",
    "ScreenItem",
    "screenable_nodes",
    "single_items",
    "constant_rules",
    "pair_items",
    "parse_perturbation_list",
    "screen_items",
    "resolve_conditions",
]

PAIR_KINDS: tuple[str, ...] = ("ko-ko", "ko-oe", "oe-oe")
"""Selectable kinds of pairs: two knock-outs, one of each, two over-expressions."""

KIND_ORDER: tuple[str, ...] = ("wild type", "scenario", "single", "pair", "list")
"""Order of the item kinds in reports."""


@dataclass(frozen=True)
class ScreenItem:
    """One perturbation to screen, with where it came from.

    Attributes
    ----------
    perturbation
        The node fixes (empty = wild type).
    kind
        ``"wild type"``, ``"scenario"``, ``"single"``, ``"pair"`` or ``"list"``.
    name
        Scenario name(s), or the list file's ``file:line``; empty for generated items.
    description
        A scenario's description.
    """

    perturbation: Perturbation
    kind: str = "single"
    name: str = ""
    description: str = ""

    @property
    def label(self) -> str:
        """``NODE%0`` text, ``WT`` for the wild type."""
        return self.perturbation.label()


def screenable_nodes(bundle: Bundle, *, include_inputs: bool = False) -> tuple[str, ...]:
    """Nodes of the automatic single / pair sets, in network order.

    By default the network's inputs (``X, X``) and read-outs (nodes that regulate no other node,
    e.g. ``Apoptosis``) are left out: fixing them tests nothing but the definition. Fate-rule
    variables that regulate other nodes (``NFkB``, ``CASP3``) stay: they are real molecules.
    """
    net = bundle.network
    if include_inputs:
        return net.nodes
    skip = set(net.inputs) | set(net.outputs)
    return tuple(n for n in net.nodes if n not in skip)


def single_items(
    nodes: Sequence[str], constants: Mapping[str, Value] | None = None
) -> list[ScreenItem]:
    """Every knock-out and over-expression of ``nodes`` (``A%0``, ``A%1``, ``B%0`` ...).

    A node whose rule is the constant ``v`` (in ``constants``) gets no ``%v``: fixing it to
    the value it already has would be the wild type again.
    """
    fixed = constants or {}
    return [
        ScreenItem(Perturbation.from_mapping({n: v}), "single")
        for n in nodes
        for v in (0, 1)
        if fixed.get(n) != v
    ]


def constant_rules(network: Network) -> dict[str, Value]:
    """Nodes whose rule is the constant 0 or 1, with that value."""
    return {n: 1 if f.value else 0 for n, f in network.rules if isinstance(f, Const)}


def pair_items(nodes: Sequence[str], kinds: Iterable[str] = ("ko-ko",)) -> list[ScreenItem]:
    """Every pair of distinct ``nodes`` of the selected ``kinds`` (see :data:`PAIR_KINDS`)."""
    chosen = set(kinds)
    unknown = chosen - set(PAIR_KINDS)
    if unknown:
        raise BoolfateError(
            f"unknown pair kind '{sorted(unknown)[0]}'; choose from {', '.join(PAIR_KINDS)}"
        )
    out: list[ScreenItem] = []
    for a, b in itertools.combinations(nodes, 2):
        combos: list[tuple[Value, Value]] = []
        if "ko-ko" in chosen:
            combos.append((0, 0))
        if "ko-oe" in chosen:
            combos += [(0, 1), (1, 0)]
        if "oe-oe" in chosen:
            combos.append((1, 1))
        out += [ScreenItem(Perturbation.from_mapping({a: x, b: y}), "pair") for x, y in combos]
    return out


def parse_perturbation_list(
    text: str, model: Bundle | Network, *, source: str = "<list>"
) -> list[ScreenItem]:
    """Parse a list file: one perturbation per line (``CASP8%0 RIP1%1`` or scenario names),
    ``#`` comments.

    Raises
    ------
    BoolfateError
        With ``source:line`` on bad syntax, an unknown node or scenario, or a contradiction.

    Examples
    --------
    >>> from boolfate.bnet import parse_bnet
    >>> net = parse_bnet("a, !b\\nb, !a")
    >>> [i.label for i in parse_perturbation_list("# doubles\\na%0 b%1\\n\\nb%0  # one", net)]
    ['a%0 b%1', 'b%0']
    >>> parse_perturbation_list("a%0\\nc%1", net, source="my.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    boolfate.errors.BoolfateError: my.txt:2: unknown node 'c' (the network ...
    """
    network = model.network if isinstance(model, Bundle) else model
    scenarios = model.scenarios if isinstance(model, Bundle) else {}
    out: list[ScreenItem] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{source}:{lineno}"
        try:
            pert = resolve_perturbation(line, network, scenarios, where=where)
        except BoolfateError as exc:
            message = str(exc).replace(f" in {where}", "")
            raise BoolfateError(f"{where}: {message}") from exc
        out.append(ScreenItem(pert, "list", where))
    return out


def screen_items(
    bundle: Bundle,
    *,
    scenarios: bool = False,
    singles: bool = False,
    pairs: Iterable[str] = (),
    listed: Sequence[ScreenItem] = (),
    include_inputs: bool = False,
) -> list[ScreenItem]:
    """The wild type followed by the selected sets, without duplicate perturbations.

    A perturbation met twice keeps its first kind and collects the scenario names.
    """
    nodes = screenable_nodes(bundle, include_inputs=include_inputs)
    candidates: list[ScreenItem] = [ScreenItem(Perturbation(), "wild type")]
    if scenarios:
        candidates += [
            ScreenItem(s.perturbation, "scenario", s.name, s.description)
            for s in bundle.scenarios.values()
        ]
    if singles:
        candidates += single_items(nodes, constant_rules(bundle.network))
    kinds = tuple(pairs)
    if kinds:
        candidates += pair_items(nodes, kinds)
    candidates += list(listed)
    seen: dict[Perturbation, int] = {}
    out: list[ScreenItem] = []
    for item in candidates:
        if item.perturbation in seen:
            i = seen[item.perturbation]
            if item.kind == "scenario":
                prev = out[i]
                name = f"{prev.name}, {item.name}" if prev.name else item.name
                desc = prev.description or item.description
                out[i] = replace(prev, name=name, description=desc)
            continue
        seen[item.perturbation] = len(out)
        out.append(item)
    return out


def resolve_conditions(
    bundle: Bundle, names: Sequence[str] = (), *, all_conditions: bool = False
) -> list[str]:
    """Condition names to screen: all named ones, the given ones, or the bundle's default."""
    if all_conditions:
        return list(bundle.conditions) or [bundle.condition(None).name]
    if names:
        for name in names:
            bundle.condition(name)
        return list(dict.fromkeys(names))
    return [bundle.condition(None).name]
