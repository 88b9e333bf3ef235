"""``boolfate validate``: check a model against published observations."""

from __future__ import annotations

import json
from pathlib import Path

import click

from boolfate.cli._app import fates_option, format_option, load_model, main, model_argument
from boolfate.validate import result_to_dict, validate
from boolfate.validate_table import result_table


@main.command("validate")
@model_argument
@click.option(
    "--observations",
    "observations",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Observations CSV (default: the bundle's observations.csv).",
)
@fates_option
@format_option("table", "json")
def validate_command(
    model: str, observations: Path | None, fates_file: Path | None, fmt: str
) -> None:
    """Check MODEL against published observations (fates reachable, exact async).

    Each row states which fates are reachable from the resting state under a condition and a
    perturbation ('only F', 'includes F', 'excludes F'). Exits with status 1 when a consensus
    row fails without a known-mismatch reason.

    Example: boolfate validate tnf_necroptosis --format json
    """
    bundle = load_model(model, fates_file)
    result = validate(bundle, observations)
    if fmt == "json":
        click.echo(json.dumps(result_to_dict(result), indent=2))
    else:
        click.echo(result_table(result), nl=False)
    if not result.ok:
        raise click.exceptions.Exit(1)
