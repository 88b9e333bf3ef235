r"""Writing Graphviz diagrams: ``.svg``, ``.png``, ``.pdf`` through ``dot``, or the DOT source.

Without Graphviz installed, :func:`render` writes the ``.dot`` source and raises
:class:`GraphvizNotFoundError` naming the install command.

User text (fate, condition, module and network names, titles) goes into labels through
:func:`dot_text` (backslashes doubled, so ``\N``-style escapes and a trailing backslash stay
literal) and :func:`plain_label` (never read as an HTML-like ``<...>`` label); node names with a
``:`` are drawn with :func:`add_edge`, which does not read them as ``node:port``.

Examples
--------
>>> g = graphviz.Digraph()
>>> g.node("x", label=plain_label(dot_text('<b>"a"</b> \\')))
>>> add_edge(g, "p:1", "q", color="red")
>>> print(g.source.strip())  # doctest: +NORMALIZE_WHITESPACE
digraph {
    x [label="<b>\"a\"</b> \\"]
    "p:1" -> q [color=red]
}
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import graphviz
from graphviz.quoting import quote

from boolfate.errors import BoolfateError

__all__ = [
    "DIAGRAM_FORMATS",
    "INSTALL_HINT",
    "GraphvizNotFoundError",
    "add_edge",
    "dot_text",
    "have_dot",
    "plain_label",
    "render",
    "to_svg",
]

DIAGRAM_FORMATS = (".svg", ".png", ".pdf", ".dot", ".gv")
"""Output suffixes :func:`render` accepts (``.dot`` / ``.gv`` write the DOT source)."""

INSTALL_HINT = (
    "install Graphviz to render it (e.g. 'apt-get install graphviz', 'brew install graphviz' "
    "or 'conda install -c conda-forge graphviz')"
)


class GraphvizNotFoundError(BoolfateError):
    """Graphviz's ``dot`` is not installed; the DOT source was written instead.

    Attributes
    ----------
    dot_path
        Where the DOT source was written.
    """

    def __init__(self, message: str, dot_path: Path) -> None:
        super().__init__(message)
        self.dot_path = dot_path


def dot_text(text: str) -> str:
    """``text`` for a DOT label: backslashes doubled (quotes are escaped by ``graphviz``)."""
    return text.replace("\\", "\\\\")


def plain_label(label: str) -> str:
    """``label`` marked as plain text, so that ``<...>`` is not taken for an HTML-like label."""
    marked: str = graphviz.nohtml(label)
    return marked


def add_edge(graph: Any, tail: str, head: str, **attrs: str) -> None:
    """``graph.edge(tail, head, **attrs)``, except that a ``:`` in a name is not a port."""
    if ":" not in tail and ":" not in head:
        graph.edge(tail, head, **attrs)
        return
    listed = " ".join(f"{k}={quote(v)}" for k, v in attrs.items())
    line = f"\t{quote(tail)} -> {quote(head)}" + (f" [{listed}]" if listed else "")
    graph.body.append(line + "\n")


def have_dot() -> bool:
    """True when Graphviz's ``dot`` executable is on the ``PATH``."""
    return shutil.which("dot") is not None


def render(digraph: graphviz.Digraph, path: str | Path) -> Path:
    """Write ``digraph`` to ``path``: ``.svg``, ``.png``, ``.pdf`` via ``dot``; ``.dot``/``.gv``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    GraphvizNotFoundError
        When ``dot`` is missing: the DOT source was written next to ``path`` (same stem,
        ``.dot``) and the message says in one line how to install Graphviz.
    BoolfateError
        On an unsupported suffix or when ``dot`` fails.
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in DIAGRAM_FORMATS:
        raise BoolfateError(
            f"cannot write '{out}': choose a file ending in {', '.join(DIAGRAM_FORMATS)}"
        )
    if suffix in (".dot", ".gv"):
        out.write_text(digraph.source, encoding="utf-8")
        return out
    if not have_dot():
        dot_path = out.with_suffix(".dot")
        dot_path.write_text(digraph.source, encoding="utf-8")
        raise GraphvizNotFoundError(
            f"Graphviz 'dot' not found: wrote the DOT source to {dot_path} instead of {out}; "
            + INSTALL_HINT,
            dot_path,
        )
    try:
        data = digraph.pipe(format=suffix[1:], quiet=True)
    except graphviz.ExecutableNotFound as exc:  # removed between the check and the call
        dot_path = out.with_suffix(".dot")
        dot_path.write_text(digraph.source, encoding="utf-8")
        raise GraphvizNotFoundError(
            f"Graphviz 'dot' not found: wrote {dot_path}; {INSTALL_HINT}", dot_path
        ) from exc
    except graphviz.CalledProcessError as exc:
        err = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
        raise BoolfateError(f"Graphviz failed to render {out}: {err[-1] if err else exc}") from exc
    out.write_bytes(data)
    return out


def to_svg(digraph: graphviz.Digraph) -> str | None:
    """Return ``digraph`` as an inline ``<svg>`` element (no XML prolog), or None without ``dot``.

    For embedding in HTML reports; a caller without ``dot`` can fall back to ``digraph.source``.
    """
    if not have_dot():
        return None
    try:
        svg = str(digraph.pipe(format="svg", quiet=True).decode("utf-8"))
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError):
        return None
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
