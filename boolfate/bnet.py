"""Read and write the ``.bnet`` format (one ``target, function`` line per node).

The dialect is that of pyboolnet and biodivine-aeon: an optional ``targets, factors`` header
before the first rule, ``#`` comments (whole line or inline), ``!``/``~``, ``&``, ``|``, ``^``,
parentheses, the constants ``0``/``1``/``true``/``false``, names that may start with a digit,
Windows line endings and a UTF-8 byte-order mark. A name used in a rule but never given a rule of
its own is read as an input (``X, X``) with a :class:`ImplicitInputsWarning`, as the peers do;
``strict=True`` makes it an error. A duplicate target, a header after the first rule or a constant
used as a target is an error with ``line:column``.

Examples
--------
>>> net = parse_bnet('''
... targets, factors
... # a toggle switch
... a, !b   # inline comment
... b, !a
... ''')
>>> net.nodes
('a', 'b')
>>> print(format_bnet(net), end="")
targets, factors
a, !b
b, !a
>>> parse_bnet(format_bnet(net)) == net
True
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from boolfate.errors import BnetSyntaxError, UndefinedRegulatorError
from boolfate.expr import (
    NAME_PATTERN,
    Expr,
    Var,
    constant_value,
    format_expr,
    parse_expr,
    variables,
)
from boolfate.model import Network
from boolfate.textio import read_text

__all__ = ["parse_bnet", "read_bnet", "format_bnet", "write_bnet", "ImplicitInputsWarning"]

_TARGET = re.compile(rf"\s*({NAME_PATTERN})\s*$")


class ImplicitInputsWarning(UserWarning):
    """Names used in rules without a rule of their own were read as inputs.

    ``names`` holds them; ``source`` is the file.
    """

    def __init__(self, message: str, names: tuple[str, ...], source: str) -> None:
        super().__init__(message)
        self.names = names
        self.source = source


def _split_line(raw: str) -> tuple[str, int]:
    """Strip an inline comment; return the code and its length."""
    code = raw.split("#", 1)[0].rstrip()
    return code, len(code)


def _is_header(code: str) -> bool:
    parts = code.split(",")
    return len(parts) == 2 and [p.strip().lower() for p in parts] == ["targets", "factors"]


def _parse_line(code: str, source: str, lineno: int) -> tuple[str, Expr] | None:
    if not code.strip():
        return None
    indent = len(code) - len(code.lstrip()) + 1
    if "," not in code:
        raise BnetSyntaxError(
            "expected 'target, function' (a comma after the node name)",
            source=source,
            line=lineno,
            column=indent,
        )
    target_text, func_text = code.split(",", 1)
    m = _TARGET.fullmatch(target_text)
    if m is None:
        raise BnetSyntaxError(
            f"invalid node name {target_text.strip()!r}", source=source, line=lineno, column=indent
        )
    target = m.group(1)
    if constant_value(target) is not None:
        raise BnetSyntaxError(
            f"'{target}' is a constant (0, 1, true, false) and cannot be a node name",
            source=source,
            line=lineno,
            column=indent,
        )
    func = parse_expr(func_text, source=source, line=lineno, column=len(target_text) + 2)
    return target, func


def _rules(text: str, source: str) -> tuple[dict[str, Expr], dict[str, int]]:
    rules: dict[str, Expr] = {}
    where: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        code = _split_line(raw)[0]
        if _is_header(code):
            if rules:
                raise BnetSyntaxError(
                    "the 'targets, factors' header must come before the first rule",
                    source=source,
                    line=lineno,
                    column=len(code) - len(code.lstrip()) + 1,
                )
            continue
        parsed = _parse_line(code, source, lineno)
        if parsed is None:
            continue
        target, func = parsed
        if target in rules:
            raise BnetSyntaxError(
                f"duplicate rule for '{target}' (first defined on line {where[target]})",
                source=source,
                line=lineno,
                column=raw.index(target) + 1,
            )
        rules[target], where[target] = func, lineno
    return rules, where


def _undeclared(rules: dict[str, Expr]) -> dict[str, str]:
    """Undeclared name -> the first target whose rule uses it, in order of first use."""
    out: dict[str, str] = {}
    for target, func in rules.items():
        for var in sorted(variables(func)):
            if var not in rules and var not in out:
                out[var] = target
    return out


def parse_bnet(
    text: str, *, source: str = "<string>", name: str | None = None, strict: bool = False
) -> Network:
    """Parse ``.bnet`` text into a :class:`~boolfate.model.Network`.

    Parameters
    ----------
    text
        The file contents (a leading byte-order mark is ignored).
    source
        Label used in error messages (usually the file path).
    name
        Network name; defaults to the file stem of ``source``.
    strict
        Refuse names that have no rule of their own instead of reading them as inputs.

    Raises
    ------
    BnetSyntaxError
        On a malformed line or duplicate target, with ``source:line:column``.
    UndefinedRegulatorError
        With ``strict=True``, when a rule uses a name that has no rule of its own.

    Warns
    -----
    ImplicitInputsWarning
        Without ``strict``, once, naming every name read as an input; they are also in
        :attr:`Network.implicit_inputs <boolfate.model.Network.implicit_inputs>`.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     net = parse_bnet("a, b & c")
    >>> net.nodes, net.implicit_inputs
    (('a', 'b', 'c'), ('b', 'c'))
    >>> print(caught[0].message)
    <string>: 2 names have no rule of their own and are read as inputs: b, c
    >>> try:
    ...     parse_bnet("a, b", strict=True)
    ... except UndefinedRegulatorError as err:
    ...     print(err)
    <string>:1: 'b' is used in the rule for 'a' but has no rule of its own; add 'b, b' to
    declare it an input
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    rules, where = _rules(text, source)
    if not rules:
        raise BnetSyntaxError("no rules found", source=source, line=1)
    missing = _undeclared(rules)
    if missing and strict:
        var, target = next(iter(missing.items()))
        raise UndefinedRegulatorError(
            f"'{var}' is used in the rule for '{target}' but has no rule of its own; "
            f"add '{var}, {var}' to declare it an input",
            source=source,
            line=where[target],
        )
    implicit = tuple(missing)
    if implicit:
        what = (
            "name has no rule of its own and is read as an input"
            if len(implicit) == 1
            else "names have no rule of their own and are read as inputs"
        )
        warnings.warn(
            ImplicitInputsWarning(
                f"{source}: {len(implicit)} {what}: {', '.join(implicit)}",
                implicit,
                source,
            ),
            stacklevel=2,
        )
    label = name if name is not None else Path(source).stem
    all_rules = tuple(rules.items()) + tuple((v, Var(v)) for v in implicit)
    return Network(all_rules, name=label, implicit_inputs=implicit)


def read_bnet(path: str | Path, *, name: str | None = None, strict: bool = False) -> Network:
    """Read a ``.bnet`` file (see :func:`parse_bnet`)."""
    p = Path(path)
    net = parse_bnet(read_text(p), source=str(p), name=name or p.stem, strict=strict)
    return Network(net.rules, name=net.name, source=p, implicit_inputs=net.implicit_inputs)


def format_bnet(network: Network, *, header: str = "") -> str:
    """Return ``.bnet`` text; ``header`` lines are written as ``#`` comments first."""
    lines = [f"# {h}".rstrip() for h in header.splitlines()]
    lines.append("targets, factors")
    lines.extend(f"{n}, {format_expr(f)}" for n, f in network.rules)
    return "\n".join(lines) + "\n"


def write_bnet(network: Network, path: str | Path, *, header: str = "") -> None:
    """Write ``network`` to ``path`` in ``.bnet`` format."""
    Path(path).write_text(format_bnet(network, header=header), encoding="utf-8")
