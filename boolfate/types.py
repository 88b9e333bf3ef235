"""Documented type aliases shared across boolfate (no logic here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeAlias

__all__ = ["Value", "Subspace", "UpdateScheme", "UPDATE_SCHEMES"]

Value: TypeAlias = Literal[0, 1]
"""A Boolean node value."""

Subspace: TypeAlias = Mapping[str, Value]
"""A partial assignment (node -> value); nodes absent are free. A full one is a state."""

UpdateScheme: TypeAlias = Literal["async", "sync", "mp", "priority"]
"""Dynamics: fully asynchronous, synchronous, most-permissive (= minimal trap spaces), or
asynchronous with ranked priority classes (time scales: a slower node changes only where no
faster node can)."""

UPDATE_SCHEMES: tuple[UpdateScheme, ...] = ("async", "sync", "mp", "priority")
