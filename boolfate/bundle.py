"""Model bundles: a folder with ``model.bnet`` and ``model.toml`` (fates, conditions, scenarios).

``model.toml`` keys (``[fates]`` required, the rest optional)::

    title = "Calzone et al. 2010 cell-fate model"
    citation = "Calzone L, et al. PLoS Comput Biol 6(3):e1000702 (2010)"
    doi = "10.1371/journal.pcbi.1000702"
    description = "one paragraph on what the model covers"
    default_fate = "Naive"           # fate of an attractor no rule matches
    default_condition = "TNF"

    [initial_state]                  # the resting state used for reachability
    on = ["ATP", "cIAP", "FADD"]     # every other node starts at 0

    [fates]                          # each rule judged on its own (A+B when several hold)
    Survival = "NFkB"

    [conditions]                     # named input settings
    TNF = "TNF%1 FADD%1 FASL%0"
    [conditions.FASL]                # or a table, with an optional initial-state override
    inputs = "FASL%1 FADD%1 TNF%0"
    description = "Fas ligand"
    initial_on = ["ATP", "cIAP", "FADD"]

    default_profile = "HT29_like"    # optional: the cell-type profile conditions use by default
    [profiles]                       # optional named cell types (fixed with the condition)
    HT29_like = { fix = "RIPK3_expr%1 autocrine%0", description = "HT-29-like" }

    [scenarios]                      # named perturbations
    casp8_loss = "CASP8%0"           # or a table with 'perturbation' and 'description'

    [modules]                        # optional node groups (diagram clusters)
    apoptosis = ["CASP8", "CASP3"]

    default_update = "priority"      # optional: the update scheme commands use by default
    [timescales]                     # optional ranked update classes, fastest first
    fast = ["RIPK1", "IKK"]          # every list of node names is a class
    slow = ["cFLIP_L", "A20"]
    default = "fast"                 # class of unlisted nodes (default: the first class)
    [timescales.rates]               # stochastic rate per class (simulate, export-maboss)
    slow = 0.01                      # default: 1 for the fastest, each class 10x slower

The initial state for a condition and perturbation: ``on`` nodes at 1, others 0, then the
condition's values (with its profile's), then the perturbation's values on top.

A **profile** (cell type) is applied with the condition: ``condition("TNF")`` uses the default
profile, ``condition("TNF", profile="L929_like")`` or ``condition("TNF@L929_like")`` another. A
profile and a condition may not fix the same node differently; a perturbation wins over both.

Examples
--------
>>> b = load_bundle("calzone2010")
>>> b.fates.names
('Survival', 'Apoptosis', 'NonACD', 'Naive')
>>> str(b.condition("TNF").perturbation)
'FADD%1 FASL%0 TNF%1'
>>> b.initial_state(b.condition("TNF"))["TNF"], b.initial_state(b.condition("TNF"))["ATP"]
(1, 1)
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from boolfate.errors import BoolfateError, BundleError, PerturbationSyntaxError, suggest
from boolfate.fates import FateScheme
from boolfate.formats import read_network
from boolfate.model import Network
from boolfate.perturbations import Perturbation
from boolfate.rates import NodeRates, default_rates, rates_from_toml
from boolfate.resolve import (
    Condition,
    ConditionRef,
    PerturbationRef,
    Scenario,
    resolve_condition,
    resolve_perturbation,
)
from boolfate.schema import check_model_toml
from boolfate.textio import read_text
from boolfate.timescales import TimescaleError, Timescales
from boolfate.types import UPDATE_SCHEMES, UpdateScheme, Value

_FROZEN_EMPTY: Mapping[str, Any] = MappingProxyType({})

__all__ = [
    "FREE_INPUTS",
    "Condition",
    "Profile",
    "Scenario",
    "Bundle",
    "load_bundle",
    "bundled_networks",
    "bundled_path",
    "PROFILE_SEPARATOR",
]

FREE_INPUTS = Condition("free inputs", Perturbation(), "every input free")
"""No condition at all: pass it as ``condition`` to analyse with every input free (no profile
is applied either)."""

PROFILE_SEPARATOR = "@"
"""Joins a condition and a profile in one reference: ``TNF@L929_like``."""


@dataclass(frozen=True)
class Profile:
    """A named cell type: node values fixed together with every condition (e.g. RIPK3
    expression, autocrine TNF, type I / II apoptosis)."""

    name: str
    perturbation: Perturbation
    description: str = ""


@dataclass(frozen=True)
class Bundle:
    """A network with its fates, conditions, initial state and scenarios (read-only mappings)."""

    name: str
    network: Network
    fates: FateScheme
    conditions: Mapping[str, Condition]
    scenarios: Mapping[str, Scenario]
    initial_on: tuple[str, ...] = ()
    title: str = ""
    citation: str = ""
    default_condition: str | None = None
    modules: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _FROZEN_EMPTY)
    path: Path | None = None
    raw: Mapping[str, Any] = field(default_factory=lambda: _FROZEN_EMPTY, repr=False)
    description: str = ""
    doi: str = ""
    rates: Mapping[str, NodeRates] = field(default_factory=lambda: _FROZEN_EMPTY, repr=False)
    timescales: Timescales | None = None
    default_update: UpdateScheme = "async"
    profiles: Mapping[str, Profile] = field(default_factory=lambda: _FROZEN_EMPTY)
    default_profile: str | None = None

    def __post_init__(self) -> None:
        if not self.rates:
            object.__setattr__(self, "rates", default_rates(self.network))
        for name in ("conditions", "scenarios", "modules", "raw", "rates", "profiles"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def __repr__(self) -> str:
        return (
            f"Bundle(name={self.name!r}, nodes={len(self.network.nodes)}, "
            f"fates={len(self.fates.names)}, conditions={len(self.conditions)}, "
            f"scenarios={len(self.scenarios)})"
        )

    @property
    def declares_initial_state(self) -> bool:
        """Whether ``model.toml`` gives an initial state (``[initial_state]`` or per condition)."""
        return "initial_state" in self.raw or any(
            c.initial_on is not None for c in self.conditions.values()
        )

    @property
    def observations_path(self) -> Path | None:
        """``observations.csv`` beside the model, if the bundle has one."""
        if self.path is None:
            return None
        candidate = self.path / "observations.csv"
        return candidate if candidate.is_file() else None

    def condition(self, ref: ConditionRef = None, profile: str | None = None) -> Condition:
        """Resolve a condition name, ``none``, ``NODE%v`` inputs or a value (see
        :func:`boolfate.resolve.resolve_condition`; None gives the default condition), with a
        profile's values applied (``profile``, a ``COND@PROFILE`` reference, or the default).

        Raises
        ------
        BoolfateError
            On an unknown condition or profile, or a profile that fixes a node of the
            condition to another value.
        """
        if isinstance(ref, str) and PROFILE_SEPARATOR in ref and "%" not in ref:
            ref, _, named = ref.partition(PROFILE_SEPARATOR)
            profile = profile or named
        base = resolve_condition(ref, self.network, self.conditions, default=self.default_condition)
        chosen = profile or self.default_profile
        if chosen is None or base.profile is not None or base is FREE_INPUTS:
            return base
        return with_profile(base, self.profile(chosen), default=chosen == self.default_profile)

    def profile(self, name: str) -> Profile:
        """Return a named profile (unknown names raise with a suggestion)."""
        if name not in self.profiles:
            known = ", ".join(self.profiles) or "none defined"
            raise BoolfateError(
                f"unknown profile '{name}'{suggest(name, self.profiles)} (profiles: {known})"
            )
        return self.profiles[name]

    def perturbation(self, ref: PerturbationRef, *, where: str = "perturbation") -> Perturbation:
        """Resolve ``NODE%v`` items and scenario names (see
        :func:`boolfate.resolve.resolve_perturbation`)."""
        return resolve_perturbation(ref, self.network, self.scenarios, where=where)

    def scenario(self, name: str) -> Scenario:
        """Return a named scenario (unknown names raise with a suggestion)."""
        if name not in self.scenarios:
            known = ", ".join(self.scenarios) or "none defined"
            raise BoolfateError(
                f"unknown scenario '{name}'{suggest(name, self.scenarios)} (known: {known})"
            )
        return self.scenarios[name]

    def initial_state(
        self, condition: Condition, perturbation: Perturbation | None = None
    ) -> dict[str, Value]:
        """The full initial state for ``condition`` with ``perturbation`` applied on top."""
        on = set(condition.initial_on if condition.initial_on is not None else self.initial_on)
        state: dict[str, Value] = {n: 1 if n in on else 0 for n in self.network.nodes}
        state.update(condition.perturbation.mapping)
        if perturbation is not None:
            state.update(perturbation.mapping)
        return state


def with_profile(condition: Condition, profile: Profile, *, default: bool = False) -> Condition:
    """``condition`` with ``profile``'s values added (named ``COND@PROFILE`` unless ``default``).

    Raises
    ------
    BoolfateError
        When the two fix a node to different values.

    Examples
    --------
    >>> cond = Condition("TNF", Perturbation.parse("TNF%1"))
    >>> both = with_profile(cond, Profile("L929", Perturbation.parse("RIPK3%1")))
    >>> both.name, str(both.perturbation), both.profile
    ('TNF@L929', 'RIPK3%1 TNF%1', 'L929')
    """
    mine, theirs = condition.perturbation.mapping, profile.perturbation.mapping
    for node, value in theirs.items():
        if node in mine and mine[node] != value:
            raise BoolfateError(
                f"profile '{profile.name}' fixes {node}%{value} but condition '{condition.name}' "
                f"fixes {node}%{mine[node]}; move cell-type values out of the condition"
            )
    name = condition.name if default else f"{condition.name}{PROFILE_SEPARATOR}{profile.name}"
    return replace(
        condition,
        name=name,
        perturbation=condition.perturbation + profile.perturbation,
        profile=profile.name,
    )


def _profiles(
    data: Any, network: Network, src: str, conditions: Mapping[str, Condition]
) -> dict[str, Profile]:
    """Parse ``[profiles]`` and check each against every condition."""
    if not isinstance(data, dict):
        raise BundleError(f"{src}: [profiles] must be a table of name = {{ fix = '...' }}")
    out: dict[str, Profile] = {}
    for name, spec in data.items():
        where = f"{src} [profiles] {name}"
        if isinstance(spec, str):
            spec = {"fix": spec}
        if not isinstance(spec, dict) or "fix" not in spec:
            raise BundleError(f"{where}: expected a string or a table with 'fix'")
        unknown = sorted(set(spec) - {"fix", "description"})
        if unknown:
            raise BundleError(f"{where}: unknown key '{unknown[0]}'{suggest(unknown[0], ['fix'])}")
        profile = Profile(
            name, _perturbation(spec["fix"], network, where), str(spec.get("description", ""))
        )
        for cond in conditions.values():
            try:
                with_profile(cond, profile)
            except BoolfateError as exc:
                raise BundleError(f"{where}: {exc}") from exc
        out[name] = profile
    return out


def _default_profile(value: Any, profiles: Mapping[str, Profile], src: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in profiles:
        known = ", ".join(profiles) or "none defined"
        raise BundleError(
            f"{src}: default_profile {value!r} is not a profile"
            f"{suggest(str(value), profiles)} (profiles: {known})"
        )
    return value


def _perturbation(text: Any, network: Network, where: str) -> Perturbation:
    if not isinstance(text, str):
        raise BundleError(f"{where}: expected a string such as 'TNF%1 FASL%0', got {text!r}")
    try:
        return Perturbation.parse(text).check(network, context=where)
    except PerturbationSyntaxError as exc:
        raise BundleError(f"{where}: {exc}") from exc


def _nodes(value: Any, network: Network, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BundleError(f"{where}: expected a list of node names, got {value!r}")
    return tuple(network.check_node(v, context=where) for v in value)


def _conditions(data: Mapping[str, Any], network: Network, src: str) -> dict[str, Condition]:
    out: dict[str, Condition] = {}
    for name, spec in data.items():
        where = f"{src} [conditions] {name}"
        if isinstance(spec, str):
            out[name] = Condition(name, _perturbation(spec, network, where))
            continue
        if not isinstance(spec, dict) or "inputs" not in spec:
            raise BundleError(f"{where}: expected a string or a table with 'inputs'")
        on = spec.get("initial_on")
        out[name] = Condition(
            name,
            _perturbation(spec["inputs"], network, where),
            str(spec.get("description", "")),
            None if on is None else _nodes(on, network, f"{where}.initial_on"),
        )
    return out


def _scenarios(data: Mapping[str, Any], network: Network, src: str) -> dict[str, Scenario]:
    out: dict[str, Scenario] = {}
    for name, spec in data.items():
        where = f"{src} [scenarios] {name}"
        if isinstance(spec, str):
            out[name] = Scenario(name, _perturbation(spec, network, where))
        elif isinstance(spec, dict) and "perturbation" in spec:
            out[name] = Scenario(
                name,
                _perturbation(spec["perturbation"], network, where),
                str(spec.get("description", "")),
            )
        else:
            raise BundleError(f"{where}: expected a string or a table with 'perturbation'")
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_text(path, error=BundleError))
    except tomllib.TOMLDecodeError as exc:
        raise BundleError(f"{path}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise BundleError(f"cannot read {path}: {exc.strerror}") from exc


def bundle_from_toml(
    network: Network, data: Mapping[str, Any], *, src: str, name: str, path: Path | None
) -> Bundle:
    """Build a :class:`Bundle` from parsed ``model.toml`` data (validating every key)."""
    check_model_toml(data, src)
    fate_rules = data.get("fates", {})
    default = str(data.get("default_fate", "Unclassified"))
    if fate_rules:
        fates = FateScheme.from_mapping(fate_rules, network, default=default, source=src)
    else:
        fates = FateScheme((), default)
    conditions = _conditions(data.get("conditions", {}), network, src)
    default_condition = data.get("default_condition")
    if default_condition is not None and default_condition not in conditions:
        raise BundleError(
            f"{src}: default_condition '{default_condition}' is not a condition"
            f"{suggest(str(default_condition), conditions)}"
        )
    initial = data.get("initial_state", {})
    on = _nodes(initial.get("on", []), network, f"{src} [initial_state] on")
    modules = {
        k: _nodes(v, network, f"{src} [modules] {k}") for k, v in data.get("modules", {}).items()
    }
    profiles = _profiles(data.get("profiles", {}), network, src, conditions)
    timescales = _timescales(data.get("timescales"), network, src)
    return Bundle(
        name=name,
        network=network,
        fates=fates,
        conditions=conditions,
        scenarios=_scenarios(data.get("scenarios", {}), network, src),
        initial_on=on,
        title=str(data.get("title", name)),
        citation=str(data.get("citation", "")),
        default_condition=default_condition,
        modules=modules,
        path=path,
        raw=dict(data),
        description=str(data.get("description", "")),
        doi=str(data.get("doi", "")),
        rates=rates_from_toml(network, data, src=src, timescales=timescales),
        timescales=timescales,
        default_update=_default_update(data.get("default_update", "async"), src),
        profiles=profiles,
        default_profile=_default_profile(data.get("default_profile"), profiles, src),
    )


def _default_update(value: Any, src: str) -> UpdateScheme:
    for scheme in UPDATE_SCHEMES:
        if value == scheme:
            return scheme
    hint = suggest(str(value), UPDATE_SCHEMES)
    line = _key_line(src, "", "default_update")
    raise BundleError(
        f"{src}{f':{line}' if line else ''}: default_update {value!r} is not an update scheme{hint}"
        f" (choose one of {', '.join(UPDATE_SCHEMES)})"
    )


def _timescales(data: Any, network: Network, src: str) -> Timescales | None:
    """Parse ``[timescales]``; errors name the file, the line (when found) and the key."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise BundleError(f"{src}: [timescales] must be a table of class = [nodes]")
    try:
        return Timescales.from_mapping(data, network.nodes)
    except TimescaleError as exc:
        line = _key_line(src, "timescales", exc.key)
        where = f"{src}:{line}" if line else src
        raise BundleError(f"{where}: [timescales] {exc.key}: {exc.message}") from exc


