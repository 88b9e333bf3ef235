"""Boolean expressions: a small frozen AST, its parser, evaluation and formatting.

Grammar (the ``.bnet`` convention, with ``^`` as in biodivine-aeon): ``expr := term ('|' term)*``,
``term := xor ('&' xor)*``, ``xor := factor ('^' factor)*``,
``factor := '!' factor | '(' expr ')' | NAME | 0 | 1 | true | false``. ``~`` is accepted for ``!``;
``a ^ b`` is read as ``a & !b | !a & b``. The parser uses no recursion and nesting is bounded by
:data:`MAX_DEPTH`, so every walk over an expression stays far below Python's recursion limit.

Examples
--------
>>> e = parse_expr("!a & (b | c)")
>>> format_expr(e)
'!a & (b | c)'
>>> evaluate(e, {"a": 0, "b": 1, "c": 0})
True
>>> sorted(variables(e))
['a', 'b', 'c']
>>> format_expr(substitute(e, {"a": 0}))
'b | c'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from boolfate.errors import BnetSyntaxError

__all__ = [
    "Const",
    "Var",
    "Not",
    "And",
    "Or",
    "Expr",
    "parse_expr",
    "format_expr",
    "evaluate",
    "variables",
    "substitute",
    "NAME_PATTERN",
    "MAX_DEPTH",
    "constant_value",
]

NAME_PATTERN = r"[A-Za-z0-9_][A-Za-z0-9_.:\-]*"
"""Node names: letters, digits, ``_``, ``.``, ``:`` or ``-`` (not starting with ``.:-``).

