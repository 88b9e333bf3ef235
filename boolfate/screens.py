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

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from boolfate.attractor import Limits
from boolfate.bundle import Bundle
from boolfate.errors import BoolfateError
from boolfate.evaluator import FateResult, FateSummary, evaluate
from boolfate.perturbations import Perturbation
from boolfate.question import ask
from boolfate.screen_items import (
    KIND_ORDER,
    PAIR_KINDS,
    ScreenItem,
    pair_items,
    parse_perturbation_list,
    resolve_conditions,
    screen_items,
    screenable_nodes,
    single_items,
)
from boolfate.types import UpdateScheme

__all__ = [
    "PAIR_KINDS",
    "ScreenItem",
    "ScreenRow",
    "Task",
    "screen_items",
    "screenable_nodes",
    "single_items",
    "pair_items",
    "parse_perturbation_list",
    "resolve_conditions",
    "evaluate_item",
    "make_row",
    "run_screen",
    "sorted_rows",
    "row_key",
    "KIND_ORDER",
]

# --------------------------------------------------------------------------------------------
# One perturbation under one condition
# --------------------------------------------------------------------------------------------


Task = tuple[Perturbation, str]
"""One unit of work: (perturbation, condition name)."""


def evaluate_item(
    bundle: Bundle,
    perturbation: Perturbation,
    condition: str,
    *,
    update: UpdateScheme = "async",
    cache: dict[Any, Any] | None = None,
    trajectories: int = 0,
    limits: Limits | None = None,
) -> FateResult:
    """Compute the fates of one perturbation under one condition (the expensive step).

    With ``update="async"`` the reachable fates are exact asynchronous reachability from the
    bundle's initial state and ``attractor_fates`` are the fates of all exact asynchronous
    attractors (engine ``aeon``, one symbolic pass). With ``update="mp"`` only the minimal trap
    spaces are computed. ``trajectories > 0`` adds final fate probabilities (MaBoSS semantics).
    ``cache`` and ``limits`` (e.g. ``max_results``: the CLI's ``--max-results``) are passed to
    :func:`boolfate.evaluator.evaluate`.
    """
    if update not in ("async", "mp"):
        raise BoolfateError(f"screens support update 'async' or 'mp', not '{update}'")
    question = ask(bundle, condition, perturbation, update=update)
    return evaluate(
        bundle, question, with_all=True, cache=cache, trajectories=trajectories, limits=limits
    )


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
    outcome: FateSummary,
    wild_type: FateSummary,
    parts: Sequence[FateSummary] = (),
) -> ScreenRow:
    """Build a :class:`ScreenRow` from an evaluation, the wild type's and (pairs) the singles'.

    An evaluation is a :class:`~boolfate.evaluator.FateResult` or a finished row (on resume).
    """
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
        probabilities=None if outcome.probabilities is None else dict(outcome.probabilities),
    )


def row_key(item: ScreenItem, condition: str) -> tuple[str, str]:
    """The key of the row of ``item`` under ``condition`` (see :attr:`ScreenRow.key`)."""
    return (str(item.perturbation), condition)


Mapper = Callable[[Sequence[Task]], Iterator[tuple[Task, FateResult]]]
"""Runs tasks (possibly in parallel) and yields ``(task, result)`` in any order."""


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
        Engine limits for the default in-process mapper (see :func:`evaluate_item`).

    Yields
    ------
    ScreenRow
        In completion order; use :func:`sorted_rows` for the report order.
    """
    finished = dict(done or {})
    known: dict[Task, FateSummary] = {
        (row.perturbation, row.condition): row for row in finished.values()
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
    known: Mapping[Task, FateSummary],
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

    def run(tasks: Sequence[Task]) -> Iterator[tuple[Task, FateResult]]:
        for pert, cond in tasks:
            result = evaluate_item(
                bundle,
                pert,
                cond,
                update=update,
                cache=cache,
                trajectories=trajectories,
                limits=limits,
            )
            yield (pert, cond), result

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
