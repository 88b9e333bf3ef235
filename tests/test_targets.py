"""Target search: known toy answers, brute-force agreement (Hypothesis), flagship literature
answers, errors and the ``boolfate targets`` command."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boolfate.bnet import parse_bnet
from boolfate.bundle import Bundle, bundle_from_toml, load_bundle
from boolfate.cli import main
from boolfate.engines import attractors
from boolfate.errors import BoolfateError
from boolfate.evaluator import evaluate
from boolfate.model import Network
from boolfate.percolation import forced_values, stable_values
from boolfate.perturbations import Perturbation, apply
from boolfate.question import Scope, ask
from boolfate.screens import screenable_nodes
from boolfate.target_reports import targets_csv, targets_markdown
from boolfate.targets import (
    TargetQuestion,
    candidate_fixes,
    count_sets,
    drug_inputs,
    find_targets,
    minimal_sets,
)
from boolfate.types import Value
from tests.strategies import networks

VALUES: tuple[Value, Value] = (0, 1)


@pytest.fixture(scope="module")
def flagship() -> Bundle:
    return load_bundle("tnf_necroptosis")


def _bundle(text: str, data: dict[str, object]) -> Bundle:
    return bundle_from_toml(parse_bnet(text), data, src="toy", name="toy", path=None)


def _fates(bundle: Bundle, pert: Perturbation, scope: Scope = "reachable") -> tuple[str, ...]:
    """The screen's answer for one perturbation under TNF (the shared evaluator)."""
    return evaluate(bundle, ask(bundle, "TNF", pert, scope=scope)).fates


def _labels(bundle: Bundle, question: TargetQuestion) -> list[str]:
    return [t.perturbation.label() for t in find_targets(bundle, question).sets]


# A cell dies only when both survival signals b and c are lost; nothing makes it "Ghost".
TWO_KO = _bundle(
    "s, s\nb, s\nc, s\nd, b\ndead, !d & !c\nalive, d | c",
    {
        "fates": {"Death": "dead", "Life": "alive", "Ghost": "dead & alive"},
        "conditions": {"on": "s%1", "off": "s%0"},
        "initial_state": {"on": ["b", "c", "d", "alive"]},
    },
)


def test_a_fate_that_needs_two_knock_outs() -> None:
    question = TargetQuestion(fates=("Death",), conditions=("on",), max_size=3)
    result = find_targets(TWO_KO, question)
    assert [t.perturbation.label() for t in result.sets] == ["b%0 c%0", "c%0 d%0"]
    assert result.wild_type[0].fates == ("Life",)
    best = result.sets[0]
    assert best.size == 2 and best.works_in == ("on",) and best.robustness == 1.0
    assert "forces Death" in best.explanation("on").decision
    # b%0 c%0 d%0 was skipped: it contains a set that already works
    assert result.stats.skipped_supersets >= 1


def test_a_fate_that_no_set_reaches() -> None:
    result = find_targets(TWO_KO, TargetQuestion(fates=("Ghost",), conditions=("on",), max_size=3))
    assert result.sets == ()
    assert "0 minimal set(s)" in targets_markdown(result, {"model": "toy"})


def test_includes_mode_and_the_wild_type_as_answer() -> None:
    # under 'off' every cell dies already: the empty set is the only minimal answer
    off = find_targets(TWO_KO, TargetQuestion(fates=("Death",), conditions=("off",)))
    assert [t.perturbation.label() for t in off.sets] == ["WT"]
    # a toggle: both fates reachable from the initial state, so 'includes' holds untouched
    toggle = _bundle(
        "a, !b\nb, !a\nx, a\ny, b",
        {"fates": {"A": "x & !y", "B": "y & !x"}, "initial_state": {"on": []}},
    )
    assert _labels(toggle, TargetQuestion(fates=("A",), mode="includes")) == ["WT"]
    only = _labels(toggle, TargetQuestion(fates=("A",), mode="only"))
    assert only == ["a%1", "b%0"]


