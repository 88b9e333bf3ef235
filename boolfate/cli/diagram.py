"""``boolfate diagram``: Graphviz diagrams of a model (network, fate map, fate landscape).

Exit codes: 0 when the diagram was written; 1 on an error, including a missing Graphviz ``dot``
for ``.svg``/``.png``/``.pdf`` output (the DOT source is then written next to OUT and the
one-line message on stderr says how to install Graphviz); 2 on a usage error.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from boolfate.cli._app import (
    fates_option,
    load_model,
    main,
    model_argument,
    perturbation_options,
    resolve_perturbation,
)
from boolfate.diagrams import (
    DIAGRAM_FORMATS,
    LANDSCAPE_MAX_STATES,
    fate_map_diagram,
    landscape_diagram,
    network_diagram,
    render,
)
from boolfate.errors import BoolfateError
from boolfate.evaluator import evaluate
from boolfate.perturbations import Perturbation
from boolfate.question import ask
from boolfate.textio import read_text


@main.command()
@model_argument
@click.option(
    "--kind",
    "-k",
    type=click.Choice(["network", "fates", "landscape"]),
    default="network",
    show_default=True,
    help="network: signed interaction graph with overlays; fates: a screen's fate map "
    "(needs --results); landscape: reachable attractors and commitment classes.",
)
@perturbation_options
@fates_option
@click.option(
    "--attractor",
    "-a",
    "attractor_number",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="network: fill nodes with the values of the N-th attractor as "
    "listed by 'boolfate attractors' (same condition/perturbation).",
)
@click.option(
    "--results",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="fates: a screen's results.json.",
)
@click.option(
    "--max-states",
    type=click.IntRange(min=1),
    default=LANDSCAPE_MAX_STATES,
    show_default=True,
    help="landscape: reachable states the explicit state graph "
    "may hold before the diagram is refused.",
)
@click.option(
    "--output",
    "-o",
    "output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Output file: .svg, .png, .pdf (rendered with Graphviz) or .dot (source).",
)
def diagram(
    model: str,
    kind: str,
    condition: str | None,
    perturb: Perturbation | None,
    scenarios: tuple[str, ...],
    fates_file: Path | None,
    attractor_number: int | None,
    results: Path | None,
    max_states: int,
    output: Path,
) -> None:
    """Draw MODEL as a Graphviz diagram.

    \b
    Examples:
      boolfate diagram calzone2010 -o net.svg
      boolfate diagram calzone2010 --perturb CASP8%0 --attractor 1 -o casp8.png
      boolfate diagram calzone2010 --kind landscape --scenario casp8_ko -o land.svg
      boolfate diagram calzone2010 --kind fates --results screen/results.json -o map.svg

    The network diagram shows the condition (default: the bundle's) on the inputs.
    """
    if output.suffix.lower() not in DIAGRAM_FORMATS:
        raise click.BadParameter(
            f"'{output}': choose a file ending in {', '.join(DIAGRAM_FORMATS)}",
            param_hint="'--output'",
        )
    bundle = load_model(model, fates_file)
    pert = resolve_perturbation(bundle, perturb, scenarios)
    if kind != "network" and attractor_number is not None:
        raise click.UsageError("--attractor applies to --kind network only")
    if kind == "fates":
        if results is None:
            raise click.UsageError("--kind fates needs --results FILE (a screen's results.json)")
        try:
            data = json.loads(read_text(results))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BoolfateError(f"cannot read screen results {results}: {exc}") from exc
        graph = fate_map_diagram(data, fate_order=bundle.fates.names)
    elif kind == "landscape":
        graph = landscape_diagram(bundle, condition, pert, max_states=max_states)
    else:
        cond = bundle.condition(condition)
        chosen = None
        if attractor_number is not None:
            found = evaluate(bundle, ask(bundle, cond, pert)).attractors
            if attractor_number > len(found):
                raise BoolfateError(
                    f"--attractor {attractor_number}: there are {len(found)} attractor(s) "
                    f"under condition {cond.name} and {pert.label()} "
                    "(see 'boolfate attractors')"
                )
            chosen = found[attractor_number - 1]
        graph = network_diagram(bundle, perturbation=pert, condition=cond, attractor=chosen)
    written = render(graph, output)
    click.echo(f"wrote {written}", err=True)
