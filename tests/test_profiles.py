"""Cell-type profiles (``[profiles]`` in model.toml): resolution, clashes, errors, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from boolfate.api import attractors as analyze
from boolfate.bnet import parse_bnet
from boolfate.bundle import Bundle, bundle_from_toml, load_bundle
from boolfate.cli import main
from boolfate.errors import BoolfateError

NET = parse_bnet("tnf, tnf\nflag, flag\ndrug, drug\nd, tnf & flag & !drug")
TOML = {
    "fates": {"Dead": "d"},
    "default_fate": "Alive",
    "default_profile": "sensitive",
    "conditions": {"T": "tnf%1 drug%0", "TD": "tnf%1 drug%1"},
    "profiles": {
        "sensitive": {"fix": "flag%1", "description": "dies from tnf"},
        "resistant": "flag%0",
    },
}


def _toy(**changes: object) -> Bundle:
    data = {k: v for k, v in {**TOML, **changes}.items() if v is not None}
    return bundle_from_toml(NET, data, src="toy.toml", name="toy", path=None)


def test_default_profile_is_applied_with_the_condition() -> None:
    toy = _toy()
    cond = toy.condition("T")
    assert cond.name == "T" and cond.profile == "sensitive"
    assert cond.perturbation.mapping == {"tnf": 1, "drug": 0, "flag": 1}
    assert analyze(toy, condition="T").fates == ("Dead",)


def test_named_profile_by_argument_or_reference() -> None:
    toy = _toy()
    by_arg = toy.condition("T", profile="resistant")
    by_ref = toy.condition("T@resistant")
    assert by_arg == by_ref
    assert by_arg.name == "T@resistant" and by_arg.perturbation.mapping["flag"] == 0
    assert analyze(toy, condition="T", profile="resistant").fates == ("Alive",)
    assert analyze(toy, condition="T@resistant").fates == ("Alive",)
    # the initial state carries the profile's values
    assert toy.initial_state(by_arg)["flag"] == 0


def test_perturbation_wins_over_profile() -> None:
    from boolfate.perturbations import Perturbation

    toy = _toy()
    pert = Perturbation.parse("flag%0")
    assert analyze(toy, condition="T", perturbation=pert).fates == ("Alive",)


def test_without_profiles_conditions_are_unchanged() -> None:
    toy = _toy(profiles={}, default_profile=None)
    assert toy.condition("T").profile is None
    assert set(toy.condition("T").perturbation.nodes) == {"tnf", "drug"}


def test_unknown_profile_suggests() -> None:
    toy = _toy()
    with pytest.raises(
        BoolfateError, match="unknown profile 'resistent'; did you mean 'resistant'"
    ):
        toy.condition("T", profile="resistent")
    with pytest.raises(BoolfateError, match="unknown profile 'resistent'"):
        toy.condition("T@resistent")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"default_profile": "sensitiv"}, "default_profile 'sensitiv' is not a profile; did you"),
        ({"profiles": {"p": {"fix": "flg%1"}}}, "unknown node 'flg'"),
        ({"profiles": {"p": {"fixes": "flag%1"}}}, "expected a string or a table with 'fix'"),
        ({"profiles": {"p": {"fix": "flag%1", "colour": "red"}}}, "unknown key 'colour'"),
        ({"profiles": ["p"]}, "[profiles]: expected a table"),
        (
            {"profiles": {"p": "drug%1"}, "default_profile": "p"},
            "profile 'p' fixes drug%1 but condition 'T' fixes drug%0",
        ),
    ],
)
def test_bad_profiles_are_one_line_errors(changes: dict[str, object], message: str) -> None:
    with pytest.raises(BoolfateError) as info:
        _toy(**changes)
    text = str(info.value)
    assert "toy.toml" in text and "\n" not in text
    assert message in text


def test_ad_hoc_condition_clashing_with_the_profile() -> None:
    toy = _toy()
    with pytest.raises(BoolfateError, match="profile 'sensitive' fixes flag%1 but condition"):
        toy.condition("tnf%1 flag%0")


# --- the flagship's profiles and the CLI -------------------------------------------------------


def test_flagship_profiles_hold_the_cell_type_flags() -> None:
    tnf = load_bundle("tnf_necroptosis")
    assert tnf.default_profile == "HT29_like"
    flags = {"RIPK3_expr", "autocrine", "typeII", "IAPdominant", "ZBP1"}
    for profile in tnf.profiles.values():
        assert set(profile.perturbation.nodes) == flags, profile.name
        assert profile.description
    for cond in tnf.conditions.values():
        assert not set(cond.perturbation.nodes) & flags, cond.name


def test_cli_attractors_profile(runner: CliRunner) -> None:
    """TNF + zVAD: necroptosis in L929-like cells (Vercammen 1998), not in HT-29 (He 2009)."""
    args = ["attractors", "tnf_necroptosis", "-c", "TNF_zVAD", "--format", "json"]
    ht29 = json.loads(runner.invoke(main, args).output)
    l929 = json.loads(runner.invoke(main, [*args, "--profile", "L929_like"]).output)
    assert ht29["fates"] == ["Survival"]
    assert l929["fates"] == ["Necroptosis"]
    bad = runner.invoke(main, ["attractors", "tnf_necroptosis", "--profile", "L929"])
    assert bad.exit_code == 1 and "unknown profile 'L929'" in bad.output


def test_cli_screen_crosses_profiles(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "s"
    toy_dir = tmp_path / "toy"
    toy_dir.mkdir()
    (toy_dir / "model.bnet").write_text(
        "tnf, tnf\nflag, flag\ndrug, drug\nd, tnf & flag & !drug\n", encoding="utf-8"
    )
    (toy_dir / "model.toml").write_text(
        'default_fate = "Alive"\ndefault_profile = "sensitive"\n[fates]\nDead = "d"\n'
        '[conditions]\nT = "tnf%1 drug%0"\n'
        '[profiles]\nsensitive = "flag%1"\nresistant = "flag%0"\n',
        encoding="utf-8",
    )
    res = runner.invoke(main, ["screen", str(toy_dir), "-c", "T", "--all-profiles", "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = {
        (r["condition"], r["label"]): r
        for r in json.loads((out / "results.json").read_text())["rows"]
    }
    assert rows[("T@sensitive", "WT")]["reachable_fates"] == ["Dead"]
    assert rows[("T@resistant", "WT")]["reachable_fates"] == ["Alive"]
    both = runner.invoke(main, ["screen", str(toy_dir), "--profile", "x", "--all-profiles"])
    assert both.exit_code == 2 and "not both" in both.output


def test_cli_info_lists_profiles(runner: CliRunner) -> None:
    doc = json.loads(runner.invoke(main, ["info", "tnf_necroptosis", "--format", "json"]).output)
    assert doc["default_profile"] == "HT29_like"
    assert doc["profiles"]["L929_like"].startswith("IAPdominant%0")
    text = runner.invoke(main, ["info", "tnf_necroptosis"]).output
    assert "HT29_like = " in text and "(default)" in text
