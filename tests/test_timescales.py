"""Priority classes (time scales): symbolic engine vs explicit reference, known answers, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boolfate.api import attractors as analyze
from boolfate.bnet import parse_bnet
from boolfate.bundle import Bundle, load_bundle
from boolfate.cli import main
from boolfate.diagrams import commitment_landscape, landscape_diagram
from boolfate.engines import Attractor, Limits, attractors, attractors_and_reachable
from boolfate.errors import BundleError, EngineLimitError
from boolfate.expr import Const
from boolfate.maboss import read_maboss
from boolfate.model import Network
from boolfate.percolation import decided_values
from boolfate.perturbations import Perturbation, apply
from boolfate.screens import evaluate_item as evaluate
from boolfate.simulate import rates_from_toml, simulate_bundle
from boolfate.timescales import Timescales
from boolfate.types import Value
from boolfate.validate import COLUMNS, validate
from tests.strategies import networks, perturbations

BITS: list[Value] = [0, 1]
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def state_sets(found: tuple[Attractor, ...]) -> set[frozenset[tuple[int, ...]]]:
    return {frozenset(a.states or ()) for a in found}


@st.composite
def classed(draw: st.DrawFn) -> tuple[Network, Timescales]:
    """A random (possibly perturbed) network with a random assignment of 1-3 ranked classes."""
    net = draw(networks(max_nodes=6))
    net = apply(net, draw(perturbations(net)))
    count = draw(st.integers(1, 3))
    names = ["c0", "c1", "c2"][:count]
    owner = {n: draw(st.sampled_from([*names, None])) for n in net.nodes}
    data: dict[str, object] = {}
    for name in names:
        members = [n for n in net.nodes if owner[n] == name]
        if members:
            data[name] = members
    if not data:
        data = {"c0": [net.nodes[0]]}
    classes = [k for k in data]
    data["default"] = draw(st.sampled_from(classes))
    return net, Timescales.from_mapping(data, net.nodes)


@SETTINGS
@given(classed())
def test_symbolic_priority_attractors_equal_the_explicit_reference(
    case: tuple[Network, Timescales],
) -> None:
    net, ts = case
    aeon = attractors(net, update="priority", engine="aeon", timescales=ts)
    stg = attractors(net, update="priority", engine="stg", timescales=ts)
    assert state_sets(aeon) == state_sets(stg)
    fixed = {a.fixed for a in attractors(net, update="priority", engine="fixpoints")}
    assert fixed == {a.fixed for a in stg if a.is_fixed_point}


@SETTINGS
@given(st.data())
def test_reachable_priority_attractors_equal_the_explicit_reference(data: st.DataObject) -> None:
    net, ts = data.draw(classed())
    start: dict[str, Value] = {n: data.draw(st.sampled_from(BITS)) for n in net.nodes}
    stg = state_sets(attractors(net, update="priority", engine="stg", initial=start, timescales=ts))
    aeon = attractors(net, update="priority", engine="aeon", initial=start, timescales=ts)
    assert state_sets(aeon) == stg
    everything, reachable = attractors_and_reachable(net, start, update="priority", timescales=ts)
    assert state_sets(reachable) == stg
    assert stg <= state_sets(everything), "reachable attractors are attractors"
    assert stg, "every state reaches at least one attractor"


def _constants(net: Network) -> dict[str, Value]:
    return {n: 1 if f.value else 0 for n, f in net.rules if isinstance(f, Const)}


@SETTINGS
@given(st.data())
def test_one_class_is_plain_asynchronous(data: st.DataObject) -> None:
    net = data.draw(networks(max_nodes=6))
    net = apply(net, data.draw(perturbations(net)))
    one = Timescales.from_mapping({"all": list(net.nodes)}, net.nodes)
    async_ = state_sets(attractors(net, update="async", engine="stg"))
    assert state_sets(attractors(net, update="priority", timescales=one)) == async_
    assert state_sets(attractors(net, update="priority")) == async_
    # from a state where the constant (perturbed) rules already hold
    start: dict[str, Value] = {n: data.draw(st.sampled_from(BITS)) for n in net.nodes} | _constants(
        net
    )
    reach_async = state_sets(attractors(net, update="async", engine="stg", initial=start))
    reach_prio = state_sets(attractors(net, update="priority", initial=start, timescales=one))
    assert reach_prio == reach_async


def _ts(net: Network, **classes: list[str]) -> Timescales:
    return Timescales.from_mapping(dict(classes), net.nodes)


def _describe(found: tuple[Attractor, ...]) -> list[str]:
    return [a.describe() for a in found]


@pytest.mark.parametrize("engine", ["aeon", "stg"])
def test_a_race_the_fast_node_always_wins_loses_an_async_attractor(engine: str) -> None:
    """Toggle switch ``x = !s``, ``s = !x`` from 00: async reaches both fixed points; with ``x``
    faster than ``s`` only ``x`` can switch on first, so ``x=0 s=1`` is no longer reachable."""
    net = parse_bnet("x, !s\ns, !x")
    ts = _ts(net, fast=["x"], slow=["s"])
    start: dict[str, Value] = {"x": 0, "s": 0}
    assert _describe(attractors(net, update="async", engine=engine, initial=start)) == [
        "x=0 s=1",
        "x=1 s=0",
    ]
    prio = attractors(net, update="priority", engine=engine, initial=start, timescales=ts)
    assert _describe(prio) == ["x=1 s=0"]
    # fixed points do not depend on the update classes
    every = attractors(net, update="priority", engine=engine, timescales=ts)
    assert _describe(every) == ["x=0 s=1", "x=1 s=0"]


@pytest.mark.parametrize("engine", ["aeon", "stg"])
def test_a_cyclic_async_attractor_is_not_a_priority_attractor(engine: str) -> None:
    """``a = !b``, ``b = a`` oscillate; the fast reporter ``r = a`` may lag ``a`` under async
    (one 8-state attractor) but always catches up before the slow ``b`` moves, so the states
    ``a=b != r`` are left out (6 states)."""
    net = parse_bnet("a, !b\nb, a\nr, a")
    ts = _ts(net, fast=["a", "r"], slow=["b"])
    (async_,) = attractors(net, update="async", engine=engine)
    assert async_.size == 8
    (prio,) = attractors(net, update="priority", engine=engine, timescales=ts)
    assert set(prio.states or ()) == {
        (0, 0, 0),
        (1, 0, 0),
        (1, 0, 1),
        (1, 1, 1),
        (0, 1, 1),
        (0, 1, 0),
    }


@pytest.mark.parametrize("engine", ["aeon", "stg"])
def test_priorities_create_a_reachable_fate_async_does_not_have(engine: str) -> None:
    """A fast oscillator ``f = !f`` keeps the slow latch ``s = f | s`` from ever switching on:
    ``s=0`` becomes a reachable fate that asynchronous update does not have at all."""
    net = parse_bnet("f, !f\ns, f | s")
    ts = _ts(net, fast=["f"], slow=["s"])
    start: dict[str, Value] = {"f": 0, "s": 0}
    assert _describe(attractors(net, update="async", engine=engine)) == [
        "s=1 | f oscillating (2 states)"
    ]
    prio = attractors(net, update="priority", engine=engine, initial=start, timescales=ts)
    assert _describe(prio) == ["s=0 | f oscillating (2 states)"]
    every = attractors(net, update="priority", engine=engine, timescales=ts)
    assert _describe(every) == ["s=0 | f oscillating (2 states)", "s=1 | f oscillating (2 states)"]


def test_percolating_a_slow_node_is_not_valid_under_priorities() -> None:
    """``p`` is perturbed off, so ``s = p | f`` is constant 0 given ``p``; but ``s`` is slow and
    the fast oscillator ``f`` keeps it at 1 when it starts there (an attractor outside the
    percolated subspace)."""
    net = apply(parse_bnet("p, p\nf, !f\ns, p & f | p"), Perturbation.parse("p%0"))
    ts = _ts(net, fast=["f"], slow=["s"])
    start: dict[str, Value] = {"p": 0, "f": 0, "s": 1}
    assert _describe(attractors(net, update="async", initial=start)) == [
        "p=0 s=0 | f oscillating (2 states)"
    ]
    for engine in ("aeon", "stg"):
        found = attractors(net, update="priority", engine=engine, initial=start, timescales=ts)
        assert _describe(found) == ["p=0 s=1 | f oscillating (2 states)"]


def _bundle(tmp_path: Path, toml: str) -> Path:
    folder = tmp_path / "m"
    folder.mkdir(parents=True)
    (folder / "model.bnet").write_text("RIPK1, !A20\nA20, RIPK1\nIKK, RIPK1\n")
    (folder / "model.toml").write_text(toml + '\n[fates]\nDeath = "RIPK1"\n')
    return folder


def test_bundle_timescales_and_default_update(tmp_path: Path) -> None:
    toml = (
        'default_update = "priority"\n[timescales]\nfast = ["RIPK1", "IKK"]\nslow = ["A20"]\n'
        "[timescales.rates]\nslow = 0.01\n"
    )
    b = load_bundle(_bundle(tmp_path, toml))
    assert b.default_update == "priority"
    assert b.timescales is not None
    assert b.timescales.names == ("fast", "slow")
    assert b.timescales.ranks(b.network.nodes) == (0, 1, 0)
    assert (b.timescales.rate("fast"), b.timescales.node_rate("A20")) == (1.0, 0.01)
    plain = load_bundle(_bundle(tmp_path / "x", ""))
    assert (plain.timescales, plain.default_update) == (None, "async")


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        (
            '[timescales]\nfast = ["RIPK"]\n',
            ":2: [timescales] fast: unknown node 'RIPK'; did you mean 'RIPK1'?",
        ),
        (
            '[timescales]\nfast = ["RIPK1"]\nslow = ["A20", "RIPK1"]\n',
            ":3: [timescales] slow: node 'RIPK1' is already in class 'fast'",
        ),
        (
            '[timescales]\nfast = ["RIPK1"]\nslow = []\n',
            ":3: [timescales] slow: the class is empty",
        ),
        (
            '[timescales]\nfast = ["RIPK1"]\ndefault = "slo"\n',
            ":3: [timescales] default: 'slo' is not a class",
        ),
        (
            '[timescales]\nfast = ["RIPK1"]\nslow = ["A20"]\n[timescales.rates]\nslow = 0\n',
            ":5: [timescales] rates.slow: expected a positive number, got 0",
        ),
        (
            '[timescales]\nfast = ["RIPK1"]\nslow = ["A20"]\n[timescales.rates]\nslw = 0.1\n',
            ":5: [timescales] rates.slw: not a class; did you mean 'slow'?",
        ),
        ("[timescales]\ndefault = 'fast'\n", ":1: [timescales] timescales: no class given"),
        ('default_update = "prio"\n', ":1: default_update 'prio' is not an update scheme"),
    ],
)
def test_bad_timescales_give_one_line_errors(tmp_path: Path, toml: str, fragment: str) -> None:
    folder = _bundle(tmp_path, toml)
    with pytest.raises(BundleError) as info:
        load_bundle(folder)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(folder / "model.toml"))
    assert fragment in message


# --- the bundle's time scales everywhere: CLI, screens, validation, landscape, rates ---------

RACE_BNET = "TNF, TNF\nx, TNF & !s\ns, TNF & !x\n"
RACE_TOML = """title = "race"
{head}
[initial_state]
on = []

