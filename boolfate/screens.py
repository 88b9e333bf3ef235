"""Perturbation screens: which fates each knock-out / over-expression produces, and why.

A screen crosses a list of :class:`ScreenItem` (the wild type, the bundle's scenarios, all single
knock-outs and over-expressions, pairs, or an explicit list) with one or more named conditions.
Each perturbation × condition gives one frozen :class:`ScreenRow`:

* ``reachable_fates``: fates of the attractors reachable from the initial state (exact
  asynchronous dynamics; ``None`` with ``update="mp"``, where reachability is not computed);
* ``attractor_fates``: fates of every attractor of the perturbed network (exact asynchronous
  attractors with ``update="async"``; minimal trap spaces, i.e. most-permissive attractors,
  with ``update="mp"``);
* the change against the wild type under the same condition (``lost``, ``gained``, ``change``);
* for two-node perturbations, the fate-level interaction with the two singles
  (``synergy`` when the pair gains or loses a fate that neither single does);
* an explanation: the percolation trace of the condition and perturbation, and the fates that
  percolation alone already excludes or forces.

This module does no file I/O; :mod:`boolfate.runner` writes files and runs rows in parallel.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> from boolfate.bundle import bundle_from_toml
>>> net = parse_bnet("s, s\\na, s & !b\\nb, !a\\ndead, a\\nalive, b")
>>> toy = bundle_from_toml(net, {"fates": {"Death": "dead", "Life": "alive"},
...                              "conditions": {"on": "s%1"}}, src="toy", name="toy", path=None)
>>> items = screen_items(toy, singles=True)
>>> [item.label for item in items]
['WT', 'a%0', 'a%1', 'b%0', 'b%1']
>>> rows = sorted_rows(run_screen(toy, items, ["on"]), items, ["on"])
>>> [(r.label, r.reachable_fates, r.change) for r in rows]  # doctest: +NORMALIZE_WHITESPACE
[('WT', ('Death', 'Life'), 'reference'), ('a%0', ('Life',), 'lost'),
 ('a%1', ('Death',), 'lost'), ('b%0', ('Death',), 'lost'), ('b%1', ('Life',), 'lost')]
>>> rows[2].decision
'percolation alone forces Death (dead=1) and excludes Life (alive=0)'
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from boolfate.bundle import Bundle, Condition
from boolfate.engines import Limits, attractors, attractors_and_reachable
from boolfate.errors import BoolfateError, PerturbationSyntaxError
from boolfate.expr import Const, format_expr, substitute, variables
from boolfate.fates import base_fate
from boolfate.model import Network
from boolfate.percolation import percolate, stable_values
from boolfate.perturbations import Perturbation, apply
from boolfate.types import UpdateScheme, Value

__all__ = [
    "PAIR_KINDS",
    "ScreenItem",
    "Outcome",
    "ScreenRow",
    "Task",
    "screen_items",
    "screenable_nodes",
    "single_items",
    "constant_rules",
    "pair_items",
    "parse_perturbation_list",
    "resolve_conditions",
    "evaluate",
    "make_row",
    "run_screen",
    "sorted_rows",
    "row_key",
    "KIND_ORDER",
]

PAIR_KINDS: tuple[str, ...] = ("ko-ko", "ko-oe", "oe-oe")
"""Selectable kinds of pairs: two knock-outs, one of each, two over-expressions."""

KIND_ORDER: tuple[str, ...] = ("wild type", "scenario", "single", "pair", "list")
"""Order of the item kinds in reports."""


# --------------------------------------------------------------------------------------------
# What to screen
# --------------------------------------------------------------------------------------------


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
    text: str, network: Network, *, source: str = "<list>"
) -> list[ScreenItem]:
    """Parse a list file: one perturbation per line (``CASP8%0 RIP1%1``), ``#`` comments.

    Raises
    ------
    BoolfateError
        With ``source:line`` on bad syntax or an unknown node.

    Examples
    --------
    >>> from boolfate.bnet import parse_bnet
    >>> net = parse_bnet("a, !b\\nb, !a")
    >>> [i.label for i in parse_perturbation_list("# doubles\\na%0 b%1\\n\\nb%0  # one", net)]
    ['a%0 b%1', 'b%0']
    >>> parse_perturbation_list("a%0\\nc%1", net, source="my.txt")
    Traceback (most recent call last):
    ...
    boolfate.errors.BoolfateError: my.txt:2: unknown node 'c'
    """
    out: list[ScreenItem] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{source}:{lineno}"
        try:
            pert = Perturbation.parse(line)
        except PerturbationSyntaxError as exc:
            raise BoolfateError(f"{where}: {exc}") from exc
        for node in pert.nodes:
            if node not in network.index:
                from boolfate.errors import suggest

                raise BoolfateError(f"{where}: unknown node '{node}'{suggest(node, network.nodes)}")
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


def _condition(bundle: Bundle, name: str) -> Condition:
    if name == "none" and name not in bundle.conditions and bundle.default_condition is None:
        return bundle.condition(None)
    return bundle.condition(name)


# --------------------------------------------------------------------------------------------
# One perturbation under one condition
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What the engines say for one perturbation under one condition (no comparison yet)."""

    reachable_fates: tuple[str, ...] | None
    attractor_fates: tuple[str, ...]
    n_reachable: int | None
    n_attractors: int
    trace: tuple[str, ...]
    decision: str
    probabilities: Mapping[str, float] | None = None

    @property
    def fates(self) -> tuple[str, ...]:
        """The fates compared across rows: reachable ones when computed, else all attractors'."""
        return self.reachable_fates if self.reachable_fates is not None else self.attractor_fates