def _key_line(src: str, table: str, key: str) -> int | None:
    """1-based line of ``key`` (``a.b`` = key ``b`` of table ``[table.a]``) in the TOML ``src``.

    Falls back to the table's header line; None when the file cannot be read.
    """
    try:
        lines = Path(src).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    *sub, leaf = key.split(".")
    wanted = ".".join([table, *sub])
    current, header = "", None
    for number, text in enumerate(lines, 1):
        stripped = text.strip()
        if stripped.startswith("["):
            current = stripped.strip("[]").strip()
            if current == table:
                header = number
        elif current == wanted and stripped.split("=")[0].strip().strip('"') == leaf:
            return number
    return header


def bundled_path(name: str) -> Path | None:
    """Folder of the bundled network ``name`` (None if there is none)."""
    root = Path(str(resources.files("boolfate.networks")))
    candidate = root / name
    return candidate if (candidate / "model.bnet").is_file() else None


def bundled_networks() -> list[str]:
    """Names of the networks shipped with boolfate."""
    root = Path(str(resources.files("boolfate.networks")))
    return sorted(p.name for p in root.iterdir() if (p / "model.bnet").is_file())


def load_bundle(
    ref: str | Path,
    *,
    fates: str | Path | None = None,
    input_format: str | None = None,
    strict: bool = False,
) -> Bundle:
    """Load a bundle folder, a bare model file (with an optional fates TOML), or a bundled name.

    Parameters
    ----------
    ref
        A folder holding ``model.bnet`` and ``model.toml``, a model file (``.bnet``, SBML-qual
        ``.sbml``/``.xml`` or MaBoSS ``.bnd``; see :mod:`boolfate.formats`), or the name of a
        bundled network (see :func:`bundled_networks`).
    fates
        A TOML file with a ``[fates]`` table (and optionally the other bundle keys); overrides
        the bundle's own ``model.toml``.
    input_format
        Force the format of a model file (``"bnet"``, ``"sbml"`` or ``"bnd"``).
    strict
        Refuse ``.bnet`` names that have no rule instead of reading them as inputs.

    Raises
    ------
    BundleError
        When ``ref`` is none of these, or a file is malformed.
    """
    path = Path(ref)
    folder: Path | None
    if path.is_dir():
        folder, bnet = path, path / "model.bnet"
    elif path.is_file():
        folder, bnet = None, path
    elif (found := bundled_path(str(ref))) is not None:
        folder, bnet = found, found / "model.bnet"
    else:
        names = bundled_networks()
        raise BundleError(
            f"'{ref}' is neither a file, a bundle folder nor a bundled network"
            f"{suggest(str(ref), names)} (bundled: {', '.join(names)})"
        )
    if not bnet.is_file():
        raise BundleError(f"{folder}: a bundle folder needs a model.bnet file")
    name = folder.name if folder is not None else bnet.stem
    fmt = input_format if folder is None else None
    network = read_network(bnet, fmt=fmt, name=name, strict=strict)
    toml_path = Path(fates) if fates is not None else (folder / "model.toml" if folder else None)
    data = _read_toml(toml_path) if toml_path is not None and toml_path.exists() else {}
    if fates is not None and not Path(fates).exists():
        raise BundleError(f"fates file {fates} does not exist")
    src = str(toml_path) if toml_path is not None else str(bnet)
    return bundle_from_toml(network, data, src=src, name=name, path=folder)
