"""``boolfate simulate`` (fate probabilities, MaBoSS semantics) and ``boolfate export-maboss``.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("x, 0")
>>> scheme = FateScheme.from_mapping({"on": "x"}, net, default="off")
>>> res = simulate(net, fates=scheme, initial={"x": 1}, trajectories=100, max_time=2, seed=1)
>>> print(render_csv(res).splitlines()[0])
time,on,off
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

import click
import numpy as np

from boolfate.cli._app import (
    fates_option,
    format_option,
    jobs_option,
    load_model,
    main,
    model_argument,
    perturbation_options,
    resolve_perturbation,
)
from boolfate.errors import BoolfateError
from boolfate.fates import FateScheme
from boolfate.maboss import export_bundle, read_maboss
from boolfate.perturbations import Perturbation
from boolfate.resolve import resolve_condition
from boolfate.simulate import SimulationResult, simulate, simulate_bundle
from boolfate.textio import read_text

__all__ = ["simulate_command", "export_maboss", "render_table", "render_csv", "plot_result"]


def _param(values: tuple[str, ...]) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in values:
        name, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            out[name.strip().lstrip("$")] = float(value)
        except ValueError:
            raise click.BadParameter(
                f"expected NAME=NUMBER, got {item!r}", param_hint="--param"
            ) from None
    return out


def render_table(result: SimulationResult, *, title: str = "", states: int = 5) -> str:
    """Final fate probabilities with standard errors, then the most probable final states."""
    lines = [title] if title else []
    lines.append(
        f"{result.trajectories} trajectories, max_time {result.max_time:g}, "
        f"{result.transitions / result.trajectories:.1f} transitions per trajectory, "
        f"seed {result.seed}"
    )
    width = max(len(f) for f in result.fates)
    lines.append(f"{'fate':<{width}}  probability  std.err")
    for fate in result.fates:
        lines.append(f"{fate:<{width}}  {result.final[fate]:>11.4f}  {result.final_se[fate]:.4f}")
    lines.append("")
    lines.append("most probable final states:")
    for label, p in list(result.final_states.items())[:states]:
        lines.append(f"  {p:.4f}  {label}")
    return "\n".join(lines) + "\n"


def render_csv(result: SimulationResult) -> str:
    """The time course: one row per window (``time``, then one column per fate)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["time", *result.fates])
    for i, t in enumerate(result.times):
        writer.writerow([f"{t:g}", *(f"{x:.6g}" for x in result.timecourse[i])])
    return buf.getvalue()