Task = tuple[Perturbation, str]
"""One unit of work: (perturbation, condition name)."""


def _fate_order(bundle: Bundle, fates: Iterable[str]) -> tuple[str, ...]:
    order = {name: i for i, name in enumerate(bundle.fates.names)}
    return tuple(
        sorted(
            set(fates),
            key=lambda f: (order.get(base_fate(f), len(order)), f != base_fate(f), f),
        )
    )


def _decision(bundle: Bundle, values: Mapping[str, Value]) -> str:
    """Which fates percolation alone forces or excludes (the deciding statement)."""
    forced: list[str] = []
    excluded: list[str] = []
    open_before = False  # an earlier rule might still match (first match wins)
    for rule in bundle.fates.rules:
        reduced = substitute(rule.expr, values)
        if not isinstance(reduced, Const):
            open_before = True
            continue
        used = sorted(variables(rule.expr) & set(values), key=bundle.network.index.__getitem__)
        why = " ".join(f"{n}={values[n]}" for n in used)
        if not reduced.value:
            excluded.append(f"{rule.name} ({why})")
        elif not open_before and not forced:
            forced.append(f"{rule.name} ({why})")
    parts: list[str] = []
    if forced:
        parts.append("forces " + forced[0])
    if excluded:
        parts.append("excludes " + ", ".join(excluded))
    if not parts:
        return "percolation decides no fate; the dynamics choose"
    return "percolation alone " + " and ".join(parts)


def evaluate(
    bundle: Bundle,
    perturbation: Perturbation,
    condition: str,
    *,
    update: UpdateScheme = "async",
    cache: dict[Any, Any] | None = None,
    trajectories: int = 0,
    limits: Limits | None = None,
) -> Outcome:
    """Compute the fates of one perturbation under one condition (the expensive step).

    With ``update="async"`` the reachable fates are exact asynchronous reachability from the
    bundle's initial state and ``attractor_fates`` are the fates of all exact asynchronous
    attractors (engine ``aeon``). With ``update="mp"`` only the minimal trap spaces are computed.

    With ``trajectories > 0`` the row also gets final fate probabilities from that many
    stochastic trajectories (MaBoSS semantics, :func:`boolfate.simulate.simulate_bundle`).

    ``cache`` (any dict kept between calls) re-uses answers for perturbations that percolate
    to the same reduced network and initial state. ``limits`` bound the trap-space engine
    (``max_results``: the CLI's ``--max-results``).
    """
    cond = _condition(bundle, condition)
    fixes = cond.perturbation + perturbation
    network = apply(bundle.network, fixes)
    perc = percolate(network, {})
    trace = tuple(str(step) for step in perc.trace if step.node not in fixes.mapping)
    decision = _decision(bundle, perc.values)
    if update not in ("async", "mp"):
        raise BoolfateError(f"screens support update 'async' or 'mp', not '{update}'")
    reachable: tuple[str, ...] | None = None
    n_reachable: int | None = None
    if update == "mp":
        everything = attractors(network, update="mp", limits=limits)
    else:
        initial = bundle.initial_state(cond, perturbation)
        key = _reduced_key(network, initial)
        hit = cache.get(key) if cache is not None else None
        if hit is None:
            hit = attractors_and_reachable(network, initial)
            if cache is not None:
                cache[key] = hit
        everything, found = hit
        reachable = _fate_order(bundle, (bundle.fates.classify(a) for a in found))
        n_reachable = len(found)
    attractor_fates = _fate_order(bundle, (bundle.fates.classify(a) for a in everything))
    probabilities = (
        _probabilities(bundle, cond, perturbation, trajectories) if trajectories else None
    )
    return Outcome(
        reachable, attractor_fates, n_reachable, len(everything), trace, decision, probabilities
    )


