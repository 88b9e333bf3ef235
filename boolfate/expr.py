"""Boolean expressions: a small frozen AST, its parser, evaluation and formatting.

Grammar (the ``.bnet`` convention): ``expr := term ('|' term)*``, ``term := factor ('&' factor)*``,
``factor := '!' factor | '(' expr ')' | NAME | 0 | 1 | true | false``.

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
from typing import TypeAlias

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
]

NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_.:\-]*"
"""Node names: a letter or underscore, then letters, digits, ``_``, ``.``, ``:`` or ``-``."""


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

_TOKEN = re.compile(
    rf"\s*(?:(?P<name>{NAME_PATTERN}|[01](?![A-Za-z0-9_]))|(?P<op>[!&|()~])|(?P<bad>\S))"
)
_CONSTANTS = {"0": False, "1": True, "true": True, "false": False, "True": True, "False": False}


class _Parser:
    """Recursive-descent parser producing :data:`Expr`, with 1-based columns in errors."""

    def __init__(self, text: str, source: str, line: int, column: int) -> None:
        self.tokens: list[tuple[str, str, int]] = []
        self.source, self.line, self.col0 = source, line, column
        self.end = column + len(text.rstrip())
        for m in _TOKEN.finditer(text):
            kind = m.lastgroup or "bad"
            self.tokens.append((kind, m.group(kind), column + m.start(kind)))
        self.pos = 0

    def error(self, message: str, column: int) -> BnetSyntaxError:
        return BnetSyntaxError(message, source=self.source, line=self.line, column=column)

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Expr:
        if not self.tokens:
            raise self.error("empty rule: expected a Boolean expression", self.col0)
        expr = self.parse_or()
        tok = self.peek()
        if tok is not None:
            raise self.error(f"unexpected {tok[1]!r} after a complete expression", tok[2])
        return expr

    def parse_or(self) -> Expr:
        args = [self.parse_and()]
        while (tok := self.peek()) is not None and tok[1] == "|":
            self.pos += 1
            args.append(self.parse_and())
        return args[0] if len(args) == 1 else Or(tuple(args))

    def parse_and(self) -> Expr:
        args = [self.parse_factor()]
        while (tok := self.peek()) is not None and tok[1] == "&":
            self.pos += 1
            args.append(self.parse_factor())
        return args[0] if len(args) == 1 else And(tuple(args))

    def parse_factor(self) -> Expr:
        tok = self.peek()
        if tok is None:
            prev = self.tokens[-1][1] if self.tokens else ""
            raise self.error(
                f"expected a node name, '(' or a constant after {prev!r}, got end of rule", self.end
            )
        kind, text, col = tok
        self.pos += 1
        if kind == "name":
            return Const(_CONSTANTS[text]) if text in _CONSTANTS else Var(text)
        if text in ("!", "~"):
            return Not(self.parse_factor())
        if text == "(":
            inner = self.parse_or()
            close = self.peek()
            if close is None or close[1] != ")":
                where = close[2] if close else self.end
                raise self.error(f"missing ')' to close the '(' at column {col}", where)
            self.pos += 1
            return inner
        raise self.error(f"expected a node name, '(' or a constant, got {text!r}", col)


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
