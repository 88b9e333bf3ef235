"""One question, one resolver, one evaluator: grammar, contradictions, values and the API."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import boolfate
from boolfate.attractor import Attractor
from boolfate.bnet import parse_bnet
from boolfate.bundle import Bundle, bundle_from_toml
from boolfate.cli import main
from boolfate.engines import ENGINES, REGISTRY, attractors
from boolfate.errors import BoolfateError, PerturbationSyntaxError
from boolfate.evaluator import evaluate
from boolfate.perturbations import Perturbation
from boolfate.question import Question, ask
from boolfate.resolve import NO_CONDITION, resolve_condition, resolve_perturbation
from boolfate.screens import parse_perturbation_list
from boolfate.validate import parse_observations

HEADER = "id,condition,perturbation,expected,citation,system,status,known_mismatch\n"


def _plain() -> Bundle:
    """A bundle without conditions or scenarios."""
    net = parse_bnet("s, s\na, s & !b\nb, !a\ndead, a\nalive, b")
    data = {"fates": {"Death": "dead", "Life": "alive"}, "initial_state": {"on": ["s"]}}
    return bundle_from_toml(net, data, src="plain", name="plain", path=None)


def test_sync_two_cycles_are_different_attractors() -> None:
    net = parse_bnet("a, !a\nb, !b")
    found = attractors(net, update="sync")
    assert [a.states for a in found] == [((0, 0), (1, 1)), ((0, 1), (1, 0))]
    assert found[0] != found[1]
    assert len(set(found)) == 2
    assert found[0].fixed == found[1].fixed == () and found[0].oscillating == ("a", "b")


def test_attractor_order_is_canonical() -> None:
    a = Attractor((), ("a", "b"), 2, ((0, 1), (1, 0)), nodes=("a", "b"))
    b = Attractor((), ("a", "b"), 2, ((0, 0), (1, 1)), nodes=("a", "b"))
    fp = Attractor((("a", 1), ("b", 0)), (), 1, ((1, 0),), nodes=("a", "b"))
    assert [x.states for x in sorted([a, fp, b], key=Attractor.sort_key)] == [
        ((1, 0),),
        ((0, 0), (1, 1)),
        ((0, 1), (1, 0)),
    ]


def test_registry_is_one_table() -> None:
    assert list(ENGINES) == [
        "aeon",
        "decompose",
        "stg",
        "numpy",
        "clingo",
        "pyboolnet",
        "fixpoints",
    ]
    assert [(s.name, s.update, s.initial) for s in REGISTRY if s.initial] == [
        ("aeon", "async", True),
        ("stg", "async", True),
        ("numpy", "sync", True),
    ]
    for spec in REGISTRY:
        assert callable(spec.load())


def test_one_grammar_for_perturbations(calzone: Bundle) -> None:
    expected = Perturbation.parse("CASP8%0 RIP1%1")
    assert calzone.perturbation("casp8_ko RIP1%1") == expected
    assert calzone.perturbation(["casp8_ko", "RIP1%1"]) == expected
    assert calzone.perturbation("CASP8%0, RIP1%1") == expected
    assert calzone.perturbation("WT") == Perturbation()
    assert calzone.perturbation(None) == Perturbation()
    items = parse_perturbation_list("casp8_ko RIP1%1\nWT\n", calzone, source="l.txt")
    assert [(i.perturbation, i.name) for i in items] == [
        (expected, "l.txt:1"),
        (Perturbation(), "l.txt:2"),
    ]
    cells = HEADER + "a,TNF,casp8_ko RIP1%1,includes Survival,c,s,consensus,\n"
    assert parse_observations(cells, calzone)[0].perturbation == expected


@pytest.mark.parametrize("text", ["CASP8%0 CASP8%1", "casp8_ko CASP8%1"])
def test_a_contradiction_is_an_error_everywhere(
    calzone: Bundle, runner: CliRunner, tmp_path: Path, text: str
) -> None:
    message = "node 'CASP8' is fixed to both 0 and 1"
    with pytest.raises(PerturbationSyntaxError, match=message):
        calzone.perturbation(text)
    with pytest.raises(BoolfateError, match=f"l.txt:2: {message}"):
        parse_perturbation_list(f"RIP1%0\n{text}", calzone, source="l.txt")
    with pytest.raises(BoolfateError, match=f"obs.csv:2: {message}"):
        parse_observations(
            HEADER + f"a,TNF,{text},includes Survival,c,s,consensus,\n", calzone, source="obs.csv"
        )
    with pytest.raises(PerturbationSyntaxError, match=message):
        boolfate.attractors(calzone, "TNF", text)
    args = ["attractors", "calzone2010", "--scenario", "casp8_ko", "--perturb", "CASP8%1"]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output
    listed = tmp_path / "l.txt"
    listed.write_text(text + "\n", encoding="utf-8")
    out = runner.invoke(
        main, ["screen", "calzone2010", "--list", str(listed), "-o", str(tmp_path / "s")]
    )
    assert out.exit_code == 1
    assert f"{listed}:1: {message}" in out.output


def _reap_stale_children() -> None:
    """Reap finished children of earlier tests (pyboolnet leaves gringo/clasp pipes open);
    otherwise the next subprocess this test starts (Graphviz, for the report) reports them."""
    import gc
    import subprocess
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        subprocess._cleanup()  # type: ignore[attr-defined]
        gc.collect()


def test_scenario_names_work_in_list_files(
    calzone: Bundle, runner: CliRunner, tmp_path: Path
) -> None:
    listed = tmp_path / "l.txt"
    listed.write_text("casp8_ko\n", encoding="utf-8")
    _reap_stale_children()
    out = runner.invoke(
        main,
        [
            "screen",
            "calzone2010",
            "--list",
            str(listed),
            "-o",
            str(tmp_path / "s"),
        ],
    )
    assert out.exit_code == 0, out.output
    doc = json.loads((tmp_path / "s" / "results.json").read_text(encoding="utf-8"))
    assert [(r["label"], r["reachable_fates"]) for r in doc["rows"]] == [
        ("WT", ["Survival", "Apoptosis", "NonACD"]),
        ("CASP8%0", ["Survival", "NonACD"]),
    ]
    rows = boolfate.screen(calzone, conditions=["TNF"], perturbations=["casp8_ko"]).rows
    assert [(r.label, r.reachable_fates) for r in rows] == [
        ("WT", ("Survival", "Apoptosis", "NonACD")),
        ("CASP8%0", ("Survival", "NonACD")),
    ]


def test_conditions_resolve_in_one_place(calzone: Bundle) -> None:
    assert resolve_condition(None, calzone.network, {}) == NO_CONDITION
    assert calzone.condition(None).name == "TNF"
    assert calzone.condition("TNF%1 FASL%0").perturbation == Perturbation.parse("TNF%1 FASL%0")
    with pytest.raises(BoolfateError, match="unknown condition 'TNFF'; did you mean 'TNF'"):
        calzone.condition("TNFF")
    plain = _plain()
    assert plain.condition("none") == plain.condition(None) == NO_CONDITION


def test_a_bundle_without_conditions_behaves_the_same_in_every_path(runner: CliRunner) -> None:
    plain = _plain()
    by_default = boolfate.attractors(plain)
    by_name = boolfate.attractors(plain, "none")
    assert by_default.fates == by_name.fates == ("Death", "Life")
    screen = boolfate.screen(plain, conditions=["none"], perturbations=["a%0"])
    assert [(r.condition, r.label, r.reachable_fates) for r in screen] == [
        ("none", "WT", ("Death", "Life")),
        ("none", "a%0", ("Life",)),
    ]
    assert boolfate.screen(plain).rows[0].reachable_fates == ("Death", "Life")
    sim = boolfate.simulate(plain, "none", "a%0", trajectories=50, seed=0)
    assert sim.final["Life"] == 1.0


def _no_default(none: str | None) -> Bundle:
    """A bundle with [conditions] but no default_condition (``none``: inputs of a 'none' row)."""
    net = parse_bnet("s, s\na, s & !b\nb, !a\ndead, a\nalive, b")
    conditions = {"on": {"inputs": "s%1"}}
    if none is not None:
        conditions["none"] = {"inputs": none}
    data = {"fates": {"Death": "dead", "Life": "alive"}, "conditions": conditions}
    return bundle_from_toml(net, data, src="nd", name="nd", path=None)


@pytest.mark.parametrize(("none", "fixes"), [(None, ""), ("s%0", "s%0")])
def test_no_default_condition_means_none_everywhere(
    none: str | None, fixes: str, tmp_path: Path, runner: CliRunner
) -> None:
    bundle = _no_default(none)
    assert bundle.condition(None) == bundle.condition("none")
    assert str(bundle.condition(None).perturbation) == fixes
    wt = boolfate.attractors(bundle)
    assert wt.fates == boolfate.attractors(bundle, "none").fates
    screen = boolfate.screen(bundle, perturbations=["a%0"])
    assert [r.condition for r in screen] == ["none", "none"]
    obs = parse_observations(HEADER + "r1,none,,includes Life,c,s,consensus,\n", bundle)
    assert boolfate.validate(bundle, obs).rows[0].passed
    (tmp_path / "model.bnet").write_text("s, s\na, s & !b\nb, !a\ndead, a\nalive, b\n")
    toml = '[fates]\nDeath = "dead"\nLife = "alive"\n[conditions]\non = { inputs = "s%1" }\n'
    (tmp_path / "model.toml").write_text(toml)
    (tmp_path / "observations.csv").write_text(HEADER + "r1,none,,includes Life,c,s,consensus,\n")
    out = runner.invoke(main, ["screen", str(tmp_path), "--singles", "--out", str(tmp_path / "o")])
    assert out.exit_code == 0, out.output
    doc = json.loads((tmp_path / "o" / "results.json").read_text(encoding="utf-8"))
    assert {r["condition"] for r in doc["rows"]} == {"none"}
    out = runner.invoke(main, ["validate", str(tmp_path)])
    assert out.exit_code == 0, out.output


def test_question_is_a_hashable_value(calzone: Bundle) -> None:
    q = ask(calzone, "TNF", "casp8_ko")
    same = ask(calzone, calzone.conditions["TNF"], Perturbation.parse("CASP8%0"))
    assert q == same and hash(q) == hash(same) and len({q, same}) == 1
    assert q == Question("calzone2010", calzone.conditions["TNF"], Perturbation.parse("CASP8%0"))
    assert ask(calzone, "TNF", update="sync").engine == "numpy"
    with pytest.raises(BoolfateError, match="reachable attractors are not available"):
        ask(calzone, "TNF", update="mp", scope="reachable")
    with pytest.raises(BoolfateError, match="engine 'numpy' computes sync attractors, not async"):
        ask(calzone, "TNF", engine="numpy")
    with pytest.raises(BoolfateError, match="unknown profile 'HT29'"):
        ask(calzone, "TNF", profile="HT29")


def test_fate_result_is_typed_and_tabular(calzone: Bundle) -> None:
    result = boolfate.attractors("calzone2010", condition="TNF", perturbation="CASP8%0")
    assert result == evaluate(calzone, ask(calzone, "TNF", "CASP8%0"))
    assert [a.fate for a in result] == ["NonACD", "Survival"] and len(result) == 2
    assert result.initial_state is not None and result.initial_state["CASP8"] == 0
    frame = result.to_pandas()
    assert list(frame.columns[:3]) == ["fate", "states", "exact"]
    assert frame.shape == (2, 3 + 28)
    assert list(frame["fate"]) == ["NonACD", "Survival"]
    assert list(frame["NFkB"]) == [0, 1]
    html = result._repr_html_()
    assert html.startswith("<table><caption>calzone2010 | condition TNF | CASP8%0 | async (aeon)")
    assert html.count("<tr>") == 3
    everything = boolfate.attractors(calzone, "TNF", "CASP8%0", scope="all")
    assert everything.reachable is None and everything.n_attractors == 2


def test_reprs_are_short(calzone: Bundle) -> None:
    assert repr(calzone.network) == "Network(name='calzone2010', nodes=28, inputs=3)"
    assert repr(calzone) == (
        "Bundle(name='calzone2010', nodes=28, fates=4, conditions=3, scenarios=15)"
    )
    screen = boolfate.screen(calzone, conditions=["TNF"], perturbations=["CASP8%0"])
    assert repr(screen) == "Screen(model='calzone2010', rows=2, changed=1)"
    assert screen.to_pandas().shape[0] == 2
    assert "<td>CASP8%0</td>" in screen._repr_html_()
    validation = boolfate.validate(calzone)
    assert repr(validation).startswith("ValidationResult(network='calzone2010', rows=")
    assert validation.to_pandas().shape[0] == len(validation.rows)


def test_to_pandas_without_pandas_is_one_clear_error(
    calzone: Bundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = boolfate.attractors(calzone, "TNF")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(BoolfateError, match=r"needs pandas: pip install 'boolfate\[pandas\]'"):
        result.to_pandas()


def test_bundle_mappings_are_read_only(calzone: Bundle) -> None:
    with pytest.raises(TypeError):
        calzone.conditions["X"] = calzone.conditions["TNF"]  # type: ignore[index]
    with pytest.raises(TypeError):
        del calzone.scenarios["casp8_ko"]  # type: ignore[attr-defined]
    assert calzone.doi == "" and calzone.description.startswith("The canonical logical model")


def test_a_negative_rate_fails_when_the_bundle_loads() -> None:
    net = parse_bnet("a, a")
    with pytest.raises(BoolfateError, match=r"toy \[rates.a\] up: expected a non-negative number"):
        bundle_from_toml(net, {"rates": {"a": {"up": -1}}}, src="toy", name="t", path=None)


def test_network_input_uses_all_attractors() -> None:
    net = parse_bnet("a, !b\nb, !a")
    result = boolfate.attractors(net)
    assert result.question.scope == "all"
    assert [(a.fate, a.attractor.describe()) for a in result] == [
        ("Unclassified", "a=0 b=1"),
        ("Unclassified", "a=1 b=0"),
    ]


def test_resolve_perturbation_checks_nodes() -> None:
    net = parse_bnet("a, !b\nb, !a")
    with pytest.raises(BoolfateError, match="unknown node 'c' in --perturb"):
        resolve_perturbation("c%1", net, where="--perturb")
    with pytest.raises(PerturbationSyntaxError, match="expected NODE%0 or NODE%1, got 'a=1'"):
        resolve_perturbation("a=1", net)


def test_a_hand_built_network_never_borrows_another_networks_answers() -> None:
    from boolfate.engines._clingo import trap_spaces
    from boolfate.session import Session, origin

    toggle = parse_bnet("a, !b\nb, !a")
    loop = parse_bnet("a, b\nb, a")
    ko_loop = boolfate.apply(loop, Perturbation.parse("a%0"))
    assert origin(ko_loop) == (loop, (("a", 0),))
    list(trap_spaces(ko_loop))  # grounds the loop's program in the loop's session
    assert sorted(Session.of(loop).cache) == ["clingo:min"]
    same_rules = parse_bnet("a, !b\nb, !a")  # equal to toggle, built by hand
    assert origin(same_rules) is None and Session.of(same_rules) is not Session.of(toggle)
    assert [a.describe() for a in attractors(same_rules, update="mp")] == ["a=0 b=1", "a=1 b=0"]
    assert [a.describe() for a in attractors(ko_loop, update="mp")] == ["a=0 b=0"]
