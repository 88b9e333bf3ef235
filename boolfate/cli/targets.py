"""``boolfate targets``: minimal perturbation sets that drive the cells into chosen fates."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
from pathlib import Path

import click

from boolfate import __version__
from boolfate.bundle import Bundle
from boolfate.cli._app import fates_option, load_model, main, model_argument
from boolfate.runner import model_hashes
from boolfate.screens import resolve_conditions
from boolfate.target_reports import targets_csv, targets_html, targets_json, targets_markdown
from boolfate.target_sets import TargetResult
from boolfate.targets import MAX_CANDIDATES, MODES, USING, TargetQuestion, find_targets

SUMMARY_SETS = 20
"""Sets listed on stdout (the reports list all of them)."""


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _figures(bundle: Bundle, result: TargetResult, limit: int) -> dict[str, str]:
    """Inline SVG of the network with each of the first ``limit`` sets overlaid."""
    if limit <= 0 or not result.sets:
        return {}
    from boolfate.diagrams import have_dot, network_diagram, to_svg

    if not have_dot():
        click.echo("targets: Graphviz 'dot' not found; the report has no diagrams", err=True)
        return {}
    out: dict[str, str] = {}
    for t in result.sets[:limit]:
        where = next((e.condition for e in t.explanations if e.works), t.explanations[0].condition)
        svg = to_svg(network_diagram(bundle, perturbation=t.perturbation, condition=where))
        if svg:
            out[t.perturbation.label()] = svg
    return out


@main.command()
@model_argument
@fates_option
@click.option(
    "--fate",
    "-f",
    "wanted",
    multiple=True,
    required=True,
    metavar="FATE",
    help="A fate to drive the cells into (repeatable: any of them).",
)
@click.option(
    "--condition",
    "-c",
    "conditions",
    multiple=True,
    metavar="NAME",
    help="Condition(s) to search under (repeatable; default: the bundle's default).",
)
@click.option("--all-conditions", is_flag=True, help="Search under every named condition.")
@click.option(
    "--max-size",
    "-k",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Largest number of fixes in a set.",
)
@click.option(
    "--using",
    type=click.Choice(list(USING)),
    default="both",
    show_default=True,
    help="Candidate fixes: node knock-outs/over-expressions, added drug inputs, or both.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="NODE",
    help="A node never to fix (repeatable).",
)
@click.option(
    "--mode",
    type=click.Choice(list(MODES)),
    default="only",
    show_default=True,
    help="only: every reachable fate is a chosen one; includes: one of them is reachable; "
    "dominant: a chosen fate is the most probable (simulation; needs [rates]).",
)
@click.option(
    "--attractors",
    "scope",
    type=click.Choice(["reachable", "all"]),
    default="reachable",
    show_default=True,
    help="reachable: attractors reachable from the initial state; all: every attractor of "
    "the perturbed network (works from any initial state).",
)
@click.option(
    "--max-candidates",
    type=click.IntRange(min=1),
    default=MAX_CANDIDATES,
    show_default=True,
    help="Refuse searches with more candidate sets × conditions than this.",
)
@click.option(
    "--trajectories",
    type=click.IntRange(min=100),
    default=2000,
    show_default=True,
    help="Trajectories per set in --mode dominant (fixed seed: reproducible).",
)
@click.option(
    "--diagrams",
    type=click.IntRange(min=0),
    default=12,
    show_default=True,
    help="Network diagrams (set overlaid) for the best-ranked sets in report.html.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("targets"),
    show_default=True,
    help="Output directory.",
)
def targets(
    model: str,
    fates_file: Path | None,
    wanted: tuple[str, ...],
    conditions: tuple[str, ...],
    all_conditions: bool,
    max_size: int,
    using: str,
    exclude: tuple[str, ...],
    mode: str,
    scope: str,
    max_candidates: int,
    trajectories: int,
    diagrams: int,
    out: Path,
) -> None:
    """Find every minimal perturbation set that drives MODEL into the chosen fate(s).

    Exact: fates reachable from the initial state under asynchronous dynamics (not sampled),
    except --mode dominant. Writes OUT/targets.csv, targets.json, report.md and report.html.

    Example: boolfate targets tnf_necroptosis --fate Necroptosis --fate CICD --condition TNF
    """
    bundle = load_model(model, fates_file)
    if conditions and all_conditions:
        raise click.UsageError("give either --condition or --all-conditions, not both")
    conds = resolve_conditions(bundle, conditions, all_conditions=all_conditions)
    question = TargetQuestion(
        fates=tuple(dict.fromkeys(wanted)),
        conditions=tuple(conds),
        max_size=max_size,
        using="drugs" if using == "drugs" else "nodes" if using == "nodes" else "both",
        exclude=exclude,
        mode="dominant" if mode == "dominant" else "includes" if mode == "includes" else "only",
        max_candidates=max_candidates,
        trajectories=trajectories,
        scope="all" if scope == "all" else "reachable",
    )
    started = dt.datetime.now(dt.UTC)
    result = find_targets(bundle, question)
    provenance = {
        "model": bundle.name,
        "boolfate": __version__,
        "model_files": model_hashes(bundle, fates_file),
        "semantics": _semantics(mode, scope),
        "conditions": {c: str(bundle.condition(c).perturbation) for c in conds},
        "command": "boolfate " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "started": started.isoformat(timespec="seconds"),
        "duration_s": result.stats.seconds,
    }
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "targets.csv", targets_csv(result))
    _write(out / "targets.json", targets_json(result, provenance))
    _write(out / "report.md", targets_markdown(result, provenance))
    figures = _figures(bundle, result, diagrams)
    _write(out / "report.html", targets_html(result, provenance, figures))
    _echo_summary(bundle, result, out)


def _semantics(mode: str, scope: str) -> str:
    if mode == "dominant":
        return "final fate probabilities from the initial state, MaBoSS semantics, fixed seed"
    if scope == "all":
        return "fates of every attractor of the perturbed network, exact asynchronous dynamics"
    return "fates reachable from the initial state, exact asynchronous dynamics"


def _echo_summary(bundle: Bundle, result: TargetResult, out: Path) -> None:
    from boolfate.target_reports import summary_lines

    click.echo(f"{bundle.name}:")
    for line in summary_lines(result):
        click.echo(f"  {line}")
    if result.sets:
        click.echo("rank  set                                robustness  works in")
    for rank, t in enumerate(result.sets[:SUMMARY_SETS], start=1):
        click.echo(
            f"{rank:>4}  {t.perturbation.label():<34} {t.robustness:>10.2f}  "
            f"{', '.join(t.works_in)}"
        )
    if len(result.sets) > SUMMARY_SETS:
        click.echo(f"  ... {len(result.sets) - SUMMARY_SETS} more in {out}/report.md")
    click.echo(f"wrote {out}/targets.csv, targets.json, report.md, report.html")
