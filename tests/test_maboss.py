"""MaBoSS import/export: the published 2012 cell-fate model, round trips, cmaboss cross-check.

Reference numbers (BRIEF §1.6a column b) come from cmaboss runs of 20 000 samples; tolerances
are 4 combined standard errors (see tests/test_simulate.py).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from boolfate.bundle import Bundle
from boolfate.cli import main
from boolfate.expr import parse_expr
from boolfate.logic import truth_table
from boolfate.maboss import (
    MabossError,
    export_bundle,
    parse_maboss,
    parse_rate_expression,
    read_maboss,
    to_maboss,
)
from boolfate.simulate import default_rates, simulate, simulate_bundle

from .test_simulate import assert_close

DATA = Path(__file__).parent / "data"
BND = DATA / "calzone2010_maboss2012_CellFateModel.bnd"
N = 10_000


def test_import_calzone_maboss() -> None:
    m = read_maboss(BND)
    assert len(m.network.nodes) == 28
    assert m.parameters["TransRate"] == 0.1 and m.parameters["CASP8_del"] == 0
    assert m.settings["max_time"] == 100 and m.settings["time_tick"] == 1
    assert m.initial["TNF"] == m.initial["cIAP"] == 1.0 and m.initial["NFkB"] == 0.0
    assert m.network.inputs == ("FASL", "TNF", "FADD")
    # cIAP has no logic: its rule comes from the rates and equals the GINsim one (BRIEF §1.2)
    ginsim = parse_expr("!SMAC & (NFkB | cIAP)")
    names = ("NFkB", "SMAC", "cIAP")
    assert truth_table(m.network.functions["cIAP"], names) == truth_table(ginsim, names)
    assert m.rates["BCL2"].standard() == (parse_expr("NFkB"), 0.1, 1.0)
    assert [n for n in m.outputs] == ["NonACD", "Apoptosis", "Survival"]


def test_mutant_switch_becomes_constant_rule() -> None:
    m = read_maboss(BND, parameters={"$CASP8_del": 1})
    assert m.network.functions["CASP8"] == parse_expr("0")
    assert (
        str(m.rates["CASP8"])
        == "up: 0; down: !((DISC_TNF | DISC_FAS | CASP3) & !cFLIP) ? 1 + 1 ? 1000"
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, (0.044, 0.898, 0.059)),
        ({"CASP8_del": 1}, (0.897, 0.0, 0.103)),
        ({"TransRate": 1}, (0.207, 0.513, 0.280)),
    ],
    ids=["WT", "CASP8_del", "TransRate1"],
)
def test_maboss_2012_probabilities(
    calzone: Bundle, params: dict[str, float], expected: tuple[float, ...]
) -> None:
    m = read_maboss(BND, parameters=params)
    result = simulate(
        m.network,
        fates=calzone.fates,
        initial=m.initial,
        rates=m.rates,
        trajectories=N,
        max_time=100,
        seed=21,
    )
    assert_close(result, expected)


def test_rate_expressions() -> None:
    terms = parse_rate_expression("(NFkB & !SMAC) ? $r : 0.0", {"r": 0.1})
    assert terms == ((parse_expr("NFkB & !SMAC"), 0.1),)
    assert parse_rate_expression("2 * (a ? 1 : 0) + 3 * (a ? 1 : 0)") == ((parse_expr("a"), 5.0),)
    assert parse_rate_expression("1/24 + 0") == ((parse_expr("1"), 1 / 24),)
    assert parse_rate_expression("a AND NOT b ? 2 : 0") == ((parse_expr("a & !b"), 2.0),)
    assert parse_rate_expression("$x == 1 ? 4 : 0", {"x": 1}) == ((parse_expr("1"), 4.0),)
    for bad, match in [
        ("a ? 1", "':'"),
        ("$y", r"\$y is not set"),
        ("a # b", "unexpected"),
        ("a ? -1 : 0", "negative"),
    ]:
        with pytest.raises(MabossError, match=match):
            parse_rate_expression(bad, {})


def test_parse_errors_and_defaults() -> None:
    with pytest.raises(MabossError, match="unknown node 'B'"):
        parse_maboss("node A { logic = B; }")
    with pytest.raises(MabossError, match="no 'node"):
        parse_maboss("")
    with pytest.raises(MabossError, match="unknown node 'Z'"):
        parse_maboss("node A { logic = A; }", "Z.istate = 1;")
    m = parse_maboss(
        "node A { logic = !A; } /* c */ node B { rate_up = 0; rate_down = 0; }",
        "A.istate = 0.3 [0], 0.7 [1]; // random B",
    )
    assert m.initial == {"A": 0.7, "B": 0.5}  # MaBoSS: unspecified nodes start at random
    assert m.network.functions["B"] == parse_expr("B")


def test_export_round_trip(calzone: Bundle, tmp_path: Path) -> None:
    rates = default_rates(calzone.network, overrides={"cIAP": (0.1, 1.0)})
    bnd, cfg = to_maboss(calzone.network, rates=rates, initial={"ATP": 1, "TNF": 0.25})
    m = parse_maboss(bnd, cfg)
    assert m.network == calzone.network.__class__(calzone.network.rules, name="maboss")
    assert dict(m.rates) == rates
    assert m.initial["TNF"] == 0.25 and m.initial["ATP"] == 1.0 and m.initial["NFkB"] == 0.0
    with pytest.raises(MabossError, match="cannot write"):
        export_bundle(calzone, tmp_path / "missing" / "x.bnd")


def test_export_bundle_then_simulate_the_export(calzone: Bundle, tmp_path: Path) -> None:
    bnd, cfg = export_bundle(
        calzone, tmp_path / "c.bnd", condition="TNF", settings={"sample_count": 5000}
    )
    m = read_maboss(bnd, cfg)
    assert m.settings["sample_count"] == 5000
    assert m.internal == frozenset(m.network.nodes) - {"NFkB", "CASP3", "ATP"}
    ours = simulate(
        m.network, fates=calzone.fates, initial=m.initial, rates=m.rates, trajectories=N, seed=2
    )
    assert_close(ours, (0.204, 0.517, 0.279))


def test_cmaboss_agrees_on_exported_calzone(calzone: Bundle, tmp_path: Path) -> None:
    cmaboss = pytest.importorskip("cmaboss")
    bnd, cfg = export_bundle(
        calzone,
        tmp_path / "c.bnd",
        condition="TNF",
        settings={"sample_count": N, "seed_pseudorandom": 7},
    )
    sim = cmaboss.MaBoSSSim(network=str(bnd), config=str(cfg))
    probs, _, labels, _ = sim.run().get_last_probtraj()
    theirs = {"Survival": 0.0, "Apoptosis": 0.0, "NonACD": 0.0, "Naive": 0.0}
    for label, p in zip(labels, probs[0], strict=True):
        on = set() if label == "<nil>" else set(label.split(" -- "))
        state = {n: int(n in on) for n in ("NFkB", "CASP3", "ATP")}
        fate = next(
            (r.name for r in calzone.fates.rules if _holds(r.expr, state)), calzone.fates.default
        )
        theirs[fate] += float(p)
    ours = simulate_bundle(calzone, condition="TNF", trajectories=N, seed=9)
    for fate in ("Survival", "Apoptosis", "NonACD"):
        p, q = ours.final[fate], theirs[fate]
        se = math.sqrt(p * (1 - p) / N + q * (1 - q) / N)
        assert abs(p - q) <= 3 * se, (fate, p, q, se)


def _holds(expr: object, state: dict[str, int]) -> bool:
    from boolfate.expr import evaluate

    return evaluate(expr, state)  # type: ignore[arg-type]


def test_cli_simulate_bnd_and_export(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(
        main, ["simulate", str(BND), "--param", "CASP8_del=1", "-n", "2000", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["final"]["Apoptosis"] == 0.0 and doc["final"]["Survival"] > 0.8
    assert set(doc["final"]) == {"NonACD", "Apoptosis", "Survival", "none"}
    res = runner.invoke(main, ["simulate", str(BND), "--param", "oops"])
    assert res.exit_code == 2
    out = tmp_path / "calzone.bnd"
    res = runner.invoke(
        main, ["export-maboss", "calzone2010", "-c", "TNF", "-p", "CASP8%0", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "CASP8.istate = 0;" in out.with_suffix(".cfg").read_text()
    res = runner.invoke(main, ["simulate", str(out), "-n", "2000", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["final"]["Apoptosis"] == 0.0