[timescales]
fast = ["x"]
slow = ["s"]

[fates]
X = "x"
S = "s"

[conditions]
TNF = "TNF%1"
"""


def _race(tmp_path: Path, head: str = "") -> Path:
    folder = tmp_path / "race"
    folder.mkdir(parents=True)
    (folder / "model.bnet").write_text(RACE_BNET)
    (folder / "model.toml").write_text(RACE_TOML.format(head=head))
    return folder


def _fates(runner: CliRunner, *args: str) -> list[str]:
    res = runner.invoke(main, ["attractors", *args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return sorted(a["fate"] for a in json.loads(res.output)["attractors"])


def test_cli_update_priority_and_the_bundle_default(runner: CliRunner, tmp_path: Path) -> None:
    race = str(_race(tmp_path / "a"))
    assert _fates(runner, race, "-c", "TNF") == ["S", "X"]
    assert _fates(runner, race, "-c", "TNF", "--update", "priority") == ["X"]
    assert _fates(runner, race, "-c", "TNF", "-u", "priority", "--all") == ["S", "X"]
    default = str(_race(tmp_path / "b", head='default_update = "priority"'))
    assert _fates(runner, default, "-c", "TNF") == ["X"]
    assert _fates(runner, default, "-c", "TNF", "--update", "async") == ["S", "X"]
    res = runner.invoke(main, ["attractors", race, "-u", "priority", "--engine", "clingo"])
    assert res.exit_code == 1 and "does not answer update 'priority'" in res.output


def test_calzone_without_timescales_is_the_same_under_priority(calzone: Bundle) -> None:
    for cond in ("TNF", "FASL"):
        prio = analyze(calzone, condition=cond, update="priority")
        plain = analyze(calzone, condition=cond, update="async")
        assert [a.attractor for a in prio.attractors] == [a.attractor for a in plain.attractors]


def test_screen_and_validate_use_priorities(tmp_path: Path) -> None:
    bundle = load_bundle(_race(tmp_path))
    wild = Perturbation()
    assert evaluate(bundle, wild, "TNF").reachable_fates == ("X", "S")
    outcome = evaluate(bundle, wild, "TNF", update="priority")
    assert outcome.reachable_fates == ("X",)
    assert outcome.attractor_fates == ("X", "S")
    assert evaluate(
        bundle, Perturbation.parse("x%0"), "TNF", update="priority"
    ).reachable_fates == ("S",)
    csv = tmp_path / "obs.csv"
    row = {"id": "race", "condition": "TNF", "perturbation": "WT", "expected": "only X"}
    row.update(citation="Faure 2006", system="toy", status="consensus")
    csv.write_text(",".join(COLUMNS) + "\n" + ",".join(row.get(c, "") for c in COLUMNS) + "\n")
    assert [r.passed for r in validate(bundle, csv, update="priority").rows] == [True]
    assert [r.passed for r in validate(bundle, csv, update="async").rows] == [False]


def test_landscape_under_priorities(tmp_path: Path) -> None:
    bundle = load_bundle(_race(tmp_path))
    start = bundle.initial_state(bundle.condition("TNF"))
    net = apply(bundle.network, Perturbation.parse("TNF%1"))
    plain = commitment_landscape(net, start)
    prio = commitment_landscape(net, start, update="priority", timescales=bundle.timescales)
    assert (plain.states, len(plain.attractors)) == (3, 2)
    assert (prio.states, len(prio.attractors)) == (2, 1)
    assert prio.attractors[0].values == {"TNF": 1, "x": 1, "s": 0}
    src = landscape_diagram(bundle, "TNF", update="priority").source
    assert "2 reachable states" in src


def test_class_rates_reach_simulate_and_export(runner: CliRunner, tmp_path: Path) -> None:
    folder = _race(tmp_path)
    toml = folder / "model.toml"
    toml.write_text(
        toml.read_text().replace("[fates]", "[timescales.rates]\nslow = 0.001\n\n[fates]")
    )
    bundle = load_bundle(folder)
    rates = rates_from_toml(bundle.network, bundle.raw, timescales=bundle.timescales)
    assert str(rates["s"]) == "up: TNF & !x ? 0.001; down: !(TNF & !x) ? 0.001"
    assert str(rates["x"]) == "up: TNF & !s ? 1; down: !(TNF & !s) ? 1"
    # with the slow class 1000x slower, s almost never wins the race
    result = simulate_bundle(bundle, condition="TNF", trajectories=2000, seed=1)
    assert result.final["X"] > 0.99
    out = tmp_path / "race.bnd"
    res = runner.invoke(main, ["export-maboss", str(folder), "-c", "TNF", "-o", str(out)])
    assert res.exit_code == 0, res.output
    exported = read_maboss(out)
    assert exported.rates["s"] == rates["s"] and exported.rates["x"] == rates["x"]


def test_cli_commands_take_update_priority(runner: CliRunner, tmp_path: Path) -> None:
    race = str(_race(tmp_path / "r", head='default_update = "priority"'))
    res = runner.invoke(main, ["info", race, "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["default_update"] == "priority"
    assert doc["timescales"] == {
        "fast": {"nodes": ["TNF", "x"], "rate": 1.0},
        "slow": {"nodes": ["s"], "rate": 0.1},
    }
    out = tmp_path / "screen"
    res = runner.invoke(main, ["screen", race, "--singles", "-c", "TNF", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "TNF: wild type X" in res.output
    settings = json.loads((out / "results.json").read_text())["provenance"]
    assert settings["update"] == "priority" and "priority-class" in settings["engine"]
    res = runner.invoke(main, ["screen", race, "-c", "TNF", "-u", "async", "--out", str(out)])
    assert res.exit_code == 0 and "TNF: wild type X, S" in res.output
    dot = tmp_path / "land.dot"
    res = runner.invoke(main, ["diagram", race, "-k", "landscape", "-c", "TNF", "-o", str(dot)])
    assert res.exit_code == 0, res.output
    assert "2 reachable states" in dot.read_text()
    res = runner.invoke(
        main, ["diagram", race, "-k", "landscape", "-c", "TNF", "-u", "async", "-o", str(dot)]
    )
    assert res.exit_code == 0 and "3 reachable states" in dot.read_text()


@SETTINGS
@given(st.data())
def test_priority_landscape_attractors_equal_the_reachable_attractors(data: st.DataObject) -> None:
    net, ts = data.draw(classed())
    start: dict[str, Value] = {n: data.draw(st.sampled_from(BITS)) for n in net.nodes}
    land = commitment_landscape(net, start, update="priority", timescales=ts)
    found = attractors(net, update="priority", initial=start, timescales=ts)
    assert state_sets(land.attractors) == state_sets(found)


@SETTINGS
@given(st.data())
def test_decided_values_hold_on_every_reachable_attractor(data: st.DataObject) -> None:
    """What constant propagation decides (by construction) is true of the dynamics: async, and
    under priorities only with the class ranks (a slow node can be held back)."""
    net, ts = data.draw(classed())
    start: dict[str, Value] = {n: data.draw(st.sampled_from(BITS)) for n in net.nodes}
    start.update(_constants(net))
    ranks = dict(zip(net.nodes, ts.ranks(net.nodes), strict=True))
    cases = [
        (decided_values(net, start), attractors(net, engine="stg", initial=start)),
        (
            decided_values(net, start, ranks=ranks),
            attractors(net, update="priority", engine="stg", initial=start, timescales=ts),
        ),
    ]
    for decided, found in cases:
        for attractor in found:
            for state in attractor.state_dicts():
                assert all(state[n] == v for n, v in decided.items())


def test_percolation_of_a_slow_node_is_not_decided_under_priorities() -> None:
    net = apply(parse_bnet("p, p\nf, !f\ns, p & f | p"), Perturbation.parse("p%0"))
    start: dict[str, Value] = {"p": 0, "f": 0, "s": 1}
    assert decided_values(net, start) == {"p": 0, "s": 0}
    assert decided_values(net, start, ranks={"p": 0, "f": 0, "s": 1}) == {"p": 0}


def test_screen_explanations_claim_only_what_holds_under_priorities(tmp_path: Path) -> None:
    folder = tmp_path / "hold"
    folder.mkdir()
    (folder / "model.bnet").write_text("p, p\nf, !f\ns, p & f | p\n")
    (folder / "model.toml").write_text(
        '[timescales]\nfast = ["p", "f"]\nslow = ["s"]\n\n[initial_state]\non = ["s"]\n\n'
        '[fates]\nS = "s"\n\n[conditions]\noff = "p%0"\n'
    )
    bundle = load_bundle(folder)
    plain = evaluate(bundle, Perturbation(), "off", update="async")
    assert plain.reachable_fates == ("Unclassified",)
    assert plain.decision == "percolation alone excludes S (s=0)"
    assert plain.trace == ("s=0 because s = p & f | p and p=0",)
    held = evaluate(bundle, Perturbation(), "off", update="priority")
    assert held.reachable_fates == ("S",)
    assert held.decision == "percolation decides no fate; the dynamics choose"
    assert held.trace == ()


def test_flagship_priority_attractors_equal_the_explicit_reference() -> None:
    """On the bundled flagship's own time scales, from every condition's initial state."""
    bundle = load_bundle("tnf_necroptosis")
    checked = 0
    for name in bundle.conditions:
        cond = bundle.condition(name)
        net = apply(bundle.network, cond.perturbation)
        start = bundle.initial_state(cond)
        got = attractors(net, update="priority", initial=start, timescales=bundle.timescales)
        try:
            ref = attractors(
                net,
                update="priority",
                engine="stg",
                initial=start,
                timescales=bundle.timescales,
                limits=Limits(max_states=100_000),
            )
        except EngineLimitError:
            continue
        assert state_sets(got) == state_sets(ref), name
        checked += 1
    assert checked >= len(bundle.conditions) // 2
