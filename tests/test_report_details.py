"""The smaller report, table, plot and wording fixes: one test each."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from boolfate import diagrams
from boolfate.bnet import parse_bnet
from boolfate.bundle import Bundle, bundle_from_toml, load_bundle
from boolfate.cli import main
from boolfate.cli.screen import _aligned
from boolfate.engines import Limits, attractors
from boolfate.errors import EngineLimitError
from boolfate.maboss import MabossError, parse_maboss
from boolfate.palette import fate_colour, text_colour
from boolfate.perturbations import Perturbation
from boolfate.plots import figure_bytes, screen_heatmap, timecourse_figure
from boolfate.publish import GRAPHVIZ_MISSING, report_outputs
from boolfate.reports import (
    DETAIL_ROWS,
    STATIC_ROWS,
    screen_html,
    screen_markdown,
    summary_lines,
    synergy_text,
)
from boolfate.runner import run_to_directory
from boolfate.screens import ScreenRow, run_screen, screen_items, sorted_rows
from boolfate.simulate import simulate_bundle

REPO = Path(__file__).resolve().parents[1]
BND = REPO / "tests" / "data" / "calzone2010_maboss2012_CellFateModel.bnd"


def _toy() -> Bundle:
    net = parse_bnet("s, s\nk, 1\nz, 0\na, s & !b & k\nb, !a | z\ndead, a\nalive, b")
    data = {
        "fates": {"Death": "dead", "Life": "alive"},
        "conditions": {"on": "s%1", "off": "s%0"},
        "scenarios": {"both": {"perturbation": "a%0 b%0"}},
    }
    return bundle_from_toml(net, data, src="toy", name="toy", path=None)


def _rows(bundle: Bundle, *, scenarios: bool = False, singles: bool = False) -> list[ScreenRow]:
    items = screen_items(bundle, scenarios=scenarios, singles=singles)
    conds = list(bundle.conditions)
    return sorted_rows(run_screen(bundle, items, conds), items, conds)


def test_singles_skip_fixing_a_constant_to_its_own_value() -> None:
    labels = {i.perturbation.label() for i in screen_items(_toy(), singles=True)}
    assert {"k%0", "z%1", "a%0", "a%1"} <= labels
    assert "k%1" not in labels and "z%0" not in labels
    flagship = {
        i.perturbation.label() for i in screen_items(load_bundle("tnf_necroptosis"), singles=True)
    }
    assert "NEMO%0" in flagship and "NEMO%1" not in flagship


def test_synergy_wording_counts_and_kinds() -> None:
    row = _rows(_toy(), singles=True)[1]
    assert synergy_text([row]) == ""
    pair = replace(row, kind="pair", interaction="synergy")
    assert synergy_text([pair]) == "1 synergistic pair"
    assert synergy_text([pair, pair]) == "2 synergistic pairs"
    scen = replace(row, kind="scenario", interaction="synergy")
    assert synergy_text([scen]) == "1 synergistic two-node scenario"
    assert not any("pairs" in s for s in summary_lines([row, scen]))


def test_plural_attractor_counts() -> None:
    rows = _rows(_toy(), singles=True)
    md = screen_markdown(rows, {"model": "toy"})
    assert "(1 attractors)" not in md and "(1 attractor)" in md
    page = screen_html(rows, {"model": "toy"})
    assert "(1 attractors)" not in page


def test_stdout_columns_never_run_together() -> None:
    long = "casp8_casp3_ko, caspase_inhibition (CASP3%0 CASP8%0)"
    lines = _aligned(
        [("TNF", long, "Survival, NonACD"), ("TNF", "x (A%0)", "Apoptosis")], ["a", "b"]
    )
    assert lines[0].index("Survival") == lines[1].index("Apoptosis")
    assert f"{long} " in lines[0]


def test_landscape_header_does_not_call_inner_nodes_read_outs() -> None:
    net = parse_bnet("a, !b\nb, !a\nr, a & !b\nq, r")
    src = diagrams.landscape_diagram(net, initial={"a": 0, "b": 0, "r": 1, "q": 0}).source
    assert "read-outs left out" not in src
    assert "left out as downstream-only (no node outside them reads them" in src and "r, q" in src


def test_simulate_table_prints_the_time_course(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["simulate", "calzone2010", "-c", "TNF", "-n", "200", "--max-time", "20"]
    )
    assert result.exit_code == 0, result.output
    assert "time course (mean probability per 1-wide window):" in result.output
    times = re.findall(r"^\s+(\d+)\s+[01]\.\d{4}", result.output, flags=re.M)
    assert times[0] == "0" and times[-1] == "19" and len(times) >= 5


def test_unknown_param_names_the_known_ones(runner: CliRunner) -> None:
    with pytest.raises(MabossError, match=r"unknown parameter '\$Nope'.*\$TransRate"):
        parse_maboss(BND.read_text(), BND.with_suffix(".cfg").read_text(), parameters={"Nope": 1})
    result = runner.invoke(main, ["simulate", str(BND), "--param", "TransRat=1", "-n", "10"])
    assert result.exit_code == 1
    assert "did you mean 'TransRate'" in result.output and "$CASP8_del" in result.output
    assert "Traceback" not in result.output


def test_repeated_plot_writes_each_file_and_compare_overlays(
    runner: CliRunner, tmp_path: Path
) -> None:
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    args = ["simulate", "calzone2010", "-c", "TNF", "-n", "200", "--max-time", "10"]
    args += ["--compare", "CASP8%0", "--plot", str(png), "--plot", str(svg), "--format", "csv"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:4] == b"\x89PNG" and b"<svg" in svg.read_bytes()
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["perturbation"] for r in table} == {"WT", "CASP8%0"}
    # one colour per fate, shared by both runs (line style tells the runs apart)
    text = svg.read_text()
    assert fate_colour("Apoptosis").lower() in text.lower()
    bad = runner.invoke(main, ["simulate", "calzone2010", "--plot", str(tmp_path / "f.jpg")])
    assert bad.exit_code == 2 and ".png, .svg, .pdf" in bad.output


def test_cli_limit_errors_name_cli_options(runner: CliRunner) -> None:
    net = parse_bnet("a, !a | b\nb, !b | c\nc, !c | a")
    with pytest.raises(EngineLimitError, match="--max-states"):
        attractors(net, engine="stg", limits=Limits(max_states=4))
    result = runner.invoke(
        main,
        ["attractors", "calzone2010", "-c", "TNF", "--engine", "stg", "--max-states", "8"],
    )
    assert result.exit_code == 1 and "--max-states" in result.output
    assert "raise Limits." not in result.output


def test_no_internal_documents_cited_in_user_facing_text() -> None:
    pattern = re.compile(r"\bBRIEF\b|ARCHITECTURE\.md|EXEMPLARS|HABITS\.md|PEERS\.md")
    files = [REPO / "README.md", *(REPO / "boolfate").rglob("*.py")]
    files += [p for p in (REPO / "networks").rglob("*") if p.is_file() and p.suffix != ".pyc"]
    hits = [
        f"{p.relative_to(REPO)}:{i}"
        for p in files
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert hits == []


def test_info_initial_state_line(runner: CliRunner, tmp_path: Path) -> None:
    model = tmp_path / "toy.bnet"
    model.write_text("a, !b\nb, !a\n")
    result = runner.invoke(main, ["info", str(model)])
    assert result.exit_code == 0 and "initial state: all nodes 0\n" in result.output
    assert (
        "initial state: ATP cIAP FADD = 1, others 0"
        in runner.invoke(main, ["info", "calzone2010"]).output
    )


def test_one_palette_in_report_heatmap_and_simulate_plot() -> None:
    bundle = load_bundle("calzone2010")
    rows = _rows(bundle, scenarios=True)
    page = screen_html(rows, {"model": "calzone2010"})
    heat = figure_bytes(screen_heatmap(rows), "svg").decode().lower()
    res = simulate_bundle(bundle, condition="TNF", trajectories=100, max_time=5, seed=1)
    plot = figure_bytes(timecourse_figure([("WT", res)]), "svg").decode().lower()
    for fate in ("Survival", "Apoptosis", "NonACD"):
        colour = fate_colour(fate)
        assert f"background:{colour}" in page
        assert colour.lower() in heat and colour.lower() in plot
    # stable per name across models, readable text on every chip
    assert fate_colour("Apoptosis") == fate_colour("oscillating:Apoptosis")
    assert {text_colour(fate_colour(f)) for f in ("Survival", "Apoptosis")} <= {
        "#000000",
        "#ffffff",
    }


def test_report_says_when_graphviz_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diagrams, "have_dot", lambda: False)
    warnings: list[str] = []
    bundle = _toy()
    rows = _rows(bundle, singles=True)
    files = dict(report_outputs(bundle, rows, {"model": "toy"}, warn=warnings.append))
    page = files["report.html"]()
    assert isinstance(page, str)
    assert "apt-get install graphviz" in page and "<svg" not in page.split("Fate heatmap")[1]
    assert warnings == [GRAPHVIZ_MISSING]


def test_cli_prints_one_graphviz_warning_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(diagrams, "have_dot", lambda: False)
    bundle = _toy()
    stream = io.StringIO()
    run_to_directory(bundle, screen_items(bundle, singles=True), ["on"], tmp_path, progress=stream)
    lines = [line for line in stream.getvalue().splitlines() if "Graphviz" in line]
    assert lines == [f"screen: {GRAPHVIZ_MISSING}"]


def test_large_screen_html_stays_compact() -> None:
    base = _rows(_toy(), singles=True)
    rows = [base[0]] + [
        replace(base[1 + i % (len(base) - 1)], perturbation=Perturbation.from_mapping({f"n{i}": 0}))
        for i in range(DETAIL_ROWS + 100)
    ]
    page = screen_html(rows, {"model": "big"})
    data = json.loads(page.split('id="screen-data">')[1].split("</script>")[0])
    assert len(data["rows"]) == len(rows)
    assert page.count("<details><summary><code>") == 0  # no per-row static details
    assert page.split('id="matrix-body">')[1].split("</tbody>")[0].count("<tr>") == STATIC_ROWS
    assert len(page) < 400 * len(rows)
    assert "percolation trace" not in json.dumps(data["details"])


def test_runner_writes_every_file_with_tidy_csv(tmp_path: Path) -> None:
    bundle = _toy()
    items = screen_items(bundle, scenarios=True, singles=True)
    run = run_to_directory(bundle, items, list(bundle.conditions), tmp_path)
    names = {"results.csv", "traces.jsonl", "results.json", "report.md", "report.html"}
    names |= {"heatmap.png", "heatmap.svg"}
    assert names <= {p.name for p in tmp_path.iterdir()}
    assert names <= set(run.written)
    with (tmp_path / "results.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert table[0]["perturbation"] == "WT" and {"fate_Death", "fate_Life"} <= set(table[0])
    traces = (tmp_path / "traces.jsonl").read_text().splitlines()
    assert len(traces) == len(table) == len(run.rows)
    assert 'src="data:image/png;base64,' in (tmp_path / "report.html").read_text()
