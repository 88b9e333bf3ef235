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
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from boolfate.cli._app import (
    PerturbationType,
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
    lines += _timecourse_lines(result)
    lines.append("")
    lines.append("most probable final states:")
    for label, p in list(result.final_states.items())[:states]:
        lines.append(f"  {p:.4f}  {label}")
    return "\n".join(lines) + "\n"


def _timecourse_lines(result: SimulationResult, rows: int = 11) -> list[str]:
    """The time course at up to ``rows`` evenly spaced windows (first and last included)."""
    n = len(result.times)
    if n == 0:
        return []
    step = max(1, round(n / max(rows - 1, 1)))
    picks = sorted({*range(0, n, step), n - 1})
    widths = [max(len(f), 6) for f in result.fates]
    head = "  ".join(f"{f:>{w}}" for f, w in zip(result.fates, widths, strict=True))
    out = [f"time course (mean probability per {result.time_tick:g}-wide window):"]
    out.append(f"{'time':>8}  {head}")
    for i in picks:
        cells = "  ".join(f"{result.timecourse[i, j]:>{w}.4f}" for j, w in enumerate(widths))
        out.append(f"{result.times[i]:>8g}  {cells}")
    return out


def render_csv(result: SimulationResult) -> str:
    """The time course: one row per window (``time``, then one column per fate)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["time", *result.fates])
    for i, t in enumerate(result.times):
        writer.writerow([f"{t:g}", *(f"{x:.6g}" for x in result.timecourse[i])])
    return buf.getvalue()


PLOT_SUFFIXES = (".png", ".svg", ".pdf")
"""File types ``--plot`` writes."""


def plot_result(
    result: SimulationResult | Sequence[tuple[str, SimulationResult]],
    path: Path | Sequence[Path],
    *,
    title: str = "",
) -> None:
    """Draw fate probabilities against time to each path (colours: :mod:`boolfate.palette`).

    ``result`` is one result or ``(label, result)`` pairs overlaid in one plot (line style per
    pair); every path gets the same figure, its format from the suffix.
    """
    from boolfate.plots import figure_bytes, timecourse_figure

    runs = [("", result)] if isinstance(result, SimulationResult) else list(result)
    fig = timecourse_figure(runs, title=title)
    for target in [path] if isinstance(path, Path) else path:
        Path(target).write_bytes(figure_bytes(fig, Path(target).suffix.lower().lstrip(".")))


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
    "plot_paths",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Draw fate probability against time to a .png/.svg/.pdf file (repeatable: each "
    "file is written).",
)
@click.option(
    "--compare",
    "compares",
    multiple=True,
    type=PerturbationType(),
    metavar="NODE%0|NODE%1",
    help="Also simulate this perturbation (instead of --perturb/--scenario, same condition) "
    "and overlay it in --plot (repeatable).",
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
    plot_paths: tuple[Path, ...],
    compares: tuple[Perturbation, ...],
) -> None:
    """Fate probabilities of MODEL by continuous-time stochastic simulation (MaBoSS semantics).

    Every node flips towards its rule's value at its up/down rate (1 unless the bundle's
    [rates] table or the MaBoSS file says otherwise). MODEL may be a MaBoSS .bnd file.

    Example: boolfate simulate calzone2010 --condition TNF --compare CASP8%0 --plot fates.png
    """
    _check_plots(plot_paths)
    opts = {
        "trajectories": trajectories,
        "max_time": max_time,
        "time_tick": time_tick,
        "seed": seed,
        "jobs": jobs,
    }
    runs: list[tuple[str, SimulationResult, str]] = []
    if model.endswith(".bnd"):
        if scenarios:
            raise click.UsageError("--scenario needs a bundle; use --perturb with a .bnd MODEL")
        overrides = _param(params)
        for pert in (perturb, *compares):
            result, title = _run_bnd(model, cfg_file, overrides, fates_file, condition, pert, opts)
            runs.append(((pert or Perturbation()).label(), result, title))
    else:
        if cfg_file is not None or params:
            raise click.UsageError("--cfg and --param apply to a MaBoSS .bnd MODEL only")
        bundle = load_model(model, fates_file)
        perts = [resolve_perturbation(bundle, perturb, scenarios)]
        perts += [c.check(bundle.network, context=f"--compare '{c}'") for c in compares]
        for pert in perts:
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
            runs.append((pert.label(), result, title))
    _print_runs(model, runs, fmt)
    if plot_paths:
        title = runs[0][2] if len(runs) == 1 else runs[0][2].rsplit(", ", 1)[0]
        plot_result([(label, r) for label, r, _ in runs], plot_paths, title=title)
        for path in plot_paths:
            click.echo(f"wrote {path}", err=True)


def _check_plots(paths: Sequence[Path]) -> None:
    """Refuse a --plot suffix matplotlib is not asked to write, before simulating."""
    for path in paths:
        if path.suffix.lower() not in PLOT_SUFFIXES:
            raise click.BadParameter(
                f"cannot write '{path}': choose a file ending in {', '.join(PLOT_SUFFIXES)}",
                param_hint="--plot",
            )
    if paths:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise BoolfateError("--plot needs matplotlib: pip install matplotlib") from None


def _print_runs(model: str, runs: Sequence[tuple[str, SimulationResult, str]], fmt: str) -> None:
    if fmt == "json":
        docs = [{"model": model, "title": t, **r.to_dict()} for _, r, t in runs]
        doc = docs[0] if len(docs) == 1 else {**docs[0], "compare": docs[1:]}
        click.echo(json.dumps(doc, indent=2))
    elif fmt == "csv":
        if len(runs) == 1:
            click.echo(render_csv(runs[0][1]), nl=False)
            return
        for k, (label, result, _) in enumerate(runs):
            lines = render_csv(result).splitlines()
            start = 0 if k == 0 else 1
            for n, line in enumerate(lines[start:], start=start):
                click.echo(("perturbation," if n == 0 else f"{label},") + line)
    else:
        click.echo("\n".join(render_table(r, title=t) for _, r, t in runs), nl=False)


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
