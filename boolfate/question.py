"""One question: which fates does (model, condition, perturbation, update, scope) reach?

:func:`ask` is the only way the commands and the Python API build a :class:`Question`: it resolves
strings, scenario names and ``NODE%v`` text with :mod:`boolfate.resolve`.

Examples
--------
>>> from boolfate.bundle import load_bundle
>>> q = ask(load_bundle("calzone2010"), "TNF", "casp8_ko")
>>> q.condition.name, str(q.perturbation), q.update, q.scope
('TNF', 'CASP8%0', 'async', 'reachable')
>>> q == ask(load_bundle("calzone2010"), "TNF", "CASP8%0"), hash(q) == hash(q)
(True, True)
>>> ask(load_bundle("calzone2010"), "TNF", update="mp").scope
'all'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from boolfate.bundle import Bundle
from boolfate.engines import PRIORITY_ENGINES, default_engine, engine_spec
from boolfate.errors import BoolfateError
from boolfate.perturbations import Perturbation
from boolfate.resolve import Condition, ConditionRef, PerturbationRef
from boolfate.types import UpdateScheme

__all__ = ["Scope", "SCOPES", "Question", "ask"]

Scope: TypeAlias = Literal["reachable", "all"]
"""Attractors reachable from the initial state, or all attractors of the perturbed network."""

SCOPES: tuple[Scope, ...] = ("reachable", "all")


@dataclass(frozen=True)
class Question:
    """A fully resolved question (hashable: a cache key and a unit of work).

    Attributes
    ----------
    model
        The bundle's name.
    condition
        The inputs (environment).
    perturbation
        Mutations / drugs on top of the condition (they win on shared nodes).
    update
        ``"async"``, ``"sync"``, ``"mp"`` or ``"priority"`` (None in :func:`ask`: the
        bundle's ``default_update``).
    scope
        ``"reachable"`` (from the bundle's initial state) or ``"all"``.
    engine
        The engine that answers (the exact one for ``update`` unless overridden).
    profile
        A named cell-type profile (None: the bundle's plain network).
    """

    model: str
    condition: Condition
    perturbation: Perturbation
    update: UpdateScheme = "async"
    scope: Scope = "reachable"
    engine: str = "aeon"
    profile: str | None = None

    def describe(self) -> str:
        """One line: ``calzone2010 | condition TNF | CASP8%0 | async (aeon) | reachable``."""
        return (
            f"{self.model} | condition {self.condition.name} | {self.perturbation.label()} | "
            f"{self.update} ({self.engine}) | {self.scope}"
        )


def ask(
    bundle: Bundle,
    condition: ConditionRef = None,
    perturbation: PerturbationRef = None,
    *,
    update: UpdateScheme | None = None,
    scope: Scope | None = None,
    engine: str | None = None,
    profile: str | None = None,
) -> Question:
    """Resolve the parts of a question against ``bundle``.

    Parameters
    ----------
    bundle
        The model bundle.
    condition
        A condition name, ``none``, ``NODE%v`` inputs, a :class:`Condition`, or None for the
        bundle's default.
    perturbation
        ``NODE%v`` items and/or scenario names (text, a list, or values).
    update
        ``"async"``, ``"sync"``, ``"mp"`` or ``"priority"`` (None in :func:`ask`: the
        bundle's ``default_update``).
    scope
        ``"reachable"`` or ``"all"`` (default: reachable, except all for ``mp``).
    engine
        Override the engine (default: the exact one for ``update``).
    profile
        A cell-type profile name.

    Returns
    -------
    Question

    Raises
    ------
    BoolfateError
        On an unknown name, bad syntax, a contradiction, an engine that does not answer
        ``update`` or cannot restrict to reachable attractors, or an unknown profile.
    """
    update = update or bundle.default_update
    cond = bundle.condition(condition, profile=profile)
    pert = bundle.perturbation(perturbation)
    chosen = scope or ("all" if update == "mp" else "reachable")
    if chosen not in SCOPES:
        raise BoolfateError(f"unknown scope '{chosen}'; choose 'reachable' or 'all'")
    nodes = len(bundle.network.nodes)
    name = engine or default_engine(update, nodes=nodes, initial=chosen == "reachable")
    _check_engine(name, update)
    spec = engine_spec(name)
    if chosen == "reachable" and (update == "mp" or not spec.initial):
        raise BoolfateError(
            "reachable attractors are not available with update 'mp' or engine "
            f"'{name}' (most-permissive reachability is not implemented); use scope 'all' "
            "(--all), or update 'async' or 'priority' for exact reachability"
        )
    return Question(bundle.name, cond, pert, update, chosen, name, cond.profile)


def _check_engine(name: str, update: UpdateScheme) -> None:
    spec = engine_spec(name)
    if update == "priority":
        if name not in PRIORITY_ENGINES:
            raise BoolfateError(
                f"engine '{name}' does not answer update 'priority'; "
                f"use {', '.join(PRIORITY_ENGINES)}"
            )
    elif spec.update is not None and spec.update != update:
        raise BoolfateError(f"engine '{name}' computes {spec.update} attractors, not {update}")
