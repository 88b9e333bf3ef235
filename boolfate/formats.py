"""Model file formats: choose a reader by extension (or by name) and read a :class:`Network`.

=========  ======================  =====================================================
format     extensions              reader
=========  ======================  =====================================================
``bnet``   ``.bnet``               :func:`boolfate.bnet.read_bnet` (pyboolnet / AEON dialect)
``sbml``   ``.sbml``, ``.xml``     :func:`boolfate.sbml.read_sbml` (SBML-qual, Boolean)
``bnd``    ``.bnd``                :func:`boolfate.maboss.read_maboss` (MaBoSS; logic part)
=========  ======================  =====================================================

Examples
--------
>>> format_for("model.SBML"), format_for("calzone.bnd"), format_for("m.txt", "bnet")
('sbml', 'bnd', 'bnet')
>>> try:
...     format_for("m.txt")
... except BoolfateError as err:
...     print(err)
cannot tell the format of 'm.txt' from its extension '.txt'; supported: bnet (.bnet), sbml
(.sbml, .xml), bnd (.bnd, MaBoSS); choose one with --input-format
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from boolfate.errors import BoolfateError, suggest

if TYPE_CHECKING:
    from boolfate.model import Network

__all__ = ["FORMATS", "format_for", "read_network"]

FORMATS: dict[str, tuple[str, ...]] = {
    "bnet": (".bnet",),
    "sbml": (".sbml", ".xml"),
    "bnd": (".bnd",),
}
"""Format name -> the file extensions that select it."""


def _supported() -> str:
    parts = []
    for fmt, exts in FORMATS.items():
        extra = ", MaBoSS" if fmt == "bnd" else ""
        parts.append(f"{fmt} ({', '.join(exts)}{extra})")
    return ", ".join(parts)


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """Return the format of ``path``: ``fmt`` if given (checked), else from the extension."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise BoolfateError(
                f"unknown input format '{fmt}'{suggest(fmt, FORMATS)}; supported: {_supported()}"
            )
        return fmt
    ext = Path(path).suffix.lower()
    for name, exts in FORMATS.items():
        if ext in exts:
            return name
    shown = f"extension '{ext}'" if ext else "name (no extension)"
    raise BoolfateError(
        f"cannot tell the format of '{path}' from its {shown}; supported: {_supported()}; "
        "choose one with --input-format"
    )


def read_network(
    path: str | Path, *, fmt: str | None = None, name: str | None = None, strict: bool = False
) -> Network:
    """Read a model file in any supported format (see :data:`FORMATS`).

    Parameters
    ----------
    path
        The file.
    fmt
        Force a format instead of guessing it from the extension.
    name
        Network name (default: the file stem).
    strict
        ``.bnet`` only: refuse names that have no rule instead of reading them as inputs.
    """
    p = Path(path)
    kind = format_for(p, fmt)
    label = name or p.stem
    if kind == "bnet":
        from boolfate.bnet import read_bnet

        return read_bnet(p, name=label, strict=strict)
    if kind == "sbml":
        from boolfate.sbml import read_sbml

        return read_sbml(p, name=label)
    from boolfate.maboss import MabossError, read_maboss
    from boolfate.model import Network

    try:
        model = read_maboss(p, p.with_suffix(".cfg") if p.with_suffix(".cfg").is_file() else None)
    except MabossError as exc:
        text = str(exc)
        raise MabossError(text if text.startswith(str(p)) else f"{p}: {text}") from None
    return Network(model.network.rules, name=label, source=p)
