"""Plain-text rendering of a validation run: PASS/FAIL per observation, then the score."""

from __future__ import annotations

from boolfate.validate import RowResult, ValidationResult

__all__ = ["result_table"]


def _reached_cell(row: RowResult) -> str:
    if row.probabilities is not None:
        ranked = sorted(row.probabilities.items(), key=lambda kv: -kv[1])
        return " ".join(f"{k}={v:.2f}" for k, v in ranked if v > 0) or "-"
    return "+".join(row.reached) or "-"


def result_table(result: ValidationResult) -> str:
    """A plain-text table: PASS/FAIL per row with the reached fates, then the score."""
    head = ("", "id", "condition", "perturbation", "expected", "reached", "status")
    body = []
    for r in result.rows:
        obs = r.observation
        verdict = "PASS" if r.passed else ("FAIL*" if obs.known_mismatch else "FAIL")
        body.append(
            (
                verdict,
                obs.id,
                obs.condition,
                obs.perturbation_text or "WT",
                str(obs.expected),
                _reached_cell(r),
                obs.status,
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
    out.append(
        f"score: {result.consensus_passed}/{result.consensus_total} consensus rows pass "
        f"({100 * result.score:.1f} %); {len(result.rows)} rows in {result.source}"
    )
    if result.blocking:
        ids = ", ".join(r.observation.id for r in result.blocking)
        out.append(f"FAILED: consensus rows without a known-mismatch reason: {ids}")
    return "\n".join(out) + "\n"
