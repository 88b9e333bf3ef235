"""``boolfate.validate`` and ``boolfate validate``: observations files, scoring, the CLI.

The Calzone 2010 observations (networks/calzone2010/observations.csv) are the facts the published
model reproduces (Calzone L et al. 2010 PLoS Comput Biol 6:e1000702, its model files re-simulated:
the ``regression`` tier); one literature row (TNF alone -> survival only, Micheau & Tschopp 2003
Cell 114:181) is a documented known mismatch of that generic model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from boolfate.bundle import Bundle
from boolfate.cli import main
from boolfate.errors import BundleError
from boolfate.validate import (
    REQUIRED_COLUMNS,
    Expectation,
    parse_expected,
    parse_observations,
    read_observations,
    validate,
)

HEADER = ",".join(REQUIRED_COLUMNS) + "\n"


def _csv(*rows: str) -> str:
    return HEADER + "".join(r + "\n" for r in rows)


# --- expectations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "fates"),
    [
        ("only Survival", "only", ("Survival",)),
        ("only Survival+NonACD", "only", ("Survival", "NonACD")),
        ("includes Apoptosis", "includes", ("Apoptosis",)),
        ("excludes Naive", "excludes", ("Naive",)),
    ],
)
def test_parse_expected(text: str, kind: str, fates: tuple[str, ...]) -> None:
    exp = parse_expected(text, ("Survival", "Apoptosis", "NonACD", "Naive"))
    assert (exp.kind, exp.fates) == (kind, fates)
    assert str(exp) == text


@pytest.mark.parametrize("text", ["Survival", "maybe Survival", "only", "only A+", "only A B"])
def test_parse_expected_bad_syntax(text: str) -> None:
    with pytest.raises(BundleError, match="expected outcome"):
        parse_expected(text)


def test_parse_expected_unknown_fate() -> None:
    with pytest.raises(BundleError, match="unknown fate 'Apoptsis'; did you mean 'Apoptosis'"):
        parse_expected("includes Apoptsis", ("Survival", "Apoptosis"))


def test_expectation_semantics() -> None:
    """An oscillating attractor labelled oscillating:F counts as reaching F."""
    only = Expectation("only", ("Survival", "Apoptosis"))
    assert only.check(["Apoptosis", "oscillating:Survival"])
    assert not only.check(["Survival"])
    assert Expectation("includes", ("Survival",)).check(["oscillating:Survival", "Naive"])
    assert not Expectation("excludes", ("Survival",)).check(["oscillating:Survival"])
    assert Expectation("excludes", ("Apoptosis",)).check([])


# --- parsing errors carry file and line ----------------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,TNF,CASP9%0,includes Apoptosis,c,s,consensus,", "unknown node 'CASP9'"),
        ("x,TNF,,includes Apoptsis,c,s,consensus,", "unknown fate 'Apoptsis'"),
        ("x,TNFF,,includes Apoptosis,c,s,consensus,", "unknown condition 'TNFF'"),
        ("x,TNF,casp8_kko,includes Apoptosis,c,s,consensus,", "unknown scenario 'casp8_kko'"),
        ("x,TNF,CASP8=0,includes Apoptosis,c,s,consensus,", "expected NODE%0 or NODE%1"),
        ("x,TNF,,perhaps Apoptosis,c,s,consensus,", "expected outcome"),
        ("x,TNF,,includes Apoptosis,c,s,maybe,", "status 'maybe'"),
        ("x,TNF,,includes Apoptosis,c,s,consensus", "expected 8 cells, got 7"),
    ],
)
def test_bad_row_names_file_and_line(calzone: Bundle, row: str, message: str) -> None:
    text = _csv("ok,TNF,,includes Survival,c,s,consensus,", row)
    with pytest.raises(BundleError, match=r"obs\.csv:3: ") as info:
        parse_observations(text, calzone, source="obs.csv")
    assert message in str(info.value)


def test_bad_header_and_duplicate_id(calzone: Bundle) -> None:
    with pytest.raises(BundleError, match=r"obs\.csv:1: the header must be.*missing column"):
        parse_observations("id,condition\n", calzone, source="obs.csv")
    with pytest.raises(BundleError, match=r"obs\.csv:1: unknown column 'tiers'; did you mean"):
        parse_observations(HEADER.strip() + ",tiers\n", calzone, source="obs.csv")
    dup = _csv("a,TNF,,includes Survival,c,s,consensus,", "a,TNF,,includes Survival,c,s,context,")
    with pytest.raises(BundleError, match=r"obs\.csv:3: duplicate id 'a' \(first on line 2\)"):
        parse_observations(dup, calzone, source="obs.csv")
    with pytest.raises(BundleError, match="empty observations file"):
        parse_observations("\n", calzone, source="obs.csv")


def test_read_file_errors_use_the_path(calzone: Bundle, tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text(_csv("a,TNF,,includes Nope,c,s,consensus,"), encoding="utf-8")
    with pytest.raises(BundleError, match=rf"{path}:2: unknown fate 'Nope'"):
        read_observations(path, calzone)
    with pytest.raises(BundleError, match="cannot read"):
        read_observations(tmp_path / "missing.csv", calzone)


def test_perturbation_cell_combines_scenarios_and_nodes(calzone: Bundle) -> None:
    text = _csv("a,TNF,ciap_del CASP8%0,only NonACD,c,s,consensus,")
    (obs,) = parse_observations(text, calzone)
    assert str(obs.perturbation) == "CASP8%0 cIAP%0"
    assert obs.line == 2 and obs.consensus


# --- scoring ---------------------------------------------------------------------------------


def test_score_counts_discriminating_consensus_literature_rows(calzone: Bundle) -> None:
    text = _csv(
        "pass,TNF,,includes Survival,c,s,consensus,",
        "fail_known,TNF,,only Survival,c,s,consensus,races",
        "fail_context,TNF,,excludes Apoptosis,c,s,context,",
        "trivial,TNF,NFkB%1,only Survival,c,s,consensus,",
    )
    result = validate(calzone, parse_observations(text, calzone))
    assert [r.passed for r in result.rows] == [True, False, False, True]
    assert [r.by_construction for r in result.rows] == [False, False, False, True]
    assert (result.scored_passed, result.scored_total, result.score) == (1, 2, 0.5)
    assert (result.consensus_passed, result.consensus_total) == (2, 3)
    assert (result.discriminating, result.by_construction) == (3, 1)
    assert result.ok  # the failing consensus row has a known-mismatch reason
    strict = validate(calzone, parse_observations(text.replace(",races", ","), calzone))
    assert not strict.ok
    assert [r.observation.id for r in strict.blocking] == ["fail_known"]


def test_calzone_observations(calzone: Bundle) -> None:
    """The facts Calzone 2010 reproduces (its model files re-simulated) all pass; known mismatches
    fail."""
    result = validate(calzone)
    assert len(result.rows) >= 25
    assert result.ok
    for row in result.rows:
        assert row.passed != bool(row.observation.known_mismatch), row.observation.id


def test_bundle_without_observations(tmp_path: Path) -> None:
    from boolfate.bundle import load_bundle

    bnet = tmp_path / "m.bnet"
    bnet.write_text("a, a\n", encoding="utf-8")
    with pytest.raises(BundleError, match="has no observations.csv"):
        validate(load_bundle(bnet))


# --- CLI -------------------------------------------------------------------------------------


def test_cli_table(runner: CliRunner) -> None:
    res = runner.invoke(main, ["validate", "calzone2010"])
    assert res.exit_code == 0, res.output
    assert "PASS" in res.output and "FAIL*" in res.output
    assert "rows: 32 in" in res.output and "by construction" in res.output
    assert "all consensus rows: 27/28 pass" in res.output
    assert "regression rows (re-simulations of a published model): 30/30 pass" in res.output
    assert "score: 0/1 discriminating consensus literature rows pass (0.0 %)" in res.output


def test_cli_json_flagship(runner: CliRunner) -> None:
    res = runner.invoke(main, ["validate", "tnf_necroptosis", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["score"] >= 0.9 and doc["ok"] is True
    rows = {r["id"]: r for r in doc["observations"]}
    assert len(rows) >= 30
    tsz = rows["tsz_necroptosis"]
    assert {k: tsz[k] for k in ("condition", "perturbation", "expected", "reached", "passed")} == {
        "condition": "TSZ",
        "perturbation": "WT",
        "expected": "only Necroptosis",
        "reached": ["Necroptosis"],
        "passed": True,
    }
    assert rows["tsz_ripk3_loss"]["reached"] == ["Survival"]
    assert tsz["class"] == "discriminating" and rows["tsz_ripk3_loss"]["class"] == "by-construction"
    assert rows["tnf_l929"]["profile"] == "L929_like" and tsz["profile"] is None
    assert doc["discriminating"] + doc["by_construction"] == len(rows)
    assert doc["scored_total"] >= 35


def test_cli_exit_code_on_failed_consensus_row(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "obs.csv"
    path.write_text(_csv("wrong,TNF,,only Survival,c,s,consensus,"), encoding="utf-8")
    res = runner.invoke(main, ["validate", "calzone2010", "--observations", str(path)])
    assert res.exit_code == 1
    assert "FAIL" in res.output and "FAILED: consensus rows" in res.output
    res = runner.invoke(
        main, ["validate", "calzone2010", "--observations", str(path), "--format", "json"]
    )
    assert res.exit_code == 1
    assert json.loads(res.output)["observations"][0]["passed"] is False


def test_cli_bad_row_reports_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "obs.csv"
    path.write_text(
        _csv(
            "a,TNF,,includes Survival,c,s,consensus,",
            "b,TNF,RIPK9%0,includes Survival,c,s,consensus,",
        ),
        encoding="utf-8",
    )
    res = runner.invoke(main, ["validate", "calzone2010", "--observations", str(path)])
    assert res.exit_code == 1
    assert f"{path}:3:" in res.output and "RIPK9" in res.output


def test_dominant_rows_use_simulated_probabilities() -> None:
    """'dominant F' rows: F has the highest probability under MaBoSS semantics (uniform rates).

    Reference: re-simulation of the Calzone 2010 model files (CASP8 KO: S 0.687, N 0.313).
    """
    from boolfate.bundle import load_bundle
    from boolfate.validate import parse_observations, validate

    bundle = load_bundle("calzone2010")
    text = (
        "id,condition,perturbation,expected,citation,system,status,known_mismatch\n"
        "a,TNF,CASP8%0,dominant Survival,Calzone 2010 re-simulation,model,context,\n"
        "b,TNF,CASP8%0,dominant NonACD,Calzone 2010 re-simulation,model,context,\n"
    )
    rows = validate(bundle, parse_observations(text, bundle)).rows
    assert [r.passed for r in rows] == [True, False]
    assert rows[0].probabilities is not None
    assert rows[0].probabilities["Survival"] > 0.6


def test_dominant_takes_one_fate() -> None:
    import pytest

    from boolfate.errors import BundleError
    from boolfate.validate import parse_expected

    with pytest.raises(BundleError, match="exactly one fate"):
        parse_expected("dominant Survival+Apoptosis")


# --- by construction vs discriminating; tiers and profiles -----------------------------------


def _classifier_toy() -> Bundle:
    from boolfate.bnet import parse_bnet
    from boolfate.bundle import bundle_from_toml

    net = parse_bnet("s, s\nk, k\nx, s & k\nz, z\ny, !x & z\np, !q\nq, !p")
    data = {
        "fates": {"X": "x", "Y": "y", "P": "p"},
        "default_fate": "None",
        "initial_state": {"on": ["k"]},
        "conditions": {"on": "s%1", "off": "s%0"},
        "profiles": {"plain": "z%0", "primed": "z%1"},
        "default_profile": "plain",
    }
    return bundle_from_toml(net, data, src="toy.toml", name="toy", path=None)


def test_by_construction_classes_on_a_toy_bundle() -> None:
    """Exact classes: constants, forced values and nodes frozen at their initial value decide
    the first four rows; the p/q toggle is left to the dynamics."""
    toy = _classifier_toy()
    text = _csv(
        "x_on,on,,includes X,c,s,consensus,",  # x = s & k: s fixed, k frozen at 1
        "x_ko,on,k%0,includes X,c,s,consensus,",  # x forced to 0: decided, and fails
        "y_on,on,,excludes Y,c,s,consensus,",  # y = !x & z with x = 1
        "y_off,off,,excludes Y,c,s,consensus,",  # x = 0 but z fixed to 0 by the profile
        "p_on,on,,includes P,c,s,consensus,",  # the toggle decides: discriminating
        "only,on,,only X+P,c,s,consensus,",  # needs every rule: P is open
    )
    result = validate(toy, parse_observations(text, toy))
    assert [r.by_construction for r in result.rows] == [True, True, True, True, False, False]
    assert [r.passed for r in result.rows] == [True, False, True, True, True, True]
    assert result.rows[-1].reached == ("X", "X+P")  # p=1 (X+P) or q=1 (X only)
    assert [r.row_class for r in result.rows][-1] == "discriminating"


def test_profile_and_tier_columns() -> None:
    toy = _classifier_toy()
    text = (
        "id,condition,profile,perturbation,expected,citation,system,status,tier,known_mismatch\n"
        "plain,off,,,excludes Y,c,s,consensus,literature,\n"
        "primed,off,primed,,includes Y,c,s,consensus,regression,\n"
    )
    rows = parse_observations(text, toy, source="o.csv")
    assert [(r.profile, r.tier) for r in rows] == [("", "literature"), ("primed", "regression")]
    result = validate(toy, rows)
    assert [r.passed for r in result.rows] == [True, True]
    assert (result.regression_passed, result.regression_total) == (1, 1)
    assert result.scored_total == 0  # the literature row is decided by construction
    bad_profile = text.replace(",primed,,", ",primd,,")
    with pytest.raises(BundleError, match=r"o\.csv:3: unknown profile 'primd'; did you mean"):
        parse_observations(bad_profile, toy, source="o.csv")
    bad_tier = text.replace("regression", "simulation")
    with pytest.raises(BundleError, match=r"o\.csv:3: tier 'simulation' must be"):
        parse_observations(bad_tier, toy, source="o.csv")
