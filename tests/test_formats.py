"""Model formats: SBML-qual in and out, MaBoSS .bnd in every command, format choice and errors."""

from __future__ import annotations

import gc
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from boolfate.bnet import ImplicitInputsWarning, format_bnet, parse_bnet
from boolfate.bundle import bundled_networks, load_bundle
from boolfate.cli import main
from boolfate.errors import BoolfateError, SourceError
from boolfate.formats import format_for, read_network
from boolfate.logic import truth_table
from boolfate.model import Network
from boolfate.sbml import SbmlError, format_sbml, parse_sbml

DATA = Path(__file__).parent / "data"
BND = DATA / "calzone2010_maboss2012_CellFateModel.bnd"


def _repository() -> list[str]:
    import pyboolnet.repository as repo

    return [n for n in repo.get_all_names() if n != "multivalued"]


def _repository_network(name: str) -> Network:
    import pyboolnet.repository as repo

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImplicitInputsWarning)
        return parse_bnet(repo.get_bnet(name), name=name)


def same_functions(a: Network, b: Network) -> bool:
    """Same nodes and, node by node, the same truth table over the union of regulators."""
    if set(a.nodes) != set(b.nodes):
        return False
    for node in a.nodes:
        fa, fb = a.functions[node], b.functions[node]
        names = tuple(sorted({*truth_table(fa)[0], *truth_table(fb)[0]}))
        if truth_table(fa, names)[1] != truth_table(fb, names)[1]:
            return False
    return True


@pytest.mark.parametrize("name", bundled_networks())
def test_sbml_round_trip_of_the_bundled_models(name: str) -> None:
    net = load_bundle(name).network
    again = parse_sbml(format_sbml(net), name=name)
    assert again.nodes == net.nodes
    assert same_functions(net, again)


@pytest.mark.parametrize("name", _repository())
def test_sbml_round_trip_of_the_pyboolnet_repository(name: str) -> None:
    net = _repository_network(name)
    again = parse_sbml(format_sbml(net), name=name)
    assert same_functions(net, again)
    assert same_functions(parse_bnet(format_bnet(again)), net)


@pytest.mark.parametrize("name", ["calzone2010", "tnf_necroptosis"])
def test_sbml_written_is_read_alike_by_libsbml(name: str) -> None:
    libsbml = pytest.importorskip("libsbml")
    net = load_bundle(name).network
    doc = libsbml.readSBMLFromString(format_sbml(net))
    assert doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0
    qual = doc.getModel().getPlugin("qual")
    species = [qual.getQualitativeSpecies(i) for i in range(qual.getNumQualitativeSpecies())]
    assert sorted(s.getId() for s in species) == sorted(net.nodes)
    assert all(s.getMaxLevel() == 1 for s in species)
    for i in range(qual.getNumTransitions()):
        tr = qual.getTransition(i)
        target = tr.getOutput(0).getQualitativeSpecies()
        inputs = {tr.getInput(j).getQualitativeSpecies() for j in range(tr.getNumInputs())}
        assert inputs == set(net.regulators(target)), target


def _multivalued_sbml() -> str:
    text = format_sbml(parse_bnet("a, !b\nb, a"))
    return text.replace('qual:maxLevel="1"', 'qual:maxLevel="2"', 1)


def test_multivalued_sbml_is_refused() -> None:
    with pytest.raises(SbmlError, match=r"species 'a' has maxLevel 2; only Boolean"):
        parse_sbml(_multivalued_sbml(), source="mv.sbml")


def test_species_without_transition_is_an_input() -> None:
    text = format_sbml(parse_bnet("a, b\nb, a & c\nc, c"))
    start = text.index('<qual:transition qual:id="tr_c">')
    end = text.index("</qual:transition>", start) + len("</qual:transition>")
    net = parse_sbml(text[:start] + text[end:])
    assert net.nodes == ("a", "b", "c") and "c" in net.inputs


def test_not_xml_and_not_sbml() -> None:
    with pytest.raises(SourceError, match=r"m\.sbml:1:\d+: not XML"):
        parse_sbml("a, b", source="m.sbml")
    with pytest.raises(SbmlError, match="not <sbml>"):
        parse_sbml("<html/>", source="m.sbml")


def test_format_choice() -> None:
    assert format_for("M.XML") == "sbml"
    assert format_for("model", "bnd") == "bnd"
    with pytest.raises(BoolfateError, match=r"unknown input format 'sbm'; did you mean 'sbml'"):
        format_for("m.bnet", "sbm")
    with pytest.raises(BoolfateError, match=r"supported: bnet \(\.bnet\), sbml"):
        format_for("m.txt")


def test_bnd_logic_matches_the_bnet_of_the_same_model() -> None:
    bnd = read_network(BND)
    assert len(bnd.nodes) == 28 and set(bnd.inputs) == {"TNF", "FASL", "FADD"}


