"""``boolfate info``: what a model contains (nodes, inputs, fates, conditions, scenarios)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from boolfate.bundle import bundled_networks, load_bundle
from boolfate.cli._app import fates_option, format_option, input_options, load_model, main
from boolfate.expr import format_expr


@main.command()
@click.argument("model", metavar="MODEL", required=False)
@input_options
@fates_option
@click.option("--list", "list_bundled", is_flag=True, help="List the bundled networks.")
@format_option("table", "json")
def info(model: str | None, fates_file: Path | None, list_bundled: bool, fmt: str) -> None:
    """Describe MODEL: nodes, inputs, fates, conditions and scenarios."""
    if list_bundled or model is None:
        for name in bundled_networks():
            b = load_bundle(name)
            click.echo(f"{name:<16} {len(b.network.nodes):>3} nodes  {b.title}")
        return
    b = load_model(model, fates_file)
    net = b.network
    doc = {
        "name": b.name,
        "title": b.title,
        "citation": b.citation,
        "nodes": list(net.nodes),
        "inputs": list(net.inputs),
        "implicit_inputs": list(net.implicit_inputs),
        "fates": {r.name: format_expr(r.expr) for r in b.fates.rules},
        "default_fate": b.fates.default,
        "initial_state_on": list(b.initial_on),
        "conditions": {k: str(c.perturbation) for k, c in b.conditions.items()},
        "default_condition": b.default_condition,
        "scenarios": {k: str(s.perturbation) for k, s in b.scenarios.items()},
    }
    if fmt == "json":
        click.echo(json.dumps(doc, indent=2))
        return
    click.echo(f"{b.name}: {b.title}")
    if b.citation:
        click.echo(f"citation: {b.citation}")
    click.echo(f"{len(net.nodes)} nodes: {' '.join(net.nodes)}")
    click.echo(f"inputs: {' '.join(net.inputs) or '-'}")
    if net.implicit_inputs:
        click.echo(f"implicit inputs (no rule in the file): {' '.join(net.implicit_inputs)}")
    click.echo("fates (first match wins):")
    for rule in b.fates.rules:
        click.echo(f"  {rule}")
    click.echo(f"  {b.fates.default} = (none of the above)")
    on = " ".join(b.initial_on)
    click.echo(f"initial state: {on} = 1, others 0" if on else "initial state: all nodes 0")
    click.echo("conditions:" + ("" if b.conditions else " -"))
    for name, c in b.conditions.items():
        mark = " (default)" if name == b.default_condition else ""
        click.echo(f"  {name} = {c.perturbation}{mark}")
    click.echo("scenarios:" + ("" if b.scenarios else " -"))
    for name, s in b.scenarios.items():
        click.echo(f"  {name} = {s.perturbation}")
