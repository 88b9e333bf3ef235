"""One analysis = one bundle under one condition and one perturbation: attractors with fates.

Examples
--------
>>> from boolfate.bundle import load_bundle
>>> from boolfate.perturbations import Perturbation
>>> b = load_bundle("calzone2010")
>>> analyze(b, condition="TNF").fates
('Survival', 'Apoptosis', 'NonACD')
>>> analyze(b, condition="TNF", perturbation=Perturbation.parse("CASP8%0")).fates
('Survival', 'NonACD')
"""

from __future__ import annotations

from dataclasses import dataclass

from boolfate.bundle import Bundle, Condition
from boolfate.engines import DEFAULT_ENGINE, Attractor, Limits, attractors
from boolfate.fates import base_fate
from boolfate.percolation import Percolation, percolate
from boolfate.perturbations import Perturbation, apply
from boolfate.types import UpdateScheme, Value

__all__ = ["FateAttractor", "Analysis", "analyze"]


@dataclass(frozen=True)
class FateAttractor:
    """An attractor and the fate it was classified as."""

    attractor: Attractor
    fate: str


@dataclass(frozen=True)
class Analysis:
    """The attractors (and fates) of a bundle under a condition and perturbation.

    ``reachable`` tells whether the attractors are those reachable from ``initial`` (True) or
    all attractors of the perturbed network (False).
    """

    network: str
    condition: Condition
    perturbation: Perturbation
    update: UpdateScheme
    engine: str
    reachable: bool
    initial: dict[str, Value] | None
    attractors: tuple[FateAttractor, ...]
    percolation: Percolation
    fate_order: tuple[str, ...] = ()

    @property
    def fates(self) -> tuple[str, ...]:
        """Distinct fates in the scheme's order (oscillating ones after their base fate)."""
        found = {a.fate for a in self.attractors}
        order = {name: i for i, name in enumerate(self.fate_order)}
        return tuple(
            sorted(found, key=lambda f: (order.get(base_fate(f), len(order)), f != base_fate(f), f))
        )


def analyze(
    bundle: Bundle,
    *,
    condition: str | Condition | None = None,
    perturbation: Perturbation | None = None,
    update: UpdateScheme | None = None,
    engine: str | None = None,
    reachable: bool = True,
    limits: Limits | None = None,
    profile: str | None = None,
) -> Analysis:
    """Compute the attractors of ``bundle`` under ``condition`` and ``perturbation`` with fates.

    Parameters
    ----------
    bundle
        The model bundle.
    condition
        A condition name, a ``NODE%v`` spec, a :class:`Condition`, or None for the default.
    perturbation
        Mutations / drugs applied on top of the condition (they win on shared nodes).
    update
        ``"async"``, ``"sync"``, ``"mp"`` or ``"priority"`` (the bundle's time-scale classes);
        None: the bundle's ``default_update``.
    engine
        Engine name (default: the exact engine for ``update``).
    reachable
        Only attractors reachable from the bundle's initial state (not available for ``mp``).
    limits
        Engine size limits.
    profile
        A cell-type profile of the bundle, applied with the condition (None: the default).
    """
    if isinstance(condition, Condition):
        cond = condition
    else:
        cond = bundle.condition(condition, profile=profile)
    pert = (perturbation or Perturbation()).check(bundle.network)
    fixes = cond.perturbation + pert
    network = apply(bundle.network, fixes)
    initial = bundle.initial_state(cond, pert) if reachable else None
    update = update or bundle.default_update
    found = attractors(
        network,
        update=update,
        engine=engine,
        initial=initial,
        limits=limits,
        timescales=bundle.timescales,
    )
    classified = tuple(FateAttractor(a, bundle.fates.classify(a)) for a in found)
    return Analysis(
        network=bundle.name,
        condition=cond,
        perturbation=pert,
        update=update,
        engine=engine or DEFAULT_ENGINE[update],
        reachable=reachable,
        initial=initial,
        attractors=classified,
        percolation=percolate(network, {}),
        fate_order=bundle.fates.names,
    )
