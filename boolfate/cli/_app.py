"""The click group and the options shared by every command (no analysis logic here)."""

from __future__ import annotations

import importlib
import pkgutil
import shlex
import sys
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
    "update_option",
    "profile_option",
    "profiles_for",
    "perturbation_options",
    "resolve_perturbation",
    "PerturbationType",
    "ModelType",
    "ConditionType",
    "load_model",
    "conditions_options",
    "count_option",
    "out_option",
    "command_line",
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
    """A perturbation in the grammar of :mod:`boolfate.resolve` (bad syntax: exit 2).

    ``NODE%0 NODE%1`` items become a :class:`~boolfate.perturbations.Perturbation` at once;
    text naming scenarios stays text, resolved against the bundle by :func:`resolve_perturbation`.
    """

    name = "NODE%0|NODE%1|SCENARIO"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from boolfate.perturbations import Perturbation
        from boolfate.resolve import check_perturbation_syntax

        if isinstance(value, Perturbation):
            return value
        try:
            return check_perturbation_syntax(str(value))
        except PerturbationSyntaxError as exc:
            self.fail(str(exc), param, ctx)


class ConditionType(click.ParamType):  # type: ignore[type-arg]
    """A condition name or input values (``TNF%1 FASL%0``); bad value syntax: exit 2.

    Hands on the text: names are resolved against the bundle by :mod:`boolfate.resolve`.
    """

    name = "NAME|SPEC"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from boolfate.resolve import check_condition_syntax

        try:
            return check_condition_syntax(str(value))
        except PerturbationSyntaxError as exc:
            self.fail(str(exc), param, ctx)


class ModelType(click.ParamType):  # type: ignore[type-arg]
    """MODEL: a bundle folder, a model file or a bundled network name, loaded into a Bundle.

    Reads ``--fates``, ``--input-format`` and ``--strict`` (eager options, so parsed first
    wherever they stand on the command line). With ``keep`` suffixes (e.g. ``(".bnd",)``), a
    MODEL file with one of them is handed on as a :class:`~pathlib.Path` instead.
    """

    name = "MODEL"

    def __init__(self, keep: tuple[str, ...] = ()) -> None:
        self.keep = keep

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from boolfate.bundle import Bundle

        if isinstance(value, Bundle | Path) or (ctx is not None and ctx.resilient_parsing):
            return value
        if ctx is not None:
            ctx.meta["boolfate.model"] = str(value)  # the MODEL text, as given
        if str(value).endswith(self.keep) and self.keep:
            return Path(value)
        fates = ctx.params.get("fates_file") if ctx is not None else None
        return load_model(str(value), Path(fates) if isinstance(fates, str | Path) else None)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.meta[f"boolfate.{param.name}"] = value
    return value


def input_options(func: F) -> F:
    """``--input-format`` and ``--strict`` (read by :func:`load_model`, not passed on)."""
    func = click.option(
        "--strict",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_remember,
        help="Refuse .bnet names that have no rule (default: read them as inputs, with a warning).",
    )(func)
    return click.option(
        "--input-format",
        type=click.Choice(list(FORMATS)),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_remember,
        help="Format of a MODEL file (default: from its extension: .bnet, .sbml/.xml, .bnd).",
    )(func)


def model_argument(func: F) -> F:
    """MODEL (the command gets the loaded ``bundle``), ``--input-format`` and ``--strict``."""
    return click.argument("bundle", metavar="MODEL", type=ModelType())(input_options(func))


def fates_option(func: F) -> F:
    """``--fates FILE.toml`` for bare .bnet files."""
    return click.option(
        "--fates",
        "fates_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        is_eager=True,
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
        help="Mutations/drugs, e.g. 'CASP8%0 RIP1%1', or scenario names.",
    )(func)
    return click.option(
        "--condition",
        "-c",
        type=ConditionType(),
        default=None,
        metavar="NAME|SPEC",
        help="A named condition or input values, e.g. 'TNF%1 FASL%0' (default: the bundle's).",
    )(func)


def update_option(*choices: str, help: str) -> Callable[[F], F]:
    """``--update/-u`` with the given choices; None (not given) means the bundle's default."""
    return click.option(
        "--update",
        "-u",
        type=click.Choice(choices),
        default=None,
        help=help + " [default: the bundle's default_update, else async]",
    )


def profile_option(func: F) -> F:
    """``--profile NAME``: a cell-type profile of the bundle (default: its default profile)."""
    return click.option(
        "--profile",
        "profile",
        default=None,
        metavar="NAME",
        help="A cell-type profile of the bundle, applied with the condition "
        "(default: the bundle's default_profile).",
    )(func)


def profiles_for(bundle: Bundle, names: tuple[str, ...], *, every: bool) -> list[str | None]:
    """Profiles a screen crosses: the given ones, all of them, or [None] (the default).

    Raises
    ------
    click.UsageError
        When both explicit profiles and ``every`` are given.
    """
    if names and every:
        raise click.UsageError("give either --profile or --all-profiles, not both")
    if every:
        if not bundle.profiles:
            raise click.UsageError(f"--all-profiles: bundle '{bundle.name}' has no [profiles]")
        return list(bundle.profiles)
    for name in names:
        bundle.profile(name)
    return list(dict.fromkeys(names)) or [None]


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


def time_limit_option(func: F) -> F:
    """``--time-limit SECONDS``: wall-clock budget of the symbolic ``aeon`` engine per network."""
    return click.option(
        "--time-limit",
        type=click.FloatRange(min=0, min_open=True),
        default=None,
        metavar="SECONDS",
        help="Give up when the exact async engine (aeon) spends longer on one network "
        "[default: no limit].",
    )(func)


def command_line() -> str:
    """This run's command line, quoted for a shell (for provenance and resume hints)."""
    return "boolfate " + " ".join(shlex.quote(a) for a in sys.argv[1:])


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
    bundle: Bundle, perturb: Perturbation | str | None, scenarios: tuple[str, ...]
) -> Perturbation:
    """Combine named scenarios and an explicit perturbation (a contradiction is an error)."""
    parts: list[Perturbation | Scenario | str] = [bundle.scenario(s) for s in scenarios]
    if perturb is not None:
        parts.append(perturb)
    where = f"--perturb '{perturb}'" if perturb is not None else "--scenario"
    return bundle.perturbation(parts, where=where)


def conditions_options(what: str) -> Callable[[F], F]:
    """``--condition/-c NAME`` (repeatable) and ``--all-conditions`` for commands run per condition.

    ``what`` completes the help texts: ``"screen under"``, ``"search under"``.
    """

    def decorate(func: F) -> F:
        func = click.option(
            "--all-conditions", is_flag=True, help=f"{what.capitalize()} every named condition."
        )(func)
        return click.option(
            "--condition",
            "-c",
            "conditions",
            multiple=True,
            type=ConditionType(),
            metavar="NAME",
            help=f"Condition(s) to {what} (repeatable; default: the bundle's default).",
        )(func)

    return decorate


def count_option(
    name: str, *aliases: str, default: int | None, minimum: int, help: str | None = None
) -> Callable[[F], F]:
    """An integer option of at least ``minimum`` (``--trajectories``, ``--max-results``, ...)."""
    return click.option(
        name,
        *aliases,
        type=click.IntRange(min=minimum),
        default=default,
        show_default=default is not None,
        help=help,
    )


def out_option(default: str) -> Callable[[F], F]:
    """``--out/-o DIR`` (the output directory, ``default`` when not given)."""
    return click.option(
        "--out",
        "-o",
        "out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help="Output directory.",
    )
