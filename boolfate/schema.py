"""The ``model.toml`` schema: every key's type and the allowed keys of every table.

:func:`check_model_toml` runs before a bundle is built, so a wrong type or a misspelt key is one
error naming the file, the key and (for a misspelling) the closest allowed key. Node names,
perturbations and fate rules are checked afterwards against the network.

Examples
--------
>>> check_model_toml({"fates": {"Survival": "NFkB"}, "default_condition": "TNF"}, "m.toml")
>>> try:
...     check_model_toml({"conditions": {"TNF": {"inputs": "TNF%1", "initial_off": []}}}, "m.toml")
... except BundleError as err:
...     print(err)
m.toml: [conditions.TNF]: unknown key 'initial_off'; did you mean 'initial_on'?
>>> try:
...     check_model_toml({"default_condition": []}, "m.toml")
... except BundleError as err:
...     print(err)
m.toml: default_condition: expected a string, got an array ([])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from boolfate.errors import BundleError, suggest

__all__ = ["TOP_LEVEL_KEYS", "check_model_toml"]

_TOML_TYPE = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    list: "an array",
    dict: "a table",
}


def _kind(value: Any) -> str:
    return next((name for t, name in _TOML_TYPE.items() if type(value) is t), type(value).__name__)


def _fail(src: str, where: str, expected: str, value: Any) -> BundleError:
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    return BundleError(f"{src}: {where}: expected {expected}, got {_kind(value)} ({shown})")


def _string(src: str, where: str, value: Any) -> None:
    if not isinstance(value, str):
        raise _fail(src, where, "a string", value)


def _names(src: str, where: str, value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(src, where, "an array of node names", value)


def _table(src: str, where: str, value: Any, allowed: Mapping[str, Checker] | None = None) -> None:
    if not isinstance(value, dict):
        raise _fail(src, where, "a table", value)
    if allowed is None:
        return
    for key, item in value.items():
        if key not in allowed:
            hint = suggest(key, allowed) or f" (allowed: {', '.join(allowed)})"
            raise BundleError(f"{src}: {where}: unknown key '{key}'{hint}")
        allowed[key](src, f"{where}.{key}" if where.startswith("[") else key, item)


Checker = Callable[[str, str, Any], None]


def _string_or_table(required: str, allowed: Mapping[str, Checker]) -> Checker:
    def check(src: str, where: str, value: Any) -> None:
        if isinstance(value, str):
            return
        if not isinstance(value, dict) or required not in value:
            raise _fail(src, where, f"a string or a table with '{required}'", value)
        _table(src, f"[{where.strip('[]')}]", value, allowed)

    return check


def _each(check: Checker) -> Checker:
    """A table whose every value passes ``check``."""

    def run(src: str, where: str, value: Any) -> None:
        _table(src, f"[{where}]", value)
        for key, item in value.items():
            check(src, f"{where}.{key}", item)

    return run


def _any(src: str, where: str, value: Any) -> None:
    del src, where, value


_CONDITION: dict[str, Checker] = {
    "inputs": _string,
    "description": _string,
    "initial_on": _names,
}
_SCENARIO: dict[str, Checker] = {"perturbation": _string, "description": _string}

TOP_LEVEL_KEYS: dict[str, Checker] = {
    "title": _string,
    "citation": _string,
    "doi": _string,
    "description": _string,
    "default_fate": _string,
    "default_condition": _string,
    "default_update": _string,
    "default_profile": _string,
    "initial_state": lambda src, where, v: _table(src, "[initial_state]", v, {"on": _names}),
    "fates": _each(_any),  # each rule is parsed by FateScheme.from_mapping
    "conditions": _each(_string_or_table("inputs", _CONDITION)),
    "scenarios": _each(_string_or_table("perturbation", _SCENARIO)),
    "modules": _each(_names),
    "rates": lambda src, where, v: _table(src, "[rates]", v),
    "timescales": lambda src, where, v: _table(src, "[timescales]", v),
    "profiles": lambda src, where, v: _table(src, "[profiles]", v),
}
"""Allowed top-level keys of ``model.toml`` and the check of each value."""


def check_model_toml(data: Mapping[str, Any], src: str) -> None:
    """Check the types and keys of parsed ``model.toml`` data; raise :class:`BundleError`.

    ``src`` is the file name used in messages.
    """
    for key, value in data.items():
        if key not in TOP_LEVEL_KEYS:
            raise BundleError(f"{src}: unknown key '{key}'{suggest(key, TOP_LEVEL_KEYS)}")
        TOP_LEVEL_KEYS[key](src, key, value)
