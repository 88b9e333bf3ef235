"""The notebook API: one call per question, strings or values in, typed results out.

Every function takes a model as a bundled name (``"calzone2010"``), a bundle folder, a ``.bnet``
path, a :class:`~boolfate.bundle.Bundle` or a bare :class:`~boolfate.model.Network`, and
conditions / perturbations as text (``"TNF"``, ``"CASP8%0 RIP1%1"``, scenario names) or values.
The results have short ``repr``s, ``_repr_html_`` and ``to_pandas()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boolfate.attractor import Limits
from boolfate.bundle import Bundle, bundle_from_toml, load_bundle
from boolfate.evaluator import FateResult, evaluate
from boolfate.model import Network
from boolfate.question import Scope, ask
from boolfate.resolve import ConditionRef, PerturbationRef
from boolfate.screens import (
    ScreenRow,
    parse_perturbation_list,
    resolve_conditions,
    run_screen,
    screen_items,
    sorted_rows,
)
from boolfate.simulate import SimulationResult, simulate_bundle
from boolfate.tabular import html_table, to_pandas
from boolfate.target_sets import Mode, TargetQuestion, TargetResult, Using
from boolfate.targets import find_targets as _find_targets
from boolfate.types import UpdateScheme
from boolfate.validate import Observation, ValidationResult
from boolfate.validate import validate as _validate

__all__ = [
    "Model",
    "Screen",
    "load",
    "attractors",
    "screen",
    "simulate",
    "validate",
    "find_targets",
]

Model = str | Path | Bundle | Network
"""A bundled name, a folder or ``.bnet`` path, a bundle, or a bare network."""


def load(model: Model, *, fates: str | Path | None = None) -> Bundle:
    """Load a model as a :class:`~boolfate.bundle.Bundle`.

    Parameters
    ----------
    model
        A bundled network name, a bundle folder, a ``.bnet`` file, a bundle (returned as is) or a
        network (wrapped in a bundle without fates, conditions or scenarios).
    fates
        A TOML file with a ``[fates]`` table for a bare ``.bnet`` file.

    Returns
    -------
    Bundle

    Raises
    ------
    BundleError
        When ``model`` is none of these, or a file is malformed.
    """
    if isinstance(model, Bundle):
        return model
    if isinstance(model, Network):
        return bundle_from_toml(model, {}, src=model.name, name=model.name, path=None)
    return load_bundle(model, fates=fates)


def attractors(
    model: Model,
    condition: ConditionRef = None,
    perturbation: PerturbationRef = None,
    *,
    update: UpdateScheme = "async",
    scope: Scope | None = None,
    engine: str | None = None,
    limits: Limits | None = None,
    trajectories: int = 0,
) -> FateResult:
    """The attractors of a model under a condition and perturbation, with their fates.

    Parameters
    ----------
    model
        See :func:`load`.
    condition
        A condition name, ``none``, ``NODE%v`` inputs or a value (default: the model's).
    perturbation
        ``NODE%v`` items and/or scenario names, or a value (default: the wild type).
    update
        ``"async"``, ``"sync"`` or ``"mp"``.
    scope
        ``"reachable"`` from the initial state or ``"all"`` (default: reachable for a bundle,
        all for ``mp`` and for a bare network, which has no initial state).
    engine
        Override the engine.
    limits
        Engine size limits.
    trajectories
        Also estimate fate probabilities from this many stochastic trajectories.

    Returns
    -------
    FateResult

    Raises
    ------
    BoolfateError
        On an unknown name, bad syntax, a contradiction or an exceeded limit (one line).
    """
    bundle = load(model)
    if scope is None and isinstance(model, Network):
        scope = "all"
    question = ask(bundle, condition, perturbation, update=update, scope=scope, engine=engine)
    return evaluate(bundle, question, limits=limits, trajectories=trajectories)


@dataclass(frozen=True)
class Screen:
    """The rows of a perturbation screen, in report order."""

    model: str
    rows: tuple[ScreenRow, ...]

    def __iter__(self) -> Iterator[ScreenRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        changed = sum(1 for r in self.rows if r.change not in ("reference", "unchanged"))
        return f"Screen(model={self.model!r}, rows={len(self.rows)}, changed={changed})"

    def records(self) -> list[dict[str, Any]]:
        """One dict per row (the ``results.json`` row form)."""
        return [row.to_dict() for row in self.rows]

    def to_pandas(self) -> Any:
        """The rows as a :class:`pandas.DataFrame`."""
        return to_pandas(self.records())

    def _repr_html_(self) -> str:
        keep = ("label", "condition", "kind", "reachable_fates", "change", "interaction")
        return html_table([{k: r[k] for k in keep} for r in self.records()], caption=repr(self))


def screen(
    model: Model,
    *,
    conditions: Sequence[str] = (),
    all_conditions: bool = False,
    scenarios: bool = False,
    singles: bool = False,
    pairs: Iterable[str] = (),
    perturbations: Iterable[str] = (),
    update: UpdateScheme = "async",
    trajectories: int = 0,
) -> Screen:
    """Screen perturbations: which fates each reaches, against the wild type.

    Parameters
    ----------
    model
        See :func:`load`.
    conditions
        Condition names (default: the model's default condition).
    all_conditions
        Every named condition.
    scenarios, singles, pairs
        Include the model's scenarios, every single knock-out / over-expression, pairs of the
        given kinds (``"ko-ko"``, ``"ko-oe"``, ``"oe-oe"``).
    perturbations
        Extra perturbations, one per string (``NODE%v`` items and/or scenario names).
    update
        ``"async"`` or ``"mp"``.
    trajectories
        Stochastic trajectories per row for fate probabilities (0: none).

    Returns
    -------
    Screen

    Raises
    ------
    BoolfateError
        On an unknown name, bad syntax or a contradiction (one line).
    """
    bundle = load(model)
    listed = parse_perturbation_list("\n".join(perturbations), bundle, source="perturbations")
    items = screen_items(bundle, scenarios=scenarios, singles=singles, pairs=pairs, listed=listed)
    names = resolve_conditions(bundle, conditions, all_conditions=all_conditions)
    rows = run_screen(bundle, items, names, update=update, trajectories=trajectories)
    return Screen(bundle.name, tuple(sorted_rows(rows, items, names)))


def simulate(
    model: Model,
    condition: ConditionRef = None,
    perturbation: PerturbationRef = None,
    **options: Any,
) -> SimulationResult:
    """Stochastic fate probabilities (MaBoSS semantics) under a condition and perturbation.

    Parameters
    ----------
    model
        See :func:`load`.
    condition, perturbation
        As for :func:`attractors`.
    **options
        ``trajectories``, ``max_time``, ``time_tick``, ``seed``, ``jobs``, ``rates``.

    Returns
    -------
    SimulationResult

    Raises
    ------
    BoolfateError
        On an unknown name, bad syntax or bad rates (one line).
    """
    bundle = load(model)
    question = ask(bundle, condition, perturbation)
    return simulate_bundle(
        bundle, condition=question.condition, perturbation=question.perturbation, **options
    )


def validate(
    model: Model, observations: Sequence[Observation] | str | Path | None = None
) -> ValidationResult:
    """Check a model against published observations (``observations.csv``).

    Parameters
    ----------
    model
        See :func:`load`.
    observations
        Parsed observations, a CSV path, or None for the bundle's own file.

    Returns
    -------
    ValidationResult

    Raises
    ------
    BundleError
        When there is no observations file or it is malformed.
    """
    return _validate(load(model), observations)


def find_targets(
    model: Model,
    fates: str | Sequence[str],
    *,
    conditions: Sequence[str] = (),
    all_conditions: bool = False,
    max_size: int = 2,
    using: Using = "both",
    exclude: Sequence[str] = (),
    mode: Mode = "only",
    scope: Scope = "reachable",
) -> TargetResult:
    """Every minimal set of fixes (up to ``max_size``) that drives the cells into ``fates``.

    Parameters
    ----------
    model
        See :func:`load`.
    fates
        A fate name or several (any of them counts).
    conditions, all_conditions
        Condition names (default: the model's default condition), or every named one.
    max_size, using, exclude, mode, scope
        See :class:`~boolfate.target_sets.TargetQuestion`.

    Returns
    -------
    TargetResult
        Ranked minimal sets with their explanations (``result.sets``).

    Examples
    --------
    >>> sets = find_targets("tnf_necroptosis", "CICD", conditions=["TNF"], using="drugs").sets
    >>> [t.perturbation.label() for t in sets]
    ['BH3%1 zVAD%1']
    """
    bundle = load(model)
    names = resolve_conditions(bundle, conditions, all_conditions=all_conditions)
    question = TargetQuestion(
        fates=(fates,) if isinstance(fates, str) else tuple(fates),
        conditions=tuple(names),
        max_size=max_size,
        using=using,
        exclude=tuple(exclude),
        mode=mode,
        scope=scope,
    )
    return _find_targets(bundle, question)
