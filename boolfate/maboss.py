"""Read and write MaBoSS models (``.bnd`` network + ``.cfg`` configuration).

Import turns every ``rate_up`` / ``rate_down`` expression into a sum of ``(condition, rate)`` terms
(:class:`~boolfate.rates.NodeRates`) after substituting the ``$parameters`` of the ``.cfg``
(or overrides), so mutant switches such as ``rate_down = (@logic ? 0 : 1) + 1000 * $CASP8_del``
and state-dependent rates such as ``rate_up = NFkB & !SMAC ? $TransRate : 0`` are both supported.
Each node's Boolean rule (for attractor analyses) is ``logic`` when the rates have the default form,
else it is derived from the rates: the node turns on where its up rate is positive and stays on
where its down rate is zero. Nodes without ``istate`` start at 0 or 1 with probability 1/2, as in
MaBoSS.

Examples
--------
>>> bnd = '''
... node A { rate_up = 0; rate_down = 0; }
... node B { logic = A & !C; rate_up = @logic ? $k : 0.0; rate_down = @logic ? 0.0 : 1.0; }
... node C { logic = B; }
... '''
>>> m = parse_maboss(bnd, "$k = 0.5; A.istate = 1; B.istate = 0; C.istate = 0; max_time = 10;")
>>> m.network.nodes, str(m.rates["B"])
(('A', 'B', 'C'), 'up: A & !C ? 0.5; down: !(A & !C) ? 1')
>>> m.initial["A"], m.settings["max_time"]
(1.0, 10.0)
>>> bnd_text, cfg_text = to_maboss(m.network, rates=m.rates, initial=m.initial)
>>> parse_maboss(bnd_text, cfg_text).rates == m.rates
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from boolfate.errors import suggest
from boolfate.expr import And, Const, Expr, Not, Or, Var, substitute, variables
from boolfate.fates import FateRule, FateScheme
from boolfate.logic import negation
from boolfate.maboss_export import export_bundle, to_maboss, write_maboss
from boolfate.maboss_rates import (
    MabossError,
    _constant,
    _Ctx,
    _RateParser,
    _to_bool,
    _to_terms,
    parse_rate_expression,
)
from boolfate.model import Network
from boolfate.rates import NodeRates, RateTerm
from boolfate.textio import read_text

__all__ = [
    "MabossError",
    "MabossModel",
    "parse_maboss",
    "read_maboss",
    "to_maboss",
    "write_maboss",
    "parse_rate_expression",
    "export_bundle",
]


@dataclass(frozen=True)
class MabossModel:
    """An imported MaBoSS model.

    Attributes
    ----------
    network
        One rule per node (``logic``, or derived from the rates).
    rates
        Per-node up/down rate terms, parameters substituted.
    initial
        Probability that each node starts at 1.
    parameters
        ``$name`` -> value, after overrides.
    settings
        Other ``.cfg`` settings (``max_time``, ``time_tick``, ``sample_count``, ...).
    internal
        Nodes marked ``is_internal`` (MaBoSS does not report them).
    """

    network: Network
    rates: Mapping[str, NodeRates]
    initial: Mapping[str, float]
    parameters: Mapping[str, float] = field(default_factory=dict)
    settings: Mapping[str, float | str] = field(default_factory=dict)
    internal: frozenset[str] = frozenset()
    outputs: tuple[str, ...] = ()

    def fate_scheme(self, default: str = "none") -> FateScheme:
        """One fate per output node (named in no other node's logic or rates), in file order."""
        rules = tuple(FateRule(n, Var(n)) for n in self.outputs or self.network.outputs)
        return FateScheme(rules, default)


# ---------------------------------------------------------------- files

_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_NODE = re.compile(r"\b[Nn]ode\s+([A-Za-z_]\w*)\s*\{([^{}]*)\}")
_ATTR = re.compile(r"\s*([A-Za-z_]\w*)\s*=\s*(.*)", re.S)


def _statements(text: str) -> list[str]:
    out: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    if "".join(buf).strip():
        out.append("".join(buf).strip())
    return [s for s in out if s]


def _const_value(text: str, params: Mapping[str, float], where: str) -> float:
    terms = parse_rate_expression(text, params, where=where) if text.strip() else ()
    value = _constant(list(terms))
    if value is None:
        raise MabossError(f"{where}: expected a constant, got {text.strip()!r}")
    return value


@dataclass
class _Cfg:
    params: dict[str, float] = field(default_factory=dict)
    istates: dict[str, float] = field(default_factory=dict)
    settings: dict[str, float | str] = field(default_factory=dict)
    internal: set[str] = field(default_factory=set)

    def entry(self, lhs: str, rhs: str) -> None:
        if lhs.endswith(".istate"):
            node = lhs[: -len(".istate")]
            if node.startswith("["):
                raise MabossError(f".cfg: joint initial states ({lhs}) are not supported")
            self.istates[node] = _istate(rhs, self.params, lhs)
        elif lhs.endswith(".is_internal"):
            if _const_value(rhs, self.params, lhs):
                self.internal.add(lhs[: -len(".is_internal")])
        elif "." not in lhs:  # per-node settings such as refstate are not used
            try:
                self.settings[lhs] = float(rhs)
            except ValueError:
                self.settings[lhs] = rhs.strip('"')


def _parse_cfg(text: str, overrides: Mapping[str, float]) -> _Cfg:
    pairs: list[tuple[str, str]] = []
    for stmt in _statements(_COMMENTS.sub("", text)):
        if "=" not in stmt:
            raise MabossError(f".cfg: expected 'name = value', got {stmt!r}")
        lhs, rhs = (s.strip() for s in stmt.split("=", 1))
        pairs.append((lhs, rhs))
    cfg = _Cfg()
    for lhs, rhs in pairs:  # parameters first, in order: later ones may use earlier ones
        if lhs.startswith("$"):
            name = lhs[1:]
            value = overrides.get(name)
            cfg.params[name] = (
                float(value) if value is not None else _const_value(rhs, cfg.params, lhs)
            )
    for name, value in overrides.items():
        cfg.params.setdefault(name, float(value))
    for lhs, rhs in pairs:
        if not lhs.startswith("$"):
            cfg.entry(lhs, rhs)
    return cfg


def _istate(rhs: str, params: Mapping[str, float], where: str) -> float:
    """``0``, ``1``, ``-1`` (random) or ``p0 [0] , p1 [1]``: probability of 1."""
    if "[" not in rhs:
        value = _const_value(rhs, params, where)
        return 0.5 if value < 0 else float(value != 0)
    weights = {0: 0.0, 1: 0.0}
    for part in rhs.split(","):
        m = re.fullmatch(r"\s*(.+?)\s*\[\s*([01])\s*\]\s*", part)
        if m is None:
            raise MabossError(f"{where}: cannot read initial state {rhs!r}")
        weights[int(m.group(2))] += _const_value(m.group(1), params, where)
    total = weights[0] + weights[1]
    if total <= 0:
        raise MabossError(f"{where}: initial-state weights sum to zero")
    return weights[1] / total


def parse_maboss(
    bnd: str,
    cfg: str = "",
    *,
    parameters: Mapping[str, float] | None = None,
    name: str = "maboss",
) -> MabossModel:
    """Parse ``.bnd`` and ``.cfg`` texts; ``parameters`` override ``$name`` values (no ``$``).

    Raises
    ------
    MabossError
        On syntax errors, unknown nodes or parameters, or unsupported constructs.
    """
    overrides = {k.lstrip("$"): float(v) for k, v in (parameters or {}).items()}
    known = sorted(set(re.findall(r"\$(\w+)", _COMMENTS.sub("", f"{bnd}\n{cfg}"))))
    for key in overrides:
        if key not in known:
            listed = ", ".join(f"${k}" for k in known) or "none"
            raise MabossError(
                f"unknown parameter '${key}'{suggest(key, known)}; the model's parameters: "
                + listed
            )
    cfg_data = _parse_cfg(cfg, overrides)
    blocks = _NODE.findall(_COMMENTS.sub("", bnd))
    if not blocks:
        raise MabossError(".bnd: no 'node NAME { ... }' block found")
    names = [n for n, _ in blocks]
    node_set = frozenset(names)
    if len(node_set) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise MabossError(f".bnd: node '{dup}' is defined twice")
    rules: list[tuple[str, Expr]] = []
    rates: dict[str, NodeRates] = {}
    mentioned: set[str] = set()
    for node, body in blocks:
        attrs = _node_attrs(node, body)
        for key in ("logic", "rate_up", "rate_down"):
            words = set(re.findall(r"(?<![$@\w])[A-Za-z_]\w*", attrs.get(key, "")))
            mentioned.update(words & node_set - {node})
        if attrs.get("is_internal", "0").strip() not in ("0", "FALSE", "false"):
            cfg_data.internal.add(node)
        logic, rates[node] = _node_rates(node, attrs, cfg_data.params, node_set)
        rules.append((node, _rule(node, rates[node], logic)))
    for node in list(cfg_data.istates) + sorted(cfg_data.internal):
        if node not in node_set:
            raise MabossError(f".cfg: unknown node '{node}'{suggest(node, names)}")
    return MabossModel(
        network=Network(tuple(rules), name=name),
        rates=rates,
        initial={n: cfg_data.istates.get(n, 0.5) for n in names},
        parameters=cfg_data.params,
        settings=cfg_data.settings,
        internal=frozenset(cfg_data.internal),
        outputs=tuple(n for n in names if n not in mentioned),
    )


def _node_attrs(node: str, body: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for stmt in _statements(body):
        m = _ATTR.fullmatch(stmt)
        if m is None:
            raise MabossError(f".bnd node {node}: expected 'attribute = value', got {stmt!r}")
        attrs[m.group(1)] = m.group(2)
    return attrs


def _node_rates(
    node: str, attrs: Mapping[str, str], params: Mapping[str, float], nodes: frozenset[str]
) -> tuple[Expr | None, NodeRates]:
    """The node's ``logic`` (if any) and its rates (MaBoSS defaults when a rate is missing)."""
    logic: Expr | None = None
    if "logic" in attrs:
        ctx = _Ctx(params, None, nodes, f".bnd node {node} logic")
        logic = _to_bool(_RateParser(attrs["logic"], ctx.where).parse(), ctx)
    sides: list[tuple[RateTerm, ...]] = []
    for attr, default in (("rate_up", "@logic ? 1.0 : 0.0"), ("rate_down", "@logic ? 0.0 : 1.0")):
        text = attrs.get(attr, default if logic is not None else "0.0")
        ctx = _Ctx(params, logic, nodes, f".bnd node {node} {attr}")
        terms = _to_terms(_RateParser(text, ctx.where).parse(), ctx)
        if any(v < 0 for _, v in terms):
            raise MabossError(f"{ctx.where}: the rate can be negative")
        sides.append(tuple(terms))
    return logic, NodeRates(sides[0], sides[1])


def _rule(node: str, nr: NodeRates, logic: Expr | None) -> Expr:
    std = nr.standard()
    if std is not None and (logic is None or std[0] == logic):
        return std[0]
    up: Expr = substitute(Or(tuple(c for c, _ in nr.up) or (Const(False),)), {})
    down: Expr = substitute(Or(tuple(c for c, _ in nr.down) or (Const(False),)), {})
    x = Var(node)
    rule = substitute(Or((And((Not(x), up)), And((x, negation(down))))), {})
    if rule == Const(False) or rule == Const(True):
        return rule
    if variables(rule) == {node} and up == Const(False) and down == Const(False):
        return x
    return rule


def read_maboss(
    bnd: str | Path,
    cfg: str | Path | None = None,
    *,
    parameters: Mapping[str, float] | None = None,
) -> MabossModel:
    """Read a ``.bnd`` file and its ``.cfg`` (default: the ``.cfg`` beside it, if any)."""
    bnd_path = Path(bnd)
    cfg_path = Path(cfg) if cfg is not None else bnd_path.with_suffix(".cfg")
    try:
        bnd_text = read_text(bnd_path, error=MabossError)
        has_cfg = cfg is not None or cfg_path.exists()
        cfg_text = read_text(cfg_path, error=MabossError) if has_cfg else ""
    except OSError as exc:
        raise MabossError(f"cannot read {exc.filename}: {exc.strerror}") from exc
    return parse_maboss(bnd_text, cfg_text, parameters=parameters, name=bnd_path.stem)
