"""The one evaluator: a :class:`~boolfate.question.Question` in, one :class:`FateResult` out.

Every command (``attractors``, ``screen``, ``validate``, the diagram overlays) and the Python API
answer "which fates does this question reach?" here: the perturbed network, its percolation
explanation, the attractors (reachable and/or all) with their fates in the scheme's order, and
optionally fate probabilities from stochastic trajectories (MaBoSS semantics).

Examples
--------
>>> from boolfate.bundle import load_bundle
>>> from boolfate.question import ask
>>> calzone = load_bundle("calzone2010")
>>> evaluate(calzone, ask(calzone, "TNF")).fates
('Survival', 'Apoptosis', 'NonACD')
>>> result = evaluate(calzone, ask(calzone, "TNF", "CASP8%0"), with_all=True)
>>> result.reachable_fates, result.n_attractors
(('Survival', 'NonACD'), 2)
>>> result.decision
'percolation decides no fate; the dynamics choose'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from boolfate.attractor import Attractor, Limits
from boolfate.bundle import Bundle
from boolfate.engines import attractors, attractors_and_reachable
from boolfate.expr import Const, format_expr, substitute, variables
from boolfate.fates import FateScheme, base_fate
from boolfate.model import Network
from boolfate.percolation import Step, percolate, ranked_percolation, stable_values
from boolfate.perturbations import Perturbation, apply
from boolfate.question import Question
from boolfate.resolve import Condition
from boolfate.tabular import html_table, to_pandas
from boolfate.timescales import Timescales
from boolfate.types import UpdateScheme, Value

__all__ = [
    "FateAttractor",
    "FateResult",
    "FateSummary",
    "evaluate",
    "order_fates",
    "fate_probabilities",
    "percolation_decision",
]


@dataclass(frozen=True)
class FateAttractor:
    """An attractor and the fate it was classified as."""

    attractor: Attractor
    fate: str

    def describe(self) -> str:
        """``Fate: fixed values | oscillating nodes``."""
        return f"{self.fate}: {self.attractor.describe()}"


class FateSummary(Protocol):
    """What a screen row needs from an evaluation (a :class:`FateResult` or a finished row)."""

    @property
    def reachable_fates(self) -> tuple[str, ...] | None: ...  # noqa: D102
    @property
    def attractor_fates(self) -> tuple[str, ...]: ...  # noqa: D102
    @property
    def n_reachable(self) -> int | None: ...  # noqa: D102
    @property
    def n_attractors(self) -> int: ...  # noqa: D102
    @property
    def trace(self) -> tuple[str, ...]: ...  # noqa: D102
    @property
    def decision(self) -> str: ...  # noqa: D102
    @property
    def probabilities(self) -> Mapping[str, float] | None: ...  # noqa: D102
    @property
    def fates(self) -> tuple[str, ...]: ...  # noqa: D102


def order_fates(fate_order: Iterable[str], labels: Iterable[str]) -> tuple[str, ...]:
    """Distinct fate labels in the scheme's order (oscillating ones after their base fate).

    >>> order_fates(("Survival", "Apoptosis"), ["Apoptosis", "oscillating:Survival", "Survival"])
    ('Survival', 'oscillating:Survival', 'Apoptosis')
    """
    order = {name: i for i, name in enumerate(fate_order)}
    return tuple(
        sorted(
            set(labels),
            key=lambda f: (order.get(base_fate(f), len(order)), f != base_fate(f), f),
        )
    )


@dataclass(frozen=True)
class FateResult:
    """The answer to one :class:`~boolfate.question.Question`.

    Attributes
    ----------
    question
        What was asked (condition, perturbation, update, scope, engine).
    initial
        The initial state (``(node, value)`` in network order) for scope ``reachable``.
    reachable
        Attractors reachable from ``initial`` with fates (None when not computed).
    everything
        All attractors of the perturbed network with fates (None when not computed).
    steps
        The percolation trace of the condition and perturbation (forced nodes in order).
    percolated
        Every value percolation fixes (the fixes first).
    decision
        Which fates percolation alone forces or excludes.
    fate_order
        The fate scheme's names in rule order, then the default.
    probability_items
        Final fate probabilities ``(fate, p)`` from stochastic trajectories, when asked for.
    """

    question: Question
    initial: tuple[tuple[str, Value], ...] | None
    reachable: tuple[FateAttractor, ...] | None
    everything: tuple[FateAttractor, ...] | None
    steps: tuple[Step, ...]
    percolated: tuple[tuple[str, Value], ...]
    decision: str
    fate_order: tuple[str, ...]
    probability_items: tuple[tuple[str, float], ...] | None = None

    @property
    def attractors(self) -> tuple[FateAttractor, ...]:
        """The attractors of the question's scope."""
        found = self.reachable if self.question.scope == "reachable" else self.everything
        return found or ()

    @property
    def fates(self) -> tuple[str, ...]:
        """Distinct fates of the scope's attractors, in the scheme's order."""
        return order_fates(self.fate_order, (a.fate for a in self.attractors))

    @property
    def reachable_fates(self) -> tuple[str, ...] | None:
        """Fates reachable from the initial state (None when not computed)."""
        if self.reachable is None:
            return None
        return order_fates(self.fate_order, (a.fate for a in self.reachable))

    @property
    def attractor_fates(self) -> tuple[str, ...]:
        """Fates of all attractors (empty when not computed)."""
        return order_fates(self.fate_order, (a.fate for a in self.everything or ()))

    @property
    def n_reachable(self) -> int | None:
        """Number of reachable attractors (None when not computed)."""
        return None if self.reachable is None else len(self.reachable)

    @property
    def n_attractors(self) -> int:
        """Number of attractors of the perturbed network (0 when not computed)."""
        return len(self.everything or ())

    @property
    def trace(self) -> tuple[str, ...]:
        """The percolation steps as text, without the fixed nodes themselves."""
        fixed = (self.question.condition.perturbation + self.question.perturbation).mapping
        return tuple(str(step) for step in self.steps if step.node not in fixed)

    @property
    def probabilities(self) -> Mapping[str, float] | None:
        """Final fate probabilities (None unless trajectories were asked for)."""
        return None if self.probability_items is None else dict(self.probability_items)

    @property
    def initial_state(self) -> dict[str, Value] | None:
        """The initial state as a dict (None for scope ``all``)."""
        return None if self.initial is None else dict(self.initial)

    def __iter__(self) -> Iterator[FateAttractor]:
        return iter(self.attractors)

    def __len__(self) -> int:
        return len(self.attractors)

    def __repr__(self) -> str:
        return (
            f"FateResult({self.question.describe()!r}, fates={self.fates!r}, "
            f"attractors={len(self.attractors)})"
        )

    def records(self) -> list[dict[str, Any]]:
        """One dict per attractor: fate, size, exact, then each node's value (0, 1 or '*')."""
        out: list[dict[str, Any]] = []
        for fa in self.attractors:
            values = fa.attractor.values
            row: dict[str, Any] = {
                "fate": fa.fate,
                "states": fa.attractor.size,
                "exact": fa.attractor.exact,
            }
            row.update({n: values.get(n, "*") for n in fa.attractor.nodes})
            out.append(row)
        return out

    def to_pandas(self) -> Any:
        """The attractors as a :class:`pandas.DataFrame` (see :meth:`records`)."""
        return to_pandas(self.records())

    def _repr_html_(self) -> str:
        return html_table(self.records(), caption=self.question.describe())


