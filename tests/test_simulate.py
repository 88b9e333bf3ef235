"""Stochastic simulation (MaBoSS semantics): BRIEF §1.6a numbers, rates, reproducibility, CLI.

Tolerances come from standard errors: ``|p - p_ref| <= 4 * sqrt(se^2 + se_ref^2)`` where the
reference values were estimated from 20 000 trajectories (BRIEF §1.6a), so ``se_ref`` is
``sqrt(p_ref (1 - p_ref) / 20000)``. Values 0 and 1 are exact (no trajectory can reach the fate,
or every one must).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from boolfate.bnet import parse_bnet
from boolfate.bundle import Bundle, bundle_from_toml
from boolfate.cli import main
from boolfate.errors import BoolfateError, BundleError
from boolfate.expr import parse_expr
from boolfate.fates import FateScheme
from boolfate.perturbations import Perturbation
from boolfate.simulate import (
    NodeRates,
    SimulationResult,
    default_rates,
    rates_from_toml,
    simulate,
    simulate_bundle,
)

N = 10_000
REF_N = 20_000
FATES = ("Survival", "Apoptosis", "NonACD")

# BRIEF §1.6a column (a): uniform rates, TNF initial state ATP = cIAP = FADD = TNF = 1.
CALZONE_TNF = {
    "": (0.204, 0.517, 0.279),
    "CASP8%0": (0.687, 0.0, 0.313),
    "RIP1%0": (0.0, 1.0, 0.0),
    "NFkB%1": (1.0, 0.0, 0.0),
    "cIAP%0": (0.0, 0.506, 0.494),
}


def assert_close(result: SimulationResult, expected: tuple[float, ...], ref_n: int = REF_N) -> None:
    """Each fate within 4 combined standard errors; exact for reference values 0 and 1."""
    for fate, ref in zip(FATES, expected, strict=True):
        p = result.final[fate]
        if ref in (0.0, 1.0):
            assert p == ref, (fate, p, ref)
            continue
        se = math.sqrt(result.final_se[fate] ** 2 + ref * (1 - ref) / ref_n)
        assert abs(p - ref) <= 4 * se, (fate, p, ref, se)


@pytest.mark.parametrize("perturbation", list(CALZONE_TNF), ids=lambda p: p or "WT")
def test_calzone_tnf_probabilities(calzone: Bundle, perturbation: str) -> None:
    result = simulate_bundle(
        calzone,
        condition="TNF",
        perturbation=Perturbation.parse(perturbation),
        trajectories=N,
        seed=11,
    )
    assert_close(result, CALZONE_TNF[perturbation])
    assert result.final["Naive"] == 0.0
    assert math.isclose(sum(result.final.values()), 1.0)


def test_same_seed_same_result_and_jobs(calzone: Bundle) -> None:
    a = simulate_bundle(calzone, condition="TNF", trajectories=2000, seed=5)
    b = simulate_bundle(calzone, condition="TNF", trajectories=2000, seed=5)
    assert a.final == b.final and a.final_states == b.final_states
    assert np.array_equal(a.timecourse, b.timecourse)
    c = simulate_bundle(calzone, condition="TNF", trajectories=4000, seed=5, jobs=2)
    assert c.trajectories == 4000
    assert_close(c, CALZONE_TNF[""])


def test_timecourse_is_a_distribution_and_ends_at_final(calzone: Bundle) -> None:
    result = simulate_bundle(calzone, condition="TNF", trajectories=3000, seed=2, time_tick=0.5)
    assert result.timecourse.shape == (200, len(result.fates))
    assert np.allclose(result.timecourse.sum(axis=1), 1.0)
    assert result.timecourse[0, result.fates.index("Naive")] > 0.99  # nothing decided at t = 0
    # every trajectory has settled long before t = 100: last window = final state
    for j, fate in enumerate(result.fates):
        assert result.timecourse[-1, j] == pytest.approx(result.final[fate], abs=1e-9)
    se = result.timecourse_se
    assert se.shape == result.timecourse.shape and (se >= 0).all()


def test_time_average_of_a_single_decay() -> None:
    """x starts at 1 and decays at rate 1: P(x = 1) averaged over [0, 1] is 1 - e^-1 ~ 0.632."""
    net = parse_bnet("x, 0")
    scheme = FateScheme.from_mapping({"on": "x"}, net, default="off")
    result = simulate(
        net, fates=scheme, initial={"x": 1}, trajectories=20_000, max_time=3, time_tick=1, seed=4
    )
    on = result.timecourse[:, 0]
    expected = [1 - math.exp(-1), math.exp(-1) - math.exp(-2), math.exp(-2) - math.exp(-3)]
    for got, want in zip(on, expected, strict=True):
        assert abs(got - want) < 0.02
    assert abs(result.final["on"] - math.exp(-3)) < 4 * math.sqrt(0.05 * 0.95 / 20_000)


def test_rates_change_the_race() -> None:
    """a and b race; b up at rate 3 wins 3/4 of the time."""
    net = parse_bnet("a, !b\nb, !a")
    scheme = FateScheme.from_mapping({"A": "a", "B": "b"}, net, default="none")
    rates = default_rates(net, overrides={"b": (3.0, 1.0)})
    result = simulate(net, fates=scheme, initial={}, rates=rates, trajectories=N, seed=1)
    se = math.sqrt(0.75 * 0.25 / N)
    assert abs(result.final["B"] - 0.75) < 4 * se


def test_state_dependent_rate_terms() -> None:
    """Up rate 0 unless s is on: with s fixed off, x never rises."""
    net = parse_bnet("s, s\nx, x")
    scheme = FateScheme.from_mapping({"X": "x"}, net, default="none")
    rates = {"x": NodeRates(up=((parse_expr("s"), 2.0),), down=())}
    off = simulate(net, fates=scheme, initial={}, rates=rates, trajectories=500, seed=1)
    assert off.final["X"] == 0.0
    on = simulate(net, fates=scheme, initial={"s": 1}, rates=rates, trajectories=500, seed=1)
    assert on.final["X"] == 1.0
    fixed = simulate(
        net,
        fates=scheme,
        initial={"s": 1},
        rates=rates,
        trajectories=500,
        seed=1,
        perturbation=Perturbation.parse("x%0"),
    )
    assert fixed.final["X"] == 0.0


def test_initial_probabilities() -> None:
    net = parse_bnet("x, x")
    scheme = FateScheme.from_mapping({"X": "x"}, net, default="none")
    result = simulate(net, fates=scheme, initial={"x": 0.3}, trajectories=N, seed=8)
    assert abs(result.final["X"] - 0.3) < 4 * math.sqrt(0.21 / N)


def test_rates_from_toml_table(calzone: Bundle) -> None:
    net = calzone.network
    rates = rates_from_toml(net, {"rates": {"cIAP": {"up": 0.1}, "default": {"down": 2}}})
    assert rates["cIAP"].standard() == (net.functions["cIAP"], 0.1, 2.0)
    assert rates["NFkB"].standard() == (net.functions["NFkB"], 1.0, 2.0)
    with pytest.raises(BundleError, match="did you mean 'cIAP'"):
        rates_from_toml(net, {"rates": {"cIAPP": {"up": 0.1}}})
    with pytest.raises(BundleError, match="non-negative"):
        rates_from_toml(net, {"rates": {"cIAP": {"up": -1}}})


def test_bundle_rates_slow_transcription(calzone: Bundle) -> None:
    """[rates] at 0.1 for NF-kB targets (the MaBoSS 2012 setting) cuts survival (BRIEF §1.6)."""
    raw = dict(calzone.raw)
    raw["rates"] = {n: {"up": 0.1} for n in ("cIAP", "XIAP", "cFLIP", "BCL2", "ROS")}
    slow = bundle_from_toml(calzone.network, raw, src="test", name="slow", path=None)
    result = simulate_bundle(slow, condition="TNF", trajectories=N, seed=3)
    assert result.final["Survival"] < 0.1 and result.final["Apoptosis"] > 0.8


def test_bad_arguments(calzone: Bundle) -> None:
    with pytest.raises(BoolfateError, match="jobs"):
        simulate_bundle(calzone, trajectories=10, jobs=0)
    with pytest.raises(BoolfateError, match="unknown node"):
        simulate(calzone.network, fates=calzone.fates, initial={"CASP9": 1}, trajectories=10)


def test_cli_json_csv_table(runner: CliRunner) -> None:
    res = runner.invoke(
        main,
        [
            "simulate",
            "calzone2010",
            "-c",
            "TNF",
            "-p",
            "CASP8%0",
            "-n",
            "2000",
            "--max-time",
            "50",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert set(doc["final"]) == {"Survival", "Apoptosis", "NonACD", "Naive"}
    assert doc["final"]["Apoptosis"] == 0.0
    assert len(doc["timecourse"]["time"]) == 50 == len(doc["timecourse"]["Survival"])
    res = runner.invoke(
        main, ["simulate", "calzone2010", "--scenario", "rip1_ko", "-n", "500", "--format", "csv"]
    )
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0] == "time,Survival,Apoptosis,NonACD,Naive"
    res = runner.invoke(main, ["simulate", "calzone2010", "-n", "500"])
    assert res.exit_code == 0 and "probability" in res.output and "std.err" in res.output


def test_cli_plot(runner: CliRunner, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "fates.png"
    res = runner.invoke(main, ["simulate", "calzone2010", "-n", "500", "--plot", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_cli_plot_without_matplotlib(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    res = runner.invoke(
        main, ["simulate", "calzone2010", "-n", "50", "--plot", str(tmp_path / "x.svg")]
    )
    assert res.exit_code == 1
    assert "pip install matplotlib" in res.output
