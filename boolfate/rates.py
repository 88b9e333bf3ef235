"""Transition rates of the stochastic (MaBoSS-semantics) dynamics and the ``[rates]`` schema.

Values only: :class:`NodeRates` per node, built from a rule (:func:`default_rates`) or from a
bundle's ``[rates]`` table (:func:`rates_from_toml`, validated when the bundle is loaded).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from boolfate.errors import BoolfateError, BundleError, suggest
from boolfate.expr import Expr, format_expr
from boolfate.logic import negation
from boolfate.model import Network
from boolfate.timescales import Timescales

__all__ = ["RateTerm", "NodeRates", "default_rates", "rates_from_toml"]

RateTerm = tuple[Expr, float]
"""``(condition, rate)``: the rate contributes ``rate`` when ``condition`` holds."""


@dataclass(frozen=True, slots=True)
class NodeRates:
    """The up and down rates of one node, each a sum of ``(condition, value)`` terms.

    ``up`` applies while the node is 0, ``down`` while it is 1. No terms means rate 0.

    Examples
    --------
    >>> from boolfate.expr import parse_expr
    >>> r = NodeRates.from_rule(parse_expr("a & !b"), up=0.1)
    >>> r.standard()
    (And(args=(Var(name='a'), Not(arg=Var(name='b')))), 0.1, 1.0)
    >>> str(r)
    'up: a & !b ? 0.1; down: !(a & !b) ? 1'
    """

    up: tuple[RateTerm, ...] = ()
    down: tuple[RateTerm, ...] = ()

    @classmethod
    def from_rule(cls, rule: Expr, *, up: float = 1.0, down: float = 1.0) -> NodeRates:
        """MaBoSS's default form: up at ``up`` when ``rule`` is 1, down at ``down`` when it is 0."""
        ups = ((rule, float(up)),) if up else ()
        downs = ((negation(rule), float(down)),) if down else ()
        return cls(ups, downs)

    def standard(self) -> tuple[Expr, float, float] | None:
        """``(rule, up, down)`` when the rates have the form of :meth:`from_rule`, else None."""
        if len(self.up) == 1 and len(self.down) == 1 and self.down[0][0] == negation(self.up[0][0]):
            return self.up[0][0], self.up[0][1], self.down[0][1]
        return None

    def __str__(self) -> str:
        def side(terms: tuple[RateTerm, ...]) -> str:
            return " + ".join(f"{format_expr(c)} ? {v:g}" for c, v in terms) or "0"

        return f"up: {side(self.up)}; down: {side(self.down)}"


def default_rates(
    network: Network,
    *,
    up: float = 1.0,
    down: float = 1.0,
    overrides: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, NodeRates]:
    """Rates of every node from its rule: ``up``/``down`` (or ``overrides[node] = (up, down)``).

    Examples
    --------
    >>> from boolfate.bnet import parse_bnet
    >>> net = parse_bnet("a, a\\nb, a")
    >>> str(default_rates(net, overrides={"b": (0.1, 1.0)})["b"])
    'up: a ? 0.1; down: !a ? 1'
    """
    out: dict[str, NodeRates] = {}
    extra = dict(overrides or {})
    for node, rule in network.rules:
        ru, rd = extra.pop(node, (up, down))
        out[node] = NodeRates.from_rule(rule, up=ru, down=rd)
    if extra:
        bad = next(iter(extra))
        raise BoolfateError(f"rates given for unknown node '{bad}'{suggest(bad, network.nodes)}")
    return out


def _rate_value(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise BundleError(f"{where}: expected a non-negative number, got {value!r}")
    return float(value)


def rates_from_toml(
    network: Network,
    raw: Mapping[str, Any],
    *,
    src: str = "model.toml",
    timescales: Timescales | None = None,
) -> dict[str, NodeRates]:
    """Read the ``[rates]`` table of a bundle's ``model.toml`` (missing table: all rates 1).

    Schema: ``[rates] default = {up = 1, down = 1}`` (optional) and one table per node,
    e.g. ``[rates.cIAP] up = 0.1`` (``down`` defaults to the default down rate). With
    ``timescales`` a node without a ``[rates.NODE]`` table gets its class's rate, up and down
    (see :mod:`boolfate.simulate` for how that relates to ``update="priority"``).

    Examples
    --------
    >>> from boolfate.bnet import parse_bnet
    >>> net = parse_bnet("a, a\\nb, a")
    >>> str(rates_from_toml(net, {"rates": {"b": {"up": 0.5}}})["b"])
    'up: a ? 0.5; down: !a ? 1'
    >>> from boolfate.timescales import Timescales
    >>> ts = Timescales.from_mapping({"fast": ["a"], "slow": ["b"]}, net.nodes)
    >>> str(rates_from_toml(net, {}, timescales=ts)["b"])
    'up: a ? 0.1; down: !a ? 0.1'
    """
    table = raw.get("rates", {})
    if not isinstance(table, Mapping):
        raise BundleError(f"{src}: [rates] must be a table")
    default = table.get("default", {})
    if not isinstance(default, Mapping):
        raise BundleError(f"{src}: [rates] default must be a table with 'up' and/or 'down'")
    d_up = _rate_value(default.get("up", 1.0), f"{src} [rates] default.up")
    d_down = _rate_value(default.get("down", 1.0), f"{src} [rates] default.down")
    overrides: dict[str, tuple[float, float]] = {}
    for node, spec in table.items():
        if node == "default":
            continue
        where = f"{src} [rates.{node}]"
        if node not in network.index:
            raise BundleError(f"{where}: unknown node '{node}'{suggest(node, network.nodes)}")
        if not isinstance(spec, Mapping) or not set(spec) <= {"up", "down"} or not spec:
            raise BundleError(f"{where}: expected a table with 'up' and/or 'down', got {spec!r}")
        overrides[node] = (
            _rate_value(spec.get("up", d_up), f"{where} up"),
            _rate_value(spec.get("down", d_down), f"{where} down"),
        )
    if timescales is not None:
        for node in network.nodes:
            rate = timescales.node_rate(node)
            overrides.setdefault(node, (rate, rate))
    return default_rates(network, up=d_up, down=d_down, overrides=overrides)