@pytest.mark.parametrize("command", [["attractors", "--update", "mp"], ["info"]])
@pytest.mark.parametrize("suffix", [".sbml", ".xml", ".bnd"])
def test_every_format_in_the_cli(
    runner: CliRunner, tmp_path: Path, command: list[str], suffix: str
) -> None:
    net = load_bundle("calzone2010").network
    path = tmp_path / f"calzone{suffix}"
    if suffix == ".bnd":
        path.write_text(BND.read_text())
        path.with_suffix(".cfg").write_text(BND.with_suffix(".cfg").read_text())
    else:
        path.write_text(format_sbml(net))
    result = runner.invoke(main, [command[0], str(path), *command[1:]])
    assert result.exit_code == 0, result.output
    assert "ATP" in result.output


def test_bnd_without_its_cfg_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "calzone.bnd"
    path.write_text(BND.read_text())
    result = runner.invoke(main, ["attractors", str(path)])
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {path}: .bnd node FADD rate_down: parameter $FADD_del is not set\n"
    )


def test_input_format_overrides_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "model.txt"
    path.write_text(format_sbml(parse_bnet("a, !b\nb, !a")))
    result = runner.invoke(main, ["attractors", str(path)])
    assert result.exit_code == 1
    assert "choose one with --input-format" in result.output
    assert len(result.output.strip().splitlines()) == 1
    result = runner.invoke(main, ["attractors", str(path), "--input-format", "sbml"])
    assert result.exit_code == 0, result.output
    assert "a=1" in result.output or "ON: a" in result.output


def test_implicit_inputs_warning_and_strict(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "imp.bnet"
    path.write_text("x, v_EGF & !v_TNF\n")
    result = runner.invoke(main, ["info", str(path)])
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {path}: 2 names have no rule of their own and are read as inputs: "
        "v_EGF, v_TNF (--strict refuses them)\n"
    )
    assert "implicit inputs (no rule in the file): v_EGF v_TNF" in result.stdout
    result = runner.invoke(main, ["attractors", str(path), "--strict"])
    assert result.exit_code == 1
    assert "'v_EGF' is used in the rule for 'x' but has no rule of its own" in result.stderr


def test_free_inputs_gives_calzone_stable_states_with_fates(runner: CliRunner) -> None:
    result = runner.invoke(main, ["attractors", "calzone2010", "--free-inputs", "--all"])
    assert result.exit_code == 0, result.output
    assert "| 27 attractors" in result.output
    assert result.output.count("[fixed point]") == 27
    assert result.output.count("inputs TNF=") == 8
    for fate in ("Survival", "Apoptosis", "NonACD", "Naive"):
        assert f"  {fate} " in result.output
    # an independent engine: pyboolnet's steady states of the whole network, inputs free
    from pyboolnet.file_exchange import bnet2primes
    from pyboolnet.trap_spaces import compute_steady_states

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # pyboolnet leaves its pipes to the GC
        primes = bnet2primes(format_bnet(load_bundle("calzone2010").network))
        steady = compute_steady_states(primes, max_output=1000)
        gc.collect()
    assert len(steady) == 27


def test_free_inputs_excludes_a_condition(runner: CliRunner) -> None:
    result = runner.invoke(main, ["attractors", "calzone2010", "--free-inputs", "-c", "TNF"])
    assert result.exit_code == 2
    assert "excludes --condition" in result.output


def test_bare_bnet_lists_all_attractors(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "toggle.bnet"
    path.write_text("a, !b\nb, !a\n")
    result = runner.invoke(main, ["attractors", str(path)])
    assert result.exit_code == 0, result.output
    assert "all attractors" in result.output
    assert result.output.count("[fixed point]") == 2


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("conditions = 1", "[conditions]: expected a table, got an integer (1)"),
        ('conditions = ["TNF%1"]', "[conditions]: expected a table, got an array"),
        ('fates = ["NFkB"]', "[fates]: expected a table, got an array"),
        ('scenarios = "CASP8%0"', "[scenarios]: expected a table, got a string"),
        ('initial_state = "ATP"', "[initial_state]: expected a table, got a string"),
        ("default_condition = []", "default_condition: expected a string, got an array"),
        ("title = 3", "title: expected a string, got an integer"),
        ('descripton = "x"', "unknown key 'descripton'; did you mean 'description'?"),
        (
            '[conditions.TNF]\ninputs = "TNF%1"\ninitial_off = []',
            "[conditions.TNF]: unknown key 'initial_off'; did you mean 'initial_on'?",
        ),
    ],
)
def test_model_toml_schema(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "model.bnet").write_text("TNF, TNF\nATP, !TNF\n")
    (tmp_path / "model.toml").write_text(toml + "\n")
    with pytest.raises(BoolfateError) as info:
        load_bundle(tmp_path)
    assert str(info.value) == f"{tmp_path / 'model.toml'}: {message}" or message in str(info.value)
    assert str(info.value).startswith(str(tmp_path / "model.toml"))


@pytest.mark.parametrize("what", ["toml", "list", "observations"])
def test_not_utf8_files_in_the_cli(runner: CliRunner, tmp_path: Path, what: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"# ok\n\xff\xfe\n")
    args = {
        "toml": ["info", "calzone2010", "--fates", str(bad)],
        "list": ["screen", "calzone2010", "--list", str(bad), "--out", str(tmp_path / "o")],
        "observations": ["validate", "calzone2010", "--observations", str(bad)],
    }[what]
    result = runner.invoke(main, args)
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {bad}:2:1: not UTF-8 text (byte 0xff)\n"
