"""Command-line interface: ``boolfate COMMAND``.

Each command lives in its own module of this package and registers itself on :data:`main`;
every public module here is imported, so adding a command means adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil

from boolfate.cli._app import main

for _mod in pkgutil.iter_modules(__path__):
    if not _mod.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_mod.name}")

__all__ = ["main"]
