"""Diagrams: DOT source of the network, fate map and landscape diagrams; rendering; the CLI."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import boolfate
from boolfate.attractor import Attractor
from boolfate.bnet import parse_bnet
from boolfate.bundle import load_bundle
from boolfate.cli import main
from boolfate.diagrams import (
    GraphvizNotFoundError,
    commitment_landscape,
    fate_map_diagram,
    landscape_diagram,
    network_diagram,
    render,
    to_svg,
)
from boolfate.errors import BoolfateError, EngineLimitError
from boolfate.model import Network
from boolfate.perturbations import Perturbation

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' not installed")


@pytest.fixture(scope="module")
def calzone():  # type: ignore[no-untyped-def]
    return load_bundle("calzone2010")


def edge_line(source: str, reg: str, target: str) -> str:
    lines = [ln.strip() for ln in source.splitlines() if ln.strip().startswith(f"{reg} -> ")]
    found = [ln for ln in lines if re.match(rf"{re.escape(reg)} -> {re.escape(target)} \[", ln)]
    assert len(found) == 1, (reg, target, lines)
    return found[0]


def node_line(source: str, node: str) -> str:
    found = [ln.strip() for ln in source.splitlines() if ln.strip().startswith(f"{node} [")]
    assert len(found) == 1, node
    return found[0]


def test_calzone_edge_signs(calzone) -> None:  # type: ignore[no-untyped-def]
    src = network_diagram(calzone).source
    assert "arrowhead=tee" in edge_line(src, "XIAP", "CASP3")
    assert "arrowhead=normal" in edge_line(src, "CASP8", "BAX")
    assert "arrowhead=tee" in edge_line(src, "cFLIP", "CASP8")
    assert "TNF -> TNF [" not in src  # input self-loops are omitted
    assert "cIAP -> cIAP" in src  # real self-loops are kept


def test_dual_sign_edge() -> None:
    src = network_diagram(parse_bnet("a, a\nb, b\nc, a & !b | !a & b")).source
    line = edge_line(src, "a", "c")
    assert "arrowhead=odiamond" in line and "style=dashed" in line


def test_node_kinds_and_clusters(calzone) -> None:  # type: ignore[no-untyped-def]
    src = network_diagram(calzone).source
    assert "shape=invhouse" in node_line(src, "TNF")
    assert "shape=hexagon" in node_line(src, "Apoptosis")  # output
    assert "[Survival]" in node_line(src, "NFkB") and "hexagon" in node_line(src, "NFkB")
    assert "shape=ellipse" in node_line(src, "BAX")
    for module in calzone.modules:
        assert f"subgraph cluster_{module} {{" in src
    block = src.split("subgraph cluster_apoptosis {")[1].split("}")[0]
    assert "CASP3 [" in block and "NFkB [" not in block


def test_overlays(calzone) -> None:  # type: ignore[no-untyped-def]
    pert = Perturbation.parse("CASP8%0 BCL2%1")
    src = network_diagram(calzone, perturbation=pert, condition="TNF").source
    ko, oe = node_line(src, "CASP8"), node_line(src, "BCL2")
    assert "KO" in ko and "penwidth=3" in ko and "bold" in ko
    assert "OE" in oe and "peripheries=2" in oe
    assert "KO" not in oe and "OE" not in ko
    assert "style=dotted" in edge_line(src, "CASP8", "BAX")  # the cut
    assert "TNF=1" in node_line(src, "TNF") and "FASL=0" in node_line(src, "FASL")
    assert "condition TNF" in src and "perturbation BCL2%1 CASP8%0" in src


def test_attractor_overlay(calzone) -> None:  # type: ignore[no-untyped-def]
    result = boolfate.attractors(
        calzone, condition="TNF", perturbation=Perturbation.parse("CASP8%0")
    )
    survival = next(a for a in result.attractors if a.fate == "Survival")
    src = network_diagram(calzone, condition="TNF", attractor=survival).source
    assert 'fillcolor="#4d4d4d"' in node_line(src, "NFkB")  # on
    assert "fillcolor" not in node_line(src, "CASP3")  # off: default white
    assert "fate Survival" in src


def test_oscillating_overlay() -> None:
    net = parse_bnet("x, !x\ny, y")
    (osc, *_) = [a for a in analyze_net(net) if a.oscillating]
    assert "x ~" in network_diagram(net, attractor=osc).source


def analyze_net(net: Network) -> tuple[Attractor, ...]:
    from boolfate.engines import attractors

    return attractors(net)


def test_deterministic(calzone) -> None:  # type: ignore[no-untyped-def]
    pert = Perturbation.parse("CASP8%0")
    one = network_diagram(calzone, perturbation=pert, condition="TNF").source
    two = network_diagram(load_bundle("calzone2010"), perturbation=pert, condition="TNF").source
    assert one == two
    order = [ln.split(" [")[0].strip() for ln in one.splitlines() if "->" in ln]
    pos = calzone.network.index
    keys = [(pos[e.split(" -> ")[0]], pos[e.split(" -> ")[1]]) for e in order]
    assert keys == sorted(keys)


RESULTS = {
    "fates": ["Survival", "Apoptosis", "NonACD", "Naive"],
    "rows": [
        {
            "perturbation": "",
            "condition": "TNF",
            "reachable_fates": ["Survival", "Apoptosis", "NonACD"],
        },
        {"perturbation": "CASP8%0", "condition": "TNF", "reachable_fates": ["Survival", "NonACD"]},
        {"perturbation": "CASP3%0", "condition": "TNF", "reachable_fates": ["NonACD", "Survival"]},
        {"perturbation": "RIP1%0", "condition": "TNF", "reachable_fates": ["Apoptosis"]},
        {"perturbation": "", "condition": "none", "reachable_fates": ["Naive"]},
        {"perturbation": "RIP1%0", "condition": "none", "reachable_fates": ["Naive"]},
    ],
}


def test_fate_map() -> None:
    src = fate_map_diagram(RESULTS).source
    assert src == fate_map_diagram(json.loads(json.dumps(RESULTS))).source
    assert "condition\\nTNF" in src and "condition\\nnone" in src
    group = [ln for ln in src.splitlines() if "CASP8%0" in ln]
    assert len(group) == 1 and "CASP3%0" in group[0]  # same fate set, one group
    assert "Survival + NonACD" in group[0] and "-Apoptosis vs WT" in group[0]
    wt = [ln for ln in src.splitlines() if "<B>WT</B>" in ln]
    assert len(wt) == 2 and all("peripheries=2" in ln for ln in wt)


def test_fate_map_rejects_other_json() -> None:
    with pytest.raises(BoolfateError, match="'rows'"):
        fate_map_diagram({"attractors": []})
    with pytest.raises(BoolfateError, match="reachable_fates"):
        fate_map_diagram({"rows": [{"perturbation": ""}]})


TOGGLE = "a, !b\nb, !a"


def test_landscape_toggle() -> None:
    land = commitment_landscape(parse_bnet(TOGGLE), {"a": 0, "b": 0})
    assert land.states == 3 and len(land.attractors) == 2
    assert land.classes == (frozenset({0, 1}), frozenset({0}), frozenset({1}))
    assert land.sizes == (1, 1, 1) and land.initial_class == 0
    assert land.transitions == {(0, 1): 1, (0, 2): 1}
    src = landscape_diagram(parse_bnet(TOGGLE), initial={"a": 0, "b": 0}).source
    assert "initial state's group\\ncan reach #1, #2" in src
    assert src.count("committed to") == 2


def test_landscape_readouts_are_left_out_but_attractors_exact() -> None:
    net = parse_bnet("a, !b\nb, !a\nr, a & !b\nq, r")
    land = commitment_landscape(net, {"a": 0, "b": 0, "r": 1, "q": 0})
    assert land.readouts == ("r", "q") and land.states == 3
    assert {a.describe() for a in land.attractors} == {"a=0 b=1 r=0 q=0", "a=1 b=0 r=1 q=1"}


def test_landscape_calzone_matches_analysis(calzone) -> None:  # type: ignore[no-untyped-def]
    pert = Perturbation.parse("CASP8%0 CASP3%0")
    src = landscape_diagram(calzone, "TNF", pert).source
    found = boolfate.attractors(calzone, condition="TNF", perturbation=pert).attractors
    for i, item in enumerate(found):  # numbered as 'boolfate attractors' lists them
        assert f"attractor #{i + 1} {item.fate}" in src
    assert "can reach #1 NonACD, #2 Survival" in src


def test_landscape_refusal(calzone) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EngineLimitError, match=r"max_states=50 .*--max-states"):
        landscape_diagram(calzone, "TNF", Perturbation.parse("CASP8%0"), max_states=50)


def test_render_dot_source(tmp_path: Path) -> None:
    graph = network_diagram(parse_bnet(TOGGLE))
    assert render(graph, tmp_path / "t.dot").read_text() == graph.source
    with pytest.raises(BoolfateError, match="choose a file ending in"):
        render(graph, tmp_path / "t.jpeg")


def test_render_without_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda _: None)
    graph = network_diagram(parse_bnet(TOGGLE))
    with pytest.raises(GraphvizNotFoundError, match="apt-get install graphviz") as info:
        render(graph, tmp_path / "t.svg")
    assert "\n" not in str(info.value)
    assert (tmp_path / "t.dot").read_text() == graph.source and not (tmp_path / "t.svg").exists()
    assert to_svg(graph) is None
    result = CliRunner().invoke(main, ["diagram", "calzone2010", "-o", str(tmp_path / "c.png")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "install Graphviz" in result.output and (tmp_path / "c.dot").exists()


@needs_dot
def test_render_svg(tmp_path: Path, calzone) -> None:  # type: ignore[no-untyped-def]
    graph = network_diagram(calzone, perturbation=Perturbation.parse("CASP8%0"), condition="TNF")
    out = render(graph, tmp_path / "calzone.svg")
    text = out.read_text()
    assert "<svg" in text and "CASP8" in text
    inline = to_svg(fate_map_diagram(RESULTS))
    assert inline is not None and inline.startswith("<svg") and "<?xml" not in inline


@needs_dot
def test_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "net.svg"
    result = runner.invoke(
        main, ["diagram", "calzone2010", "--perturb", "CASP8%0", "--attractor", "1", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "KO" in out.read_text()
    results = tmp_path / "results.json"
    results.write_text(json.dumps(RESULTS))
    result = runner.invoke(
        main,
        [
            "diagram",
            "calzone2010",
            "--kind",
            "fates",
            "--results",
            str(results),
            "-o",
            str(tmp_path / "map.dot"),
        ],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        main,
        [
            "diagram",
            "calzone2010",
            "--kind",
            "landscape",
            "--scenario",
            "casp8_casp3_ko",
            "-o",
            str(tmp_path / "land.dot"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "committed to" in (tmp_path / "land.dot").read_text()


def test_cli_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["diagram", "calzone2010", "--attractor", "9", "-o", str(tmp_path / "x.dot")]
    )
    assert result.exit_code == 1 and "there are 3 attractor(s)" in result.output
    result = runner.invoke(
        main, ["diagram", "calzone2010", "--kind", "fates", "-o", str(tmp_path / "x.dot")]
    )
    assert result.exit_code == 2 and "--results" in result.output
    result = runner.invoke(main, ["diagram", "calzone2010", "-o", str(tmp_path / "x.jpg")])
    assert result.exit_code == 2
    result = runner.invoke(
        main,
        [
            "diagram",
            "calzone2010",
            "--kind",
            "landscape",
            "--max-states",
            "10",
            "-o",
            str(tmp_path / "x.dot"),
        ],
    )
    assert result.exit_code == 1 and "max_states=10" in result.output
    assert "Traceback" not in result.output


def test_fate_map_falls_back_to_attractor_fates() -> None:
    rows = [
        {
            "perturbation": "",
            "condition": "",
            "reachable_fates": None,
            "attractor_fates": ["Survival"],
        },
        {"perturbation": "X%0", "condition": "", "reachable_fates": None},
    ]
    src = fate_map_diagram({"rows": rows}).source
    assert "<B>Survival</B>" in src and "<B>no result</B>" in src


# --- every name shape survives DOT --------------------------------------------------------

_ODD_NAMES = ("<b>Life</b>", 'Dead"x"', "end\\", "a\\nb", "<>", "\\N")


def _odd_bundle() -> boolfate.Bundle:
    from boolfate.bundle import bundle_from_toml

    net = parse_bnet("s, s\nx:1, s & !b\nb, !x:1\ndead, x:1\nalive, b\nend, b & s")
    fates = dict(zip(_ODD_NAMES[:3], ("dead", "alive", "end"), strict=True))
    data = {
        "fates": fates,
        "modules": {"<m>": ["s", "x:1"], "mod\\": ["b"]},
        "conditions": {"on\\": {"inputs": "s%1"}, "<c>": {"inputs": "s%0"}},
        "initial_state": {"on": ["s"]},
        "default_fate": "<>",
    }
    return bundle_from_toml(net, data, src="odd.toml", name='odd "net" \\', path=None)


def _dot_svg(source: str, tmp_path: Path) -> str:
    import subprocess

    path = tmp_path / "g.dot"
    path.write_text(source, encoding="utf-8")
    done = subprocess.run(
        ["dot", "-Tsvg", str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    return done.stdout


@needs_dot
def test_dot_labels_survive_every_name_shape(tmp_path: Path) -> None:
    import html

    bundle = _odd_bundle()
    result = boolfate.attractors(bundle, "on\\")
    fate_attractor = next(iter(result))
    graphs = [
        network_diagram(bundle, condition="on\\", attractor=fate_attractor),
        network_diagram(bundle, title="<i>title</i> \\", legend=False),
        landscape_diagram(bundle, "on\\"),
        landscape_diagram(bundle, "<c>"),
        fate_map_diagram(
            {
                "rows": [
                    {"perturbation": "", "condition": c, "reachable_fates": list(_ODD_NAMES)}
                    for c in ("on\\", "<c>", 'q"')
                ]
            }
        ),
    ]
    svgs = [_dot_svg(g.source, tmp_path) for g in graphs]
    text = html.unescape("\n".join(svgs))
    for name in (*_ODD_NAMES[:3], "<m>", "mod\\", "on\\", "<c>", "x:1", "<i>title</i> \\"):
        assert name in text, name
    assert '"x:1" -> b' in graphs[0].source and "x:1 -> b" not in graphs[0].source
