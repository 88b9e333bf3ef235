"""Perturbations in bioLQM / GINsim syntax: ``NODE%0`` (knock-out), ``NODE%1`` (over-expression).

A :class:`Perturbation` is a set of node fixes. Applying it replaces each fixed node's function
by a constant. The empty perturbation is the wild type (written ``WT`` in reports).

Examples
--------
>>> p = Perturbation.parse("RIP1%1, CASP8%0")
>>> str(p)
'CASP8%0 RIP1%1'
>>> Perturbation.parse(str(p)) == p
True
>>> Perturbation.parse("CASP8=0")
Traceback (most recent call last):
...
boolfate.errors.PerturbationSyntaxError: expected NODE%0 or NODE%1, got 'CASP8=0'
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("a, !b\\nb, !a")
>>> apply(net, Perturbation.parse("a%1")).functions["a"]
Const(value=True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from boolfate.errors import PerturbationSyntaxError
from boolfate.expr import NAME_PATTERN, Const, Expr
from boolfate.model import Network
from boolfate.session import origin, register_perturbed
from boolfate.types import Value

__all__ = ["Perturbation", "apply", "WILD_TYPE"]

_ITEM = re.compile(rf"({NAME_PATTERN})%([01])")


@dataclass(frozen=True, slots=True, order=True)
class Perturbation:
    """Node fixes ``((node, value), ...)`` sorted by node; empty means wild type."""

    fixes: tuple[tuple[str, Value], ...] = ()

    @classmethod
    def parse(cls, text: str) -> Perturbation:
        """Parse ``"A%0 B%1"`` (spaces and/or commas separate items; ``WT`` or '' = none).

        Raises
        ------
        PerturbationSyntaxError
            On an item not of the form ``NODE%0`` / ``NODE%1`` or a node fixed twice to
            different values.
        """
        items = [t for t in re.split(r"[\s,;]+", text.strip()) if t]
        if items in ([], ["WT"], ["wt"], ["-"]):
            return cls()
        fixes: dict[str, Value] = {}
        for item in items:
            m = _ITEM.fullmatch(item)
            if m is None:
                raise PerturbationSyntaxError(f"expected NODE%0 or NODE%1, got {item!r}")
            node = m.group(1)
            value: Value = 1 if m.group(2) == "1" else 0
            if fixes.get(node, value) != value:
                raise PerturbationSyntaxError(f"node '{node}' is fixed to both 0 and 1 in {text!r}")
            fixes[node] = value
        return cls.from_mapping(fixes)

    @classmethod
    def from_mapping(cls, fixes: Mapping[str, Value]) -> Perturbation:
        """Build from ``{node: value}``."""
        return cls(tuple(sorted((n, 1 if v else 0) for n, v in fixes.items())))

    @property
    def mapping(self) -> dict[str, Value]:
        """The fixes as a ``{node: value}`` dict."""
        return dict(self.fixes)

    @property
    def nodes(self) -> tuple[str, ...]:
        """The fixed nodes."""
        return tuple(n for n, _ in self.fixes)

    def __bool__(self) -> bool:
        return bool(self.fixes)

    def __str__(self) -> str:
        return " ".join(f"{n}%{v}" for n, v in self.fixes)

    def label(self) -> str:
        """Like ``str`` but ``WT`` for the wild type (for reports)."""
        return str(self) or "WT"

    def __add__(self, other: Perturbation) -> Perturbation:
        """Combine; ``other`` wins on shared nodes (conditions first, mutations on top)."""
        return Perturbation.from_mapping({**self.mapping, **other.mapping})

    def check(self, network: Network, *, context: str = "") -> Perturbation:
        """Return self if every node exists in ``network`` (else ``UnknownNodeError``)."""
        where = context or f"perturbation '{self}'"
        for node in self.nodes:
            network.check_node(node, context=where)
        return self

    @classmethod
    def union(cls, parts: Iterable[Perturbation]) -> Perturbation:
        """Combine several perturbations left to right."""
        out = cls()
        for p in parts:
            out = out + p
        return out


WILD_TYPE = Perturbation()
"""The empty perturbation."""


def apply(network: Network, perturbation: Perturbation) -> Network:
    """Return ``network`` with each fixed node's function replaced by its constant.

    Raises
    ------
    UnknownNodeError
        When a fixed node does not exist (with a "did you mean" suggestion).
    """
    perturbation.check(network)
    if not perturbation:
        return network
    updates: dict[str, Expr] = {n: Const(bool(v)) for n, v in perturbation.fixes}
    base, before = origin(network) or (network, ())
    fixes: tuple[tuple[str, Value], ...] = tuple(
        sorted({**dict(before), **perturbation.mapping}.items())
    )
    out = network.with_functions(updates)
    register_perturbed(out, base, fixes)
    return out
