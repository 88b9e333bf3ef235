"""Plain-text rendering of a validation run: PASS/FAIL per observation, then the score."""

from __future__ import annotations

from boolfate.validate import RowResult, ValidationResult

__all__ = ["result_table"]


def _reached_cell(row: RowResult) -> str:
    if row.probabilities is not None:
        ranked = sorted(row.probabilities.items(), key=lambda kv: -kv[1])
        return " ".join(f"{k}={v:.2f}" for k, v in ranked if v > 0) or "-"
    return ", ".join(row.reached) or "-"


def result_table(result: ValidationResult) -> str:
    """A plain-text table: PASS/FAIL per row with the reached fates, then the score."""
    head = ("", "id", "condition", "perturbation", "expected", "reached", "status", "class")
    body = []
    for r in result.rows:
        obs = r.observation
        verdict = "PASS" if r.passed else ("FAIL*" if obs.known_mismatch else "FAIL")
        where = f"{obs.condition}@{obs.profile}" if obs.profile else obs.condition
        status = obs.status if obs.literature else f"{obs.status}/regression"
        body.append(
            (
                verdict,
                obs.id,
                where,
                obs.perturbation_text or "WT",
                str(obs.expected),
                _reached_cell(r),
                status,
                r.row_class,
            )
        )
    widths = [max(len(row[i]) for row in (head, *body)) for i in range(len(head))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in (head, *body)
    ]
    out = [lines[0], "  ".join("-" * w for w in widths), *lines[1:], ""]
    mismatches = [r for r in result.rows if not r.passed and r.observation.known_mismatch]
    for r in mismatches:
        out.append(f"FAIL* {r.observation.id}: known mismatch: {r.observation.known_mismatch}")
    if mismatches:
        out.append("")
    out.extend(_summary(result))
    if result.blocking:
        ids = ", ".join(r.observation.id for r in result.blocking)
        out.append(f"FAILED: consensus rows without a known-mismatch reason: {ids}")
    return "\n".join(out) + "\n"


def _summary(result: ValidationResult) -> list[str]:
    """The count and score lines under the table."""
    lines = [
        f"rows: {len(result.rows)} in {result.source}: {result.discriminating} discriminating, "
        f"{result.by_construction} by construction (decided by constant propagation alone)",
        f"score: {result.scored_passed}/{result.scored_total} discriminating consensus literature "
        f"rows pass ({100 * result.score:.1f} %)",
        f"all consensus rows: {result.consensus_passed}/{result.consensus_total} pass",
    ]
    if result.regression_total:
        lines.append(
            f"regression rows (re-simulations of a published model): "
            f"{result.regression_passed}/{result.regression_total} pass"
        )
    return lines
