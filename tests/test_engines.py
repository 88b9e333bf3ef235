"""Known answers for every engine on toy networks (ARCHITECTURE.md §4.8, computed with pyboolnet
3.0.16), plus limits and error paths."""

from __future__ import annotations

import pytest

from boolfate.bnet import parse_bnet
from boolfate.bundle import Bundle
from boolfate.engines import Attractor, Limits, attractors
from boolfate.errors import BoolfateError, EngineLimitError
from boolfate.model import Network
from boolfate.perturbations import apply
from boolfate.types import Value
from tests.conftest import toy


def as_sets(found: tuple[Attractor, ...], net: Network) -> set[frozenset[str]]:
    """Each attractor as a set of bitstrings in sorted node order (as in the reference table)."""
    order = sorted(net.nodes)
    out = set()
    for a in found:
        assert a.states is not None
        states = [dict(zip(net.nodes, s, strict=True)) for s in a.states]
        out.add(frozenset("".join(str(s[n]) for n in order) for s in states))
    return out


def spaces(found: tuple[Attractor, ...]) -> set[frozenset[tuple[str, int]]]:
    return {frozenset(a.fixed) for a in found}


KNOWN: dict[str, tuple[list[dict[str, int]], list[set[str]], list[set[str]]]] = {
    # name: (min trap spaces, async attractors, sync attractors)
    "toggle": (
        [{"a": 0, "b": 1, "c": 1}, {"a": 1, "b": 0, "c": 0}],
        [{"011"}, {"100"}],
        [{"011"}, {"100"}, {"000", "110"}],
    ),
    "negative_loop": ([{}], [{"0", "1"}], [{"0", "1"}]),
    "positive_loop": (
        [{"a": 0, "b": 0}, {"a": 1, "b": 1}],
        [{"00"}, {"11"}],
        [{"00"}, {"11"}, {"01", "10"}],
    ),
    "tarjan": (
        [{"x": 1, "y": 0, "z": 1}, {"y": 1, "z": 0}],
        [{"101"}, {"010", "110"}],
        [{"101"}, {"010", "110"}],
    ),
    "ghost_branch": (
        [{"xA": 1, "xB": 1, "xC": 1}],
        [{"111"}, {"000", "010", "100"}],
        [{"111"}, {"001", "110"}],
    ),
}


@pytest.mark.parametrize("name", sorted(KNOWN))
@pytest.mark.parametrize("engine", ["clingo", "pyboolnet"])
def test_minimal_trap_spaces(name: str, engine: str) -> None:
    net = toy(name)
    expected = {frozenset(d.items()) for d in KNOWN[name][0]}
    assert spaces(attractors(net, update="mp", engine=engine)) == expected


@pytest.mark.parametrize("name", sorted(KNOWN))
@pytest.mark.parametrize("engine", ["aeon", "stg"])
def test_async_attractors(name: str, engine: str) -> None:
    net = toy(name)
    expected = {frozenset(s) for s in KNOWN[name][1]}
    assert as_sets(attractors(net, update="async", engine=engine), net) == expected


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_sync_attractors(name: str) -> None:
    net = toy(name)
    expected = {frozenset(s) for s in KNOWN[name][2]}
    assert as_sets(attractors(net, update="sync"), net) == expected


def test_ghost_branch_trap_spaces_miss_a_cyclic_attractor() -> None:
    """pystablemotifs' "ghost branch": the cyclic async attractor lies in no minimal trap space."""
    net = toy("ghost_branch")
    mp = attractors(net, update="mp")
    exact = attractors(net, update="async")
    assert len(mp) == 1 and len(exact) == 2
    assert [a.exact for a in mp] == [True]


def test_reachable_from_initial_state() -> None:
    net = toy("toggle")
    start: dict[str, Value] = {"a": 0, "b": 0, "c": 0}
    for engine in ("aeon", "stg"):
        found = attractors(net, update="async", engine=engine, initial=start)
        assert as_sets(found, net) == {frozenset({"011"}), frozenset({"100"})}
    only = attractors(net, update="async", initial={"a": 1, "b": 0, "c": 0})
    assert as_sets(only, net) == {frozenset({"100"})}
    sync = attractors(net, update="sync", initial=start)
    assert as_sets(sync, net) == {frozenset({"000", "110"})}


