"""Values and candidates of a target search (see :mod:`boolfate.targets`).

The frozen values a search takes and returns, and the candidate fixes: knock-outs and
over-expressions of the screenable nodes, and the drug inputs (added, ``%1``).

Examples
--------
>>> count_sets([("a", 0), ("a", 1), ("b", 1)], 1)
4
>>> from boolfate import find_targets
>>> find_targets("tnf_necroptosis", "CICD", conditions=["TNF"], using="drugs")
TargetResult(fates=CICD, mode=only, conditions=TNF, max_size=2, sets=1)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from boolfate.bundle import Bundle, Condition
from boolfate.errors import BoolfateError
from boolfate.perturbations import Perturbation
from boolfate.question import Scope
from boolfate.screens import screenable_nodes
from boolfate.tabular import html_table, to_pandas
from boolfate.types import Value

__all__ = [
    "MODES",
    "USING",
    "MAX_CANDIDATES",
    "Fix",
    "Mode",
    "Using",
    "Scope",
    "TargetQuestion",
    "Explanation",
    "TargetSet",
    "SearchStats",
    "TargetResult",
    "drug_inputs",
    "candidate_fixes",
    "active_fixes",
    "count_sets",
    "fix_sets",
]

Mode = Literal["only", "includes", "dominant"]
Using = Literal["drugs", "nodes", "both"]
MODES: tuple[Mode, ...] = ("only", "includes", "dominant")
USING: tuple[Using, ...] = ("drugs", "nodes", "both")
MAX_CANDIDATES = 200_000
"""Default cap on candidate sets × conditions (a rough guide: about 2 ms each on 30 nodes)."""

Fix = tuple[str, Value]


@dataclass(frozen=True)
class TargetQuestion:
    """What to search for.

    Attributes
    ----------
    fates
        The wanted fates (names of the bundle's fate rules or its default fate).
    conditions
        Condition names (``()``: the bundle's default condition).
    max_size
        Largest set size searched.
    using
        Candidate fixes: ``nodes`` (knock-outs and over-expressions), ``drugs`` or ``both``.
    exclude
        Nodes never fixed.
    mode
        ``only``, ``includes`` or ``dominant`` (see the module docstring).
    max_candidates
        Refuse searches with more candidate sets × conditions than this.
    trajectories
        Trajectories per evaluation in ``dominant`` mode.
    scope
        ``reachable``: the attractors reachable from the initial state (default); ``all``:
        every attractor of the perturbed network (the set works from any initial state).
    """

    fates: tuple[str, ...]
    conditions: tuple[str, ...] = ()
    max_size: int = 2
    using: Using = "both"
    exclude: tuple[str, ...] = ()
    mode: Mode = "only"
    max_candidates: int = MAX_CANDIDATES
    trajectories: int = 2000
    scope: Scope = "reachable"


@dataclass(frozen=True)
class Explanation:
    """Why a set works (or not) under one condition.

    Attributes
    ----------
    condition
        The condition name.
    fates
        Fates reached (reachable from the initial state; the most probable first in
        ``dominant`` mode).
    works
        Whether the set qualifies there.
    decided_by
        ``percolation`` (no dynamics needed), ``dynamics`` (exact reachability) or
        ``simulation`` (``dominant`` mode).
    decision
        Which fates percolation alone forces or excludes.
    trace
        The percolation steps that lead to the fate read-outs, in order.
    probabilities
        Final fate probabilities (``dominant`` mode only).
    """

    condition: str
    fates: tuple[str, ...]
    works: bool
    decided_by: str
    decision: str
    trace: tuple[str, ...]
    probabilities: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class TargetSet:
    """One minimal set with its outcome under every searched condition.

    Attributes
    ----------
    perturbation
        The fixes (empty: the model already reaches the fates without intervention).
    minimal_in
        Conditions where the set qualifies and no proper subset does.
    explanations
        One :class:`Explanation` per searched condition, in question order.
    """

    perturbation: Perturbation
    minimal_in: tuple[str, ...]
    explanations: tuple[Explanation, ...]

    @property
    def size(self) -> int:
        """Number of fixes."""
        return len(self.perturbation.fixes)

    @property
    def works_in(self) -> tuple[str, ...]:
        """Conditions where the set qualifies."""
        return tuple(e.condition for e in self.explanations if e.works)

    @property
    def robustness(self) -> float:
        """Share of the searched conditions where the set qualifies."""
        return len(self.works_in) / len(self.explanations) if self.explanations else 0.0

    @property
    def decided_by(self) -> str:
        """``percolation`` when percolation alone decides it wherever it works."""
        kinds = {e.decided_by for e in self.explanations if e.works}
        return "percolation" if kinds == {"percolation"} else "dynamics"

    def explanation(self, condition: str) -> Explanation:
        """The explanation under ``condition``."""
        return next(e for e in self.explanations if e.condition == condition)


@dataclass(frozen=True)
class SearchStats:
    """How much work the search did (all counts summed over conditions).

    Attributes
    ----------
    candidates
        Candidate sets up to ``max_size`` (with no-op fixes removed) over all conditions.
    skipped_supersets
        Sets skipped because a proper subset already qualified.
    by_percolation
        Sets decided by percolation alone.
    by_trap_spaces
        Sets decided by minimal trap spaces (``scope="all"`` only).
    by_dynamics
        Sets that needed exact reachability (or a simulation in ``dominant`` mode).
    cross_checks
        Extra evaluations of found sets under the other conditions.
    seconds
        Wall-clock time of the search.
    """

    candidates: int
    skipped_supersets: int
    by_percolation: int
    by_dynamics: int
    cross_checks: int
    seconds: float
    by_trap_spaces: int = 0


@dataclass(frozen=True)
class TargetResult:
    """The answer of :func:`find_targets`: ranked sets and what each condition reaches untouched.

    Attributes
    ----------
    question
        The question, with the conditions resolved.
    sets
        Minimal sets, ranked: most robust first, then smallest, then by text.
    wild_type
        The explanation of the empty set under each condition.
    fixes
        The candidate fixes, as ``NODE%v`` text.
    stats
        Work counts and time.
    """

    question: TargetQuestion
    sets: tuple[TargetSet, ...]
    wild_type: tuple[Explanation, ...]
    fixes: tuple[str, ...]
    stats: SearchStats

    def __repr__(self) -> str:
        q = self.question
        return (
            f"TargetResult(fates={'+'.join(q.fates)}, mode={q.mode}, "
            f"conditions={','.join(q.conditions)}, max_size={q.max_size}, sets={len(self.sets)})"
        )

    def records(self) -> list[dict[str, Any]]:
        """One dict per set, in rank order (the ``targets.csv`` columns, lists for tuples)."""
        return [
            {
                "perturbation": t.perturbation.label(),
                "size": t.size,
                "works_in": list(t.works_in),
                "robustness": t.robustness,
                "minimal_in": list(t.minimal_in),
                "decided_by": t.decided_by,
                **{f"fates {e.condition}": list(e.fates) for e in t.explanations},
            }
            for t in self.sets
        ]

    def to_pandas(self) -> Any:
        """The sets as a :class:`pandas.DataFrame` (needs pandas)."""
        return to_pandas(self.records())

    def _repr_html_(self) -> str:
        return html_table(self.records(), caption=repr(self))


# --------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------


def drug_inputs(bundle: Bundle) -> tuple[str, ...]:
    """The drug inputs: ``[modules] inputs`` (or ``treatments``) if declared, else the inputs
    that the conditions set.

    Examples
    --------
    >>> from boolfate.bundle import load_bundle
    >>> {"SMACmim", "zVAD", "BH3"} <= set(drug_inputs(load_bundle("tnf_necroptosis")))
    True
    >>> drug_inputs(load_bundle("calzone2010"))
    ('TNF', 'FASL', 'FADD')
    """
    net = bundle.network
    declared = bundle.modules.get("inputs") or bundle.modules.get("treatments")
    if declared:
        return tuple(n for n in net.nodes if n in set(declared))
    set_by = {n for c in bundle.conditions.values() for n in c.perturbation.nodes}
    return tuple(n for n in net.inputs if n in set_by)


def candidate_fixes(
    bundle: Bundle, using: Using = "both", exclude: Iterable[str] = ()
) -> tuple[Fix, ...]:
    """Every candidate fix, in network order (drugs only as ``%1``).

    Raises
    ------
    BoolfateError
        When ``using`` is unknown or an excluded node does not exist.
    """
    if using not in USING:
        raise BoolfateError(f"unknown --using '{using}'; choose from {', '.join(USING)}")
    skip = set(exclude)
    for node in skip:
        bundle.network.check_node(node, context="--exclude")
    nodes = set(screenable_nodes(bundle)) if using in ("nodes", "both") else set()
    drugs = set(drug_inputs(bundle)) if using in ("drugs", "both") else set()
    out: list[Fix] = []
    for node in bundle.network.nodes:
        if node in skip:
            continue
        if node in drugs:
            out.append((node, 1))
        elif node in nodes:
            out += [(node, 0), (node, 1)]
    return tuple(out)


def active_fixes(fixes: Sequence[Fix], condition: Condition) -> tuple[Fix, ...]:
    """The fixes that change something under ``condition`` (not already set by it)."""
    setting = condition.perturbation.mapping
    return tuple(f for f in fixes if setting.get(f[0]) != f[1])


def count_sets(fixes: Sequence[Fix], max_size: int) -> int:
    """Sets of at most ``max_size`` fixes on distinct nodes (the empty set included).

    Examples
    --------
    >>> count_sets([("a", 0), ("a", 1), ("b", 1)], 2)
    6
    """
    per_node: dict[str, int] = {}
    for node, _ in fixes:
        per_node[node] = per_node.get(node, 0) + 1
    # elementary symmetric polynomials of the per-node choice counts
    e = [1] + [0] * max_size
    for c in per_node.values():
        for k in range(max_size, 0, -1):
            e[k] += e[k - 1] * c
    return sum(e)


def fix_sets(fixes: Sequence[Fix], size: int) -> Iterator[tuple[Fix, ...]]:
    """Sets of ``size`` fixes on distinct nodes, in a fixed order."""
    for combo in itertools.combinations(fixes, size):
        if len({n for n, _ in combo}) == size:
            yield combo
