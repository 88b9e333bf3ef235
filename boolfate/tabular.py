"""Tabular views shared by the result types: records to pandas and to an HTML table.

pandas is optional (``pip install 'boolfate[pandas]'``); without it :func:`to_pandas` raises a
one-line :class:`~boolfate.errors.BoolfateError` naming the extra.

Examples
--------
>>> print(html_table([{"fate": "Survival", "states": 1}], caption="TNF"))
<table><caption>TNF</caption><thead><tr><th>fate</th><th>states</th></tr></thead><tbody><tr><td>Survival</td><td>1</td></tr></tbody></table>
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Mapping, Sequence
from typing import Any

from boolfate.errors import BoolfateError

__all__ = ["html_table", "to_pandas"]


def to_pandas(records: Sequence[Mapping[str, Any]], columns: Sequence[str] = ()) -> Any:
    """A :class:`pandas.DataFrame` with one row per record (``columns`` fixes the order).

    Raises
    ------
    BoolfateError
        When pandas is not installed.
    """
    try:
        pandas: Any = importlib.import_module("pandas")
    except ImportError as exc:
        raise BoolfateError(
            "to_pandas() needs pandas: pip install 'boolfate[pandas]' (or pip install pandas)"
        ) from exc
    return pandas.DataFrame.from_records(list(records), columns=list(columns) or None)


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return html.escape(", ".join(str(v) for v in value))
    return html.escape("" if value is None else str(value))


def html_table(records: Sequence[Mapping[str, Any]], *, caption: str = "") -> str:
    """A plain HTML table of ``records`` (keys of the first record as the header)."""
    head = list(records[0]) if records else []
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(r.get(h))}</td>" for h in head) + "</tr>" for r in records
    )
    return f"<table>{cap}<thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