def test_every_attractor_versus_the_reachable_ones() -> None:
    # a toggle started on the A side: only A is reachable, but B is an attractor as well
    toggle = _bundle(
        "a, !b\nb, !a\nx, a\ny, b",
        {"fates": {"A": "x & !y", "B": "y & !x"}, "initial_state": {"on": ["a", "x"]}},
    )
    assert _labels(toggle, TargetQuestion(fates=("A",))) == ["WT"]
    every = TargetQuestion(fates=("A",), scope="all")
    assert _labels(toggle, every) == ["a%1", "b%0"]
    result = find_targets(toggle, every)
    assert result.wild_type[0].fates == ("A", "B")


def test_robustness_ranks_sets_that_work_everywhere_first() -> None:
    question = TargetQuestion(fates=("Death",), conditions=("on", "off"), max_size=2)
    result = find_targets(TWO_KO, question)
    first = result.sets[0]
    assert first.works_in == ("on", "off") and first.robustness == 1.0
    assert all(t.robustness <= first.robustness for t in result.sets)
    assert [t.perturbation.label() for t in result.sets if t.minimal_in == ("off",)] == ["WT"]


def test_candidates_drugs_and_counts() -> None:
    flagship = load_bundle("tnf_necroptosis")
    declared = flagship.modules.get("inputs") or flagship.modules["treatments"]
    assert set(drug_inputs(flagship)) == set(declared) >= {"TNF", "SMACmim", "zVAD", "BH3"}
    drugs = candidate_fixes(flagship, "drugs")
    assert drugs == tuple((d, 1) for d in drug_inputs(flagship))
    nodes = candidate_fixes(flagship, "nodes", exclude=["CASP3"])
    assert ("CASP3", 0) not in nodes and len(nodes) == 2 * (len(screenable_nodes(flagship)) - 1)
    n = len(drugs)
    assert count_sets(drugs, 2) == 1 + n + n * (n - 1) // 2
    with pytest.raises(BoolfateError, match="unknown node 'CASP33'"):
        candidate_fixes(flagship, "nodes", exclude=["CASP33"])


def test_minimal_sets_never_asks_about_supersets() -> None:
    asked: list[str] = []

    def good(p: Perturbation) -> bool:
        asked.append(str(p))
        return "a" in p.nodes

    found, visited, skipped = minimal_sets([("a", 0), ("b", 0), ("c", 0)], 3, good)
    assert [str(p) for p in found] == ["a%0"]
    assert not [s for s in asked if "a%0" in s and s != "a%0"]
    assert (visited, skipped) == (8, 3)


# --------------------------------------------------------------------------------------------
# Brute force with an independent engine (explicit state graph), on random networks
# --------------------------------------------------------------------------------------------


def _brute_force(bundle: Bundle, wanted: set[str], mode: str, k: int, scope: str) -> set[str]:
    nodes = screenable_nodes(bundle)
    works: dict[Perturbation, bool] = {}
    for size in range(k + 1):
        for chosen in itertools.combinations(nodes, size):
            for values in itertools.product(VALUES, repeat=size):
                pert = Perturbation.from_mapping(dict(zip(chosen, values, strict=True)))
                net = apply(bundle.network, pert)
                init = bundle.initial_state(bundle.condition(None), pert)
                start = init if scope == "reachable" else None
                found = attractors(net, update="async", engine="stg", initial=start)
                labels = [bundle.fates.classify(a).split("+") for a in found]
                plain = [[p for p in parts if not p.startswith("oscillating:")] for parts in labels]
                if mode == "includes":
                    ok = any(set(p) & wanted for p in plain)
                else:  # only: every label made of wanted fates, none merely oscillating
                    ok = all(
                        p == parts and set(p) <= wanted
                        for p, parts in zip(plain, labels, strict=True)
                    )
                works[pert] = ok
    minimal = set()
    for pert, ok in works.items():
        subs = (
            Perturbation(sub)
            for n in range(len(pert.fixes))
            for sub in itertools.combinations(pert.fixes, n)
        )
        if ok and not any(works[s] for s in subs):
            minimal.add(pert.label())
    return minimal


