"""Matplotlib figures in the shared fate palette: a screen's fate heatmap and fate time courses.

Builders return :class:`matplotlib.figure.Figure` objects (no pyplot state, no files);
:func:`figure_bytes` renders one to PNG or SVG bytes. Colours come from
:mod:`boolfate.palette`, so a fate has the same colour here as in the HTML report.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> from boolfate.bundle import bundle_from_toml
>>> from boolfate.screens import run_screen, screen_items, sorted_rows
>>> net = parse_bnet("s, s\\na, s & !b\\nb, !a\\ndead, a\\nalive, b")
>>> toy = bundle_from_toml(net, {"fates": {"Death": "dead", "Life": "alive"},
...                              "conditions": {"on": "s%1"}}, src="toy", name="toy", path=None)
>>> items = screen_items(toy, singles=True)
>>> rows = sorted_rows(run_screen(toy, items, ["on"]), items, ["on"])
>>> [label for label, _ in heatmap_rows(rows)][:3]
['WT', 'a%0', 'a%1']
>>> figure_bytes(screen_heatmap(rows), "png")[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from boolfate.fates import base_fate
from boolfate.palette import CHANGE_MARKS, fate_colour
from boolfate.screens import ScreenRow

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from boolfate.simulate import SimulationResult

__all__ = ["HEATMAP_ROWS", "heatmap_rows", "screen_heatmap", "timecourse_figure", "figure_bytes"]

HEATMAP_ROWS = 60
"""Perturbations drawn in a heatmap at most (the wild type, then the most changed ones)."""

_LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)))


def heatmap_rows(
    rows: Sequence[ScreenRow], limit: int = HEATMAP_ROWS
) -> list[tuple[str, dict[str, ScreenRow]]]:
    """The perturbations a heatmap shows: WT, then those changing fate under most conditions.

    Screens with at most ``limit`` perturbations show all of them, in screen order.
    """
    grid: dict[str, dict[str, ScreenRow]] = {}
    for r in rows:
        grid.setdefault(r.label, {})[r.condition] = r
    items = list(grid.items())
    if len(items) <= limit:
        return items

    def changed(by: Mapping[str, ScreenRow]) -> int:
        return sum(r.change not in ("reference", "unchanged") for r in by.values())

    wt = [it for it in items if it[0] == "WT"]
    rest = sorted(
        (it for it in items if it[0] != "WT" and changed(it[1])), key=lambda it: -changed(it[1])
    )
    return (wt + rest)[:limit]


def _short(text: str, width: int = 28) -> str:
    """``text`` cut to ``width`` characters (with an ellipsis), for tick and legend labels."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _new_figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def screen_heatmap(rows: Sequence[ScreenRow], *, limit: int = HEATMAP_ROWS) -> Figure:
    """Perturbations × conditions, each cell striped with the colours of the fates reached.

    A cell's mark says how it differs from the wild type (``−`` lost, ``+`` gained, ``±``
    mixed, ``⇄`` switched); a grey cell reaches no named fate.
    """
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Patch, Rectangle

    conds = list(dict.fromkeys(r.condition for r in rows))
    shown = heatmap_rows(rows, limit)
    n_perts = len({r.label for r in rows})
    fates = list(dict.fromkeys(base_fate(f) for r in rows for f in r.fates))
    fig = _new_figure(max(4.0, 1.6 + 0.75 * len(conds)), max(2.0, 1.4 + 0.22 * len(shown)))
    ax = fig.add_subplot()
    rects: list[Rectangle] = []
    colours: list[str] = []
    marks: dict[str, list[tuple[float, float]]] = {}
    for y, (_, by) in enumerate(shown):
        for x, cond in enumerate(conds):
            r = by.get(cond)
            if r is None:
                continue
            cell = list(dict.fromkeys(base_fate(f) for f in r.fates)) or [""]
            w = 1 / len(cell)
            for k, fate in enumerate(cell):
                rects.append(Rectangle((x + k * w, y), w, 1))
                colours.append(fate_colour(fate) if fate else "#dddddd")
            mark = CHANGE_MARKS.get(r.change, "")
            if mark and mark != "=":
                marks.setdefault(mark, []).append((x + 0.5, y + 0.5))
    ax.add_collection(PatchCollection(rects, facecolors=colours, linewidths=0))
    for mark, points in marks.items():  # one scatter per mark: cheap to draw
        xs, ys = zip(*points, strict=True)
        ax.scatter(xs, ys, s=70, c="white", alpha=0.85, linewidths=0)
        ax.scatter(xs, ys, s=40, c="black", marker=f"${mark}$", linewidths=0)
    ax.set_xlim(0, len(conds))
    ax.set_ylim(len(shown), 0)
    ax.set_xticks(
        np.arange(len(conds)) + 0.5, [_short(c) for c in conds], rotation=45, ha="right", fontsize=8
    )
    ax.set_yticks(np.arange(len(shown)) + 0.5, [_short(lab) for lab, _ in shown], fontsize=7)
    ax.tick_params(length=0)
    for x in range(len(conds) + 1):
        ax.axvline(x, color="white", lw=1.5)
    for y in range(len(shown) + 1):
        ax.axhline(y, color="white", lw=0.8)
    what = f"{len(shown)} of {n_perts} perturbations" if len(shown) < n_perts else "all"
    ax.set_title(f"Fates reached ({what}; marks: change vs the wild type)", fontsize=9)
    handles = [Patch(color=fate_colour(f), label=_short(f)) for f in fates]
    if not handles:
        return fig
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(len(handles), 6) or 1,
        fontsize=8,
        frameon=False,
    )
    return fig


