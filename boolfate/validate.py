"""Validate a bundle against published observations (``observations.csv``).

An observations file has one row per published experiment, with the columns
``id,condition,perturbation,expected,citation,system,status,known_mismatch``:

* ``condition``: a condition name of the bundle;
* ``perturbation``: ``NODE%0 NODE%1`` items and/or scenario names separated by spaces (empty,
  ``WT`` or ``-`` for the wild type);
* ``expected``: a statement on the fates **reachable from the bundle's initial state** under
  exact asynchronous dynamics: ``only F``, ``only F1+F2``, ``includes F`` or ``excludes F``
  (``+`` joins several fates; the default fate counts as a fate; an oscillating attractor
  ``oscillating:F`` counts as reaching ``F``);
* ``status``: ``consensus`` (counts for the score) or ``context`` (cell-type specific);
* ``known_mismatch``: empty, or why the model is known to fail this row.

The score is the fraction of consensus rows that pass. A run *fails* when a consensus row fails
without a ``known_mismatch`` reason.

Examples
--------
>>> from boolfate.bundle import load_bundle
>>> bundle = load_bundle("calzone2010")
>>> text = (
...     "id,condition,perturbation,expected,citation,system,status,known_mismatch\\n"
...     "wt,TNF,,includes Survival,Calzone 2010,model,consensus,\\n"
...     "c8,TNF,casp8_ko,excludes Apoptosis,Calzone 2010,model,consensus,\\n"
... )
>>> observations = parse_observations(text, bundle, source="obs.csv")
>>> observations[1].expected
Expectation(kind='excludes', fates=('Apoptosis',))
>>> result = validate(bundle, observations)
>>> [(row.observation.id, row.reached, row.passed) for row in result.rows]
[('wt', ('Survival', 'Apoptosis', 'NonACD'), True), ('c8', ('Survival', 'NonACD'), True)]
>>> result.score, result.ok
(1.0, True)
>>> parse_expected("only Survival+Naive")
Expectation(kind='only', fates=('Survival', 'Naive'))
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from boolfate.bundle import Bundle
from boolfate.errors import BoolfateError, BundleError, suggest
from boolfate.evaluator import evaluate, fate_probabilities
from boolfate.fates import base_fate
from boolfate.perturbations import Perturbation
from boolfate.question import ask
from boolfate.tabular import html_table, to_pandas
from boolfate.textio import read_text

__all__ = [
    "COLUMNS",
    "Expectation",
    "Observation",
    "RowResult",
    "ValidationResult",
    "parse_expected",
    "parse_observations",
    "read_observations",
    "validate",
    "result_to_dict",
]

COLUMNS: tuple[str, ...] = (
    "id",
    "condition",
    "perturbation",
    "expected",
    "citation",
    "system",
    "status",
    "known_mismatch",
)
"""The columns an observations file must have, in this order."""

Kind = Literal["only", "includes", "excludes", "dominant"]
_KINDS: tuple[Kind, ...] = ("only", "includes", "excludes", "dominant")
DOMINANT_TRAJECTORIES = 4000
"""Trajectories simulated (MaBoSS semantics, fixed seed) to judge a ``dominant F`` row."""
_STATUSES = ("consensus", "context")


@dataclass(frozen=True)
class Expectation:
    """An expected outcome: ``only`` / ``includes`` / ``excludes`` a set of fates (reachable,
    exact), or ``dominant F``: F has the highest probability in a stochastic simulation."""

    kind: Kind
    fates: tuple[str, ...]

    def check(self, reached: Iterable[str]) -> bool:
        """Whether the reached fates (oscillating labels allowed) satisfy the expectation.

        Examples
        --------
        >>> Expectation("only", ("Survival",)).check(["oscillating:Survival"])
        True
        >>> Expectation("excludes", ("Apoptosis",)).check(["Survival", "Apoptosis"])
        False
        """
        got = {base_fate(f) for f in reached}
        want = set(self.fates)
        if self.kind == "dominant":
            raise ValueError("a 'dominant' expectation is checked on probabilities")
        if self.kind == "only":
            return got == want
        if self.kind == "includes":
            return want <= got
        return not (want & got)

    def __str__(self) -> str:
        return f"{self.kind} {'+'.join(self.fates)}"


@dataclass(frozen=True)
class Observation:
    """One row of an observations file (``line`` is its 1-based line in ``source``)."""

    id: str
    condition: str
    perturbation_text: str
    perturbation: Perturbation
    expected: Expectation
    citation: str
    system: str
    status: Literal["consensus", "context"]
    known_mismatch: str
    source: str = "<string>"
    line: int = 0

    @property
    def consensus(self) -> bool:
        """True for a consensus row (one that counts for the score)."""
        return self.status == "consensus"


@dataclass(frozen=True)
class RowResult:
    """An observation with the fates the model actually reaches (and, for a ``dominant`` row,
    the simulated fate probabilities)."""

    observation: Observation
    reached: tuple[str, ...]
    passed: bool
    probabilities: Mapping[str, float] | None = None

    @property
    def blocking(self) -> bool:
        """A failed consensus row without a known-mismatch reason (makes the run fail)."""
        return (
            not self.passed and self.observation.consensus and not self.observation.known_mismatch
        )


@dataclass(frozen=True)
class ValidationResult:
    """All rows of a validation run and the score (passed consensus / all consensus)."""

    network: str
    source: str
    rows: tuple[RowResult, ...]

    @property
    def consensus_total(self) -> int:
        """Number of consensus rows."""
        return sum(1 for r in self.rows if r.observation.consensus)

    @property
    def consensus_passed(self) -> int:
        """Number of consensus rows that pass."""
        return sum(1 for r in self.rows if r.observation.consensus and r.passed)

    @property
    def score(self) -> float:
        """Passed consensus rows / all consensus rows (1.0 when there are none)."""
        total = self.consensus_total
        return 1.0 if total == 0 else self.consensus_passed / total

    @property
    def blocking(self) -> tuple[RowResult, ...]:
        """Failed consensus rows without a known-mismatch reason."""
        return tuple(r for r in self.rows if r.blocking)

    @property
    def ok(self) -> bool:
        """True when no consensus row fails without a known-mismatch reason."""
        return not self.blocking

    def __repr__(self) -> str:
        return (
            f"ValidationResult(network={self.network!r}, rows={len(self.rows)}, "
            f"score={self.consensus_passed}/{self.consensus_total}, ok={self.ok})"
        )

    def records(self) -> list[dict[str, Any]]:
        """One dict per observation (the JSON form of :func:`result_to_dict`)."""
        rows: list[dict[str, Any]] = result_to_dict(self)["observations"]
        return rows

    def to_pandas(self) -> Any:
        """The observations with their verdicts as a :class:`pandas.DataFrame`."""
        return to_pandas(self.records())

    def _repr_html_(self) -> str:
        keep = ("id", "condition", "perturbation", "expected", "reached", "passed", "status")
        return html_table([{k: r[k] for k in keep} for r in self.records()], caption=repr(self))


def parse_expected(text: str, fates: Sequence[str] | None = None) -> Expectation:
    """Parse ``only F``, ``only F1+F2``, ``includes F`` or ``excludes F``.

    Parameters
    ----------
    text
        The ``expected`` cell.
    fates
        Known fate names (checked when given).

    Raises
    ------
    BundleError
        On bad syntax or an unknown fate (without file and line: callers add them).
    """
    parts = text.split(None, 1)
    if len(parts) != 2 or parts[0] not in _KINDS:
        raise BundleError(
            f"expected outcome {text!r} must be 'only F', 'only F1+F2', 'includes F', "
            "'excludes F' or 'dominant F'"
        )
    kind: Kind = _KINDS[_KINDS.index(parts[0])]
    names = tuple(n.strip() for n in parts[1].split("+"))
    if kind == "dominant" and len(names) != 1:
        raise BundleError(f"expected outcome {text!r}: 'dominant' takes exactly one fate")
    if any(not n or " " in n for n in names):
        raise BundleError(f"expected outcome {text!r}: fate names are joined by '+'")
    if fates is not None:
        for name in names:
            if name not in fates:
                raise BundleError(
                    f"unknown fate '{name}'{suggest(name, fates)} (fates: {', '.join(fates)})"
                )
    return Expectation(kind, names)


def _row(cells: dict[str, str], bundle: Bundle, source: str, line: int) -> Observation:
    where = f"{source}:{line}"
    try:
        condition = cells["condition"]
        if condition not in bundle.conditions:
            known = ", ".join(bundle.conditions) or "none defined"
            raise BundleError(
                f"unknown condition '{condition}'{suggest(condition, bundle.conditions)} "
                f"(conditions: {known})"
            )
        perturbation = bundle.perturbation(cells["perturbation"])
        expected = parse_expected(cells["expected"], bundle.fates.names)
        status = cells["status"]
        if status not in _STATUSES:
            raise BundleError(f"status {status!r} must be 'consensus' or 'context'")
    except BoolfateError as exc:
        raise BundleError(f"{where}: {exc}") from exc
    return Observation(
        id=cells["id"],
        condition=condition,
        perturbation_text=cells["perturbation"],
        perturbation=perturbation,
        expected=expected,
        citation=cells["citation"],
        system=cells["system"],
        status="consensus" if status == "consensus" else "context",
        known_mismatch=cells["known_mismatch"],
        source=source,
        line=line,
    )


def parse_observations(
    text: str, bundle: Bundle, *, source: str = "<string>"
) -> tuple[Observation, ...]:
    """Parse the text of an observations CSV and check it against ``bundle``.

    Raises
    ------
    BundleError
        With ``source:line`` for a bad header, a wrong number of cells, an unknown condition,
        node, scenario or fate, bad ``expected`` syntax, a bad status or a duplicate id.
    """
    reader = csv.reader(io.StringIO(text, newline=None))  # universal newlines: a lone CR too
    header: list[str] | None = None
    rows: list[Observation] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            if tuple(header) != COLUMNS:
                raise BundleError(
                    f"{source}:{line}: the header must be '{','.join(COLUMNS)}', "
                    f"got '{','.join(header)}'"
                )
            continue
        if len(cells) != len(COLUMNS):
            raise BundleError(f"{source}:{line}: expected {len(COLUMNS)} cells, got {len(cells)}")
        row = dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))
        if not row["id"]:
            raise BundleError(f"{source}:{line}: empty id")
        if row["id"] in seen:
            raise BundleError(
                f"{source}:{line}: duplicate id '{row['id']}' (first on line {seen[row['id']]})"
            )
        seen[row["id"]] = line
        rows.append(_row(row, bundle, source, line))
    if header is None:
        raise BundleError(f"{source}: empty observations file (no header)")
    return tuple(rows)


def read_observations(path: str | Path, bundle: Bundle) -> tuple[Observation, ...]:
    """Read and check an observations CSV file (see :func:`parse_observations`)."""
    p = Path(path)
    try:
        text = read_text(p, error=BundleError)
    except OSError as exc:
        raise BundleError(f"cannot read {p}: {exc.strerror}") from exc
    return parse_observations(text, bundle, source=str(p))


def validate(
    bundle: Bundle,
    observations: Sequence[Observation] | str | Path | None = None,
) -> ValidationResult:
    """Evaluate every observation on ``bundle`` (fates reachable under async dynamics).

    Parameters
    ----------
    bundle
        The model bundle.
    observations
        Parsed observations, a path to a CSV file, or None for the bundle's own
        ``observations.csv``.

    Raises
    ------
    BundleError
        When there is no observations file, or it is malformed.
    """
    source = "<observations>"
    if observations is None:
        path = bundle.observations_path
        if path is None:
            raise BundleError(
                f"bundle '{bundle.name}' has no observations.csv; give one with --observations"
            )
        observations = path
    if isinstance(observations, (str, Path)):
        source = str(observations)
        observations = read_observations(observations, bundle)
    elif observations:
        source = observations[0].source
    cache: dict[tuple[str, Perturbation], tuple[str, ...]] = {}
    engine_cache: dict[Any, Any] = {}
    rows = []
    for obs in observations:
        key = (obs.condition, obs.perturbation)
        question = ask(bundle, obs.condition, obs.perturbation)
        if key not in cache:
            labels = evaluate(bundle, question, cache=engine_cache).fates
            cache[key] = tuple(dict.fromkeys(base_fate(f) for f in labels))
        reached = cache[key]
        if obs.expected.kind == "dominant":
            found = fate_probabilities(
                bundle, question.condition, question.perturbation, DOMINANT_TRAJECTORIES
            )
            probs: dict[str, float] = {}
            for fate, p in found.items():
                probs[base_fate(fate)] = probs.get(base_fate(fate), 0.0) + p
            top = max(probs.values())
            passed = probs.get(obs.expected.fates[0], 0.0) == top
            rows.append(RowResult(obs, reached, passed, probs))
        else:
            rows.append(RowResult(obs, reached, obs.expected.check(reached)))
    return ValidationResult(bundle.name, source, tuple(rows))


def result_to_dict(result: ValidationResult) -> dict[str, Any]:
    """A JSON-ready dict: one entry per observation under ``observations``, plus the score."""
    return {
        "network": result.network,
        "source": result.source,
        "semantics": "fates reachable from the initial state, exact asynchronous",
        "observations": [
            {
                "id": r.observation.id,
                "condition": r.observation.condition,
                "perturbation": r.observation.perturbation_text or "WT",
                "perturbation_nodes": str(r.observation.perturbation) or "WT",
                "expected": str(r.observation.expected),
                "reached": list(r.reached),
                "passed": r.passed,
                **({"probabilities": dict(r.probabilities)} if r.probabilities else {}),
                "status": r.observation.status,
                "known_mismatch": r.observation.known_mismatch,
                "citation": r.observation.citation,
                "system": r.observation.system,
                "line": r.observation.line,
            }
            for r in result.rows
        ],
        "consensus_passed": result.consensus_passed,
        "consensus_total": result.consensus_total,
        "score": result.score,
        "ok": result.ok,
    }
