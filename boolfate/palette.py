"""One colour per fate, the same in every report, diagram and plot, and the same across models.

Colours come from the eight-colour Okabe-Ito palette, which stays distinguishable with the
common forms of colour blindness (B. Wong, "Points of view: Color blindness", *Nature Methods*
8:441, 2011). Well-known cell fates have a fixed
colour; any other fate name gets one from a hash of its lower-cased name, so a fate keeps its
colour whatever model or screen it appears in. ``oscillating:X`` uses the colour of ``X``.

Examples
--------
>>> fate_colour("Apoptosis"), fate_colour("oscillating:Apoptosis")
('#D55E00', '#D55E00')
>>> fate_colour("Survival") == fate_colour("survival")
True
>>> fate_colour("MyOwnFate") == fate_colour("MyOwnFate")
True
>>> text_colour("#000000"), text_colour("#F0E442")
('#ffffff', '#000000')
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from boolfate.fates import base_fate

__all__ = [
    "OKABE_ITO",
    "KNOWN_FATES",
    "CHANGE_COLOURS",
    "CHANGE_MARKS",
    "fate_colour",
    "fate_colours",
    "text_colour",
]

OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
"""The eight Okabe-Ito colours."""

KNOWN_FATES: dict[str, str] = {
    "survival": "#009E73",
    "proliferation": "#009E73",
    "apoptosis": "#D55E00",
    "necroptosis": "#CC79A7",
    "nonacd": "#E69F00",
    "necrosis": "#E69F00",
    "cicd": "#0072B2",
    "senescence": "#56B4E9",
    "naive": "#999999",
    "unclassified": "#999999",
    "resting": "#999999",
    "quiescence": "#999999",
    "none": "#999999",
}
"""Fixed colours of common cell fates (keys lower case)."""

CHANGE_COLOURS: dict[str, str] = {
    "reference": "#e6e6e6",
    "unchanged": "#ffffff",
    "lost": "#fde2e4",
    "gained": "#dcefff",
    "mixed": "#efe3f7",
    "switched": "#fff3b0",
}
"""Light cell backgrounds per change class (never one of the fate colours)."""

CHANGE_MARKS: dict[str, str] = {
    "reference": "=",
    "unchanged": "",
    "lost": "−",
    "gained": "+",
    "mixed": "±",
    "switched": "⇄",
}
"""A symbol per change class, so colour is never the only cue."""

_HASHED = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")


def fate_colour(fate: str) -> str:
    """The colour of ``fate`` (``#RRGGBB``), stable per name across models."""
    key = base_fate(fate).strip().lower()
    if key in KNOWN_FATES:
        return KNOWN_FATES[key]
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return _HASHED[digest[0] % len(_HASHED)]


def fate_colours(fates: Iterable[str]) -> dict[str, str]:
    """``{fate: colour}`` for every fate in ``fates`` (order kept)."""
    return {f: fate_colour(f) for f in fates}


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG relative luminance)."""
    rgb = [int(background.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#ffffff"
