"""Validate a bundle against published observations (``observations.csv``).

An observations file has one row per published experiment, with the columns
``id,condition,perturbation,expected,citation,system,status,known_mismatch`` and, optionally,
``profile`` and ``tier`` (any order):

* ``condition``: a condition name of the bundle, or ``none`` (no input fixed unless the bundle
  defines a condition of that name);
* ``profile``: a cell-type profile of the bundle (empty: the bundle's default profile);
* ``perturbation``: ``NODE%0 NODE%1`` items and/or scenario names separated by spaces (empty,
  ``WT`` or ``-`` for the wild type);
* ``expected``: a statement on the fates **reachable from the bundle's initial state** under
  exact asynchronous dynamics: ``only F``, ``only F1+F2``, ``includes F`` or ``excludes F``
  (``+`` joins several fates; the default fate counts as a fate; an oscillating attractor
  ``oscillating:F`` counts as reaching ``F``);
* ``status``: ``consensus`` (counts for the score) or ``context`` (cell-type specific);
* ``tier``: ``literature`` (a published experiment; the default) or ``regression`` (a
  re-simulation of a published model, checking that the bundle reproduces it);
* ``known_mismatch``: empty, or why the model is known to fail this row.

Every row is classified automatically. It is **by construction** when the values that the
condition, profile and perturbation force from the initial state
(:func:`boolfate.percolation.decided_values`: constant propagation, no dynamics) already fix
every fate rule the expectation depends on (the named fate's rule for ``includes`` /
``excludes``; every rule for ``only`` / ``dominant`` or for the default fate); otherwise it is
**discriminating**: only the dynamics can decide it. The score is the fraction of
discriminating consensus literature rows that pass; regression rows are scored apart. A run
*fails* when a consensus row fails without a ``known_mismatch`` reason.

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
>>> [row.by_construction for row in result.rows]
[False, False]
>>> result.score, result.ok
(1.0, True)
>>> parse_expected("only Survival+Naive")
Expectation(kind='only', fates=('Survival', 'Naive'))
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from boolfate.attractor import Limits
from boolfate.bundle import Bundle
from boolfate.errors import BoolfateError, BundleError, suggest
from boolfate.evaluator import evaluate
from boolfate.expr import Const, substitute
from boolfate.fates import FateScheme, fate_parts
from boolfate.percolation import decided_values
from boolfate.perturbations import Perturbation, apply
from boolfate.question import ask
from boolfate.tabular import html_table, to_pandas
from boolfate.textio import read_text
from boolfate.types import UpdateScheme

__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "by_construction",
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

REQUIRED_COLUMNS: tuple[str, ...] = (
    "id",
    "condition",
    "perturbation",
    "expected",
    "citation",
    "system",
    "status",
    "known_mismatch",
)
"""The columns an observations file must have (in any order)."""

COLUMNS: tuple[str, ...] = (
    "id",
    "condition",
    "profile",
    "perturbation",
    "expected",
    "citation",
    "system",
    "status",
    "tier",
    "known_mismatch",
)
"""Every known column, in the order boolfate writes them (``profile`` and ``tier`` optional)."""

Kind = Literal["only", "includes", "excludes", "dominant"]
_KINDS: tuple[Kind, ...] = ("only", "includes", "excludes", "dominant")
DOMINANT_TRAJECTORIES = 4000
"""Trajectories simulated (MaBoSS semantics, fixed seed) to judge a ``dominant F`` row."""
_STATUSES = ("consensus", "context")
_TIERS = ("literature", "regression")
_WILD_TYPE = ("", "WT", "wt", "-")


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
        got = {part for label in reached for part in fate_parts(label)}
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
    profile: str = ""
    tier: Literal["literature", "regression"] = "literature"

    @property
    def consensus(self) -> bool:
        """True for a consensus row (one that counts for the score)."""
        return self.status == "consensus"

    @property
    def literature(self) -> bool:
        """True for a published experiment (not a re-simulation of a model)."""
        return self.tier == "literature"


@dataclass(frozen=True)
class RowResult:
    """An observation with the fates the model actually reaches (and, for a ``dominant`` row,
    the simulated fate probabilities)."""

    observation: Observation
    reached: tuple[str, ...]
    passed: bool
    probabilities: Mapping[str, float] | None = None
    by_construction: bool = False

    @property
    def row_class(self) -> str:
        """``by-construction`` or ``discriminating`` (see the module docstring)."""
        return "by-construction" if self.by_construction else "discriminating"

    @property
    def scored(self) -> bool:
        """A discriminating consensus literature row: one the score counts."""
        obs = self.observation
        return obs.consensus and obs.literature and not self.by_construction

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
    def by_construction(self) -> int:
        """Number of rows decided by constant propagation alone."""
        return sum(1 for r in self.rows if r.by_construction)

    @property
    def discriminating(self) -> int:
        """Number of rows only the dynamics decide."""
        return len(self.rows) - self.by_construction

    @property
    def scored_total(self) -> int:
        """Number of discriminating consensus literature rows (the score's denominator)."""
        return sum(1 for r in self.rows if r.scored)

    @property
    def scored_passed(self) -> int:
        """Number of discriminating consensus literature rows that pass."""
        return sum(1 for r in self.rows if r.scored and r.passed)

    @property
    def regression_total(self) -> int:
        """Number of regression-tier rows."""
        return sum(1 for r in self.rows if not r.observation.literature)

    @property
    def regression_passed(self) -> int:
        """Number of regression-tier rows that pass."""
        return sum(1 for r in self.rows if not r.observation.literature and r.passed)

    @property
    def score(self) -> float:
        """Passed / all discriminating consensus literature rows (1.0 when there are none)."""
        total = self.scored_total
        return 1.0 if total == 0 else self.scored_passed / total

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
            f"discriminating={self.discriminating}, "
            f"score={self.scored_passed}/{self.scored_total}, ok={self.ok})"
        )

    def records(self) -> list[dict[str, Any]]:
        """One dict per observation (the JSON form of :func:`result_to_dict`)."""
        rows: list[dict[str, Any]] = result_to_dict(self)["observations"]
        return rows

    def to_pandas(self) -> Any:
        """The observations with their verdicts as a :class:`pandas.DataFrame`."""
        return to_pandas(self.records())

    def _repr_html_(self) -> str:
        keep: tuple[str, ...] = ("id", "condition", "perturbation", "expected", "reached")
        keep += ("passed", "status", "class")
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
        if condition not in bundle.conditions and condition != "none":
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
        profile, tier = cells.get("profile", ""), cells.get("tier", "") or "literature"
        if profile:
            bundle.condition(condition, profile=profile)  # unknown or clashing profile
        if tier not in _TIERS:
            raise BundleError(f"tier {tier!r} must be 'literature' or 'regression'")
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
        profile=profile,
        tier="regression" if tier == "regression" else "literature",
    )


