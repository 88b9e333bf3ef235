"""Command-line behaviour: results on stdout only, exit codes 0/1/2, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from boolfate.cli import main


def test_attractors_json_is_clean_stdout(runner: CliRunner) -> None:
    result = runner.invoke(main, ["attractors", "calzone2010", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert sorted(a["fate"] for a in doc["attractors"]) == ["Apoptosis", "NonACD", "Survival"]
    for entry in doc["attractors"]:
        assert set(entry) >= {"fate", "fixed", "oscillating", "states"}
        assert entry["states"] == 1 and entry["oscillating"] == []


def test_stdout_clean_in_a_real_process() -> None:
    """AEON and pyboolnet print from native code / at import: nothing may reach stdout."""
    for engine_args in (["--update", "async"], ["--update", "mp", "--engine", "pyboolnet"]):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "boolfate",
                "attractors",
                "calzone2010",
                "--all",
                "--format",
                "json",
                *engine_args,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert len(json.loads(out.stdout)["attractors"]) == 3


def test_perturbation_and_scenario(runner: CliRunner) -> None:
    result = runner.invoke(main, ["attractors", "calzone2010", "-p", "CASP8%0", "--format", "json"])
    assert json.loads(result.output)["fates"] == ["Survival", "NonACD"]
    result = runner.invoke(
        main, ["attractors", "calzone2010", "--scenario", "tnf_blockade", "--format", "json"]
    )
    assert json.loads(result.output)["fates"] == ["Naive"]


def test_table_and_csv(runner: CliRunner) -> None:
    table = runner.invoke(main, ["attractors", "calzone2010", "-c", "FASL"])
    assert "fates: Survival, Apoptosis, NonACD" in table.output
    csv_out = runner.invoke(
        main, ["attractors", "calzone2010", "--update", "sync", "--format", "csv"]
    )
    assert csv_out.output.splitlines()[0].startswith("attractor,fate,states,exact,TNF")


def test_mp_with_reachable_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["attractors", "calzone2010", "--update", "mp", "--reachable"])
    assert result.exit_code == 2
    assert "most-permissive reachability" in result.output


def test_bad_perturbation_syntax_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(main, ["attractors", "calzone2010", "--perturb", "CASP8=0"])
    assert result.exit_code == 2
    assert "Try 'boolfate attractors --help'" in result.output


def test_unknown_node_exit_1_with_suggestion(runner: CliRunner) -> None:
    result = runner.invoke(main, ["attractors", "calzone2010", "--perturb", "CASP9%0"])
    assert result.exit_code == 1
    assert "did you mean 'CASP8' or 'CASP3'?" in result.output
    assert "Traceback" not in result.output


def test_unknown_model_and_condition(runner: CliRunner) -> None:
    result = runner.invoke(main, ["attractors", "calzone201"])
    assert result.exit_code == 1 and "did you mean 'calzone2010'?" in result.output
    result = runner.invoke(main, ["attractors", "calzone2010", "-c", "TFN"])
    assert result.exit_code == 1 and "did you mean 'TNF'?" in result.output


def test_bare_bnet_with_fates_file(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "toggle.bnet").write_text("a, !b\nb, !a\n")
    (tmp_path / "fates.toml").write_text('[fates]\nA = "a"\nB = "b"\n')
    result = runner.invoke(
        main,
        [
            "attractors",
            str(tmp_path / "toggle.bnet"),
            "--fates",
            str(tmp_path / "fates.toml"),
            "--all",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(result.output)["fates"]) == ["A", "B"]


def test_syntax_error_in_model_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.bnet"
    path.write_text("a, !b\nb, a &\n")
    result = runner.invoke(main, ["attractors", str(path)])
    assert result.exit_code == 1
    assert "bad.bnet:2:7" in result.output


def test_engine_limit_exit_1(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["attractors", "calzone2010", "--update", "sync", "--all", "--max-nodes", "10"]
    )
    assert result.exit_code == 1
    assert "max_nodes=10" in result.output and "--max-nodes" in result.output


def test_info(runner: CliRunner) -> None:
    result = runner.invoke(main, ["info", "calzone2010", "--format", "json"])
    doc = json.loads(result.output)
    assert doc["inputs"] == ["TNF", "FASL", "FADD"]
    assert doc["fates"] == {"Survival": "NFkB", "Apoptosis": "CASP3", "NonACD": "!ATP"}
    assert "TNF" in doc["conditions"] and "casp8_ko" in doc["scenarios"]
    listing = runner.invoke(main, ["info", "--list"])
    assert "calzone2010" in listing.output


def test_perturb_takes_scenario_names(runner: CliRunner) -> None:
    """``--perturb`` has the resolver's grammar: a scenario name equals its node values."""
    by_name = runner.invoke(main, ["attractors", "calzone2010", "-c", "TNF", "-p", "casp8_ko"])
    by_nodes = runner.invoke(main, ["attractors", "calzone2010", "-c", "TNF", "-p", "CASP8%0"])
    assert by_name.exit_code == 0, by_name.output
    assert by_name.output == by_nodes.output
    mixed = runner.invoke(
        main,
        ["attractors", "calzone2010", "-c", "TNF", "-p", "casp8_ko RIP1%0", "--format", "json"],
    )
    assert mixed.exit_code == 0, mixed.output
    assert json.loads(mixed.output)["perturbation"] == "CASP8%0 RIP1%0"
    typo = runner.invoke(main, ["attractors", "calzone2010", "-p", "casp8_k"])
    assert typo.exit_code == 1 and "unknown scenario 'casp8_k'" in typo.output
    assert "did you mean 'casp8_ko'" in typo.output


def test_fates_option_read_before_model_wherever_it_stands(
    runner: CliRunner, tmp_path: Path
) -> None:
    """MODEL is loaded by its parameter type, with --fates given after or before it."""
    (tmp_path / "m.bnet").write_text("a, a\nb, !a\n")
    (tmp_path / "f.toml").write_text('[fates]\nOn = "a"\nOff = "b"\n')
    after = runner.invoke(
        main, ["attractors", str(tmp_path / "m.bnet"), "--fates", str(tmp_path / "f.toml")]
    )
    before = runner.invoke(
        main, ["attractors", "--fates", str(tmp_path / "f.toml"), str(tmp_path / "m.bnet")]
    )
    assert after.exit_code == 0, after.output
    assert after.output == before.output
    assert "On" in after.output and "Off" in after.output


def test_condition_value_syntax_is_a_usage_error(runner: CliRunner) -> None:
    """``-c`` input values are checked when parsed (exit 2); names are resolved by the bundle."""
    bad = runner.invoke(main, ["attractors", "calzone2010", "-c", "TNF%2"])
    assert bad.exit_code == 2
    assert "expected NODE%0 or NODE%1, got 'TNF%2'" in bad.output
    adhoc = runner.invoke(main, ["attractors", "calzone2010", "-c", "TNF%1 FASL%0"])
    assert adhoc.exit_code == 0, adhoc.output
