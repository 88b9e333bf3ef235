"""Perturbations in NODE%0 / NODE%1 syntax."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boolfate.bnet import parse_bnet
from boolfate.errors import PerturbationSyntaxError, UnknownNodeError
from boolfate.expr import Const
from boolfate.perturbations import Perturbation, apply
from tests.strategies import networks, perturbations


def test_parse_separators_and_order() -> None:
    p = Perturbation.parse("RIP1%1,CASP8%0  BAX%0")
    assert str(p) == "BAX%0 CASP8%0 RIP1%1"
    assert p.mapping == {"BAX": 0, "CASP8": 0, "RIP1": 1}
    assert Perturbation.parse("") == Perturbation.parse("WT") == Perturbation()
    assert Perturbation().label() == "WT"


@pytest.mark.parametrize("bad", ["CASP8=0", "CASP8%2", "%0", "CASP8"])
def test_bad_syntax(bad: str) -> None:
    with pytest.raises(PerturbationSyntaxError, match="expected NODE%0 or NODE%1"):
        Perturbation.parse(bad)


def test_conflicting_values() -> None:
    with pytest.raises(PerturbationSyntaxError, match="both 0 and 1"):
        Perturbation.parse("A%0 A%1")


def test_unknown_node_suggests(calzone) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownNodeError, match=r"did you mean 'CASP8' or 'CASP3'\?"):
        apply(calzone.network, Perturbation.parse("CASP9%0"))


def test_apply_fixes_functions() -> None:
    net = parse_bnet("a, !b\nb, !a")
    out = apply(net, Perturbation.parse("a%1"))
    assert out.functions["a"] == Const(True)
    assert out.functions["b"] == net.functions["b"]


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_apply_idempotent_and_composable(data) -> None:  # type: ignore[no-untyped-def]
    net = data.draw(networks())
    p = data.draw(perturbations(net))
    q = data.draw(perturbations(net))
    assert apply(apply(net, p), p) == apply(net, p)
    if not set(p.nodes) & set(q.nodes):
        assert apply(apply(net, p), q) == apply(net, p + q)
    assert Perturbation.parse(str(p)) == p
