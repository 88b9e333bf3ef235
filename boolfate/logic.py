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
    "bdd",
    "bdd_prime_implicants",
    "constant_under",
    "QM_REGULATORS",
]

MAX_REGULATORS = 16
"""Largest in-degree for which truth tables are built (2**16 rows); larger rules use BDDs."""

QM_REGULATORS = 8
"""Largest in-degree for which prime implicants come from Quine-McCluskey (else from a BDD)."""

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
    """Return how ``var`` influences ``expr``: ``+``, ``-``, ``±`` (both) or None (no effect).

    Rules over more than :data:`MAX_REGULATORS` variables are decided on their BDD.
    """
    names = tuple(sorted(variables(expr)))
    if var not in names:
        return None
    if len(names) > MAX_REGULATORS:
        return _bdd_edge_sign(expr, names, var)
    table = _table(expr, names)
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

    A constant ``True`` has the single empty implicant; ``False`` has none. Rules over at most
    :data:`QM_REGULATORS` variables use Quine-McCluskey on the truth table; larger ones (any
    in-degree) use the BDD recursion of :func:`bdd_prime_implicants`.

    Examples
    --------
    >>> from boolfate.expr import parse_expr
    >>> prime_implicants(parse_expr("!a | b"))
    ({'a': 0}, {'b': 1})
    >>> prime_implicants(parse_expr("1")), prime_implicants(parse_expr("0"))
    (({},), ())
    """
    names = tuple(sorted(variables(expr)))
    found = _bdd_primes(expr, names) if len(names) > QM_REGULATORS else _primes(*truth_table(expr))
    out: list[Term] = []
    for mask, value in found:
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


def bdd(expr: Expr, names: Sequence[str]) -> tuple[Any, Any]:
    """Return ``(variable set, Bdd)`` of ``expr`` over ``names`` (biodivine-aeon's BDDs).

    Built from the postfix :func:`program`, so any nesting and in-degree is fine.

    Examples
    --------
    >>> from boolfate.expr import parse_expr
    >>> _, f = bdd(parse_expr("a & !b | c"), ["a", "b", "c"])
    >>> int(f.cardinality())
    5
    """
    import biodivine_aeon as aeon

    space = aeon.BddVariableSet(list(names))
    literals = {n: space.mk_literal(n, True) for n in names}
    stack: list[Any] = []
    for op, arg in program(expr):
        if op == "v":
            stack.append(literals[arg])
        elif op == "c":
            stack.append(space.mk_true() if arg else space.mk_false())
        elif op == "!":
            stack.append(stack.pop().l_not())
        else:
            args = stack[-arg:]
            del stack[-arg:]
            acc = args[0]
            for x in args[1:]:
                acc = acc.l_and(x) if op == "&" else acc.l_or(x)
            stack.append(acc)
    return space, stack[0]


def _bdd_edge_sign(expr: Expr, names: tuple[str, ...], var: str) -> Literal["+", "-", "±"] | None:
    space, f = bdd(expr, names)
    x = space.find_variable(var)
    low, high = f.r_restrict({x: False}), f.r_restrict({x: True})
    up = not low.l_not().l_and(high).is_false()
    down = not low.l_and(high.l_not()).is_false()
    if up and down:
        return "±"
    if up:
        return "+"
    return "-" if down else None


def bdd_prime_implicants(f: Any, variables_in_order: Sequence[Any]) -> set[frozenset[Any]]:
    """Prime implicants of a Bdd as sets of ``(variable, value)``, by Shannon recursion.

    A prime of ``f`` either avoids the first variable ``x`` (a prime of ``f0 & f1``) or is
    ``x=v`` plus a prime of ``f_v`` that does not already imply ``f0 & f1``. Cofactors are
    memoised; the recursion depth is at most the number of variables.
    """
    rank = {v: i for i, v in enumerate(variables_in_order)}
    memo: dict[Any, set[frozenset[Any]]] = {}

    def implies(term: frozenset[Any], g: Any) -> bool:
        return bool(g.r_restrict(dict(term)).is_true())

    def rec(g: Any) -> set[frozenset[Any]]:
        if g.is_false():
            return set()
        if g.is_true():
            return {frozenset()}
        if g in memo:
            return memo[g]
        x = min(g.support_set(), key=rank.__getitem__)
        g0, g1 = g.r_restrict({x: False}), g.r_restrict({x: True})
        both = g0.l_and(g1)
        out = set(rec(both))
        for value, gv in ((False, g0), (True, g1)):
            out.update(p | {(x, value)} for p in rec(gv) if not implies(p, both))
        memo[g] = out
        return out

    return rec(f)


@lru_cache(maxsize=4096)
def _bdd_primes(expr: Expr, names: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """Prime implicants from the BDD, as ``(care mask, values)`` pairs like :func:`_primes`."""
    space, f = bdd(expr, names)
    order = [space.find_variable(n) for n in names]
    index = {v: j for j, v in enumerate(order)}
    pairs = set()
    for term in bdd_prime_implicants(f, order):
        mask = value = 0
        for var, val in term:
            mask |= 1 << index[var]
            value |= int(val) << index[var]
        pairs.add((mask, value))
    return tuple(sorted(pairs, key=lambda p: (bin(p[0]).count("1"), p[0], p[1])))


def constant_under(expr: Expr, values: Mapping[str, int]) -> Literal[0, 1] | None:
    """The value of ``expr`` if the (partial) ``values`` make it constant, else None.

    Examples
    --------
    >>> from boolfate.expr import parse_expr
    >>> constant_under(parse_expr("a & b"), {"a": 0}), constant_under(parse_expr("a & b"), {})
    (0, None)
    """
    names = tuple(sorted(variables(expr)))
    if len(names) <= MAX_REGULATORS:
        return _constant_in_table(names, _table(expr, names), values)
    space, f = bdd(expr, names)
    fixed = {space.find_variable(n): bool(values[n]) for n in names if n in values}
    g = f.r_restrict(fixed)
    if g.is_true():
        return 1
    return 0 if g.is_false() else None


def _constant_in_table(
    names: tuple[str, ...], table: int, values: Mapping[str, int]
) -> Literal[0, 1] | None:
    row, free = 0, []
    for j, name in enumerate(names):
        v = values.get(name)
        if v is None:
            free.append(j)
        elif v:
            row |= 1 << j
    first = table >> row & 1
    for combo in range(1, 1 << len(free)):
        r = row
        for k, j in enumerate(free):
            if combo >> k & 1:
                r |= 1 << j
        if (table >> r & 1) != first:
            return None
    return 1 if first else 0