def plot_result(result: SimulationResult, path: Path, *, title: str = "") -> None:
    """Draw fate probabilities against time (matplotlib, imported lazily)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    mids = (result.times + np.minimum(result.times + result.time_tick, result.max_time)) / 2
    se = result.timecourse_se
    for j, fate in enumerate(result.fates):
        y = result.timecourse[:, j]
        if not y.any():
            continue
        ax.plot(mids, y, label=f"{fate} ({result.final[fate]:.3f})")
        ax.fill_between(mids, y - 2 * se[:, j], y + 2 * se[:, j], alpha=0.2)
    ax.set_xlabel("time")
    ax.set_ylabel("probability")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(0, result.max_time)
    ax.set_title(title or f"fate probabilities ({result.trajectories} trajectories)")
    ax.legend(loc="best", frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _fates_from_toml(path: Path, network: Any) -> FateScheme | None:
    try:
        data = tomllib.loads(read_text(path))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BoolfateError(f"cannot read fates file {path}: {exc}") from exc
    if "fates" not in data:
        return None
    return FateScheme.from_mapping(
        data["fates"], network, default=str(data.get("default_fate", "none")), source=str(path)
    )


def _run_bnd(
    model: str,
    cfg_file: Path | None,
    overrides: dict[str, float],
    fates_file: Path | None,
    condition: str | None,
    perturb: Perturbation | None,
    opts: dict[str, Any],
) -> tuple[SimulationResult, str]:
    """Simulate a MaBoSS .bnd (defaults for trajectories and times from its .cfg)."""
    mb = read_maboss(model, cfg_file, parameters=overrides)
    fates = _fates_from_toml(fates_file, mb.network) if fates_file else None
    pert = Perturbation()
    if condition is not None:
        pert = resolve_condition(condition, mb.network, {}, where="--condition").perturbation
    if perturb is not None:
        pert = pert + perturb.check(mb.network, context=f"--perturb '{perturb}'")
    cfg = mb.settings
    result = simulate(
        mb.network,
        fates=fates or mb.fate_scheme(),
        initial=mb.initial,
        rates=mb.rates,
        perturbation=pert,
        trajectories=opts["trajectories"] or int(float(cfg.get("sample_count", 10_000))),
        max_time=opts["max_time"] or float(cfg.get("max_time", 100.0)),
        time_tick=opts["time_tick"] or float(cfg.get("time_tick", 1.0)),
        seed=opts["seed"],
        jobs=opts["jobs"],
    )
    switches = " ".join(f"${k}={v:g}" for k, v in overrides.items())
    return result, f"{Path(model).name}: {pert.label()}" + (f", {switches}" if switches else "")


@main.command("simulate")
@model_argument
@perturbation_options
@fates_option
@click.option(
    "--cfg",
    "cfg_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="MaBoSS .cfg for a .bnd MODEL (default: the .cfg beside it).",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a MaBoSS $parameter of a .bnd MODEL, e.g. 'CASP8_del=1' (repeatable).",
)
@click.option(
    "--trajectories",
    "-n",
    type=click.IntRange(min=1),
    default=None,
    help="Number of trajectories [default: 10000, or sample_count of the .cfg].",
)
@click.option(
    "--max-time",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Simulated time [default: 100, or max_time of the .cfg].",
)
@click.option(
    "--time-tick",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Width of the time windows [default: 1, or time_tick of the .cfg].",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@jobs_option("Processes (trajectories are split into this many chunks).")
@format_option("table", "json", "csv", help="csv prints the time course.")
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Draw fate probability against time to a PNG/SVG file (needs matplotlib).",
)
def simulate_command(
    model: str,
    condition: str | None,
    perturb: Perturbation | None,
    scenarios: tuple[str, ...],
    fates_file: Path | None,
    cfg_file: Path | None,
    params: tuple[str, ...],
    trajectories: int | None,
    max_time: float | None,
    time_tick: float | None,
    seed: int,
    jobs: int,
    fmt: str,
    plot_path: Path | None,
) -> None:
    """Fate probabilities of MODEL by continuous-time stochastic simulation (MaBoSS semantics).

    Every node flips towards its rule's value at its up/down rate (1 unless the bundle's
    [rates] table or the MaBoSS file says otherwise). MODEL may be a MaBoSS .bnd file.

    Example: boolfate simulate calzone2010 --condition TNF --perturb CASP8%0 --plot fates.png
    """
    if plot_path is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            click.echo("--plot needs matplotlib: pip install matplotlib", err=True)
            sys.exit(1)
    opts = {
        "trajectories": trajectories,
        "max_time": max_time,
        "time_tick": time_tick,
        "seed": seed,
        "jobs": jobs,
    }
    if model.endswith(".bnd"):
        if scenarios:
            raise click.UsageError("--scenario needs a bundle; use --perturb with a .bnd MODEL")
        result, title = _run_bnd(
            model, cfg_file, _param(params), fates_file, condition, perturb, opts
        )
    else:
        if cfg_file is not None or params:
            raise click.UsageError("--cfg and --param apply to a MaBoSS .bnd MODEL only")
        bundle = load_model(model, fates_file)
        pert = resolve_perturbation(bundle, perturb, scenarios)
        result = simulate_bundle(
            bundle,
            condition=condition,
            perturbation=pert,
            trajectories=trajectories or 10_000,
            max_time=max_time or 100.0,
            time_tick=time_tick or 1.0,
            seed=seed,
            jobs=jobs,
        )
        title = f"{bundle.name}: {bundle.condition(condition).name}, {pert.label()}"
    if fmt == "json":
        doc = {"model": model, "title": title, **result.to_dict()}
        click.echo(json.dumps(doc, indent=2))
    elif fmt == "csv":
        click.echo(render_csv(result), nl=False)
    else:
        click.echo(render_table(result, title=title), nl=False)
    if plot_path is not None:
        plot_result(result, plot_path, title=title)
        click.echo(f"wrote {plot_path}", err=True)


@main.command("export-maboss")
@model_argument
@perturbation_options
@fates_option
@click.option(
    "--output",
    "-o",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .bnd file to write.",
)
@click.option(
    "--cfg",
    "cfg_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The .cfg file to write (default: beside the .bnd).",
)
@click.option(
    "--trajectories",
    "-n",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="sample_count in the .cfg.",
)
@click.option("--max-time", type=float, default=100.0, show_default=True)
@click.option("--time-tick", type=float, default=1.0, show_default=True)
def export_maboss(
    model: str,
    condition: str | None,
    perturb: Perturbation | None,
    scenarios: tuple[str, ...],
    fates_file: Path | None,
    output: Path,
    cfg_path: Path | None,
    trajectories: int,
    max_time: float,
    time_tick: float,
) -> None:
    """Write MODEL as a MaBoSS .bnd + .cfg (condition inputs and perturbation fixed).

    Example: boolfate export-maboss calzone2010 --condition TNF -o calzone.bnd
    """
    bundle = load_model(model, fates_file)
    pert = resolve_perturbation(bundle, perturb, scenarios)
    settings: dict[str, float | str] = {
        "sample_count": trajectories,
        "max_time": max_time,
        "time_tick": time_tick,
    }
    bnd, cfg = export_bundle(
        bundle, output, cfg_path, condition=condition, perturbation=pert, settings=settings
    )
    click.echo(f"wrote {bnd} and {cfg}")
