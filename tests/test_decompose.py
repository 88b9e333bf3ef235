"""The trap-space decomposition engine against the symbolic and the explicit engines."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boolfate.engines import attractors
from boolfate.perturbations import apply
from tests.conftest import toy
from tests.strategies import networks, perturbations

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(networks(max_nodes=7))
def test_decompose_equals_explicit_graph_and_aeon(net: object) -> None:
    """Same attractors, state by state, as the explicit reference and the AEON engine."""
    ours = attractors(net, engine="decompose")  # type: ignore[arg-type]
    assert ours == attractors(net, engine="stg")  # type: ignore[arg-type]
    assert ours == attractors(net, engine="aeon")  # type: ignore[arg-type]


@SETTINGS
@given(st.data())
def test_decompose_on_perturbed_networks(data: st.DataObject) -> None:
    """Perturbations reuse the switched trap-space program of their origin."""
    net = data.draw(networks(max_nodes=6))
    attractors(net, engine="decompose")  # grounds the plain program first
    perturbed = apply(net, data.draw(perturbations(net)))
    assert attractors(perturbed, engine="decompose") == attractors(perturbed, engine="stg")


def test_motif_avoidant_attractor_is_found() -> None:
    """A cyclic attractor outside every minimal trap space: the only minimal trap space is
    the fixed point xA=xB=xC=1; the 3-state cycle with xC=0 avoids it."""
    net = toy("ghost_branch")
    found = attractors(net, engine="decompose")
    spaces = attractors(net, update="mp")
    assert found == attractors(net, engine="stg")
    assert [a.describe() for a in spaces] == ["xA=1 xB=1 xC=1"]
    avoiding = [a for a in found if not any(set(s.fixed) <= set(a.fixed) for s in spaces)]
    assert avoiding, "the ghost-branch network has a motif-avoidant attractor"