def test_fixpoints_engine() -> None:
    net = toy("positive_loop")
    found = attractors(net, update="mp", engine="fixpoints")
    assert spaces(found) == {frozenset({("a", 0), ("b", 0)}), frozenset({("a", 1), ("b", 1)})}


def test_stg_limit_is_named() -> None:
    net = Network(
        tuple(
            (f"n{i}", __import__("boolfate.expr").expr.Var(f"n{(i + 1) % 20}")) for i in range(20)
        )
    )
    with pytest.raises(EngineLimitError, match=r"max_states=65536.*engine 'aeon'"):
        attractors(net, update="async", engine="stg")


def test_sync_limit_is_named() -> None:
    from boolfate.bnet import parse_bnet

    net = parse_bnet("\n".join(f"n{i}, !n{(i + 1) % 12}" for i in range(12)))
    with pytest.raises(EngineLimitError, match=r"2\^12 states.*max_nodes=10.*--max-nodes"):
        attractors(net, update="sync", limits=Limits(max_nodes=10))


def test_trap_space_result_limit() -> None:
    from boolfate.bnet import parse_bnet

    net = parse_bnet("\n".join(f"n{i}, n{i}" for i in range(5)))  # 32 fixed points
    with pytest.raises(EngineLimitError, match="max_results=10"):
        attractors(net, update="mp", limits=Limits(max_results=10))


def test_wrong_engine_for_update() -> None:
    with pytest.raises(BoolfateError, match="computes sync attractors, not async"):
        attractors(toy("toggle"), update="async", engine="numpy")
    with pytest.raises(BoolfateError, match="cannot restrict to attractors reachable"):
        attractors(toy("toggle"), update="mp", initial={"a": 0, "b": 0, "c": 0})


def test_witness_search_fails_on_an_unreachable_target_and_on_budget() -> None:
    from boolfate.engines._aeon import _witness
    from boolfate.engines.stg import compile_rules

    net = parse_bnet("a, a\nb, !a")
    funcs = compile_rules(net, ["a", "b"], {})  # bit i = node i
    assert _witness(funcs, 0b00, 0b10, 100)  # b can switch on
    assert not _witness(funcs, 0b00, 0b11, 100)  # a never switches on
    assert not _witness(funcs, 0b00, 0b10, 0)  # no budget left


@pytest.mark.parametrize("condition", ["TNF", "FASL", "none"])
def test_failed_witnesses_fall_back_to_exact_symbolic_reachability(
    calzone: Bundle, condition: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from boolfate.engines import _aeon

    network = apply(calzone.network, calzone.condition(condition).perturbation)
    initial = calzone.initial_state(calzone.condition(condition))
    expected = attractors(network, engine="aeon", initial=initial)  # witnesses first
    calls: list[bool] = []
    real = _aeon._witness

    def never(*args: object) -> bool:
        calls.append(real(*args))  # type: ignore[arg-type]
        return False

    monkeypatch.setattr(_aeon, "_witness", never)
    assert attractors(network, engine="aeon", initial=initial) == expected
    assert calls  # the witness search ran and every fixed point went the symbolic way
    assert [a.describe() for a in expected] == [
        a.describe() for a in attractors(network, engine="aeon", initial=initial)
    ]


@pytest.mark.parametrize("name", ["toggle", "tarjan", "ghost_branch", "positive_loop"])
def test_symbolic_fallback_agrees_with_the_explicit_graph(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from boolfate.engines import _aeon

    net = toy(name)
    monkeypatch.setattr(_aeon, "_witness", lambda *args: False)
    for bits in range(1 << len(net.nodes)):
        initial = {n: (bits >> i) & 1 for i, n in enumerate(net.nodes)}
        assert attractors(net, engine="aeon", initial=initial) == attractors(  # type: ignore[arg-type]
            net,
            engine="stg",
            initial=initial,  # type: ignore[arg-type]
        )