@st.composite
def fate_bundles(draw: st.DrawFn) -> Bundle:
    net: Network = draw(networks(max_nodes=6))
    names = list(net.nodes)
    a, b, c = (draw(st.sampled_from(names)) for _ in range(3))
    neg = draw(st.sampled_from(["", "!"]))
    on = draw(st.lists(st.sampled_from(names), unique=True))
    fates = {"A": f"{a} & {neg}{b}", "B": f"{c} & !({a} & {neg}{b})"}
    data = {"fates": fates, "default_fate": "C", "initial_state": {"on": on}}
    return bundle_from_toml(net, data, src="random", name="random", path=None)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fate_bundles(),
    st.sampled_from([("A",), ("B",), ("A", "C")]),
    st.sampled_from(["only", "includes"]),
    st.sampled_from(["reachable", "all"]),
)
def test_search_equals_brute_force_on_random_networks(
    bundle: Bundle, fates: tuple[str, ...], mode: str, scope: str
) -> None:
    question = TargetQuestion(
        fates=fates,
        max_size=2,
        mode="only" if mode == "only" else "includes",
        scope="all" if scope == "all" else "reachable",
    )
    found = _labels(bundle, question)
    assert len(found) == len(set(found))
    assert set(found) == _brute_force(bundle, set(fates), mode, 2, scope)


# --------------------------------------------------------------------------------------------
# The flagship: literature answers among the minimal sets
# --------------------------------------------------------------------------------------------


def _within(labels: list[str], allowed: str) -> list[str]:
    """The sets among ``labels`` made only of fixes in ``allowed`` (the empty set excluded)."""
    pool = set(allowed.split())
    return [t for t in labels if t != "WT" and set(t.split()) <= pool]


def test_flagship_caspase_inhibition_gives_necroptosis_under_tnf(flagship: Bundle) -> None:
    # TNF + caspase inhibition, with a SMAC mimetic where IAPs block RIPK1 kinase, gives
    # necroptosis (Vercammen 1998; He 2009): a minimal set within SMACmim%1 zVAD%1
    question = TargetQuestion(fates=("Necroptosis",), conditions=("TNF",), using="drugs")
    assert _within(_labels(flagship, question), "SMACmim%1 zVAD%1")
    assert _fates(flagship, Perturbation.parse("SMACmim%1 zVAD%1")) == ("Necroptosis",)
    smac = TargetQuestion(fates=("Necroptosis",), conditions=("TNF_SMAC",), using="drugs")
    assert "zVAD%1" in _labels(flagship, smac)


def test_flagship_caspase_inhibition_and_bh3_mimetic_give_cicd(flagship: Bundle) -> None:
    # MOMP under caspase inhibition: caspase-independent cell death (Giampazolias 2017)
    question = TargetQuestion(fates=("CICD",), conditions=("TNF",))
    result = find_targets(flagship, question)
    labels = [t.perturbation.label() for t in result.sets]
    assert _within(labels, "BH3%1 zVAD%1")
    for t in result.sets:  # minimal: no proper subset works (checked with the screen)
        assert _fates(flagship, t.perturbation) == ("CICD",)
        for fix in t.perturbation.fixes:
            rest = Perturbation(tuple(f for f in t.perturbation.fixes if f != fix))
            assert _fates(flagship, rest) != ("CICD",)


def test_flagship_triples_are_feasible(flagship: Bundle) -> None:
    question = TargetQuestion(
        fates=("Necroptosis",), conditions=("TNF",), max_size=3, using="drugs"
    )
    result = find_targets(flagship, question)
    labels = [t.perturbation.label() for t in result.sets]
    assert _within(labels, "SMACmim%1 zVAD%1") and labels == _within(
        labels, " ".join(f"{n}%1" for n in drug_inputs(flagship))
    )
    # TNF%1 is a no-op under TNF: the other drugs remain, in sets of at most 3
    active = [f for f in candidate_fixes(flagship, "drugs") if f != ("TNF", 1)]
    n = len(active)
    assert (
        result.stats.candidates
        == count_sets(active, 3)
        == 1 + n + n * (n - 1) // 2 + n * (n - 1) * (n - 2) // 6
    )


# --------------------------------------------------------------------------------------------
# Bad input and the command
# --------------------------------------------------------------------------------------------


def test_errors(flagship: Bundle) -> None:
    with pytest.raises(BoolfateError, match="unknown fate 'Necroptsis'; did you mean"):
        find_targets(flagship, TargetQuestion(fates=("Necroptsis",)))
    with pytest.raises(BoolfateError, match=r"--max-size 5 gives about [\d,]+ candidate"):
        find_targets(flagship, TargetQuestion(fates=("CICD",), max_size=5))
    with pytest.raises(BoolfateError, match=r"--mode dominant needs transition rates"):
        find_targets(flagship, TargetQuestion(fates=("CICD",), mode="dominant"))


