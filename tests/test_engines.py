"""Known answers for every engine on toy networks (ARCHITECTURE.md §4.8, computed with pyboolnet
3.0.16), plus limits and error paths."""

from __future__ import annotations

import pytest

from boolfate.engines import Attractor, Limits, attractors
from boolfate.errors import BoolfateError, EngineLimitError
from boolfate.model import Network
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


KNOWN = {
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
    start = {"a": 0, "b": 0, "c": 0}
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
