"""The diagrams' palette: grey levels that survive grey-scale printing, hue only as a cue."""

from __future__ import annotations

__all__ = ["_ON", "_OFF", "_OSC", "_KO", "_ACT", "_INH", "_DUAL", "_CUT", "_FONT"]

# grey levels: on = dark, off = white, oscillating = light, knocked out = mid grey
_ON, _OFF, _OSC, _KO = "#4d4d4d", "#ffffff", "#e0e0e0", "#a8a8a8"
_ACT, _INH, _DUAL, _CUT = "#1b7837", "#b2182b", "#555555", "#999999"
_FONT = "Helvetica"