def timecourse_figure(
    results: Sequence[tuple[str, SimulationResult]], *, title: str = ""
) -> Figure:
    """Fate probability against time; several results overlay as line styles.

    Parameters
    ----------
    results
        ``(label, result)`` pairs, e.g. one per perturbation: colour = fate (the shared
        palette), line style = the pair (solid for the first).
    title
        The figure title.
    """
    fig = _new_figure(6.4 if len(results) == 1 else 9.0, 4.0)
    ax = fig.add_subplot()
    for i, (label, result) in enumerate(results):
        style = _LINESTYLES[i % len(_LINESTYLES)]
        mids = (result.times + np.minimum(result.times + result.time_tick, result.max_time)) / 2
        se = result.timecourse_se
        for j, fate in enumerate(result.fates):
            y = result.timecourse[:, j]
            if not y.any():
                continue
            colour = fate_colour(fate)
            name = f"{fate} ({result.final[fate]:.3f})"
            ax.plot(
                mids,
                y,
                color=colour,
                linestyle=style,
                label=f"{label}: {name}" if len(results) > 1 else name,
            )
            if len(results) == 1:
                ax.fill_between(
                    mids, y - 2 * se[:, j], y + 2 * se[:, j], color=colour, alpha=0.2, lw=0
                )
    first = results[0][1]
    ax.set_xlabel("time")
    ax.set_ylabel("probability")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(0, max(r.max_time for _, r in results))
    ax.set_title(title or f"fate probabilities ({first.trajectories} trajectories)", fontsize=10)
    if len(results) == 1:
        ax.legend(loc="best", frameon=False, fontsize=8)
    else:
        fig.legend(loc="outside right upper", frameon=False, fontsize=8)
    return fig


def figure_bytes(fig: Any, fmt: str) -> bytes:
    """Render ``fig`` as ``png`` (110 dpi) or ``svg`` (text, as UTF-8 bytes)."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=110 if fmt == "png" else None, metadata=_metadata(fmt))
    return buf.getvalue()


def _metadata(fmt: str) -> dict[str, Any] | None:
    """No creation date in the file, so the same figure gives the same bytes."""
    if fmt == "svg":
        return {"Date": None}
    if fmt == "png":
        return {"Software": None}
    return None
