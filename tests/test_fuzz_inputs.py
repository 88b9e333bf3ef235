"""Fuzzing the input readers: arbitrary bytes and structured mutations of real inputs.

Asserted for ``.bnet``, ``model.toml``, perturbations, ``--list`` files and ``observations.csv``:
only :class:`~boolfate.errors.BoolfateError` subclasses escape the library, and the CLI exits with
0, 1 or 2, printing no traceback and (on an error) one line. ``write_bnet`` then ``parse_bnet``
gives the same network.

The default profile is bounded for CI (a few seconds). For a longer campaign set
``BOOLFATE_FUZZ_EXAMPLES``, e.g. ``BOOLFATE_FUZZ_EXAMPLES=10000 python -m pytest
tests/test_fuzz_inputs.py``.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boolfate.bnet import ImplicitInputsWarning, format_bnet, parse_bnet, read_bnet
from boolfate.bundle import bundled_path, load_bundle
from boolfate.cli import main
from boolfate.errors import BoolfateError
from boolfate.perturbations import Perturbation
from boolfate.screens import parse_perturbation_list
from boolfate.textio import decode
from boolfate.validate import parse_observations

EXAMPLES = int(os.environ.get("BOOLFATE_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CLI_FUZZ = settings(FUZZ, max_examples=max(5, EXAMPLES // 4))

CALZONE = bundled_path("calzone2010")
assert CALZONE is not None
BNET_TEXT = (CALZONE / "model.bnet").read_text()
TOML_TEXT = (CALZONE / "model.toml").read_text()
OBS_TEXT = (CALZONE / "observations.csv").read_text()
TOKENS = [
    *'()!&|^,#%=[]"',
    *("\n", "\r\n", "\ufeff", "\xff", "true", "targets, factors", "0", "1"),
    *("x" * 50, "(" * 300, "!" * 250),
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few random insertions, deletions and duplicated slices."""
    out = text
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(out)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate"]))
        if action == "insert":
            piece = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)))
            out = out[:pos] + piece + out[pos:]
        elif action == "delete":
            out = out[:pos] + out[pos + draw(st.integers(1, 40)) :]
        else:
            out = out[:pos] + out[pos : pos + draw(st.integers(1, 80))] * 2 + out[pos:]
    return out


def only_boolfate_errors(func, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """Call ``func``; anything it raises must be a BoolfateError."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImplicitInputsWarning)
        try:
            func(*args, **kwargs)
        except BoolfateError as err:
            assert str(err).strip(), "an error must say what is wrong"


@FUZZ
@given(st.binary(max_size=300))
def test_bnet_bytes(data: bytes) -> None:
    def read() -> None:
        parse_bnet(decode(data, "m.bnet"), source="m.bnet")

    only_boolfate_errors(read)


@FUZZ
@given(mutated(BNET_TEXT))
def test_bnet_mutations_and_round_trip(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImplicitInputsWarning)
        try:
            net = parse_bnet(text, source="m.bnet")
        except BoolfateError:
            return
        assert parse_bnet(format_bnet(net), source="m.bnet") == net


@FUZZ
@given(st.one_of(st.binary(max_size=200).map(lambda b: b.decode("latin-1")), mutated(TOML_TEXT)))
def test_model_toml(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    folder = tmp_path_factory.mktemp("bundle")
    (folder / "model.bnet").write_text(BNET_TEXT)
    (folder / "model.toml").write_text(text, encoding="utf-8", errors="surrogateescape")
    only_boolfate_errors(load_bundle, folder)


_VALUES = st.recursive(
    st.one_of(st.text(max_size=12), st.integers(), st.booleans(), st.just("TNF%1")),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
_KEYS = [
    *("title", "fates", "conditions", "scenarios", "initial_state", "default_condition"),
    *("default_fate", "modules", "rates", "citation", "descripton"),
]


@FUZZ
@given(st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=4))
def test_model_toml_wrong_types(tmp_path_factory: pytest.TempPathFactory, data: dict) -> None:  # type: ignore[type-arg]
    folder = tmp_path_factory.mktemp("bundle")
    (folder / "model.bnet").write_text(BNET_TEXT)
    lines = []
    tables = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {json.dumps(value)}")
    for key, value in tables:
        lines.append(f"[{key}]")
        lines.extend(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in value.items())
    (folder / "model.toml").write_text("\n".join(lines) + "\n")
    only_boolfate_errors(load_bundle, folder)


@FUZZ
@given(st.one_of(st.text(max_size=40), mutated("CASP8%0 RIP1%1 TNF%1")))
def test_perturbation_text(text: str) -> None:
    net = load_bundle("calzone2010").network
    only_boolfate_errors(lambda: Perturbation.parse(text).check(net))


@FUZZ
@given(st.one_of(st.binary(max_size=120), mutated("CASP8%0\n# c\nRIP1%1 TNF%0\n").map(str.encode)))
def test_list_file(data: bytes) -> None:
    net = load_bundle("calzone2010").network
    only_boolfate_errors(lambda: parse_perturbation_list(decode(data, "l.txt"), net, source="l"))


@FUZZ
@given(mutated(OBS_TEXT))
def test_observations(text: str) -> None:
    bundle = load_bundle("calzone2010")
    only_boolfate_errors(parse_observations, text, bundle, source="observations.csv")


def _cli_ok(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1, 2), result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@CLI_FUZZ
@given(st.one_of(st.binary(max_size=200), mutated(BNET_TEXT).map(str.encode)))
def test_cli_bnet(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("cli") / "m.bnet"
    path.write_bytes(data)
    _cli_ok(["attractors", str(path), "--update", "mp", "--all", "--strict"])


@CLI_FUZZ
@given(mutated(TOML_TEXT))
def test_cli_fates_toml(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "m.bnet").write_text(BNET_TEXT)
    (folder / "f.toml").write_text(text)
    _cli_ok(["info", str(folder / "m.bnet"), "--fates", str(folder / "f.toml")])


@CLI_FUZZ
@given(st.text(max_size=30))
def test_cli_perturbation(text: str) -> None:
    if text.startswith("-"):
        text = " " + text
    _cli_ok(["attractors", "calzone2010", "--update", "mp", "--all", "--perturb", text])


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    from boolfate.bnet import write_bnet

    net = load_bundle("calzone2010").network
    write_bnet(net, tmp_path / "c.bnet", header="copy")
    assert read_bnet(tmp_path / "c.bnet", name=net.name) == net
