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
from typing import Any, Protocol

from boolfate.errors import BoolfateError, suggest
from boolfate.expr import And, Const, Expr, Not, Or, Var, format_expr, substitute, variables
from boolfate.fates import FateRule, FateScheme
from boolfate.logic import negation
from boolfate.model import Network
from boolfate.perturbations import Perturbation, apply
from boolfate.rates import NodeRates, RateTerm
from boolfate.resolve import Condition
from boolfate.textio import read_text
from boolfate.types import Value


class BundleLike(Protocol):
    """What :func:`export_bundle` reads of a :class:`~boolfate.bundle.Bundle` (a protocol, so
    this reader module does not import the bundle module, which reads ``.bnd`` files with it)."""

    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def network(self) -> Network: ...
    @property
    def fates(self) -> FateScheme: ...
    @property
    def rates(self) -> Mapping[str, NodeRates]: ...
    def condition(self, ref: str | None = None) -> Condition: ...
    def initial_state(
        self, condition: Condition, perturbation: Perturbation | None = None
    ) -> dict[str, Value]: ...


__all__ = [
    "MabossError",
    "MabossModel",
    "parse_maboss",
    "read_maboss",
    "to_maboss",
    "write_maboss",
    "parse_rate_expression",
]


class MabossError(BoolfateError):
    """A ``.bnd`` / ``.cfg`` text that boolfate cannot read or write."""


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


# ---------------------------------------------------------------- expression parsing

_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(?P<param>\$[A-Za-z_]\w*)"
    r"|(?P<logic>@logic)|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<op>&&|\|\||==|!=|<=|>=|[-+*/!&|^?:()<>])|(?P<bad>\S))"
)
_WORD_OPS = {"AND": "&", "OR": "|", "NOT": "!", "XOR": "^"}

Ast = tuple[Any, ...]


class _RateParser:
    """Recursive descent over MaBoSS expressions (C precedence, ``?:`` lowest)."""

    def __init__(self, text: str, where: str) -> None:
        self.where = where
        self.toks: list[tuple[str, str]] = []
        for m in _TOKEN.finditer(text):
            kind = m.lastgroup or "bad"
            value = m.group(kind)
            if kind == "bad":
                raise MabossError(f"{where}: unexpected character {value!r} in {text.strip()!r}")
            if kind == "name" and value.upper() in _WORD_OPS:
                kind, value = "op", _WORD_OPS[value.upper()]
            if value in ("&&", "||"):
                value = value[0]
            self.toks.append((kind, value))
        self.pos = 0
        self.text = text.strip()

    def fail(self, message: str) -> MabossError:
        return MabossError(f"{self.where}: {message} in {self.text!r}")

    def peek(self) -> str | None:
        return self.toks[self.pos][1] if self.pos < len(self.toks) else None

    def take(self, value: str) -> bool:
        if self.peek() == value and self.toks[self.pos][0] == "op":
            self.pos += 1
            return True
        return False

    def parse(self) -> Ast:
        if not self.toks:
            raise self.fail("empty expression")
        out = self.ternary()
        if self.pos != len(self.toks):
            raise self.fail(f"unexpected {self.toks[self.pos][1]!r}")
        return out

    def ternary(self) -> Ast:
        cond = self.binary(0)
        if self.take("?"):
            a = self.ternary()
            if not self.take(":"):
                raise self.fail("expected ':' in a '? :' expression")
            return ("cond", cond, a, self.ternary())
        return cond

    _LEVELS: tuple[tuple[str, ...], ...] = (
        ("|",),
        ("^",),
        ("&",),
        ("==", "!="),
        ("<", ">", "<=", ">="),
        ("+", "-"),
        ("*", "/"),
    )

    def binary(self, level: int) -> Ast:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while (op := self.peek()) in self._LEVELS[level] and self.toks[self.pos][0] == "op":
            self.pos += 1
            left = ("bin", op, left, self.binary(level + 1))
        return left

    def unary(self) -> Ast:
        if self.take("!"):
            return ("not", self.unary())
        if self.take("-"):
            return ("neg", self.unary())
        if self.take("+"):
            return self.unary()
        if self.take("("):
            inner = self.ternary()
            if not self.take(")"):
                raise self.fail("missing ')'")
            return inner
        return self.primary()

    def primary(self) -> Ast:
        if self.pos >= len(self.toks):
            raise self.fail("unexpected end")
        kind, value = self.toks[self.pos]
        self.pos += 1
        if kind == "num":
            return ("num", float(value))
        if kind in ("param", "logic", "name"):
            return {"param": ("param", value[1:]), "logic": ("logic",), "name": ("node", value)}[
                kind
            ]
        raise self.fail(f"unexpected {value!r}")


