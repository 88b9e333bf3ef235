"""``boolfate attractors``: attractors and their fates under a condition and perturbation."""

from __future__ import annotations

from pathlib import Path

import click

from boolfate.bundle import FREE_INPUTS, Bundle, Condition
from boolfate.cli._app import (
    count_option,
    fates_option,
    format_option,
    main,
    model_argument,
    perturbation_options,
    profile_option,
    resolve_perturbation,
    time_limit_option,
    update_option,
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
@profile_option
@fates_option
@update_option(
    *UPDATE_SCHEMES,
    help="async, sync, mp (most permissive = min trap spaces), or priority (async with the "
    "bundle's [timescales] classes: a slower node moves only where no faster one can).",
)
@click.option(
    "--reachable/--all",
    default=None,
    help="Attractors reachable from the initial state (default for async/sync/priority when the "
    "model declares one) or all attractors of the perturbed network (default for mp and for a "
    "bare model file).",
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
@count_option(
    "--max-states",
    default=Limits.max_states,
    minimum=1,
    help="States the explicit 'stg' engine may enumerate.",
)
@count_option(
    "--max-results",
    default=Limits.max_results,
    minimum=1,
    help="Trap spaces / fixed points returned before giving up.",
)
@time_limit_option
def attractors(
    bundle: Bundle,
    condition: str | None,
    perturb: Perturbation | str | None,
    scenarios: tuple[str, ...],
    profile: str | None,
    fates_file: Path | None,
    update: UpdateScheme | None,
    reachable: bool | None,
    free_inputs: bool,
    engine: str | None,
    fmt: str,
    max_nodes: int,
    max_states: int,
    max_results: int,
    time_limit: float | None,
) -> None:
    """List the attractors of MODEL with their fates.

    Example: boolfate attractors calzone2010 --condition TNF --perturb CASP8%0

    Example: boolfate attractors tnf_necroptosis --condition TNF_zVAD --profile L929_like
    """
    pert = resolve_perturbation(bundle, perturb, scenarios)
    update = update or bundle.default_update
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
            "implemented); use --all, or --update async/priority for exact reachability"
        )
    question = ask(
        bundle,
        cond,
        pert,
        update=update,
        scope="reachable" if scope else "all",
        engine=engine,
        profile=profile,
    )
    limits = Limits(
        max_nodes=max_nodes, max_states=max_states, max_results=max_results, time_limit=time_limit
    )
    result = evaluate(bundle, question, limits=limits)
    if fmt == "json":
        click.echo(analysis_json(result), nl=False)
    elif fmt == "csv":
        click.echo(analysis_csv(result, bundle.network.nodes), nl=False)
    else:
        inputs = bundle.network.inputs if free_inputs else ()
        click.echo(analysis_table(result, group_by=inputs), nl=False)
