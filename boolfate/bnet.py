"""Read and write the ``.bnet`` format (one ``target, function`` line per node).

The ``targets, factors`` header is optional; ``#`` starts a comment (whole line or inline). Unlike
pyboolnet, a name used in a rule but never defined is an error, as is a duplicate target.

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
from pathlib import Path

from boolfate.errors import BnetSyntaxError, UndefinedRegulatorError
from boolfate.expr import NAME_PATTERN, Expr, format_expr, parse_expr, variables
from boolfate.model import Network

__all__ = ["parse_bnet", "read_bnet", "format_bnet", "write_bnet"]

_TARGET = re.compile(rf"\s*({NAME_PATTERN})\s*$")


def _split_line(raw: str) -> tuple[str, int]:
    """Strip an inline comment; return the code and its length."""
    code = raw.split("#", 1)[0].rstrip()
    return code, len(code)


def _parse_line(code: str, source: str, lineno: int) -> tuple[str, Expr] | None:
    if not code.strip():
        return None
    if "," not in code:
        col = len(code) - len(code.lstrip()) + 1
        raise BnetSyntaxError(
            "expected 'target, function' (a comma after the node name)",
            source=source,
            line=lineno,
            column=col,
        )
    target_text, func_text = code.split(",", 1)
    m = _TARGET.fullmatch(target_text)
    if m is None:
        col = len(target_text) - len(target_text.lstrip()) + 1
        raise BnetSyntaxError(
            f"invalid node name {target_text.strip()!r}", source=source, line=lineno, column=col
        )
    target = m.group(1)
    if target.lower() == "targets" and func_text.strip().lower() == "factors":
        return None
    func = parse_expr(func_text, source=source, line=lineno, column=len(target_text) + 2)
    return target, func


def parse_bnet(text: str, *, source: str = "<string>", name: str | None = None) -> Network:
    """Parse ``.bnet`` text into a :class:`~boolfate.model.Network`.

    Parameters
    ----------
    text
        The file contents.
    source
        Label used in error messages (usually the file path).
    name
        Network name; defaults to the file stem of ``source``.

    Raises
    ------
    BnetSyntaxError
        On a malformed line or duplicate target, with ``source:line:column``.
    UndefinedRegulatorError
        When a rule uses a name that has no rule of its own.

    Examples
    --------
    >>> try:
    ...     parse_bnet("a, b")
    ... except UndefinedRegulatorError as err:
    ...     print(err)
    <string>:1: 'b' is used in the rule for 'a' but has no rule of its own; add 'b, b' to
    declare it an input
    """
    rules: dict[str, Expr] = {}
    where: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        parsed = _parse_line(_split_line(raw)[0], source, lineno)
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
    for target, func in rules.items():
        for var in sorted(variables(func)):
            if var not in rules:
                raise UndefinedRegulatorError(
                    f"'{var}' is used in the rule for '{target}' but has no rule of its own; "
                    f"add '{var}, {var}' to declare it an input",
                    source=source,
                    line=where[target],
                )
    if not rules:
        raise BnetSyntaxError("no rules found", source=source, line=1)
    label = name if name is not None else Path(source).stem
    return Network(tuple(rules.items()), name=label)


def read_bnet(path: str | Path, *, name: str | None = None) -> Network:
    """Read a ``.bnet`` file (see :func:`parse_bnet`)."""
    p = Path(path)
    net = parse_bnet(p.read_text(encoding="utf-8"), source=str(p), name=name or p.stem)
    return Network(net.rules, name=net.name, source=p)


def format_bnet(network: Network, *, header: str = "") -> str:
    """Return ``.bnet`` text; ``header`` lines are written as ``#`` comments first."""
    lines = [f"# {h}".rstrip() for h in header.splitlines()]
    lines.append("targets, factors")
    lines.extend(f"{n}, {format_expr(f)}" for n, f in network.rules)
    return "\n".join(lines) + "\n"


def write_bnet(network: Network, path: str | Path, *, header: str = "") -> None:
    """Write ``network`` to ``path`` in ``.bnet`` format."""
    Path(path).write_text(format_bnet(network, header=header), encoding="utf-8")
