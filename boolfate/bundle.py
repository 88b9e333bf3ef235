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

    [fates]                          # first match wins
    Survival = "NFkB"

    [conditions]                     # named input settings
    TNF = "TNF%1 FADD%1 FASL%0"
    [conditions.FASL]                # or a table, with an optional initial-state override
    inputs = "FASL%1 FADD%1 TNF%0"
    description = "Fas ligand"
    initial_on = ["ATP", "cIAP", "FADD"]

    [scenarios]                      # named perturbations
    casp8_loss = "CASP8%0"           # or a table with 'perturbation' and 'description'

    [modules]                        # optional node groups (diagram clusters)
    apoptosis = ["CASP8", "CASP3"]

The initial state for a condition and perturbation: ``on`` nodes at 1, others 0, then the
condition's values, then the perturbation's values on top.

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
from dataclasses import dataclass, field
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
from boolfate.types import Value

_FROZEN_EMPTY: Mapping[str, Any] = MappingProxyType({})

__all__ = [
    "FREE_INPUTS",
    "Condition",
    "Scenario",
    "Bundle",
    "load_bundle",
    "bundled_networks",
    "bundled_path",
]

FREE_INPUTS = Condition("free inputs", Perturbation(), "every input free")
"""No condition at all: pass it as ``condition`` to analyse with every input free."""


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

    def __post_init__(self) -> None:
        if not self.rates:
            object.__setattr__(self, "rates", default_rates(self.network))
        for name in ("conditions", "scenarios", "modules", "raw", "rates"):
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

    def condition(self, ref: ConditionRef = None) -> Condition:
        """Resolve a condition name, ``none``, ``NODE%v`` inputs or a value (see
        :func:`boolfate.resolve.resolve_condition`); None gives the default condition."""
        return resolve_condition(ref, self.network, self.conditions, default=self.default_condition)

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
        rates=rates_from_toml(network, data, src=src),
    )


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