def test_dominant_mode_with_rates() -> None:
    data = {
        "fates": {"Death": "dead", "Life": "alive"},
        "conditions": {"on": "s%1"},
        "initial_state": {"on": ["b", "c", "d", "alive"]},
        "rates": {"default": {"up": 1.0, "down": 1.0}},
    }
    bundle = _bundle("s, s\nb, s\nc, s\nd, b\ndead, !d & !c\nalive, d | c", data)
    question = TargetQuestion(
        fates=("Death",), conditions=("on",), mode="dominant", trajectories=300
    )
    result = find_targets(bundle, question)
    assert [t.perturbation.label() for t in result.sets] == ["b%0 c%0", "c%0 d%0"]
    assert dict(result.sets[0].explanations[0].probabilities)["Death"] == 1.0


def test_cli_writes_ranked_explained_sets(tmp_path: Path) -> None:
    out = tmp_path / "t"
    args = ["targets", "tnf_necroptosis", "--fate", "Necroptosis", "--fate", "CICD"]
    result = CliRunner().invoke(main, [*args, "-c", "TNF", "--max-size", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "minimal set(s) of at most 2 fixes" in result.output
    with open(out / "targets.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert _within([r["perturbation"] for r in rows], "SMACmim%1 zVAD%1 BH3%1")
    assert all(r["conditions"] == "TNF" and r["robustness"] == "1" for r in rows)
    doc = json.loads((out / "targets.json").read_text(encoding="utf-8"))
    assert doc["provenance"]["model"] == "tnf_necroptosis"
    assert doc["question"]["fates"] == ["Necroptosis", "CICD"]
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Why each set works" in report and "percolation alone forces" in report
    assert "<figure><svg" in (out / "report.html").read_text(encoding="utf-8")
    assert targets_csv(find_targets(load_bundle("tnf_necroptosis"), _question())) != ""


def _question() -> TargetQuestion:
    return TargetQuestion(fates=("Necroptosis",), conditions=("TNF",), using="drugs", max_size=1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fate", "Necro"], "unknown fate 'Necro'"),
        (["--fate", "CICD", "--max-size", "6"], "--max-size 6 gives about"),
        (["--fate", "CICD", "--mode", "dominant"], "needs transition rates"),
        (["--fate", "CICD", "--exclude", "CASP99"], "unknown node 'CASP99'"),
    ],
)
def test_cli_bad_input_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(
        main, ["targets", "tnf_necroptosis", *args, "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_incremental_forced_values_equal_percolation(data: st.DataObject) -> None:
    net: Network = data.draw(networks(max_nodes=6))
    nodes = list(net.nodes)
    fixed = data.draw(st.lists(st.sampled_from(nodes), unique=True, min_size=1, max_size=3))
    fixes: dict[str, Value] = {n: data.draw(st.sampled_from(VALUES)) for n in fixed}
    expected = stable_values(apply(net, Perturbation.from_mapping(fixes)), None)
    assert forced_values(net, fixes) == expected
    parent = dict(list(fixes.items())[:-1])
    assert forced_values(net, fixes, known=forced_values(net, parent)) == expected


def test_result_tables_for_notebooks() -> None:
    result = find_targets(TWO_KO, TargetQuestion(fates=("Death",), conditions=("on",)))
    records = result.records()
    assert [r["perturbation"] for r in records] == ["b%0 c%0", "c%0 d%0"]
    assert records[0]["fates on"] == ["Death"] and records[0]["robustness"] == 1.0
    assert "<table><caption>TargetResult(fates=Death" in result._repr_html_()


def test_forced_values_on_a_rule_too_wide_for_a_truth_table() -> None:
    names = [f"x{i}" for i in range(18)]
    text = "\n".join(f"{n}, {n}" for n in names) + "\nw, " + " & ".join(names) + "\nv, w"
    net = parse_bnet(text)
    expected = stable_values(apply(net, Perturbation.parse("x3%0")), None)
    assert forced_values(net, {"x3": 0}) == expected
    assert expected["w"] == 0 and expected["v"] == 0
