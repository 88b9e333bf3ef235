"""Hypothesis strategies: random small Boolean networks and perturbations over them."""

from __future__ import annotations

from hypothesis import strategies as st

from boolfate.expr import And, Const, Expr, Not, Or, Var
from boolfate.model import Network
from boolfate.perturbations import Perturbation


def expressions(names: list[str], depth: int = 3) -> st.SearchStrategy[Expr]:
    """Random expressions over ``names`` (at most ``depth`` levels)."""
    leaves: st.SearchStrategy[Expr] = st.one_of(
        st.sampled_from(names).map(Var),
        st.sampled_from(names).map(Var),
        st.booleans().map(Const),
    )
    if depth <= 0:
        return leaves
    sub = expressions(names, depth - 1)
    return st.one_of(
        leaves,
        sub.map(Not),
        st.lists(sub, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
        st.lists(sub, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs))),
    )


@st.composite
def networks(draw: st.DrawFn, max_nodes: int = 5) -> Network:
    """Random networks of 1..max_nodes nodes, each rule over at most 3 regulators."""
    n = draw(st.integers(1, max_nodes))
    names = [f"n{i}" for i in range(n)]
    rules = []
    for name in names:
        regs = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        rules.append((name, draw(expressions(regs, depth=2))))
    return Network(tuple(rules), name="random")


@st.composite
def perturbations(draw: st.DrawFn, network: Network) -> Perturbation:
    """Random perturbations over ``network``'s nodes."""
    nodes = draw(st.lists(st.sampled_from(list(network.nodes)), unique=True, max_size=2))
    return Perturbation.from_mapping({n: draw(st.sampled_from([0, 1])) for n in nodes})
