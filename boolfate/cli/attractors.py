"""``boolfate attractors``: attractors and their fates under a condition and perturbation."""

from __future__ import annotations

from pathlib import Path

import click

from boolfate.bundle import FREE_INPUTS, Condition
from boolfate.cli._app import (
    fates_option,
    format_option,
    load_model,
    main,
    model_argument,
    perturbation_options,
    resolve_perturbation,
)
from boolfate.engines import ENGINES, Limits
from boolfate.evaluator import evaluate
from boolfate.output import analysis_csv, analysis_json, analysis_table
from boolfate.perturbations import Perturbation
from boolfate.question import ask
from boolfate.types import UPDATE_SCHEMES, UpdateScheme


@main.command()
@model_argument
@perturbation_options
@fates_option
@click.option(
    "--update",
    "-u",
    type=click.Choice(UPDATE_SCHEMES),
    default="async",
    show_default=True,
    help="async, sync, or mp (most permissive = min trap spaces).",
)
@click.option(
    "--reachable/--all",
    default=None,
    help="Attractors reachable from the initial state (default for async/sync when the model "
    "declares one) or all attractors of the perturbed network (default for mp and for a bare "
    "model file).",
)
@click.option(
    "--free-inputs",
    is_flag=True,
    help="Leave every input free (no condition): all attractors, grouped by input values, "
    "fates from the model's rules.",
)
@click.option(
    "--engine",
    type=click.Choice(list(ENGINES)),
    default=None,
    help="Override the engine (default: the exact one for --update).",
)
@format_option("table", "json", "csv")
@click.option(
    "--max-nodes",
    type=int,
    default=Limits.max_nodes,
    show_default=True,
    help="The exhaustive sync engine enumerates at most 2^N states (free inputs included).",
)
@click.option(
    "--max-states",
    type=click.IntRange(min=1),
    default=Limits.max_states,
    show_default=True,
    help="States the explicit 'stg' engine may enumerate.",
)
@click.option(
    "--max-results",
    type=click.IntRange(min=1),
    default=Limits.max_results,
    show_default=True,
    help="Trap spaces / fixed points returned before giving up.",
)
def attractors(
    model: str,
    condition: str | None,
    perturb: Perturbation | None,
    scenarios: tuple[str, ...],
    fates_file: Path | None,
    update: UpdateScheme,
    reachable: bool | None,
    free_inputs: bool,
    engine: str | None,
    fmt: str,
    max_nodes: int,
    max_states: int,
    max_results: int,
) -> None:
    """List the attractors of MODEL with their fates.

    Example: boolfate attractors calzone2010 --condition TNF --perturb CASP8%0
    """
    bundle = load_model(model, fates_file)
    pert = resolve_perturbation(bundle, perturb, scenarios)
    cond: str | Condition | None = condition
    if free_inputs:
        if condition is not None or reachable:
            raise click.UsageError(
                "--free-inputs leaves every input free: it excludes --condition and --reachable"
            )
        cond, reachable = FREE_INPUTS, False
    default_scope = update != "mp" and bundle.declares_initial_state
    scope = reachable if reachable is not None else default_scope
    if scope and update == "mp":
        raise click.UsageError(
            "--reachable is not available with --update mp (most-permissive reachability is not "
            "implemented); use --all, or --update async for exact reachability"
        )
    question = ask(
        bundle, cond, pert, update=update, scope="reachable" if scope else "all", engine=engine
    )
    limits = Limits(max_nodes=max_nodes, max_states=max_states, max_results=max_results)
    result = evaluate(bundle, question, limits=limits)
    if fmt == "json":
        click.echo(analysis_json(result), nl=False)
    elif fmt == "csv":
        click.echo(analysis_csv(result, bundle.network.nodes), nl=False)
    else:
        inputs = bundle.network.inputs if free_inputs else ()
        click.echo(analysis_table(result, group_by=inputs), nl=False)