@dataclass
class _Ctx:
    params: Mapping[str, float]
    logic: Expr | None
    nodes: frozenset[str] | None
    where: str


Terms = list[RateTerm]


def _simplify(terms: Terms) -> Terms:
    merged: dict[Expr, float] = {}
    for cond, value in terms:
        cond = substitute(cond, {})
        if value == 0 or cond == Const(False):
            continue
        merged[cond] = merged.get(cond, 0.0) + value
    return [(c, v) for c, v in merged.items() if v != 0]


def _constant(terms: Terms) -> float | None:
    if not terms:
        return 0.0
    if len(terms) == 1 and terms[0][0] == Const(True):
        return terms[0][1]
    return None


def _and(a: Expr, b: Expr) -> Expr:
    return substitute(And((a, b)), {})


def _leaf_bool(node: Ast, ctx: _Ctx) -> Expr:
    if node[0] == "node":
        if ctx.nodes is not None and node[1] not in ctx.nodes:
            raise MabossError(f"{ctx.where}: unknown node '{node[1]}'{suggest(node[1], ctx.nodes)}")
        return Var(node[1])
    if ctx.logic is None:
        raise MabossError(f"{ctx.where}: @logic used but the node has no 'logic'")
    return ctx.logic


def _terms_as_bool(terms: Terms, ctx: _Ctx) -> Expr:
    const = _constant(terms)
    if const is not None:
        return Const(const != 0)
    if all(v > 0 for _, v in terms):
        return substitute(Or(tuple(c for c, _ in terms)), {})
    raise MabossError(f"{ctx.where}: cannot use a signed numeric expression as a condition")


def _to_bool(node: Ast, ctx: _Ctx) -> Expr:
    tag = node[0]
    if tag in ("node", "logic"):
        return _leaf_bool(node, ctx)
    if tag == "not":
        return substitute(Not(_to_bool(node[1], ctx)), {})
    if tag == "bin" and node[1] in ("&", "|", "^"):
        a, b = _to_bool(node[2], ctx), _to_bool(node[3], ctx)
        if node[1] == "&":
            return _and(a, b)
        if node[1] == "|":
            return substitute(Or((a, b)), {})
        return substitute(Or((And((a, Not(b))), And((Not(a), b)))), {})
    return _terms_as_bool(_to_terms(node, ctx), ctx)


def _arith(op: str, a: Terms, b: Terms, ctx: _Ctx) -> Terms:
    if op == "+":
        return _simplify(a + b)
    if op == "-":
        return _simplify(a + [(c, -v) for c, v in b])
    if op == "*":
        return _simplify([(_and(x, y), u * v) for x, u in a for y, v in b])
    denominator = _constant(b)
    if denominator is None or denominator == 0:
        raise MabossError(f"{ctx.where}: division by a non-constant or zero")
    return [(c, v / denominator) for c, v in a]


