"""The click group and the options shared by every command (no analysis logic here)."""

from __future__ import annotations

import importlib
import pkgutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from boolfate._version import __version__
from boolfate.errors import BoolfateError, PerturbationSyntaxError
from boolfate.formats import FORMATS

if TYPE_CHECKING:
    from boolfate.bundle import Bundle
    from boolfate.perturbations import Perturbation
    from boolfate.resolve import Scenario

__all__ = [
    "main",
    "model_argument",
    "input_options",
    "fates_option",
    "format_option",
    "jobs_option",
    "perturbation_options",
    "resolve_perturbation",
    "PerturbationType",
    "load_model",
]

F = TypeVar("F", bound=Callable[..., Any])


class BoolfateGroup(click.Group):
    """A group that turns :class:`BoolfateError` into a one-line message and exit code 1.

    Command modules (the public modules of :mod:`boolfate.cli`) are imported lazily: a command
    named like its module imports only that module; any other name, or listing the commands,
    imports them all. An error with an ``exit_code`` attribute (a screen stopped by Ctrl-C:
    130) exits with it.
    """

    def _load(self, module: str | None = None) -> None:
        names = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])]
        for name in names if module is None else [module]:
            if not name.startswith("_") and name in names:
                importlib.import_module(f"boolfate.cli.{name}")

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            self._load(cmd_name.replace("-", "_"))
        if cmd_name not in self.commands:
            self._load()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BoolfateError as exc:
            code = getattr(exc, "exit_code", 1)
            if code == 1:
                raise click.ClickException(str(exc)) from exc
            click.echo(f"Error: {exc}", err=True)  # e.g. 130: a screen interrupted by Ctrl-C
            ctx.exit(code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(
    name="boolfate", cls=BoolfateGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="boolfate")
def main() -> None:
    """boolfate: attractors, fates and perturbation screens of Boolean cell-fate models.

    MODEL is a bundle folder (model.bnet + model.toml), a model file (.bnet, SBML-qual
    .sbml/.xml or MaBoSS .bnd; with --fates FILE.toml) or the name of a bundled network (see
    'boolfate info --list').
    """


class PerturbationType(click.ParamType):  # type: ignore[type-arg]
    """``NODE%0 NODE%1`` syntax, checked when parsed (bad syntax: exit 2)."""

    name = "NODE%0|NODE%1"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from boolfate.perturbations import Perturbation

        if isinstance(value, Perturbation):
            return value
        try:
            return Perturbation.parse(str(value))
        except PerturbationSyntaxError as exc:
            self.fail(str(exc), param, ctx)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.meta[f"boolfate.{param.name}"] = value
    return value


def input_options(func: F) -> F:
    """``--input-format`` and ``--strict`` (read by :func:`load_model`, not passed on)."""
    func = click.option(
        "--strict",
        is_flag=True,
        expose_value=False,
        callback=_remember,
        help="Refuse .bnet names that have no rule (default: read them as inputs, with a warning).",
    )(func)
    return click.option(
        "--input-format",
        type=click.Choice(list(FORMATS)),
        default=None,
        expose_value=False,
        callback=_remember,
        help="Format of a MODEL file (default: from its extension: .bnet, .sbml/.xml, .bnd).",
    )(func)


def model_argument(func: F) -> F:
    """The MODEL argument, with ``--input-format`` and ``--strict``."""
    return click.argument("model", metavar="MODEL")(input_options(func))


def fates_option(func: F) -> F:
    """``--fates FILE.toml`` for bare .bnet files."""
    return click.option(
        "--fates",
        "fates_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="TOML file with a [fates] table (optionally conditions, scenarios, initial_state).",
    )(func)


def perturbation_options(func: F) -> F:
    """``--condition``, ``--perturb`` and ``--scenario``."""
    func = click.option(
        "--scenario",
        "scenarios",
        multiple=True,
        metavar="NAME",
        help="A named scenario of the bundle (repeatable; combined with --perturb).",
    )(func)
    func = click.option(
        "--perturb",
        "-p",
        type=PerturbationType(),
        default=None,
        help="Mutations/drugs, e.g. 'CASP8%0 RIP1%1'.",
    )(func)
    return click.option(
        "--condition",
        "-c",
        default=None,
        metavar="NAME|SPEC",
        help="A named condition or input values, e.g. 'TNF%1 FASL%0' (default: the bundle's).",
    )(func)


def format_option(*choices: str, help: str | None = None) -> Callable[[F], F]:
    """``--format`` with the given choices; the first is the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help,
    )


def jobs_option(help: str) -> Callable[[F], F]:
    """``--jobs/-j N`` (at least 1, default 1)."""
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help=help
    )


def load_model(model: str, fates_file: Path | None) -> Bundle:
    """Load MODEL (errors become exit code 1 with a one-line message).

    Names a ``.bnet`` file uses without a rule are read as inputs and named in one warning line
    on stderr (``--strict`` refuses them).
    """
    from boolfate.bnet import ImplicitInputsWarning
    from boolfate.bundle import load_bundle

    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ImplicitInputsWarning)
        bundle = load_bundle(
            model,
            fates=fates_file,
            input_format=meta.get("boolfate.input_format"),
            strict=bool(meta.get("boolfate.strict", False)),
        )
    for w in caught:
        if isinstance(w.message, ImplicitInputsWarning):
            click.echo(f"warning: {w.message} (--strict refuses them)", err=True)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return bundle


def resolve_perturbation(
    bundle: Bundle, perturb: Perturbation | None, scenarios: tuple[str, ...]
) -> Perturbation:
    """Combine named scenarios and an explicit perturbation (a contradiction is an error)."""
    parts: list[Perturbation | Scenario] = [bundle.scenario(s) for s in scenarios]
    if perturb is not None:
        parts.append(perturb)
    where = f"--perturb '{perturb}'" if perturb is not None else "--scenario"
    return bundle.perturbation(parts, where=where)