``0``, ``1``, ``true`` and ``false`` (any case) are the constants, never node names."""

MAX_DEPTH = 200
"""Deepest nesting of operators in one rule (parentheses alone, and chains of one operator such
as ``((a & b) & c) & d``, do not count)."""

MAX_XOR = 12
"""Most ``^`` operators in one rule (``^`` is expanded into ``&``, ``|`` and ``!``)."""


@dataclass(frozen=True, slots=True)
class Const:
    """The constant ``0`` or ``1``."""

    value: bool


@dataclass(frozen=True, slots=True)
class Var:
    """A reference to a node."""

    name: str


@dataclass(frozen=True, slots=True)
class Not:
    """Negation."""

    arg: Expr


@dataclass(frozen=True, slots=True)
class And:
    """Conjunction of two or more operands."""

    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """Disjunction of two or more operands."""

    args: tuple[Expr, ...]


Expr: TypeAlias = Const | Var | Not | And | Or
"""A Boolean expression over node names."""

_TOKEN = re.compile(rf"\s*(?:(?P<name>{NAME_PATTERN})|(?P<op>[!&|^()~])|(?P<bad>\S))")
_CONSTANTS = {"0": False, "1": True, "true": True, "false": False}
_BINARY = {"|": 1, "&": 2, "^": 3}  # precedence, as in biodivine-aeon: '^' binds tightest


def constant_value(name: str) -> bool | None:
    """Return the value of a constant spelling (``0``, ``1``, ``true``, ``false``, any case).

    Examples
    --------
    >>> constant_value("TRUE"), constant_value("0"), constant_value("ATP")
    (True, False, None)
    """
    return _CONSTANTS.get(name.lower())


def _xor(a: Expr, b: Expr) -> Expr:
    return Or((And((a, Not(b))), And((Not(a), b))))


class _Parser:
    """Operator-precedence parser (no recursion) producing :data:`Expr`, 1-based columns."""

    def __init__(self, text: str, source: str, line: int, column: int) -> None:
        self.source, self.line, self.col0 = source, line, column
        self.end = column + len(text.rstrip())
        self.text = text
        self.operands: list[tuple[Expr, int]] = []  # (expression, depth)
        self.ops: list[list[Any]] = []  # [operator, column, arity]
        self.xors = 0

    def error(self, message: str, column: int) -> BnetSyntaxError:
        return BnetSyntaxError(message, source=self.source, line=self.line, column=column)

    def reduce_top(self) -> None:
        op, col, arity = self.ops.pop()
        if op == "!":
            arg, depth = self.operands.pop()
            self.push(Not(arg), depth + 1, col)
            return
        args = self.operands[-arity:]
        del self.operands[-arity:]
        if op == "^":
            depth = 1 + max(d for _, d in args)
            self.xors += arity - 1
            if self.xors > MAX_XOR:
                raise self.error(
                    f"more than {MAX_XOR} '^' in one rule (boolfate.expr.MAX_XOR); "
                    "write the rule with '&', '|' and '!'",
                    col,
                )
            result = args[0][0]
            for other, _ in args[1:]:
                result = _xor(result, other)
            self.push(result, depth + 2 * (arity - 1), col)
            return
        kind = And if op == "&" else Or
        # Associativity: an operand of the same kind is spliced in, so left- or right-nested
        # chains such as ((a & b) & c) & d become one flat node and do not count as nesting.
        flat: list[Expr] = []
        depth = 1
        for e, d in args:
            if isinstance(e, kind):
                flat.extend(e.args)
                depth = max(depth, d)
            else:
                flat.append(e)
                depth = max(depth, d + 1)
        self.push(kind(tuple(flat)), depth, col)

    def push(self, expr: Expr, depth: int, col: int) -> None:
        if depth > MAX_DEPTH:
            raise self.error(
                f"the rule nests operators more than {MAX_DEPTH} levels deep "
                "(boolfate.expr.MAX_DEPTH); simplify it",
                col,
            )
        self.operands.append((expr, depth))

    def operand_done(self) -> None:
        while self.ops and self.ops[-1][0] == "!":
            self.reduce_top()

    def binary(self, op: str, col: int) -> None:
        prec = _BINARY[op]
        while self.ops and self.ops[-1][0] in _BINARY and _BINARY[self.ops[-1][0]] > prec:
            self.reduce_top()
        if self.ops and self.ops[-1][0] == op:
            self.ops[-1][2] += 1
        else:
            self.ops.append([op, col, 2])

    def close(self, col: int) -> None:
        while self.ops and self.ops[-1][0] != "(":
            self.reduce_top()
        if not self.ops:
            raise self.error("unexpected ')' without a matching '('", col)
        self.ops.pop()
        self.operand_done()

    def operand(self, kind: str, text: str, col: int) -> bool:
        """Handle a token where an operand is expected; True once the operand is complete."""
        if kind == "name":
            value = constant_value(text)
            self.push(Var(text) if value is None else Const(value), 0, col)
            self.operand_done()
            return True
        if text in ("!", "~"):
            self.ops.append(["!", col, 1])
        elif text == "(":
            self.ops.append(["(", col, 0])
        else:
            raise self.error(f"expected a node name, '(' or a constant, got {text!r}", col)
        return False

    def operator(self, kind: str, text: str, col: int) -> bool:
        """Handle a token after a complete operand; True when an operand is expected next."""
        if kind == "bad":
            raise self.error(f"unexpected {text!r}", col)
        if text in _BINARY:
            self.binary(text, col)
            return True
        if text == ")":
            self.close(col)
            return False
        raise self.error(f"unexpected {text!r} after a complete expression", col)

    def parse(self) -> Expr:
        expect_operand, prev = True, ""
        for m in _TOKEN.finditer(self.text):
            kind = m.lastgroup or "bad"
            text, col = m.group(kind), self.col0 + m.start(kind)
            if expect_operand:
                expect_operand = not self.operand(kind, text, col)
            else:
                expect_operand = self.operator(kind, text, col)
            prev = text
        if not prev:
            raise self.error("empty rule: expected a Boolean expression", self.col0)
        if expect_operand:
            raise self.error(
                f"expected a node name, '(' or a constant after {prev!r}, got end of rule", self.end
            )
        while self.ops:
            if self.ops[-1][0] == "(":
                col = self.ops[-1][1]
                raise self.error(f"missing ')' to close the '(' at column {col}", self.end)
            self.reduce_top()
        return self.operands[0][0]


def parse_expr(text: str, *, source: str = "<string>", line: int = 1, column: int = 1) -> Expr:
    """Parse a Boolean expression.

    Parameters
    ----------
    text
        The expression, e.g. ``"CASP8 & !BCL2"``.
    source, line, column
        Where ``text`` starts, used in error messages.

    Returns
    -------
    Expr
        The expression tree.

    Raises
    ------
    BnetSyntaxError
        With ``source:line:column`` of the first problem.

    Examples
    --------
    >>> parse_expr("a | b & !c")
    Or(args=(Var(name='a'), And(args=(Var(name='b'), Not(arg=Var(name='c'))))))
    >>> try:
    ...     parse_expr("a &")
    ... except BnetSyntaxError as err:
    ...     print(err)
    <string>:1:4: expected a node name, '(' or a constant after '&', got end of
    rule
    """
    return _Parser(text, source, line, column).parse()


def evaluate(expr: Expr, state: Mapping[str, int]) -> bool:
    """Evaluate ``expr`` on a (partial) state mapping node names to 0/1.

    Examples
    --------
    >>> evaluate(parse_expr("a & !b"), {"a": 1, "b": 0})
    True
    """
    if isinstance(expr, Var):
        return bool(state[expr.name])
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Not):
        return not evaluate(expr.arg, state)
    if isinstance(expr, And):
        return all(evaluate(a, state) for a in expr.args)
    return any(evaluate(a, state) for a in expr.args)


def variables(expr: Expr) -> frozenset[str]:
    """Return the node names that occur in ``expr``.

    Examples
    --------
    >>> sorted(variables(parse_expr("x | !y & x")))
    ['x', 'y']
    """
    if isinstance(expr, Var):
        return frozenset((expr.name,))
    if isinstance(expr, Const):
        return frozenset()
    if isinstance(expr, Not):
        return variables(expr.arg)
    return frozenset().union(*(variables(a) for a in expr.args))


def _simplify_nary(kind: type[And] | type[Or], args: list[Expr]) -> Expr:
    absorbing = kind is Or  # True absorbs Or, False absorbs And
    kept: list[Expr] = []
    for a in args:
        if isinstance(a, Const):
            if a.value == absorbing:
                return Const(absorbing)
            continue
        if isinstance(a, kind):
            kept.extend(a.args)
        elif a not in kept:
            kept.append(a)
    if not kept:
        return Const(not absorbing)
    return kept[0] if len(kept) == 1 else kind(tuple(kept))


def substitute(expr: Expr, values: Mapping[str, int]) -> Expr:
    """Replace the nodes in ``values`` by constants and simplify constants away.

    Examples
    --------
    >>> substitute(parse_expr("a & b"), {"a": 0})
    Const(value=False)
    >>> format_expr(substitute(parse_expr("!(a | b)"), {"a": 0}))
    '!b'
    """
    if isinstance(expr, Var):
        return Const(bool(values[expr.name])) if expr.name in values else expr
    if isinstance(expr, Const):
        return expr
    if isinstance(expr, Not):
        inner = substitute(expr.arg, values)
        if isinstance(inner, Const):
            return Const(not inner.value)
        if isinstance(inner, Not):
            return inner.arg
        return Not(inner)
    kind = And if isinstance(expr, And) else Or
    return _simplify_nary(kind, [substitute(a, values) for a in expr.args])


def format_expr(expr: Expr, *, parent: int = 0) -> str:
    """Format ``expr`` in ``.bnet`` syntax with the fewest parentheses.

    Examples
    --------
    >>> format_expr(parse_expr("((a) | (b & c))"))
    'a | b & c'
    >>> format_expr(parse_expr("!(a | b) & c"))
    '!(a | b) & c'
    """
    if isinstance(expr, Var):
        return expr.name
    if isinstance(expr, Const):
        return "1" if expr.value else "0"
    if isinstance(expr, Not):
        return "!" + format_expr(expr.arg, parent=3)
    level, sep = (2, " & ") if isinstance(expr, And) else (1, " | ")
    text = sep.join(format_expr(a, parent=level) for a in expr.args)
    return f"({text})" if parent >= level else text