def _compare(op: str, a: Terms, b: Terms, ctx: _Ctx) -> Terms:
    x, y = _constant(a), _constant(b)
    if x is None or y is None:
        raise MabossError(f"{ctx.where}: comparisons must be between constants")
    ops = {"==": x == y, "!=": x != y, "<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}
    return [(Const(True), 1.0)] if ops[op] else []


def _param_terms(name: str, ctx: _Ctx) -> Terms:
    if name not in ctx.params:
        raise MabossError(f"{ctx.where}: parameter ${name} is not set{suggest(name, ctx.params)}")
    return _simplify([(Const(True), float(ctx.params[name]))])


def _to_terms(node: Ast, ctx: _Ctx) -> Terms:
    tag = node[0]
    if tag == "num":
        return _simplify([(Const(True), node[1])])
    if tag == "param":
        return _param_terms(node[1], ctx)
    if tag == "neg":
        return [(c, -v) for c, v in _to_terms(node[1], ctx)]
    if tag == "cond":
        c = _to_bool(node[1], ctx)
        a, b = _to_terms(node[2], ctx), _to_terms(node[3], ctx)
        return _simplify(
            [(_and(c, x), v) for x, v in a] + [(_and(negation(c), x), v) for x, v in b]
        )
    if tag == "bin" and node[1] in ("+", "-", "*", "/"):
        return _arith(node[1], _to_terms(node[2], ctx), _to_terms(node[3], ctx), ctx)
    if tag == "bin" and node[1] in ("==", "!=", "<", ">", "<=", ">="):
        return _compare(node[1], _to_terms(node[2], ctx), _to_terms(node[3], ctx), ctx)
    return _simplify([(_to_bool(node, ctx), 1.0)])


def parse_rate_expression(
    text: str,
    params: Mapping[str, float] | None = None,
    *,
    logic: Expr | None = None,
    where: str = "<rate>",
) -> tuple[RateTerm, ...]:
    """Parse a MaBoSS rate expression into ``(condition, rate)`` terms.

    Examples
    --------
    >>> t = parse_rate_expression("(NFkB & !SMAC & !$del) ? $r : 0.0", {"r": 0.1, "del": 0})
    >>> [(format_expr(c), v) for c, v in t]
    [('NFkB & !SMAC', 0.1)]
    >>> parse_rate_expression("0.0 + 1000*$del", {"del": 1})
    ((Const(value=True), 1000.0),)
    """
    ast = _RateParser(text, where).parse()
    terms = _to_terms(ast, _Ctx(dict(params or {}), logic, None, where))
    for _, v in terms:
        if v < 0:
            raise MabossError(f"{where}: negative rate {v} in {text.strip()!r}")
    return tuple(terms)


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


_MABOSS_NAME = re.compile(r"[A-Za-z_]\w*")


def _fmt_cond(expr: Expr) -> str:
    return format_expr(expr)


def _fmt_terms(terms: tuple[RateTerm, ...]) -> str:
    if not terms:
        return "0.0"
    parts = []
    for cond, value in terms:
        parts.append(
            f"{value!r}" if cond == Const(True) else f"(({_fmt_cond(cond)}) ? {value!r} : 0.0)"
        )
    return " + ".join(parts)


def to_maboss(
    network: Network,
    *,
    rates: Mapping[str, NodeRates] | None = None,
    initial: Mapping[str, float] | None = None,
    settings: Mapping[str, float | str] | None = None,
    outputs: tuple[str, ...] | None = None,
    header: str = "",
) -> tuple[str, str]:
    """Return ``(bnd_text, cfg_text)`` for ``network`` with its rates and initial state.

    Parameters
    ----------
    rates
        Per-node rates (default: rates 1 from each rule).
    initial
        Probability of 1 per node (missing nodes: 0).
    settings
        ``.cfg`` settings overriding the defaults (``max_time = 100``, ``time_tick = 1``,
        ``sample_count = 10000``, ...).
    outputs
        Nodes MaBoSS reports; the others get ``is_internal = 1`` (default: all reported).
    """
    for node in network.nodes:
        if not _MABOSS_NAME.fullmatch(node):
            raise MabossError(f"node name '{node}' is not a valid MaBoSS identifier")
    given = dict(rates or {})
    lines = [f"// {line}" for line in header.splitlines()]
    for node, rule in network.rules:
        lines += _bnd_block(node, rule, given.get(node) or NodeRates.from_rule(rule))
    cfg = [f"// {line}" for line in header.splitlines()]
    cfg += _cfg_lines(network.nodes, dict(initial or {}), outputs, settings or {})
    return "\n".join(lines) + "\n", "\n".join(cfg) + "\n"


def _bnd_block(node: str, rule: Expr, nr: NodeRates) -> list[str]:
    std = nr.standard()
    lines = [f"node {node}", "{"]
    if std is not None and std[0] == rule and rule != Var(node):
        lines.append(f"  logic = {_fmt_cond(rule)};")
        lines.append(f"  rate_up = @logic ? {std[1]!r} : 0.0;")
        lines.append(f"  rate_down = @logic ? 0.0 : {std[2]!r};")
    else:
        if rule != Var(node) and not isinstance(rule, Const):
            lines.append(f"  logic = {_fmt_cond(rule)};")
        lines.append(f"  rate_up = {_fmt_terms(nr.up)};")
        lines.append(f"  rate_down = {_fmt_terms(nr.down)};")
    return [*lines, "}"]


def _cfg_lines(
    nodes: tuple[str, ...],
    initial: Mapping[str, float],
    outputs: tuple[str, ...] | None,
    settings: Mapping[str, float | str],
) -> list[str]:
    cfg = []
    for node in nodes:
        p = float(initial.get(node, 0.0))
        value = str(int(p)) if p in (0.0, 1.0) else f"{1 - p!r} [0] , {p!r} [1]"
        cfg.append(f"{node}.istate = {value};")
    if outputs is not None:
        cfg += [f"{node}.is_internal = 1;" for node in nodes if node not in outputs]
    base: dict[str, float | str] = {
        "discrete_time": 0,
        "use_physrandgen": 0,
        "seed_pseudorandom": 100,
        "sample_count": 10000,
        "max_time": 100,
        "time_tick": 1,
        "thread_count": 1,
        "statdist_traj_count": 0,
        "statdist_cluster_threshold": 1,
    }
    base.update(settings)
    for key, setting in base.items():
        text = f"{setting:g}" if isinstance(setting, float) else str(setting)
        cfg.append(f"{key} = {text};")
    return cfg


def write_maboss(
    network: Network, bnd_path: str | Path, cfg_path: str | Path | None = None, **options: Any
) -> tuple[Path, Path]:
    """Write :func:`to_maboss` output to ``bnd_path`` and ``cfg_path`` (default: beside it)."""
    bnd = Path(bnd_path)
    cfg = Path(cfg_path) if cfg_path is not None else bnd.with_suffix(".cfg")
    bnd_text, cfg_text = to_maboss(network, **options)
    try:
        bnd.write_text(bnd_text, encoding="utf-8")
        cfg.write_text(cfg_text, encoding="utf-8")
    except OSError as exc:
        raise MabossError(f"cannot write {exc.filename}: {exc.strerror}") from exc
    return bnd, cfg


def export_bundle(
    bundle: BundleLike,
    bnd_path: str | Path,
    cfg_path: str | Path | None = None,
    *,
    condition: str | None = None,
    perturbation: Any = None,
    settings: Mapping[str, float | str] | None = None,
    outputs: tuple[str, ...] | None = None,
) -> tuple[Path, Path]:
    """Export a bundle under a condition and perturbation (fixed nodes become constants).

    The bundle's ``[rates]`` are written; by default MaBoSS reports the nodes its fates use.
    """
    cond = bundle.condition(condition)
    pert = perturbation or Perturbation()
    fixes = cond.perturbation + pert
    net = apply(bundle.network, fixes)
    base = bundle.rates
    rates = {n: (NodeRates() if n in fixes.mapping else base[n]) for n in net.nodes}
    initial = {n: float(v) for n, v in bundle.initial_state(cond, pert).items()}
    if outputs is None:
        used: set[str] = set()
        for rule in bundle.fates.rules:
            used |= variables(rule.expr)
        outputs = tuple(n for n in net.nodes if n in used)
    header = (
        f"{bundle.title or bundle.name}\nexported by boolfate; condition {cond.name}, "
        f"perturbation {fixes.label()}"
    )
    return write_maboss(
        net,
        bnd_path,
        cfg_path,
        rates=rates,
        initial=initial,
        settings=settings,
        outputs=outputs,
        header=header,
    )
