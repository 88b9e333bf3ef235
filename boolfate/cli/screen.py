"""``boolfate screen``: knock-out / over-expression screens with fate tables and reports."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from boolfate.cli._app import fates_option, jobs_option, load_model, main, model_argument
from boolfate.engines import Limits
from boolfate.reports import synergy_text
from boolfate.runner import run_to_directory
from boolfate.screens import (
    PAIR_KINDS,
    parse_perturbation_list,
    resolve_conditions,
    screen_items,
)
from boolfate.textio import read_text


def _pair_kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    if "all" in kinds:
        return PAIR_KINDS
    bad = [k for k in kinds if k not in PAIR_KINDS]
    if bad:
        raise click.BadParameter(
            f"unknown pair kind '{bad[0]}'; use a comma-separated subset of "
            f"{','.join(PAIR_KINDS)} or 'all'",
            param_hint="--pairs",
        )
    return kinds


def _aligned(cells: list[tuple[str, str, str]], last: list[str]) -> list[str]:
    """Rows of columns padded to their widest cell (no column runs into the next)."""
    if not cells:
        return []
    widths = [max(len(c[i]) for c in cells) for i in range(3)]
    return [
        "  " + " ".join(f"{c:<{w}}" for c, w in zip(row, widths, strict=True)) + f" {end}"
        for row, end in zip(cells, last, strict=True)
    ]


SUMMARY_ROWS = 25
"""Scenario rows printed in the stdout summary (the reports have all rows)."""


@main.command()
@model_argument
@fates_option
@click.option("--scenarios", is_flag=True, help="Screen the bundle's named scenarios.")
@click.option(
    "--singles", is_flag=True, help="Every single knock-out (%0) and over-expression (%1)."
)
@click.option("--doubles", is_flag=True, help="Every pair of perturbations (kinds: --pairs).")
@click.option(
    "--pairs",
    default="ko-ko",
    show_default=True,
    metavar="KINDS",
    help="Pair kinds for --doubles: comma-separated ko-ko, ko-oe, oe-oe, or 'all'.",
)
@click.option(
    "--list",
    "list_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file with one perturbation per line (e.g. 'CASP8%0 RIP1%1'), # comments.",
)
@click.option(
    "--condition",
    "-c",
    "conditions",
    multiple=True,
    metavar="NAME",
    help="Condition(s) to screen under (repeatable; default: the bundle's default).",
)
@click.option("--all-conditions", is_flag=True, help="Screen under every named condition.")
@click.option(
    "--include-inputs",
    is_flag=True,
    help="Also perturb inputs and read-out nodes in --singles / --doubles.",
)
@click.option(
    "--update",
    "-u",
    type=click.Choice(["async", "mp"]),
    default="async",
    show_default=True,
    help="async: exact fates reachable from the initial state + fates of all exact "
    "attractors; mp: minimal trap spaces only (most-permissive, fastest).",
)
@click.option(
    "--out",
    "-o",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("screen"),
    show_default=True,
    help="Output directory.",
)
@jobs_option("Worker processes.")
@click.option("--resume", is_flag=True, help="Complete an interrupted screen in --out.")
@click.option(
    "--dask-scheduler",
    metavar="ADDRESS",
    default=None,
    help="Run rows on an existing dask.distributed cluster (e.g. tcp://host:8786).",
)
@click.option(
    "--probabilities",
    is_flag=True,
    help="Add final fate probabilities per row (stochastic simulation, MaBoSS semantics).",
)
@click.option(
    "--trajectories",
    type=click.IntRange(min=100),
    default=2000,
    show_default=True,
    help="Trajectories per row for --probabilities (fixed seed: reproducible).",
)
@click.option(
    "--max-results",
    type=click.IntRange(min=1),
    default=Limits.max_results,
    show_default=True,
    help="Trap spaces per row before giving up (--update mp).",
)
def screen(
    model: str,
    fates_file: Path | None,
    scenarios: bool,
    singles: bool,
    doubles: bool,
    pairs: str,
    list_file: Path | None,
    conditions: tuple[str, ...],
    all_conditions: bool,
    include_inputs: bool,
    update: str,
    out: Path,
    jobs: int,
    resume: bool,
    dask_scheduler: str | None,
    probabilities: bool,
    trajectories: int,
    max_results: int,
) -> None:
    """Screen perturbations of MODEL: the fates each one reaches, why, and what changed.

    Writes OUT/results.csv, results.json, report.md and report.html. Without any of
    --scenarios/--singles/--doubles/--list, screens the bundle's scenarios.

    Example: boolfate screen calzone2010 --scenarios --singles --all-conditions --out screen
    """
    bundle = load_model(model, fates_file)
    if conditions and all_conditions:
        raise click.UsageError("give either --condition or --all-conditions, not both")
    kinds = _pair_kinds(pairs) if doubles else ()
    listed = []
    if list_file is not None:
        text = read_text(list_file)
        listed = parse_perturbation_list(text, bundle, source=str(list_file))
    if not (scenarios or singles or doubles or listed):
        scenarios = True
    items = screen_items(
        bundle,
        scenarios=scenarios,
        singles=singles,
        pairs=kinds,
        listed=listed,
        include_inputs=include_inputs,
    )
    conds = resolve_conditions(bundle, conditions, all_conditions=all_conditions)
    command = "boolfate " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    result = run_to_directory(
        bundle,
        items,
        conds,
        out,
        update="mp" if update == "mp" else "async",
        jobs=jobs,
        resume=resume,
        dask_scheduler=dask_scheduler,
        command=command,
        fates_file=fates_file,
        progress=sys.stderr,
        trajectories=trajectories if probabilities else 0,
        limits=Limits(max_results=max_results),
    )
    prov = result.provenance
    click.echo(
        f"{bundle.name}: {len(result.rows)} rows ({len(items)} perturbations × {len(conds)} "
        f"condition{'s' if len(conds) != 1 else ''}) in {prov['duration_s']:.1f}s"
        + (f", {result.reused} re-used" if result.reused else "")
    )
    for cond in conds:
        mine = [r for r in result.rows if r.condition == cond]
        wt = next((r for r in mine if not r.perturbation), None)
        changed = [r for r in mine if r.change not in ("reference", "unchanged")]
        synergy = synergy_text(mine)
        line = (
            f"  {cond}: wild type {', '.join(wt.fates) if wt else '?'}; "
            f"{len(changed)} change the fates"
        )
        click.echo(line + (f", {synergy}" if synergy else ""))
    shown = [
        r
        for r in result.rows
        if r.kind == "scenario" and r.change not in ("unchanged", "reference")
    ]
    if shown:
        click.echo("scenarios that change the fates (condition, scenario, fates, change):")
    for line in _aligned(
        [
            (r.condition, f"{r.name} ({r.label})" if r.name else r.label, ", ".join(r.fates) or "-")
            for r in shown[:SUMMARY_ROWS]
        ],
        [r.change for r in shown[:SUMMARY_ROWS]],
    ):
        click.echo(line)
    if len(shown) > SUMMARY_ROWS:
        click.echo(f"  ... {len(shown) - SUMMARY_ROWS} more in {out}/report.md")
    click.echo(f"wrote {out}/{', '.join(result.written)}")