def _csv_rows(reader: Any, source: str) -> Iterator[list[str]]:
    """Yield the rows of ``reader``; a :class:`csv.Error` becomes a ``source:line`` error."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            detail = str(exc)
            if "field larger than field limit" in detail:
                detail = f"a cell longer than {csv.field_size_limit():,} characters"
            raise BundleError(f"{source}:{reader.line_num}: bad CSV: {detail}") from None
        yield cells


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
    try:
        return _parse_rows(text, bundle, source)
    except BundleError as exc:  # a quoted cell may hold a line break: keep the message one line
        message = str(exc)
        if "\n" not in message and "\r" not in message:
            raise
        raise BundleError(message.replace("\r", "\\r").replace("\n", "\\n")) from None


def _parse_rows(text: str, bundle: Bundle, source: str) -> tuple[Observation, ...]:
    # universal newlines (a lone CR too); a BOM is not part of the header
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=None))
    header: list[str] | None = None
    rows: list[Observation] = []
    seen: dict[str, int] = {}
    for cells in _csv_rows(reader, source):
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if header is None:
            header = _header(cells, source, line)
            continue
        if len(cells) != len(header):
            raise BundleError(f"{source}:{line}: expected {len(header)} cells, got {len(cells)}")
        row = dict(zip(header, (c.strip() for c in cells), strict=True))
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


def _clip(text: str, size: int = 200) -> str:
    """``text`` cut to ``size`` characters (an error message quotes a cell, not a megabyte)."""
    return text if len(text) <= size else text[:size] + "..."


def _header(cells: Sequence[str], source: str, line: int) -> list[str]:
    """Check a header row: every required column once, nothing unknown."""
    header = [c.strip() for c in cells]
    for name in header:
        if name not in COLUMNS:
            raise BundleError(
                f"{source}:{line}: unknown column '{_clip(name)}'{suggest(name, COLUMNS)} "
                f"(the header must hold {','.join(REQUIRED_COLUMNS)}, optionally profile, tier)"
            )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing or len(set(header)) != len(header):
        what = f"missing column '{missing[0]}'" if missing else "a repeated column"
        raise BundleError(
            f"{source}:{line}: the header must be '{','.join(REQUIRED_COLUMNS)}' "
            f"(optionally with profile, tier); {what} in '{_clip(','.join(header))}'"
        )
    return header


def by_construction(expected: Expectation, fates: FateScheme, values: Mapping[str, int]) -> bool:
    """Whether ``values`` alone fix every fate rule ``expected`` depends on.

    Examples
    --------
    >>> from boolfate.bnet import parse_bnet
    >>> net = parse_bnet("a, a\\nb, b")
    >>> scheme = FateScheme.from_mapping({"A": "a", "B": "b"}, net, default="None")
    >>> by_construction(Expectation("excludes", ("A",)), scheme, {"a": 0})
    True
    >>> by_construction(Expectation("only", ("B",)), scheme, {"a": 0})
    False
    """
    rules = {rule.name: rule.expr for rule in fates.rules}
    if expected.kind in ("only", "dominant") or any(f not in rules for f in expected.fates):
        needed = list(rules.values())
    else:
        needed = [rules[f] for f in expected.fates]
    known = {k: v for k, v in values.items() if v in (0, 1)}
    return all(isinstance(substitute(e, known), Const) for e in needed)


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
    *,
    update: UpdateScheme | None = None,
    profile: str | None = None,
    limits: Limits | None = None,
) -> ValidationResult:
    """Evaluate every observation on ``bundle`` (fates reachable from its initial state).

    Parameters
    ----------
    bundle
        The model bundle.
    observations
        Parsed observations, a path to a CSV file, or None for the bundle's own
        ``observations.csv``.
    update
        ``"async"`` or ``"priority"`` (the bundle's time-scale classes); None: the bundle's
        ``default_update``.
    profile
        The profile of rows whose ``profile`` cell is empty (None: the bundle's default).
    limits
        Engine limits (e.g. ``time_limit``: the CLI's ``--time-limit``).

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
    cache: dict[tuple[str, str | None, Perturbation], _Outcome] = {}
    engine_cache: dict[Any, Any] = {}
    rows = []
    for obs in observations:
        key = (obs.condition, obs.profile or profile, obs.perturbation)
        if key not in cache:
            cache[key] = _outcome(
                bundle, *key, update=update, engine_cache=engine_cache, limits=limits
            )
        reached, values = cache[key]
        decided = by_construction(obs.expected, bundle.fates, values)
        if obs.expected.kind == "dominant":
            probs = _probabilities(bundle, obs, key[1])
            top = max(probs.values())
            passed = probs.get(obs.expected.fates[0], 0.0) == top
            rows.append(RowResult(obs, reached, passed, probs, decided))
        else:
            rows.append(RowResult(obs, reached, obs.expected.check(reached), None, decided))
    return ValidationResult(bundle.name, source, tuple(rows))


_Outcome = tuple[tuple[str, ...], dict[str, int]]


def _outcome(
    bundle: Bundle,
    condition: str,
    profile: str | None,
    perturbation: Perturbation,
    *,
    update: UpdateScheme | None,
    engine_cache: dict[Any, Any],
    limits: Limits | None = None,
) -> _Outcome:
    """Reached fate labels (distinct, in order) and the values decided by construction."""
    question = ask(bundle, condition, perturbation, update=update, profile=profile)
    labels = evaluate(bundle, question, cache=engine_cache, limits=limits).fates
    cond = question.condition
    network = apply(bundle.network, cond.perturbation + perturbation)
    ranks = None
    if question.update == "priority" and bundle.timescales is not None:
        nodes = bundle.network.nodes
        ranks = dict(zip(nodes, bundle.timescales.ranks(nodes), strict=True))
    values = decided_values(network, bundle.initial_state(cond, perturbation), ranks=ranks)
    return tuple(dict.fromkeys(labels)), dict(values)


def _probabilities(bundle: Bundle, obs: Observation, profile: str | None) -> dict[str, float]:
    """Final fate probabilities of a MaBoSS-semantics simulation (fixed seed: reproducible)."""
    from boolfate.simulate import simulate_bundle

    cond = bundle.condition(obs.condition, profile=profile)
    result = simulate_bundle(
        bundle,
        condition=cond.name,
        perturbation=obs.perturbation,
        trajectories=DOMINANT_TRAJECTORIES,
        seed=0,
    )
    return {k: float(v) for k, v in result.final.items()}


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
                "profile": r.observation.profile or None,
                "perturbation": r.observation.perturbation_text or "WT",
                "perturbation_nodes": str(r.observation.perturbation) or "WT",
                "expected": str(r.observation.expected),
                "reached": list(r.reached),
                "passed": r.passed,
                **({"probabilities": dict(r.probabilities)} if r.probabilities else {}),
                "status": r.observation.status,
                "tier": r.observation.tier,
                "class": r.row_class,
                "known_mismatch": r.observation.known_mismatch,
                "citation": r.observation.citation,
                "system": r.observation.system,
                "line": r.observation.line,
            }
            for r in result.rows
        ],
        "by_construction": result.by_construction,
        "discriminating": result.discriminating,
        "scored_passed": result.scored_passed,
        "scored_total": result.scored_total,
        "consensus_passed": result.consensus_passed,
        "consensus_total": result.consensus_total,
        "regression_passed": result.regression_passed,
        "regression_total": result.regression_total,
        "score": result.score,
        "ok": result.ok,
    }