def percolation_decision(fates: FateScheme, network: Network, values: Mapping[str, Value]) -> str:
    """Which fates percolation alone forces or excludes (the deciding statement).

    Fate rules are judged independently (see :mod:`boolfate.fates`), so every rule that
    percolation makes constantly true is forced, and every one made constantly false excluded.
    """
    forced: list[str] = []
    excluded: list[str] = []
    for rule in fates.rules:
        reduced = substitute(rule.expr, values)
        if not isinstance(reduced, Const):
            continue
        used = sorted(variables(rule.expr) & set(values), key=network.index.__getitem__)
        why = " ".join(f"{n}={values[n]}" for n in used)
        (forced if reduced.value else excluded).append(f"{rule.name} ({why})")
    parts: list[str] = []
    if forced:
        parts.append("forces " + ", ".join(forced))
    if excluded:
        parts.append("excludes " + ", ".join(excluded))
    if not parts:
        return "percolation decides no fate; the dynamics choose"
    return "percolation alone " + " and ".join(parts)


def fate_probabilities(
    bundle: Bundle,
    condition: Condition,
    perturbation: Perturbation,
    trajectories: int,
    *,
    seed: int = 0,
) -> dict[str, float]:
    """Final fate probabilities under MaBoSS semantics (fixed seed: reproducible; 6 decimals)."""
    from boolfate.simulate import simulate_bundle

    result = simulate_bundle(
        bundle,
        condition=condition,
        perturbation=perturbation,
        trajectories=trajectories,
        seed=seed,
    )
    return {k: round(float(v), 6) for k, v in result.final.items()}


