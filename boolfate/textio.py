"""Reading input text files: UTF-8 (a leading byte-order mark is accepted), errors located.

Every file boolfate reads on a user's behalf (``.bnet``, ``model.toml``, ``observations.csv``,
perturbation lists, MaBoSS ``.bnd``/``.cfg``, SBML) goes through :func:`read_text`, so a binary or
wrongly encoded file is one error naming the file, line and column of the first bad byte.

Examples
--------
>>> decode("a, a\\n".encode("utf-8-sig"), "m.bnet")
'a, a\\n'
>>> try:
...     decode(b"a, a\\nb, \\xff\\n", "m.bnet")
... except NotTextError as err:
...     print(err)
m.bnet:2:4: not UTF-8 text (byte 0xff)
"""

from __future__ import annotations

from pathlib import Path

from boolfate.errors import BoolfateError, NotTextError

__all__ = ["decode", "read_text"]

_BOM = b"\xef\xbb\xbf"


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 ``data`` (dropping a leading BOM); raise :class:`NotTextError` with position."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        raise NotTextError(
            f"not UTF-8 text (byte 0x{data[start]:02x})", source=source, line=line, column=column
        ) from None


def read_text(path: str | Path, *, error: type[BoolfateError] = BoolfateError) -> str:
    """Read a UTF-8 text file (see :func:`decode`).

    An unreadable file raises ``error`` (a :class:`BoolfateError` subclass) with the path.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise error(f"cannot read {p}: {exc.strerror}") from None
    return decode(data, str(p))
