"""The boolfate exception hierarchy.

Every error boolfate raises on purpose derives from :class:`BoolfateError`; the CLI turns it into a
one-line message and exit code 1. Messages name the offending value, where it came from and the fix.

Examples
--------
>>> err = BnetSyntaxError("expected a node name", source="m.bnet", line=3, column=7)
>>> str(err)
'm.bnet:3:7: expected a node name'
>>> isinstance(err, BoolfateError)
True
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "BoolfateError",
    "SourceError",
    "NotTextError",
    "BnetSyntaxError",
    "UndefinedRegulatorError",
    "UnknownNodeError",
    "PerturbationSyntaxError",
    "EngineLimitError",
    "EngineFailure",
    "BundleError",
    "FateSchemeError",
    "suggest",
]


class BoolfateError(Exception):
    """Base class of every error boolfate raises on purpose (CLI exit code 1)."""


class SourceError(BoolfateError, ValueError):
    """An input text with a problem at a known place: ``source:line:column: message``.

    Parameters
    ----------
    message
        What is wrong.
    source
        File name (or ``"<string>"``).
    line, column
        1-based position of the problem; ``column`` may be ``None``.
    """

    def __init__(
        self, message: str, *, source: str = "<string>", line: int = 1, column: int | None = None
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        where = f"{source}:{line}" if column is None else f"{source}:{line}:{column}"
        super().__init__(f"{where}: {message}")


class NotTextError(SourceError):
    """An input file that is not UTF-8 text (the position is that of the first bad byte)."""


class BnetSyntaxError(SourceError):
    """A ``.bnet`` text (or a Boolean expression) that cannot be parsed."""


class UndefinedRegulatorError(BnetSyntaxError):
    """A rule uses a name that has no rule of its own."""


class UnknownNodeError(BoolfateError, LookupError):
    """A node name that the network does not have (message carries a "did you mean")."""

    def __str__(self) -> str:  # LookupError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class PerturbationSyntaxError(BoolfateError, ValueError):
    """A perturbation not written as ``NODE%0`` / ``NODE%1``."""


class EngineLimitError(BoolfateError):
    """A computation exceeds a size limit; the message names the limit and how to raise it."""


class EngineFailure(BoolfateError):
    """A solver or third-party engine failed or returned something unusable."""


class BundleError(BoolfateError):
    """A model bundle (``model.toml``) or an observations file is missing keys or malformed."""


class FateSchemeError(BundleError):
    """A fate scheme that refers to unknown nodes or cannot be parsed."""


def suggest(name: str, known: Iterable[str]) -> str:
    """Return a ``"; did you mean 'X'?"`` suffix for a misspelt ``name`` ('' if none is close).

    Examples
    --------
    >>> suggest("CASP9", ["CASP8", "CASP3", "ATP"])
    "; did you mean 'CASP8' or 'CASP3'?"
    >>> suggest("zzz", ["ATP"])
    ''
    """
    pool = list(known)
    close = difflib.get_close_matches(name, pool, n=3, cutoff=0.6)
    if not close:
        lowered = {k.lower(): k for k in pool}
        if name.lower() in lowered:
            close = [lowered[name.lower()]]
    if not close:
        return ""
    quoted = [f"'{c}'" for c in close]
    text = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"; did you mean {text}?"
