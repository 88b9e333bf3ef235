"""Truth-table tools on single functions: edge signs, prime implicants, compiled evaluators.

A function's truth table over its ``k`` variables is a Python ``int`` with bit ``r`` set when the
function is true on row ``r`` (variable ``j`` has value ``(r >> j) & 1``). Functions of more than
:data:`MAX_REGULATORS` variables are refused with :class:`~boolfate.errors.EngineLimitError`.

Examples
--------
>>> from boolfate.expr import parse_expr
>>> prime_implicants(parse_expr("a & b | a & !b | c"))
({'a': 1}, {'c': 1})
>>> edge_sign(parse_expr("a & !b"), "b")
'-'
>>> edge_sign(parse_expr("a & !b | !a & b"), "a")
'±'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal

from boolfate.errors import EngineLimitError
from boolfate.expr import And, Const, Expr, Not, Var, variables

__all__ = [
    "MAX_REGULATORS",
    "truth_table",
    "edge_sign",
    "prime_implicants",
    "python_source",
    "program",
    "run",
    "compile_int",
    "compile_numpy",
]

MAX_REGULATORS = 16
"""Largest in-degree for which truth tables are built (2**16 rows)."""

Term = dict[str, Literal[0, 1]]


def python_source(expr: Expr, var: Callable[[str], str], *, ops: str = "bitwise") -> str:
    """Return Python source evaluating ``expr``; ``var(name)`` gives the source of a variable.

    With ``ops="bitwise"`` operands must be 0/1 integers or boolean numpy arrays: ``!`` becomes
    ``~`` for arrays, so use it only where ``var`` yields booleans (ints use ``1 ^ x``).

    Examples
    --------
    >>> from boolfate.expr import parse_expr
    >>> python_source(parse_expr("a & !b"), lambda n: f"s[{n!r}]")
    "(s['a'] & (1 ^ s['b']))"
    >>> python_source(parse_expr("a | !b"), lambda n: n, ops="numpy")
    '(a | ~b)'
    """
    neg = "~" if ops == "numpy" else "1 ^ "
    if isinstance(expr, Var):
        return var(expr.name)
    if isinstance(expr, Const):
        if ops == "numpy":
            return "_TRUE" if expr.value else "_FALSE"
        return "1" if expr.value else "0"
    if isinstance(expr, Not):
        inner = python_source(expr.arg, var, ops=ops)
        return f"{neg}{inner}" if ops == "numpy" else f"({neg}{inner})"
    sep = " & " if isinstance(expr, And) else " | "
    return "(" + sep.join(python_source(a, var, ops=ops) for a in expr.args) + ")"


def _check_size(names: Sequence[str]) -> None:
    if len(names) > MAX_REGULATORS:
        raise EngineLimitError(
            f"a function has {len(names)} regulators; truth tables are limited to "
            f"MAX_REGULATORS={MAX_REGULATORS} (boolfate.logic.MAX_REGULATORS)"
        )


Op = tuple[str, Any]
"""One postfix instruction: ``("v", name)``, ``("c", bool)``, ``("!", None)``, ``("&", n)`` or
``("|", n)`` (combine the top ``n`` values)."""


def program(expr: Expr) -> tuple[Op, ...]:
    """Return ``expr`` as a postfix program (built without recursion).

    Examples
    --------
    >>> from boolfate.expr import parse_expr
    >>> program(parse_expr("a & !b"))
    (('v', 'a'), ('v', 'b'), ('!', None), ('&', 2))
    """
    out: list[Op] = []
    todo: list[tuple[Expr, bool]] = [(expr, False)]
    while todo:
        node, expanded = todo.pop()
        if isinstance(node, Var):
            out.append(("v", node.name))
        elif isinstance(node, Const):
            out.append(("c", node.value))
        elif expanded:
            out.append(("!", None) if isinstance(node, Not) else (_kind(node), len(node.args)))
        else:
            todo.append((node, True))
            children = (node.arg,) if isinstance(node, Not) else node.args
            todo.extend((c, False) for c in reversed(children))
    return tuple(out)


def _kind(node: Expr) -> str:
    return "&" if isinstance(node, And) else "|"


def run(prog: Sequence[Op], load: Callable[[str], Any], true: Any, false: Any, neg: Any) -> Any:
    """Execute a postfix program: ``load(name)`` gives a variable, ``neg(x)`` negates.

    The values may be 0/1 ints, big-int bit sets or numpy arrays: only ``&`` and ``|`` are used.

    Examples
    --------
    >>> from boolfate.expr import parse_expr
    >>> run(program(parse_expr("a & !b")), {"a": 1, "b": 0}.__getitem__, 1, 0, lambda x: 1 ^ x)
    1
    """
    stack: list[Any] = []
    for op, arg in prog:
        if op == "v":
            stack.append(load(arg))
        elif op == "c":
            stack.append(true if arg else false)
        elif op == "!":
            stack.append(neg(stack.pop()))
        else:
            args = stack[-arg:]
            del stack[-arg:]
            acc = args[0]
            for x in args[1:]:
                acc = (acc & x) if op == "&" else (acc | x)
            stack.append(acc)
    return stack[0]


def _column(j: int, k: int) -> int:
    """Bit set of the rows (over ``k`` variables) where variable ``j`` is 1."""
    block = ((1 << (1 << j)) - 1) << (1 << j)  # 2**j zeros then 2**j ones
    width = 1 << (j + 1)
    col = 0
    for start in range(0, 1 << k, width):
        col |= block << start
    return col


@lru_cache(maxsize=4096)
def _table(expr: Expr, names: tuple[str, ...]) -> int:
    _check_size(names)
    k = len(names)
    full = (1 << (1 << k)) - 1
    cols = {n: _column(j, k) for j, n in enumerate(names)}
    table: int = run(program(expr), cols.__getitem__, full, 0, lambda x: full ^ x)
    return table


def truth_table(expr: Expr, names: Sequence[str] | None = None) -> tuple[tuple[str, ...], int]:
    """Return ``(variable names, table bits)`` of ``expr``.

    Examples
    --------
    >>> from boolfate.expr import parse_expr
    >>> truth_table(parse_expr("a & !b"))
    (('a', 'b'), 2)
    """
    order = tuple(sorted(variables(expr))) if names is None else tuple(names)
    return order, _table(expr, order)


def edge_sign(expr: Expr, var: str) -> Literal["+", "-", "±"] | None:
    """Return how ``var`` influences ``expr``: ``+``, ``-``, ``±`` (both) or None (no effect)."""
    names, table = truth_table(expr)
    if var not in names:
        return None
    j = names.index(var)
    up = down = False
    for row in range(1 << len(names)):
        if (row >> j) & 1:
            continue
        low, high = (table >> row) & 1, (table >> (row | 1 << j)) & 1
        up |= high > low
        down |= high < low
    if up and down:
        return "±"
    if up:
        return "+"
    return "-" if down else None


@lru_cache(maxsize=4096)
def _primes(names: tuple[str, ...], table: int) -> tuple[tuple[int, int], ...]:
    """Quine-McCluskey: prime implicants as ``(care mask, values)`` pairs over row bits."""
    k = len(names)
    full = (1 << k) - 1
    current = {(full, row) for row in range(1 << k) if (table >> row) & 1}
    primes: set[tuple[int, int]] = set()
    while current:
        merged: set[tuple[int, int]] = set()
        used: set[tuple[int, int]] = set()
        for mask, value in current:
            for j in range(k):
                bit = 1 << j
                if mask & bit and not value & bit:
                    other = (mask, value | bit)
                    if other in current:
                        merged.add((mask & ~bit, value))
                        used.update(((mask, value), other))
        primes.update(current - used)
        current = merged
    return tuple(sorted(primes, key=lambda p: (bin(p[0]).count("1"), p[0], p[1])))


def prime_implicants(expr: Expr) -> tuple[Term, ...]:
    """Return the prime implicants of ``expr`` as partial assignments, deterministically ordered.

    A constant ``True`` has the single empty implicant; ``False`` has none.

    Examples
    --------
    >>> from boolfate.expr import parse_expr
    >>> prime_implicants(parse_expr("!a | b"))
    ({'a': 0}, {'b': 1})
    >>> prime_implicants(parse_expr("1")), prime_implicants(parse_expr("0"))
    (({},), ())
    """
    names, table = truth_table(expr)
    out: list[Term] = []
    for mask, value in _primes(names, table):
        term: Term = {}
        for j, name in enumerate(names):
            if mask >> j & 1:
                term[name] = 1 if value >> j & 1 else 0
        out.append(term)
    return tuple(out)


def negation(expr: Expr) -> Expr:
    """Return ``Not(expr)`` with double negation removed."""
    return expr.arg if isinstance(expr, Not) else Not(expr)


def compile_numpy(expr: Expr, index: Mapping[str, int]) -> Callable[..., Any]:
    """Compile ``expr`` into ``f(X)`` on a boolean array ``X`` of shape ``(n_nodes, ...)``.

    No Python source is generated: the function runs the expression's postfix :func:`program`.

    Examples
    --------
    >>> import numpy as np
    >>> from boolfate.expr import parse_expr
    >>> f = compile_numpy(parse_expr("a & !b"), {"a": 0, "b": 1})
    >>> f(np.array([[True, True], [False, True]])).tolist()
    [True, False]
    """
    import numpy as np

    prog = program(expr)
    pos = {name: index[name] for op, name in prog if op == "v"}

    def func(X: Any) -> Any:
        return run(prog, lambda n: X[pos[n]], np.True_, np.False_, np.logical_not)

    return func


def compile_int(expr: Expr, index: Mapping[str, int]) -> Callable[[int], int]:
    """Compile ``expr`` into ``f(s)`` on a packed state ``s`` (bit ``index[name]``), giving 0/1.

    Rules with at most :data:`MAX_REGULATORS` variables become a truth-table lookup; larger ones
    run their postfix :func:`program`.

    Examples
    --------
    >>> from boolfate.expr import parse_expr
    >>> f = compile_int(parse_expr("a & !b"), {"a": 0, "b": 1})
    >>> [f(s) for s in range(4)]
    [0, 1, 0, 0]
    """
    names = tuple(sorted(variables(expr), key=index.__getitem__))
    if len(names) > MAX_REGULATORS:
        prog = program(expr)
        return lambda s: int(run(prog, lambda n: s >> index[n] & 1, 1, 0, lambda x: 1 ^ x))
    return _lookup(tuple(index[n] for n in names), _table(expr, names))


def _lookup(bits: tuple[int, ...], table: int) -> Callable[[int], int]:
    if not bits:
        value = table & 1
        return lambda s: value
    if len(bits) == 1:
        (b0,) = bits
        return lambda s: table >> (s >> b0 & 1) & 1
    if len(bits) == 2:
        b0, b1 = bits
        return lambda s: table >> ((s >> b0 & 1) | (s >> b1 & 1) << 1) & 1
    shifts = tuple(enumerate(bits))

    def f(s: int) -> int:
        row = 0
        for j, b in shifts:
            row |= (s >> b & 1) << j
        return table >> row & 1

    return f
