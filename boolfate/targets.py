"""Target search: every minimal perturbation set that drives the cells into chosen fates.

A screen answers "what does each perturbation do?"; a target search answers the reverse
question: which sets of at most ``max_size`` knock-outs (``X%0``), over-expressions (``X%1``)
and added drugs make the fates reachable from the initial state, under a condition,

* ``only``: all in the chosen fates (every reachable attractor has one of them),
* ``includes``: include one of the chosen fates, or
* ``dominant``: put the highest final probability on one of the chosen fates (stochastic
  simulation with the bundle's ``[rates]``, MaBoSS semantics, fixed seed).

With ``scope="all"`` every attractor of the perturbed network counts instead of the
reachable ones (the set then works from any initial state). A set is *minimal* when no proper
subset qualifies under the same condition. ``only`` and
``includes`` are exact (asynchronous reachability from the bundle's initial state, engine
``aeon``), not sampled. Fate labels are matched exactly: an ``oscillating:F`` attractor does not
count as ``F``; a mixed label ``F+G`` counts for ``only`` when both fates are wanted.

Candidates
----------
``nodes``: a knock-out and an over-expression of every screenable node (neither a network
input nor a pure read-out, see :func:`boolfate.screens.screenable_nodes`). ``drugs``: adding
(``%1``) each drug input, where the drugs are the bundle's ``[modules] inputs`` (or
``treatments``) group when it declares one, else every network input that a condition sets
(ligands and drugs). A fix that a condition already sets to the same value is a no-op there
and is not a candidate.

Pruning (every rule is exact)
-----------------------------
1. Minimality: sets are visited by increasing size and a set with a qualifying proper subset
   is skipped without evaluation (it cannot be minimal).
2. Percolation: the constants forced by the condition and the set span a trap space holding
   every attractor. When the fate rules are decided on it (the scheme classifies the whole
   subspace without an ``oscillating:`` part) no dynamics are run; when every wanted rule is
   false on it (and the default fate is unwanted or excluded), the set fails.
3. Trap spaces (``scope="all"`` only): every minimal trap space holds an attractor, so
   one whose values decide an unwanted fate fails ``only`` (a wanted one passes ``includes``)
   without the exact attractor search.
4. Percolation equivalence: sets whose fixed values percolate to the same reduced network and
   initial state share one computation (the screen's cache, one symbolic graph each).

No monotonicity pruning is applied: reaching a fate is not monotone in the fixes in general
(an extra knock-out can restore a fate), so supersets of failing sets are always evaluated.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> from boolfate.bundle import bundle_from_toml
>>> net = parse_bnet("s, s\\na, s & !b\\nb, !a | !c\\nc, !b\\ndead, a\\nalive, b")
>>> toy = bundle_from_toml(net, {"fates": {"Death": "dead", "Life": "alive"},
...                              "conditions": {"on": "s%1"}}, src="toy", name="toy", path=None)
>>> result = find_targets(toy, TargetQuestion(fates=("Death",), conditions=("on",)))
>>> [(str(t.perturbation), t.decided_by) for t in result.sets]
[('a%1', 'percolation'), ('b%0', 'percolation')]
>>> result.sets[0].explanation("on").decision
'percolation alone forces Death (dead=1)'
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from boolfate.bundle import Bundle
from boolfate.engines import Attractor, attractors
from boolfate.errors import BoolfateError, suggest
from boolfate.evaluator import evaluate, fate_probabilities, percolation_decision
from boolfate.expr import Const, substitute, variables
from boolfate.fates import OSCILLATING_PREFIX as OSCILLATING
from boolfate.fates import FateScheme
from boolfate.model import Network
from boolfate.percolation import Percolation, Step, forced_values, percolate
from boolfate.perturbations import Perturbation, apply
from boolfate.question import ask
from boolfate.target_sets import (
    MAX_CANDIDATES,
    MODES,
    USING,
    Explanation,
    Fix,
    Mode,
    Scope,
    SearchStats,
    TargetQuestion,
    TargetResult,
    TargetSet,
    Using,
    active_fixes,
    candidate_fixes,
    count_sets,
    drug_inputs,
    fix_sets,
)
from boolfate.types import Value

JOIN = "+"
"""Joins the fates of a mixed attractor label (``CICD+Necroptosis``)."""

__all__ = [
    "MODES",
    "USING",
    "MAX_CANDIDATES",
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
    "count_sets",
    "decided_fate",
    "wanted_impossible",
    "label_counts",
    "find_targets",
    "estimated_sets",
    "minimal_sets",
]

# --------------------------------------------------------------------------------------------
# Judging one set under one condition
# --------------------------------------------------------------------------------------------


def decided_fate(scheme: FateScheme, values: Mapping[str, Value]) -> str | None:
    """The fate label of every attractor inside the subspace ``values``, when they decide it.

    The scheme classifies the whole subspace (rules not constant on it hold on "some" states);
    a label without an ``oscillating:`` part is then the label of every attractor inside, under
    the scheme's own rule semantics.

    Examples
    --------
    >>> from boolfate.bnet import parse_bnet
    >>> net = parse_bnet("a, a\\nb, b")
    >>> scheme = FateScheme.from_mapping({"A": "a", "B": "b"}, net, default="Rest")
    >>> decided_fate(scheme, {"a": 0}) is None, decided_fate(scheme, {"a": 0, "b": 1})
    (True, 'B')
    """
    fixed = tuple(sorted(values.items()))
    label = scheme.classify(Attractor(fixed, ("*",), 2, None, exact=False))
    return None if OSCILLATING in label else label


def wanted_impossible(scheme: FateScheme, values: Mapping[str, Value], wanted: Set[str]) -> bool:
    """True when no attractor inside ``values`` can show a wanted fate: every wanted rule is
    false there, and the default fate is unwanted or excluded by a rule that holds."""
    verdicts = {r.name: substitute(r.expr, values) for r in scheme.rules}
    if any(not (isinstance(e, Const) and not e.value) for n, e in verdicts.items() if n in wanted):
        return False
    some_true = any(isinstance(e, Const) and e.value for e in verdicts.values())
    return scheme.default not in wanted or some_true


def label_counts(label: str, wanted: Set[str], mode: Mode) -> bool:
    """Whether one attractor's fate label counts as wanted.

    ``only`` and ``dominant``: the label is a wanted fate, or a mixed label (``F+G``) made only
    of wanted fates; ``includes``: one of its fates (not merely oscillating) is wanted.

    Examples
    --------
    >>> label_counts("CICD", {"CICD"}, "only"), label_counts("oscillating:CICD", {"CICD"}, "only")
    (True, False)
    >>> label_counts("CICD+Necroptosis", {"CICD"}, "only")
    False
    >>> label_counts("CICD+Necroptosis", {"CICD"}, "includes")
    True
    """
    parts = label.split(JOIN)
    plain = [p for p in parts if not p.startswith(OSCILLATING)]
    if mode == "includes":
        return any(p in wanted for p in plain)
    return len(plain) == len(parts) and all(p in wanted for p in parts)


def _relevant_trace(perc: Percolation, scheme: FateScheme, fixed: Iterable[str]) -> tuple[str, ...]:
    """The percolation steps the fate read-outs depend on, in forcing order."""
    steps: dict[str, Step] = {s.node: s for s in perc.trace}
    wanted: set[str] = set()
    stack = [n for rule in scheme.rules for n in variables(rule.expr) if n in steps]
    while stack:
        node = stack.pop()
        if node in wanted:
            continue
        wanted.add(node)
        stack += [n for n, _ in steps[node].because if n in steps]
    seeds = set(fixed)
    return tuple(str(s) for s in perc.trace if s.node in wanted and s.node not in seeds)


def _qualifies(fates: Sequence[str], wanted: frozenset[str], mode: Mode) -> bool:
    if not fates:
        return False
    if mode == "includes":
        return any(label_counts(f, wanted, mode) for f in fates)
    if mode == "only":
        return all(label_counts(f, wanted, mode) for f in fates)
    return label_counts(fates[0], wanted, mode)


@dataclass(frozen=True)
class _Verdict:
    fates: tuple[str, ...]
    works: bool
    decided_by: str
    probabilities: tuple[tuple[str, float], ...] = ()


@dataclass
class _Judge:
    """Evaluates sets under conditions, with the screen's cache and the work counters.

    Judging uses only the forced values (cheap); the explanation text with its percolation
    trace is built by :meth:`explain` for the sets that are reported.
    """

    bundle: Bundle
    question: TargetQuestion
    wanted: frozenset[str]
    cache: dict[Any, Any] = field(default_factory=dict)
    forced: dict[tuple[Perturbation, str], dict[str, Value]] = field(default_factory=dict)
    by_percolation: int = 0
    by_trap_spaces: int = 0
    by_dynamics: int = 0

    def __call__(self, perturbation: Perturbation, condition: str) -> _Verdict:
        mode = self.question.mode
        if mode != "dominant":
            values = self._forced(perturbation, condition)
            decided = decided_fate(self.bundle.fates, values)
            if decided is not None or wanted_impossible(self.bundle.fates, values, self.wanted):
                self.by_percolation += 1
                fates: tuple[str, ...] = (decided,) if decided is not None else ()
                works = decided is not None and _qualifies(fates, self.wanted, mode)
                return _Verdict(fates, works, "percolation")
            if self.question.scope == "all":
                cond = self.bundle.condition(condition)
                network = apply(self.bundle.network, cond.perturbation + perturbation)
                verdict = self._by_trap_spaces(network)
                if verdict is not None:
                    return verdict
        self.by_dynamics += 1
        fates, probs = _fates_of(self.bundle, perturbation, condition, self.question, self.cache)
        works = _qualifies(fates, self.wanted, mode)
        return _Verdict(fates, works, "simulation" if mode == "dominant" else "dynamics", probs)

    def _forced(self, perturbation: Perturbation, condition: str) -> dict[str, Value]:
        """Forced values of the condition plus the set, from those of the set without its last
        fix when known (sets are visited by size); kept for sets that may still grow."""
        fixes = (self.bundle.condition(condition).perturbation + perturbation).mapping
        parent = Perturbation(perturbation.fixes[:-1]) if perturbation else None
        known = self.forced.get((parent, condition)) if parent is not None else None
        values = forced_values(self.bundle.network, fixes, known)
        if len(perturbation.fixes) < self.question.max_size:
            self.forced[(perturbation, condition)] = values
        return values

    def _by_trap_spaces(self, network: Network) -> _Verdict | None:
        """Every minimal trap space holds an attractor: one whose values decide a fate proves
        that fate present among all attractors (a failure for ``only`` when it is not wanted,
        a success for ``includes`` when it is). Exact fates are computed later if reported."""
        found = attractors(network, update="mp")
        decided = {decided_fate(self.bundle.fates, t.values) for t in found}
        mode = self.question.mode
        counts = [label_counts(d, self.wanted, mode) for d in decided if d is not None]
        if (mode == "only" and not all(counts)) or (mode == "includes" and any(counts)):
            self.by_trap_spaces += 1
            return _Verdict((), mode == "includes", "trap spaces")
        return None

    def explain(self, perturbation: Perturbation, condition: str, verdict: _Verdict) -> Explanation:
        """The verdict with its percolation explanation (and the exact fates when percolation
        only showed that none of the wanted fates is possible)."""
        if not verdict.fates and self.question.mode != "dominant":
            fates, _ = _fates_of(self.bundle, perturbation, condition, self.question, self.cache)
            verdict = _Verdict(fates, verdict.works, verdict.decided_by)
        cond = self.bundle.condition(condition)
        fixes = cond.perturbation + perturbation
        perc = percolate(apply(self.bundle.network, fixes), {})
        return Explanation(
            condition,
            verdict.fates,
            verdict.works,
            verdict.decided_by,
            percolation_decision(self.bundle.fates, self.bundle.network, perc.values),
            _relevant_trace(perc, self.bundle.fates, fixes.nodes),
            verdict.probabilities,
        )


def _fates_of(
    bundle: Bundle,
    perturbation: Perturbation,
    condition: str,
    question: TargetQuestion,
    cache: dict[Any, Any],
) -> tuple[tuple[str, ...], tuple[tuple[str, float], ...]]:
    """The fates of one set under one condition: the one call into the evaluation pipeline.

    Exact reachable fates (``only``/``includes``), or the fates ranked by final probability,
    most probable first, with the probabilities (``dominant``).
    """
    if question.mode != "dominant":
        asked = ask(bundle, condition, perturbation, scope=question.scope)
        return evaluate(bundle, asked, cache=cache).fates, ()
    cond = bundle.condition(condition)
    final = fate_probabilities(bundle, cond, perturbation, question.trajectories)
    ranked = sorted(final.items(), key=lambda kv: (-kv[1], kv[0]))
    probs = tuple((k, round(float(v), 6)) for k, v in ranked)
    return tuple(k for k, v in probs if v > 0), probs


# --------------------------------------------------------------------------------------------
# The search
# --------------------------------------------------------------------------------------------


def _check(bundle: Bundle, question: TargetQuestion) -> tuple[str, ...]:
    """Validate the question; return the conditions to search."""
    names = bundle.fates.names
    if not question.fates:
        raise BoolfateError(f"give at least one fate; the model's fates: {', '.join(names)}")
    for fate in question.fates:
        if fate not in names:
            raise BoolfateError(
                f"unknown fate '{fate}'{suggest(fate, names)}; the model's fates: "
                f"{', '.join(names)}"
            )
    if question.mode not in MODES:
        raise BoolfateError(f"unknown mode '{question.mode}'; choose from {', '.join(MODES)}")
    if question.scope not in ("reachable", "all"):
        raise BoolfateError(f"unknown attractor scope '{question.scope}'; use reachable or all")
    if question.scope == "all" and question.mode == "dominant":
        raise BoolfateError(
            "--mode dominant simulates from the initial state; drop --attractors all"
        )
    if question.max_size < 0:
        raise BoolfateError("--max-size must be at least 0")
    if question.mode == "dominant" and "rates" not in bundle.raw:
        raise BoolfateError(
            f"--mode dominant needs transition rates, but {bundle.name} has no [rates] table in "
            "its model.toml (e.g. [rates.CASP3] up = 0.5); use --mode only or includes for "
            "the exact answer"
        )
    # Extension point for named profiles (cell types): the contexts searched become condition
    # x profile; a context's fixes (condition inputs + profile values) must then feed
    # _Judge._forced, active_fixes and ask(..., profile=...), and robustness counts contexts.
    return tuple(question.conditions) or (bundle.condition(None).name,)


def _check_size(bundle: Bundle, question: TargetQuestion, conditions: Sequence[str]) -> None:
    total = estimated_sets(bundle, question, conditions)
    if total > question.max_candidates:
        raise BoolfateError(
            f"--max-size {question.max_size} gives about {total:,} candidate sets over "
            f"{len(conditions)} condition(s), more than the limit of "
            f"{question.max_candidates:,}; lower --max-size, narrow --using or --exclude "
            "nodes, or raise --max-candidates"
        )


def _has_found_subset(combo: tuple[Fix, ...], found: set[frozenset[Fix]]) -> bool:
    """True when a proper subset of ``combo`` is in ``found``."""
    subsets = (itertools.combinations(combo, k) for k in range(len(combo)))
    return any(frozenset(sub) in found for subs in subsets for sub in subs)


def minimal_sets(
    fixes: Sequence[Fix], max_size: int, qualifies: Callable[[Perturbation], bool]
) -> tuple[list[Perturbation], int, int]:
    """Minimal sets of ``fixes`` (up to ``max_size``) for which ``qualifies(set)`` is true.

    Sets are visited by increasing size; one with a qualifying proper subset is skipped
    (never passed to ``qualifies``). Returns the minimal sets in visiting order, the number
    of sets visited and the number skipped.

    Examples
    --------
    >>> good = lambda p: {"a", "b"} <= set(p.nodes) or "c" in p.nodes
    >>> found, visited, skipped = minimal_sets([("a", 0), ("b", 0), ("c", 0)], 3, good)
    >>> [str(p) for p in found], visited, skipped
    (['c%0', 'a%0 b%0'], 8, 3)
    """
    found: set[frozenset[Fix]] = set()
    out: list[Perturbation] = []
    visited = skipped = 0
    for size in range(max_size + 1):
        for combo in fix_sets(fixes, size):
            visited += 1
            if found and _has_found_subset(combo, found):
                skipped += 1
                continue
            pert = Perturbation(tuple(sorted(combo)))
            if qualifies(pert):
                found.add(frozenset(combo))
                out.append(pert)
    return out, visited, skipped


def find_targets(bundle: Bundle, question: TargetQuestion) -> TargetResult:
    """Find every minimal set answering ``question`` (see the module docstring).

    Raises
    ------
    BoolfateError
        On an unknown fate (listing the fates), a search larger than
        ``question.max_candidates`` (naming ``--max-size`` and the estimated number of sets),
        or ``dominant`` mode on a bundle without ``[rates]``.
    """
    clock = time.monotonic()
    conditions = _check(bundle, question)
    _check_size(bundle, question, conditions)
    question = TargetQuestion(**{**question.__dict__, "conditions": conditions})
    judge = _Judge(bundle, question, frozenset(question.fates))
    fixes = candidate_fixes(bundle, question.using, question.exclude)
    known: dict[tuple[Perturbation, str], _Verdict] = {}

    def qualifies_in(condition: str) -> Callable[[Perturbation], bool]:
        def check(pert: Perturbation) -> bool:
            known[(pert, condition)] = judge(pert, condition)
            return known[(pert, condition)].works

        return check

    minimal: dict[Perturbation, list[str]] = {}
    candidates = skipped = 0
    for c in conditions:
        active = active_fixes(fixes, bundle.condition(c))
        found, visited, skip = minimal_sets(active, question.max_size, qualifies_in(c))
        candidates, skipped = candidates + visited, skipped + skip
        for pert in found:
            minimal.setdefault(pert, []).append(c)
    cross = 0
    for pert in (*minimal, Perturbation()):
        for c in conditions:
            if (pert, c) not in known:
                known[(pert, c)] = judge(pert, c)
                cross += pert in minimal

    def explained(pert: Perturbation) -> tuple[Explanation, ...]:
        return tuple(judge.explain(pert, c, known[(pert, c)]) for c in conditions)

    sets = [TargetSet(pert, tuple(where), explained(pert)) for pert, where in minimal.items()]
    sets.sort(key=lambda t: (-len(t.works_in), t.size, str(t.perturbation)))
    wild = explained(Perturbation())
    stats = SearchStats(
        candidates=candidates,
        skipped_supersets=skipped,
        by_percolation=judge.by_percolation,
        by_trap_spaces=judge.by_trap_spaces,
        by_dynamics=judge.by_dynamics,
        cross_checks=cross,
        seconds=round(time.monotonic() - clock, 3),
    )
    labels = tuple(f"{n}%{v}" for n, v in fixes)
    return TargetResult(question, tuple(sets), wild, labels, stats)


def estimated_sets(
    bundle: Bundle, question: TargetQuestion, conditions: Sequence[str] | None = None
) -> int:
    """Candidate sets × conditions the search visits at most (before any pruning)."""
    conds = conditions or tuple(question.conditions) or (bundle.condition(None).name,)
    fixes = candidate_fixes(bundle, question.using, question.exclude)
    return sum(
        count_sets(active_fixes(fixes, bundle.condition(c)), question.max_size) for c in conds
    )
