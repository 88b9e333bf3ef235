"""Fates: named Boolean rules over read-out nodes that classify attractors.

Every rule is evaluated on its own. An attractor gets every rule that holds on **all** its
states, joined with ``+`` in the scheme's order (``Apoptosis+Necroptosis``: a mixed attractor is
reported as such, never reduced to one fate), followed by every rule that holds on some of its
states only, marked ``oscillating:<Fate>``. When no rule holds anywhere, the attractor gets the
scheme's ``default`` name (e.g. ``Naive``). :func:`fate_parts` splits a label back into fates.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> from boolfate.engines import attractors
>>> net = parse_bnet("x, !x\\nd, d")
>>> scheme = FateScheme.from_mapping({"Death": "d", "Pulse": "x"}, net, default="Quiet")
>>> [scheme.classify(a) for a in attractors(net)]
['oscillating:Pulse', 'Death+oscillating:Pulse']
>>> fate_parts('Death+oscillating:Pulse')
('Death', 'Pulse')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from boolfate.attractor import Attractor
from boolfate.errors import BnetSyntaxError, FateSchemeError, suggest
from boolfate.expr import Const, Expr, evaluate, format_expr, parse_expr, substitute, variables
from boolfate.model import Network

__all__ = ["FateRule", "FateScheme", "OSCILLATING_PREFIX", "JOIN", "base_fate", "fate_parts"]

OSCILLATING_PREFIX = "oscillating:"
JOIN = "+"
"""Joins the fates of a mixed attractor (``Apoptosis+Necroptosis``)."""


def fate_parts(label: str) -> tuple[str, ...]:
    """The fates in a label, without ``oscillating:`` marks.

    >>> fate_parts("Apoptosis+oscillating:Survival")
    ('Apoptosis', 'Survival')
    """
    return tuple(part.removeprefix(OSCILLATING_PREFIX) for part in label.split(JOIN))


def base_fate(label: str) -> str:
    """The first fate of a label, unmarked (orders and colours labels).

    ``'oscillating:Survival'`` -> ``'Survival'``; ``'Apoptosis+Necroptosis'`` -> ``'Apoptosis'``.
    """
    return fate_parts(label)[0]


@dataclass(frozen=True, slots=True)
class FateRule:
    """One named fate: a Boolean expression over network nodes."""

    name: str
    expr: Expr

    def __str__(self) -> str:
        return f"{self.name} = {format_expr(self.expr)}"


@dataclass(frozen=True, slots=True)
class FateScheme:
    """An ordered list of fate rules plus the name used when none holds."""

    rules: tuple[FateRule, ...]
    default: str = "Unclassified"

    @classmethod
    def from_mapping(
        cls,
        rules: Mapping[str, str],
        network: Network,
        *,
        default: str = "Unclassified",
        source: str = "<fates>",
    ) -> FateScheme:
        """Parse ``{name: expression}`` (in order) and check every node exists.

        Raises
        ------
        FateSchemeError
            On a syntax error or an unknown node (with a suggestion).
        """
        out = []
        for name, text in rules.items():
            if not isinstance(text, str):
                raise FateSchemeError(f"{source}: fate '{name}' must be a string expression")
            try:
                expr = parse_expr(text, source=f"{source} [fates] {name}")
            except BnetSyntaxError as exc:
                raise FateSchemeError(str(exc)) from exc
            for var in sorted(variables(expr)):
                if var not in network.index:
                    raise FateSchemeError(
                        f"{source}: fate '{name}' uses unknown node '{var}'"
                        f"{suggest(var, network.nodes)}"
                    )
            out.append(FateRule(name, expr))
        if not out:
            raise FateSchemeError(f"{source}: the [fates] table is empty")
        if default in rules:
            raise FateSchemeError(f"{source}: the default fate '{default}' is also a rule name")
        return cls(tuple(out), default)

    @property
    def names(self) -> tuple[str, ...]:
        """Fate names in rule order, then the default."""
        return (*(r.name for r in self.rules), self.default)

    def classify(self, attractor: Attractor, network: Network | None = None) -> str:
        """Return the fate of ``attractor`` (see the module docstring for the rule)."""
        del network
        verdicts = [(rule.name, _holds(rule.expr, attractor)) for rule in self.rules]
        full = [name for name, verdict in verdicts if verdict == "all"]
        partial = [OSCILLATING_PREFIX + name for name, verdict in verdicts if verdict == "some"]
        return JOIN.join(full + partial) or self.default


def _holds(expr: Expr, attractor: Attractor) -> str:
    """``'all'``, ``'some'`` or ``'none'``: on how many of the attractor's states ``expr`` holds."""
    reduced = substitute(expr, attractor.values)
    if isinstance(reduced, Const):
        return "all" if reduced.value else "none"
    if attractor.states is None:
        return "some"  # a subspace on which the rule is not constant
    states = attractor.state_dicts()
    hits = sum(1 for state in states if evaluate(reduced, state))
    if hits == len(states):
        return "all"
    return "some" if hits else "none"
