"""The :class:`Network` value: named Boolean update functions in file order.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("a, a\\nb, a & !c\\nc, b")
>>> net.nodes
('a', 'b', 'c')
>>> net.inputs
('a',)
>>> net.regulators("b")
('a', 'c')
>>> sorted(net.interaction_graph().edges(data="sign"))
[('a', 'a', '+'), ('a', 'b', '+'), ('b', 'c', '+'), ('c', 'b', '-')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from boolfate.errors import UnknownNodeError, suggest
from boolfate.expr import Expr, Var, format_expr, variables
from boolfate.logic import (
    MAX_REGULATORS,
    Term,
    edge_sign,
    negation,
    prime_implicants,
    truth_table,
)

__all__ = ["Network", "Sign"]

Sign = Literal["+", "-", "±"]
"""Sign of a regulation: activation, inhibition, or dual (depends on other regulators)."""


@dataclass(frozen=True)
class Network:
    """A Boolean network: one update function per node, in file order.

    Parameters
    ----------
    rules
        ``(node, function)`` pairs; every variable of a function must be a node.
    name
        A short label (file stem or bundle name).
    source
        Where the rules were read from (not part of equality).
    """

    rules: tuple[tuple[str, Expr], ...]
    name: str = "network"
    source: Path | None = field(default=None, compare=False)
    implicit_inputs: tuple[str, ...] = field(default=(), compare=False)
    """Inputs the file left implicit (used in a rule without a rule of their own)."""

    def __repr__(self) -> str:
        return f"Network(name={self.name!r}, nodes={len(self.nodes)}, inputs={len(self.inputs)})"

    def __getstate__(self) -> dict[str, Any]:
        # engine sessions (locks, solvers) and perturbation origins stay in their process
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_boolfate_")}

    @cached_property
    def functions(self) -> Mapping[str, Expr]:
        """Node name -> update function, in file order."""
        return dict(self.rules)

    @cached_property
    def nodes(self) -> tuple[str, ...]:
        """Node names in file order."""
        return tuple(n for n, _ in self.rules)

    @cached_property
    def index(self) -> Mapping[str, int]:
        """Node name -> position in :attr:`nodes` (bit position in packed states)."""
        return {n: i for i, n in enumerate(self.nodes)}

    @cached_property
    def inputs(self) -> tuple[str, ...]:
        """Nodes whose function is the node itself (``X, X``): the environment."""
        return tuple(n for n, f in self.rules if f == Var(n))

    @cached_property
    def outputs(self) -> tuple[str, ...]:
        """Nodes that regulate no other node (read-outs such as ``Apoptosis``)."""
        used: set[str] = set()
        for n, f in self.rules:
            used.update(v for v in variables(f) if v != n)
        return tuple(n for n in self.nodes if n not in used)

    @cached_property
    def implicants(self) -> Mapping[str, tuple[tuple[Term, ...], tuple[Term, ...]]]:
        """Node -> (prime implicants of ``!f``, prime implicants of ``f``), computed once."""
        return {n: (prime_implicants(negation(f)), prime_implicants(f)) for n, f in self.rules}

    @cached_property
    def tables(self) -> Mapping[str, tuple[tuple[str, ...], int | None]]:
        """Node -> (its regulators, the truth table of its rule over them); see ``logic``.

        The table is None for a rule over more than ``logic.MAX_REGULATORS`` regulators (use
        ``logic.constant_under`` on the rule, which works on its BDD).
        """
        out: dict[str, tuple[tuple[str, ...], int | None]] = {}
        for n, f in self.rules:
            names = tuple(sorted(variables(f)))
            out[n] = truth_table(f) if len(names) <= MAX_REGULATORS else (names, None)
        return out

    @cached_property
    def rule_texts(self) -> Mapping[str, str]:
        """Node -> its rule in ``.bnet`` syntax."""
        return {n: format_expr(f) for n, f in self.rules}

    @cached_property
    def users(self) -> Mapping[str, tuple[str, ...]]:
        """Node -> the nodes whose functions mention it, in network order."""
        out: dict[str, list[str]] = {n: [] for n in self.nodes}
        for target, func in self.rules:
            for var in variables(func):
                out[var].append(target)
        return {n: tuple(sorted(ts, key=self.index.__getitem__)) for n, ts in out.items()}

    def regulators(self, node: str) -> tuple[str, ...]:
        """Return the nodes that occur in ``node``'s function, in network order."""
        used = variables(self.functions[self.check_node(node)])
        return tuple(n for n in self.nodes if n in used)

    def check_node(self, node: str, *, context: str = "") -> str:
        """Return ``node`` if it exists, else raise :class:`UnknownNodeError` with a suggestion."""
        if node not in self.index:
            where = f" in {context}" if context else ""
            raise UnknownNodeError(
                f"unknown node '{node}'{where}{suggest(node, self.nodes)}"
                + (
                    ""
                    if suggest(node, self.nodes)
                    else f" (the network '{self.name}' has "
                    f"{len(self.nodes)} nodes; run 'boolfate info' to list them)"
                )
            )
        return node

    def with_functions(self, updates: Mapping[str, Expr]) -> Network:
        """Return a copy with some functions replaced (nodes must exist)."""
        for n in updates:
            self.check_node(n)
        rules = tuple((n, updates.get(n, f)) for n, f in self.rules)
        return Network(rules, name=self.name, source=self.source)

    def subnetwork_order(self, names: Iterable[str]) -> tuple[str, ...]:
        """Return ``names`` sorted in network order (unknown names raise)."""
        wanted = {self.check_node(n) for n in names}
        return tuple(n for n in self.nodes if n in wanted)

    def interaction_graph(self) -> Any:
        """Return the signed regulatory graph as a :class:`networkx.DiGraph`.

        Each edge ``u -> v`` has attribute ``sign`` in ``{"+", "-", "±"}`` computed from the
        truth table of ``v``'s function (so ``a & !a``-style non-functional mentions are dropped).
        """
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(self.nodes)
        for target, func in self.rules:
            for reg in self.regulators(target):
                sign = edge_sign(func, reg)
                if sign is not None:
                    graph.add_edge(reg, target, sign=sign)
        return graph
