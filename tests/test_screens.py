"""Screens: perturbation sets, list files, known Calzone answers, explanations, interactions."""

from __future__ import annotations

import pytest

from boolfate.bnet import parse_bnet
from boolfate.bundle import Bundle, bundle_from_toml, load_bundle
from boolfate.errors import BoolfateError
from boolfate.perturbations import Perturbation
from boolfate.screens import (
    ScreenItem,
    ScreenRow,
    pair_items,
    parse_perturbation_list,
    resolve_conditions,
    run_screen,
    screen_items,
    screenable_nodes,
    sorted_rows,
)
from boolfate.screens import (
    evaluate_item as evaluate,
)


@pytest.fixture(scope="module")
def calzone():  # type: ignore[no-untyped-def]
    return load_bundle("calzone2010")


@pytest.fixture(scope="module")
def tnf_rows(calzone):  # type: ignore[no-untyped-def]
    items = screen_items(calzone, scenarios=True, singles=True)
    rows = sorted_rows(run_screen(calzone, items, ["TNF"]), items, ["TNF"])
    return {r.label: r for r in rows}


def test_screenable_nodes_exclude_inputs_and_readouts(calzone) -> None:  # type: ignore[no-untyped-def]
    nodes = screenable_nodes(calzone)
    assert not {"TNF", "FASL", "FADD", "Survival", "Apoptosis", "NonACD"} & set(nodes)
    assert "NFkB" in nodes and "CASP8" in nodes
    assert len(screenable_nodes(calzone, include_inputs=True)) == 28


def test_items_deduplicate_and_keep_scenario_names(calzone) -> None:  # type: ignore[no-untyped-def]
    items = screen_items(calzone, scenarios=True, singles=True)
    labels = [i.label for i in items]
    assert labels[0] == "WT" and len(labels) == len(set(labels))
    both = next(i for i in items if i.label == "CASP3%0 CASP8%0")
    assert both.name == "casp8_casp3_ko, caspase_inhibition"
    assert len([i for i in items if i.kind == "single"]) == 2 * 22 - 12  # 12 are scenarios


def test_pair_kinds() -> None:
    nodes = ["a", "b", "c"]
    assert len(pair_items(nodes, ["ko-ko"])) == 3
    assert len(pair_items(nodes, ["ko-oe"])) == 6
    assert len(pair_items(nodes, ["ko-ko", "ko-oe", "oe-oe"])) == 12
    with pytest.raises(BoolfateError, match="unknown pair kind"):
        pair_items(nodes, ["ko-xx"])


def test_list_file_errors_name_the_line(calzone) -> None:  # type: ignore[no-untyped-def]
    text = "# my list\nCASP8%0 RIP1%1\n\nCASP9%0  # typo\n"
    with pytest.raises(BoolfateError, match=r"list.txt:4: unknown node 'CASP9'"):
        parse_perturbation_list(text, calzone.network, source="list.txt")
    with pytest.raises(BoolfateError, match=r"list.txt:1: expected NODE%0"):
        parse_perturbation_list("CASP8=0", calzone.network, source="list.txt")
    items = parse_perturbation_list(text.replace("CASP9", "CASP3"), calzone.network)
    assert [i.label for i in items] == ["CASP8%0 RIP1%1", "CASP3%0"]
    assert items[1].name == "<list>:4"


def test_conditions(calzone) -> None:  # type: ignore[no-untyped-def]
    assert resolve_conditions(calzone) == ["TNF"]
    assert resolve_conditions(calzone, all_conditions=True) == ["none", "TNF", "FASL"]
    with pytest.raises(BoolfateError, match="unknown condition"):
        resolve_conditions(calzone, ["TNFF"])


@pytest.mark.parametrize(
    ("label", "lost"),
    [
        ("CASP8%0", "Apoptosis"),
        ("RIP1%0", "Survival"),
        ("cIAP%0", "Survival"),
        ("NFkB%0", "Survival"),
        ("cFLIP%0", "Survival"),
        ("ROS%0", "NonACD"),
        ("MPT%0", "NonACD"),
    ],
)
def test_known_single_knockouts(tnf_rows, label: str, lost: str) -> None:  # type: ignore[no-untyped-def]
    assert lost in tnf_rows[label].lost
    assert lost not in tnf_rows[label].fates


def test_rip1_ko_reaches_only_apoptosis(tnf_rows) -> None:  # type: ignore[no-untyped-def]
    row = tnf_rows["RIP1%0"]
    assert row.reachable_fates == ("Apoptosis",)
    assert row.attractor_fates == ("Apoptosis", "NonACD")  # NonACD exists, unreachable
    assert "excludes Survival (NFkB=0)" in row.decision
    assert "RIP1K=0 because RIP1K = RIP1 and RIP1=0" in row.trace


def test_card_scenarios_have_fates_and_explanations(tnf_rows) -> None:  # type: ignore[no-untyped-def]
    casp = tnf_rows["CASP3%0 CASP8%0"]
    assert "caspase_inhibition" in casp.name
    assert casp.fates == ("Survival", "NonACD") and casp.lost == ("Apoptosis",)
    assert casp.decision == "percolation alone excludes Apoptosis (CASP3=0)"
    assert casp.interaction == "epistasis"
    tnf = tnf_rows["TNFR%0"]
    assert tnf.name == "tnf_blockade" and tnf.change == "switched"
    assert tnf.fates == ("Naive",)
    assert any(step.startswith("DISC_TNF=0") for step in tnf.trace)
    assert tnf_rows["WT"].change == "reference"


