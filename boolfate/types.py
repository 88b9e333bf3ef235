"""Documented type aliases shared across boolfate (no logic here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeAlias

__all__ = ["Value", "Subspace", "UpdateScheme", "UPDATE_SCHEMES"]

Value: TypeAlias = Literal[0, 1]
"""A Boolean node value."""

Subspace: TypeAlias = Mapping[str, Value]
"""A partial assignment (node -> value); nodes absent are free. A full one is a state."""

UpdateScheme: TypeAlias = Literal["async", "sync", "mp"]
"""Dynamics: fully asynchronous, synchronous, or most-permissive (= minimal trap spaces)."""

UPDATE_SCHEMES: tuple[UpdateScheme, ...] = ("async", "sync", "mp")
