"""Percolation (forced values and their reasons) against a naive reference implementation."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from boolfate.bnet import parse_bnet
from boolfate.expr import evaluate, variables
from boolfate.model import Network
from boolfate.percolation import percolate, stable_values
from boolfate.perturbations import apply
from tests.strategies import networks, perturbations


def naive(network: Network, values: dict[str, int]) -> dict[str, int]:
    """Fix every node whose rule takes one value on all completions of the fixed values
    (brute force over the other regulators), until nothing changes."""
    values = dict(values)
    changed = True
    while changed:
        changed = False
        for node, func in network.rules:
            if node in values:
                continue
            free = sorted(variables(func) - set(values))
            outs = {
                evaluate(func, {**values, **dict(zip(free, bits, strict=True))})
                for bits in itertools.product((0, 1), repeat=len(free))
            }
            if len(outs) == 1:
                values[node] = int(outs.pop())
                changed = True
    return values


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_percolation_equals_naive_fixpoint(data: st.DataObject) -> None:
    net = apply(*(lambda n: (n, data.draw(perturbations(n))))(data.draw(networks(max_nodes=6))))
    result = percolate(net, {})
    assert result.values == naive(net, {})
    assert stable_values(net, None) == naive(net, {})
    fixed = dict(result.values)
    for step in result.trace:  # each reason holds and forces the value on its own
        assert all(fixed[n] == v for n, v in step.because)
        if step.because:  # the reason alone forces the value, whatever the other inputs
            func, known = net.functions[step.node], dict(step.because)
            free = sorted(variables(func) - set(known))
            outs = {
                evaluate(func, {**known, **dict(zip(free, bits, strict=True))})
                for bits in itertools.product((0, 1), repeat=len(free))
            }
            assert outs == {bool(step.value)}


def test_trace_is_causal_and_explained() -> None:
    net = apply(
        parse_bnet("a, a\nb, a & !c\nc, b | c\nd, !b"),
        __import__("boolfate.perturbations").perturbations.Perturbation.parse("a%0"),
    )
    trace = [str(s) for s in percolate(net, {}).trace]
    assert trace == [
        "a=0 because a = 0",
        "b=0 because b = a & !c and a=0",
        "d=1 because d = !b and b=0",
    ]
