"""MaBoSS rate expressions as sums of ``(condition, rate)`` terms, ``$parameters`` substituted.

``rate_up = (@logic ? 0 : 1) + 1000 * $CASP8_del`` and state-dependent rates such as
``rate_up = NFkB & !SMAC ? $TransRate : 0`` both become :class:`~boolfate.rates.RateTerm` sums.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from boolfate.errors import BoolfateError, suggest
from boolfate.expr import And, Const, Expr, Not, Or, Var, substitute
from boolfate.logic import negation
from boolfate.rates import RateTerm


class MabossError(BoolfateError):
    """A ``.bnd`` / ``.cfg`` text that boolfate cannot read or write."""


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
    >>> from boolfate.expr import format_expr
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
