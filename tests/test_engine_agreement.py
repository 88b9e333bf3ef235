"""Engines cross-checked against each other on random small networks (Hypothesis)."""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boolfate.attractor import Attractor
from boolfate.engines import attractors
from boolfate.model import Network
from boolfate.perturbations import apply
from boolfate.types import UpdateScheme, Value
from tests.strategies import networks, perturbations

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fixed_points(found: Iterable[Attractor]) -> set[tuple[tuple[str, Value], ...]]:
    return {a.fixed for a in found if a.is_fixed_point}


def state_sets(found: Iterable[Attractor]) -> set[frozenset[tuple[Value, ...]]]:
    return {frozenset(a.states or ()) for a in found}


@SETTINGS
@given(networks())
def test_fixed_points_agree_across_engines(net: Network) -> None:
    ref = fixed_points(attractors(net, update="async", engine="stg"))
    assert fixed_points(attractors(net, update="async", engine="aeon")) == ref
    assert fixed_points(attractors(net, update="sync")) == ref
    assert {a.fixed for a in attractors(net, update="mp", engine="fixpoints")} == ref
    assert fixed_points(attractors(net, update="mp", engine="clingo")) == ref


@SETTINGS
@given(networks())
def test_aeon_equals_explicit_graph(net: Network) -> None:
    """The symbolic engine and the explicit state graph find the same attractors, state by state."""
    assert state_sets(attractors(net, engine="aeon")) == state_sets(attractors(net, engine="stg"))


@SETTINGS
@given(networks())
def test_clingo_equals_pyboolnet(net: Network) -> None:
    ours = {a.fixed for a in attractors(net, update="mp", engine="clingo")}
    theirs = {a.fixed for a in attractors(net, update="mp", engine="pyboolnet")}
    assert ours == theirs


@SETTINGS
@given(networks())
def test_every_minimal_trap_space_holds_an_async_attractor(net: Network) -> None:
    exact = attractors(net, update="async", engine="stg")
    for space in attractors(net, update="mp"):
        inside = [a for a in exact if all(a.values.get(n) == v for n, v in space.fixed)]
        assert inside, f"no attractor in trap space {space.describe()}"
        if space.is_fixed_point:
            assert any(a.is_fixed_point and a.fixed == space.fixed for a in inside)


@SETTINGS
@given(st.data())
def test_reachable_attractors_agree_and_are_a_subset(data: st.DataObject) -> None:
    net = data.draw(networks())
    start: dict[str, Value] = {n: data.draw(st.sampled_from([0, 1])) for n in net.nodes}
    aeon = state_sets(attractors(net, engine="aeon", initial=start))
    stg = state_sets(attractors(net, engine="stg", initial=start))
    assert aeon == stg
    assert aeon <= state_sets(attractors(net, engine="stg"))
    assert aeon, "every state reaches at least one attractor"


@SETTINGS
@given(st.data())
def test_perturbed_nodes_are_fixed_in_every_attractor(data: st.DataObject) -> None:
    net = data.draw(networks())
    p = data.draw(perturbations(net))
    perturbed = apply(net, p)
    updates: tuple[UpdateScheme, ...] = ("async", "sync", "mp")
    for update in updates:
        for a in attractors(perturbed, update=update):
            for node, value in p.fixes:
                assert a.values.get(node) == value