Found = tuple[tuple[Attractor, ...] | None, tuple[Attractor, ...] | None]


def _reduced_key(
    network: Network, values: Mapping[str, Value], initial: Mapping[str, Value] | None
) -> tuple[Any, ...]:
    rules = tuple(
        (n, format_expr(substitute(f, values))) for n, f in network.rules if n not in values
    )
    start = None if initial is None else tuple(initial[n] for n, _ in rules)
    return (tuple(sorted(values.items())), rules, start)


def _compute(
    network: Network,
    question: Question,
    initial: Mapping[str, Value] | None,
    with_all: bool,
    limits: Limits | None,
    timescales: Timescales | None = None,
) -> Found:
    update, engine = question.update, question.engine
    every = functools.partial(
        attractors, network, update=update, engine=engine, limits=limits, timescales=timescales
    )
    if initial is None:
        return None, every()
    if with_all and update in ("async", "priority") and engine == "aeon":
        everything, reachable = attractors_and_reachable(
            network, initial, update=update, timescales=timescales
        )
        return reachable, everything
    reachable = every(initial=initial)
    return reachable, (every() if with_all else None)


def _explained(
    bundle: Bundle, network: Network, update: UpdateScheme
) -> tuple[tuple[Step, ...], dict[str, Value]]:
    """Percolation steps and values that hold on every attractor under ``update``.

    Under priority classes only :func:`~boolfate.percolation.ranked_percolation` holds (a slow
    node can be held back by a faster oscillation), so the other steps are left out.
    """
    perc = percolate(network, {})
    if update != "priority" or bundle.timescales is None:
        return perc.trace, dict(perc.values)
    nodes = network.nodes
    ranks = dict(zip(nodes, bundle.timescales.ranks(nodes), strict=True))
    values = ranked_percolation(network, ranks)
    steps = tuple(
        s for s in perc.trace if s.node in values and all(n in values for n, _ in s.because)
    )
    return steps, {n: v for n, v in perc.values.items() if n in values}


def evaluate(
    bundle: Bundle,
    question: Question,
    *,
    with_all: bool = False,
    cache: dict[Any, Any] | None = None,
    trajectories: int = 0,
    limits: Limits | None = None,
) -> FateResult:
    """Answer ``question`` on ``bundle``.

    Parameters
    ----------
    bundle
        The model bundle the question was resolved against (see :func:`~boolfate.question.ask`).
    question
        What to compute.
    with_all
        With scope ``reachable``, also compute all attractors (one symbolic pass with ``aeon``).
    cache
        Any dict kept between calls: asynchronous questions whose perturbed networks percolate
        to the same reduced network and initial state share one engine run.
    trajectories
        Stochastic trajectories for fate probabilities (0: none).
    limits
        Engine size limits.

    Returns
    -------
    FateResult

    Raises
    ------
    EngineLimitError
        When an engine limit would be exceeded (the message names it).
    """
    fixes = question.condition.perturbation + question.perturbation
    network = apply(bundle.network, fixes)
    steps, percolated = _explained(bundle, network, question.update)
    initial = (
        bundle.initial_state(question.condition, question.perturbation)
        if question.scope == "reachable"
        else None
    )
    found: Found | None = None
    key: tuple[Any, ...] = ()
    if cache is not None and question.update == "async":  # trap spaces are cheaper than a key
        values = percolated if initial is None else stable_values(network, initial)
        reduced = _reduced_key(network, values, initial)
        key = (question.update, question.engine, question.scope, with_all, reduced)
        found = cache.get(key)
    if found is None:
        found = _compute(network, question, initial, with_all, limits, bundle.timescales)
        if cache is not None and key:
            cache[key] = found
    reachable, everything = found

    def classify(items: tuple[Attractor, ...] | None) -> tuple[FateAttractor, ...] | None:
        if items is None:
            return None
        return tuple(FateAttractor(a, bundle.fates.classify(a)) for a in items)

    probabilities = None
    if trajectories:
        probs = fate_probabilities(bundle, question.condition, question.perturbation, trajectories)
        probabilities = tuple(probs.items())
    return FateResult(
        question=question,
        initial=None if initial is None else tuple((n, initial[n]) for n in network.nodes),
        reachable=classify(reachable),
        everything=classify(everything),
        steps=steps,
        percolated=tuple(percolated.items()),
        decision=percolation_decision(bundle.fates, bundle.network, percolated),
        fate_order=bundle.fates.names,
        probability_items=probabilities,
    )
