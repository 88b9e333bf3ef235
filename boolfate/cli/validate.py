"""``boolfate validate``: check a model against published observations."""

from __future__ import annotations

import json
from pathlib import Path

import click

from boolfate.attractor import Limits
from boolfate.bundle import Bundle
from boolfate.cli._app import (
    fates_option,
    format_option,
    main,
    model_argument,
    profile_option,
    time_limit_option,
    update_option,
)
from boolfate.types import UpdateScheme
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
@profile_option
@update_option(
    "async", "priority", help="Judge fates reachable under async or priority-class update."
)
@format_option("table", "json")
@time_limit_option
def validate_command(
    bundle: Bundle,
    observations: Path | None,
    fates_file: Path | None,
    profile: str | None,
    update: UpdateScheme | None,
    fmt: str,
    time_limit: float | None,
) -> None:
    """Check MODEL against published observations (fates reachable, exact async or priority).

    Each row states which fates are reachable from the resting state under a condition and a
    perturbation ('only F', 'includes F', 'excludes F'). Exits with status 1 when a consensus
    row fails without a known-mismatch reason.

    Example: boolfate validate tnf_necroptosis --format json
    """
    if profile is not None:
        bundle.profile(profile)
    result = validate(
        bundle,
        observations,
        update=update,
        profile=profile,
        limits=Limits(time_limit=time_limit),
    )
    if fmt == "json":
        click.echo(json.dumps(result_to_dict(result), indent=2))
    else:
        click.echo(result_table(result), nl=False)
    if not result.ok:
        raise click.exceptions.Exit(1)
