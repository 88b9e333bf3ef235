"""Command-line interface: ``boolfate COMMAND``.

Each command lives in its own module of this package and registers itself on :data:`main`;
adding a command means adding a module. Modules are imported only when needed (see
:class:`~boolfate.cli._app.BoolfateGroup`), so ``boolfate --version`` imports no command.
"""

from __future__ import annotations

from boolfate.cli._app import main

__all__ = ["main"]
