"""Bundle loading and validation errors; fate classification."""

from __future__ import annotations

from pathlib import Path

import pytest

from boolfate.bnet import parse_bnet
from boolfate.bundle import Bundle, bundled_networks, load_bundle
from boolfate.engines import Attractor, attractors
from boolfate.errors import BundleError, FateSchemeError, UnknownNodeError
from boolfate.fates import FateScheme


def make(tmp_path: Path, toml: str, bnet: str = "a, a\nb, a & !c\nc, b") -> Path:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "model.bnet").write_text(bnet)
    (folder / "model.toml").write_text(toml)
    return folder


def test_bundled_list_and_paths() -> None:
    assert "calzone2010" in bundled_networks()
    b = load_bundle("calzone2010")
    assert b.path is not None and (b.path / "model.bnet").is_file()
    assert b.citation.startswith("Calzone L")


def test_every_calzone_scenario_and_condition_names_existing_nodes(calzone: Bundle) -> None:
    for scenario in calzone.scenarios.values():
        scenario.perturbation.check(calzone.network)
    assert set(calzone.conditions) == {"none", "TNF", "FASL"}
    assert calzone.initial_state(calzone.condition("FASL"))["FASL"] == 1


@pytest.mark.parametrize(
    ("toml", "exc", "fragment"),
    [
        ('[fates]\nX = "d"', FateSchemeError, "fate 'X' uses unknown node 'd'"),
        ('[fates]\nX = "a &"', FateSchemeError, "expected a node name"),
        ('[fates]\nX = "a"\n[conditions]\nC = "a=1"', BundleError, "expected NODE%0 or NODE%1"),
        ('[fates]\nX = "a"\n[conditions]\nC = "q%1"', UnknownNodeError, "unknown node 'q'"),
        ('[fates]\nX = "a"\n[scenarios]\nS = 3', BundleError, "expected a string or a table"),
        ('[fates]\nX = "a"\n[initial_state]\non = ["bb"]', UnknownNodeError, "did you mean 'b'"),
        ('[fats]\nX = "a"', BundleError, "unknown key 'fats'; did you mean 'fates'"),
        ('[fates\nX = "a"', BundleError, "invalid TOML"),
        ('default_condition = "T"\n[fates]\nX = "a"', BundleError, "default_condition 'T'"),
    ],
)
def test_bad_toml_errors(tmp_path: Path, toml: str, exc: type[Exception], fragment: str) -> None:
    with pytest.raises(exc, match=None) as info:
        load_bundle(make(tmp_path, toml))
    assert fragment in str(info.value)


def test_missing_model_bnet(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(BundleError, match="needs a model.bnet"):
        load_bundle(tmp_path / "empty")


def test_fate_classification_mixed_and_oscillating() -> None:
    """Every rule is judged on its own: joined in scheme order, partial ones marked."""
    net = parse_bnet("x, !x\nd, d\ne, e")
    scheme = FateScheme.from_mapping({"Death": "d", "Pulse": "x", "E": "e"}, net, default="Quiet")
    fates = sorted(scheme.classify(a) for a in attractors(net))
    assert fates == [
        "Death+E+oscillating:Pulse",
        "Death+oscillating:Pulse",
        "E+oscillating:Pulse",
        "oscillating:Pulse",
    ]
    fixed = parse_bnet("d, d\ne, e")
    two = FateScheme.from_mapping({"E": "e", "Death": "d"}, fixed, default="Quiet")
    assert sorted(two.classify(a) for a in attractors(fixed)) == ["Death", "E", "E+Death", "Quiet"]
    # a rule that holds on all states after one that holds on some: oscillating of the first
    net = parse_bnet("d, d")
    points: tuple[Attractor, ...] = attractors(net)
    scheme = FateScheme.from_mapping({"D": "d"}, net, default="Q")
    assert [(p.describe(), scheme.classify(p)) for p in points] == [("d=0", "Q"), ("d=1", "D")]
    # a rule holding on some states of a cycle before one holding on all: both are reported,
    # the rule holding everywhere first, then the partial one
    cycle = attractors(parse_bnet("x, !x\nd, d"))
    later = FateScheme.from_mapping({"P": "x", "D": "!d"}, parse_bnet("x, !x\nd, d"))
    assert [later.classify(a) for a in cycle] == ["D+oscillating:P", "oscillating:P"]
