"""Rules as BDDs (biodivine-aeon): a short DNF of each rule and of its negation.

The trap-space encoding needs, for every node, *some* DNF of ``f`` and of ``!f``: a term is
compatible with a subspace exactly when the function can take that value in it, whichever DNF
the term comes from (prime implicants are one choice, not a requirement). A BDD gives a small
DNF in time linear in its size, where Quine-McCluskey on a truth table is exponential in the
in-degree (seconds per 10-regulator rule in pure Python).

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("a, a\\nb, a & !c\\nc, b | c")
>>> rule_dnfs(net)["b"]
((((2, 1),), ((0, 0),)), (((0, 1), (2, 0)),))
"""

from __future__ import annotations

from collections.abc import Mapping

from boolfate.expr import Const, substitute
from boolfate.logic import python_source
from boolfate.model import Network

__all__ = ["Term", "rule_dnfs"]

Term = tuple[tuple[int, int], ...]
"""A conjunction as sorted ``(node index, value)`` pairs."""


def rule_dnfs(network: Network) -> Mapping[str, tuple[tuple[Term, ...], tuple[Term, ...]]]:
    """Node -> (DNF terms of ``!f``, DNF terms of ``f``), over node indices.

    Terms are ``(index, value)`` pairs sorted by index; the order of terms is the BDD's
    (deterministic). A constant rule has the empty term on its true side and none on the other.
    """
    import biodivine_aeon as ba

    ids = network.index
    ctx = ba.BddVariableSet([f"x{i}" for i in range(len(network.nodes))])
    out: dict[str, tuple[tuple[Term, ...], tuple[Term, ...]]] = {}
    for node, rule in network.rules:
        func = substitute(rule, {})  # folds nested constants away
        if isinstance(func, Const):
            out[node] = ((), ((),)) if func.value else (((),), ())
            continue
        bdd = ctx.eval_expression(
            python_source(func, lambda name: f"x{ids[name]}").replace("1 ^ ", "!")
        )
        out[node] = (_terms(bdd.l_not()), _terms(bdd))
    return out


def _terms(bdd: object) -> tuple[Term, ...]:
    clauses = bdd.to_dnf()  # type: ignore[attr-defined]
    return tuple(tuple(sorted((int(k), int(v)) for k, v in c.items())) for c in clauses)