def _probabilities(
    bundle: Bundle, condition: Condition, perturbation: Perturbation, trajectories: int
) -> dict[str, float]:
    """Final fate probabilities under MaBoSS semantics (fixed seed: rows are reproducible)."""
    from boolfate.simulate import simulate_bundle

    result = simulate_bundle(
        bundle,
        condition=condition.name,  # a named condition or the ad-hoc NODE%v spec itself
        perturbation=perturbation,
        trajectories=trajectories,
        seed=0,
    )
    return {k: round(float(v), 6) for k, v in result.final.items()}


def _reduced_key(network: Network, initial: Mapping[str, Value]) -> tuple[Any, ...]:
    values = stable_values(network, initial)
    rules = tuple(
        (n, format_expr(substitute(f, values))) for n, f in network.rules if n not in values
    )
    return (tuple(sorted(values.items())), rules, tuple(initial[n] for n, _ in rules))


# --------------------------------------------------------------------------------------------
# Rows: outcome + comparison with the wild type and the singles
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreenRow:
    """One perturbation under one condition, compared with the wild type.

    Attributes
    ----------
    perturbation, condition, kind, name, description
        What was screened (``kind`` as in :class:`ScreenItem`).
    reachable_fates
        Fates reachable from the initial state (exact asynchronous); None with ``update="mp"``.
    attractor_fates
        Fates of all attractors of the perturbed network (minimal trap spaces with ``mp``).
    n_reachable, n_attractors
        How many attractors each set has.
    change
        ``reference`` (the wild type), ``unchanged``, ``lost``, ``gained``, ``mixed`` (some lost,
        some gained, some kept) or ``switched`` (no fate in common with the wild type).
    lost, gained
        Fates against the wild type under the same condition.
    interaction, interaction_detail
        For two-node perturbations: ``synergy`` (a fate gained or lost that neither single
        shows), ``epistasis`` (the pair equals one single, not the other), ``additive``
        (explained by the singles) or ``none`` (all three equal); empty otherwise.
    trace, decision
        The explanation: forced nodes in order (``X=0 because X = rule and Y=0``), and which
        fates percolation alone forces or excludes.
    probabilities
        Fate probabilities, once a stochastic engine provides them.
    """

    perturbation: Perturbation
    condition: str
    kind: str
    name: str
    description: str
    reachable_fates: tuple[str, ...] | None
    attractor_fates: tuple[str, ...]
    n_reachable: int | None
    n_attractors: int
    change: str
    lost: tuple[str, ...]
    gained: tuple[str, ...]
    interaction: str
    interaction_detail: str
    trace: tuple[str, ...]
    decision: str
    probabilities: Mapping[str, float] | None = field(default=None)

    @property
    def label(self) -> str:
        """``NODE%0`` text, ``WT`` for the wild type."""
        return self.perturbation.label()

    @property
    def fates(self) -> tuple[str, ...]:
        """The compared fates: reachable ones when computed, else all attractors'."""
        return self.reachable_fates if self.reachable_fates is not None else self.attractor_fates

    @property
    def key(self) -> tuple[str, str]:
        """``(perturbation text, condition)``: unique within a screen."""
        return (str(self.perturbation), self.condition)

    def outcome(self) -> Outcome:
        """The engine part of the row (to re-use a finished row on resume)."""
        return Outcome(
            self.reachable_fates,
            self.attractor_fates,
            self.n_reachable,
            self.n_attractors,
            self.trace,
            self.decision,
            self.probabilities,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (lists for tuples; ``perturbation`` as ``NODE%0`` text, '' = WT)."""
        return {
            "perturbation": str(self.perturbation),
            "label": self.label,
            "condition": self.condition,
            "kind": self.kind,
            "name": self.name,
            "description": self.description,
            "reachable_fates": None if self.reachable_fates is None else list(self.reachable_fates),
            "attractor_fates": list(self.attractor_fates),
            "n_reachable": self.n_reachable,
            "n_attractors": self.n_attractors,
            "change": self.change,
            "lost": list(self.lost),
            "gained": list(self.gained),
            "interaction": self.interaction,
            "interaction_detail": self.interaction_detail,
            "trace": list(self.trace),
            "decision": self.decision,
            "probabilities": None if self.probabilities is None else dict(self.probabilities),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScreenRow:
        """Inverse of :meth:`to_dict`."""
        reach = data["reachable_fates"]
        probs = data.get("probabilities")
        return cls(
            perturbation=Perturbation.parse(data["perturbation"]),
            condition=data["condition"],
            kind=data["kind"],
            name=data["name"],
            description=data["description"],
            reachable_fates=None if reach is None else tuple(reach),
            attractor_fates=tuple(data["attractor_fates"]),
            n_reachable=data["n_reachable"],
            n_attractors=data["n_attractors"],
            change=data["change"],
            lost=tuple(data["lost"]),
            gained=tuple(data["gained"]),
            interaction=data["interaction"],
            interaction_detail=data["interaction_detail"],
            trace=tuple(data["trace"]),
            decision=data["decision"],
            probabilities=None if probs is None else dict(probs),
        )


def _change(fates: tuple[str, ...], reference: tuple[str, ...]) -> tuple[str, list[str], list[str]]:
    lost = [f for f in reference if f not in fates]
    gained = [f for f in fates if f not in reference]
    if not lost and not gained:
        return "unchanged", lost, gained
    if not set(fates) & set(reference):
        return "switched", lost, gained
    if lost and gained:
        return "mixed", lost, gained
    return ("lost" if lost else "gained"), lost, gained


def _parts(perturbation: Perturbation) -> tuple[Perturbation, ...]:
    if len(perturbation.fixes) != 2:
        return ()
    return tuple(Perturbation((fix,)) for fix in perturbation.fixes)


def _interaction(
    pair: Perturbation, fates: tuple[str, ...], parts: Sequence[tuple[str, ...]]
) -> tuple[str, str]:
    (pa, pb), (fa, fb) = _parts(pair), parts
    both, either, mine = set(fa) & set(fb), set(fa) | set(fb), set(fates)
    new = [f for f in fates if f not in either]
    gone = [f for f in (*fa, *fb) if f in both and f not in mine]
    gone = list(dict.fromkeys(gone))
    if new or gone:
        bits = []
        if new:
            bits.append(f"gains {', '.join(new)}")
        if gone:
            bits.append(f"loses {', '.join(gone)}")
        return "synergy", f"{' and '.join(bits)}, which neither {pa} nor {pb} alone does"
    if set(fa) == set(fb) == mine:
        return "none", f"same fates as {pa} and as {pb}"
    if mine == set(fa):
        return "epistasis", f"{pa} masks {pb}: same fates as {pa} alone"
    if mine == set(fb):
        return "epistasis", f"{pb} masks {pa}: same fates as {pb} alone"
    return "additive", f"the losses of {pa} and {pb} combined"


def make_row(
    item: ScreenItem,
    condition: str,
    outcome: Outcome,
    wild_type: Outcome,
    parts: Sequence[Outcome] = (),
) -> ScreenRow:
    """Build a :class:`ScreenRow` from an outcome, the wild type's and (pairs) the singles'."""
    lost: list[str] = []
    gained: list[str] = []
    if not item.perturbation:
        change = "reference"
    else:
        change, lost, gained = _change(outcome.fates, wild_type.fates)
    interaction, detail = "", ""
    if len(parts) == 2:
        interaction, detail = _interaction(
            item.perturbation, outcome.fates, [p.fates for p in parts]
        )
    return ScreenRow(
        perturbation=item.perturbation,
        condition=condition,
        kind=item.kind,
        name=item.name,
        description=item.description,
        reachable_fates=outcome.reachable_fates,
        attractor_fates=outcome.attractor_fates,
        n_reachable=outcome.n_reachable,
        n_attractors=outcome.n_attractors,
        change=change,
        lost=tuple(lost),
        gained=tuple(gained),
        interaction=interaction,
        interaction_detail=detail,
        trace=outcome.trace,
        decision=outcome.decision,
        probabilities=outcome.probabilities,
    )


def row_key(item: ScreenItem, condition: str) -> tuple[str, str]:
    """The key of the row of ``item`` under ``condition`` (see :attr:`ScreenRow.key`)."""
    return (str(item.perturbation), condition)


Mapper = Callable[[Sequence[Task]], Iterator[tuple[Task, Outcome]]]
"""Runs tasks (possibly in parallel) and yields ``(task, outcome)`` in any order."""


def run_screen(
    bundle: Bundle,
    items: Sequence[ScreenItem],
    conditions: Sequence[str],
    *,
    update: UpdateScheme = "async",
    done: Mapping[tuple[str, str], ScreenRow] | None = None,
    mapper: Mapper | None = None,
    trajectories: int = 0,
    limits: Limits | None = None,
) -> Iterator[ScreenRow]:
    """Yield one :class:`ScreenRow` per item × condition, as soon as each can be built.

    Parameters
    ----------
    bundle
        The model bundle.
    items
        What to screen (see :func:`screen_items`); the wild type is computed in any case.
    conditions
        Condition names (see :func:`resolve_conditions`).
    update
        ``"async"`` (exact reachable fates + exact attractor fates) or ``"mp"`` (trap spaces).
    done
        Rows already finished (``--resume``): not yielded again, their outcomes re-used.
    mapper
        Runs the engine tasks; default: one after the other in this process.
    trajectories
        Stochastic trajectories per row for fate probabilities (0: none).
    limits
        Engine limits for the default in-process mapper (see :func:`evaluate`).

    Yields
    ------
    ScreenRow
        In completion order; use :func:`sorted_rows` for the report order.
    """
    finished = dict(done or {})
    known: dict[Task, Outcome] = {
        (row.perturbation, row.condition): row.outcome() for row in finished.values()
    }
    needs, tasks, waiting = _plan(items, conditions, finished, known)

    def build(item: ScreenItem, c: str) -> ScreenRow:
        parts = [known[(p, c)] for p in _parts(item.perturbation)]
        return make_row(item, c, known[(item.perturbation, c)], known[(Perturbation(), c)], parts)

    for key, deps in needs.items():
        if all(t in known for t in deps):
            yield build(*key)
    if not tasks:
        return
    run = mapper or _sequential(bundle, update, trajectories, limits)
    for task, outcome in run(tasks):
        known[task] = outcome
        for key in waiting.pop(task, []):
            if all(t in known for t in needs[key]):
                yield build(*key)


Need = tuple[ScreenItem, str]


def _plan(
    items: Sequence[ScreenItem],
    conditions: Sequence[str],
    finished: Mapping[tuple[str, str], ScreenRow],
    known: Mapping[Task, Outcome],
) -> tuple[dict[Need, set[Task]], list[Task], dict[Task, list[Need]]]:
    """Rows still to build with the tasks each needs; the tasks (singles first); who waits."""
    needs: dict[Need, set[Task]] = {}
    for c in conditions:
        for item in items:
            if row_key(item, c) in finished:
                continue
            deps = {(item.perturbation, c), (Perturbation(), c)}
            needs[(item, c)] = deps | {(p, c) for p in _parts(item.perturbation)}
    tasks = sorted(
        {t for deps in needs.values() for t in deps if t not in known},
        key=lambda t: (len(t[0].fixes), conditions.index(t[1]), t[0]),
    )
    waiting: dict[Task, list[Need]] = {}
    for key, deps in needs.items():
        for t in deps:
            if t not in known:
                waiting.setdefault(t, []).append(key)
    return needs, tasks, waiting


def _sequential(
    bundle: Bundle, update: UpdateScheme, trajectories: int = 0, limits: Limits | None = None
) -> Mapper:
    cache: dict[Any, Any] = {}

    def run(tasks: Sequence[Task]) -> Iterator[tuple[Task, Outcome]]:
        for pert, cond in tasks:
            yield (
                (pert, cond),
                evaluate(
                    bundle,
                    pert,
                    cond,
                    update=update,
                    cache=cache,
                    trajectories=trajectories,
                    limits=limits,
                ),
            )

    return run


def sorted_rows(
    rows: Iterable[ScreenRow], items: Sequence[ScreenItem], conditions: Sequence[str]
) -> list[ScreenRow]:
    """Rows in report order: by condition, then in the order of ``items``."""
    position = {str(item.perturbation): i for i, item in enumerate(items)}
    cond = {c: i for i, c in enumerate(conditions)}
    return sorted(
        rows,
        key=lambda r: (
            cond.get(r.condition, len(cond)),
            position.get(str(r.perturbation), len(position)),
            str(r.perturbation),
            r.condition,
        ),
    )