def test_nfkb_oe_forced_by_percolation(tnf_rows) -> None:  # type: ignore[no-untyped-def]
    assert tnf_rows["NFkB%1"].decision.startswith("percolation alone forces Survival (NFkB=1)")


TOY = "s, s\na, s & !b\nb, !a\nc, c\ndead, a | c\nalive, b & !c"


def _toy() -> Bundle:
    net = parse_bnet(TOY)
    data = {"fates": {"Death": "dead", "Life": "alive"}, "conditions": {"on": "s%1"}}
    return bundle_from_toml(net, data, src="toy", name="toy", path=None)


def test_pair_interaction_on_toy() -> None:
    toy = _toy()
    items = [ScreenItem(Perturbation.parse(t), "list") for t in ("", "a%0", "c%0", "a%0 c%0")]
    rows = {r.label: r for r in run_screen(toy, items, ["on"])}
    assert rows["a%0 c%0"].interaction == "epistasis"
    assert rows["a%0 c%0"].interaction_detail == "a%0 masks c%0: same fates as a%0 alone"
    assert rows["a%0 c%0"].fates == ("Life",)


def test_rows_round_trip_and_resume_reuse(calzone) -> None:  # type: ignore[no-untyped-def]
    items = screen_items(calzone, scenarios=True)[:4]
    rows = list(run_screen(calzone, items, ["TNF"], update="mp"))
    assert all(r.reachable_fates is None for r in rows)
    again = [ScreenRow.from_dict(r.to_dict()) for r in rows]
    assert again == rows
    done = {r.key: r for r in rows[:2]}
    rest = list(run_screen(calzone, items, ["TNF"], update="mp", done=done))
    assert {r.key for r in rest} == {r.key for r in rows[2:]}


def test_mp_and_async_agree_on_attractor_fates(calzone) -> None:  # type: ignore[no-untyped-def]
    pert = Perturbation.parse("CASP8%0")
    a = evaluate(calzone, pert, "TNF", update="async")
    m = evaluate(calzone, pert, "TNF", update="mp")
    assert a.attractor_fates == m.attractor_fates and m.reachable_fates is None


@pytest.mark.parametrize("spec", ["RIP1%0", "NFkB%1", "MPT%1 CASP8%0", "TNFR%0"])
def test_screen_rows_agree_with_analyze(calzone, spec: str) -> None:  # type: ignore[no-untyped-def]
    """A screen row's fates are those of one analysis (reachable) and of all attractors."""
    import boolfate
    from boolfate.screens import evaluate_item as evaluate

    pert = Perturbation.parse(spec)
    outcome = evaluate(calzone, pert, "TNF", cache={})
    assert (
        outcome.reachable_fates
        == boolfate.attractors(calzone, condition="TNF", perturbation=pert).fates
    )
    everything = boolfate.attractors(calzone, condition="TNF", perturbation=pert, scope="all")
    assert outcome.attractor_fates == everything.fates


def test_probabilities_column(calzone, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """--probabilities adds MaBoSS-semantics fate probabilities to each row.

    BRIEF §1.6a(a): Calzone 2010 under TNF, RIP1 KO -> Apoptosis with probability 1.
    """
    import csv
    import json

    from click.testing import CliRunner

    from boolfate.cli import main
    from boolfate.screens import evaluate_item as evaluate

    outcome = evaluate(calzone, Perturbation.parse("RIP1%0"), "TNF", trajectories=300)
    assert outcome.probabilities is not None
    assert outcome.probabilities["Apoptosis"] == 1.0
    out = tmp_path / "s"
    result = CliRunner().invoke(
        main,
        [
            "screen",
            "calzone2010",
            "--list",
            str(_write(tmp_path, "RIP1%0\n")),
            "--probabilities",
            "--trajectories",
            "300",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    with (out / "results.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert (rows[-1]["p_Survival"], rows[-1]["p_Apoptosis"]) == ("0", "1")
    doc = json.loads((out / "results.json").read_text())
    assert doc["rows"][-1]["probabilities"]["Apoptosis"] == 1.0


def _write(folder, text: str):  # type: ignore[no-untyped-def]
    path = folder / "list.txt"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("fates", "parts", "expected"),
    [
        (
            ("A", "B", "C"),
            (("A",), ("B",)),
            ("synergy", "gains C, which neither x%0 nor y%0 alone does"),
        ),
        (
            ("B",),
            (("A", "B"), ("A", "C")),
            ("synergy", "loses A, which neither x%0 nor y%0 alone does"),
        ),
        (
            ("C",),
            (("A", "B"), ("A",)),
            ("synergy", "gains C and loses A, which neither x%0 nor y%0 alone does"),
        ),
        (("A",), (("A",), ("A",)), ("none", "same fates as x%0 and as y%0")),
        (("A",), (("A",), ("A", "B")), ("epistasis", "x%0 masks y%0: same fates as x%0 alone")),
        (("B",), (("A", "B"), ("B",)), ("epistasis", "y%0 masks x%0: same fates as y%0 alone")),
        (("A",), (("A", "B"), ("A", "C")), ("additive", "the losses of x%0 and y%0 combined")),
    ],
)
def test_every_interaction_class(
    fates: tuple[str, ...], parts: tuple[tuple[str, ...], ...], expected: tuple[str, str]
) -> None:
    from boolfate.screens import _interaction

    pair = Perturbation.parse("x%0 y%0")
    assert _interaction(pair, fates, parts) == expected
