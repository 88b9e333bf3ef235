"""pyboolnet behind a quarantine (the only pyboolnet import).

pyboolnet configures logging to stdout when imported; :func:`_import` silences it so stdout
carries only boolfate's results. Only NuSMV-free functions are used: ``bnet2primes`` (the bundled
BNetToPrime) and ``compute_trap_spaces`` (the bundled gringo/clasp). NuSMV is never called.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import warnings
from collections.abc import Mapping
from typing import Any

from boolfate.attractor import Attractor, Limits, from_subspace
from boolfate.errors import EngineFailure, EngineLimitError
from boolfate.expr import Const
from boolfate.logic import python_source
from boolfate.model import Network
from boolfate.types import Value

__all__ = ["pyboolnet_attractors", "repository_primes"]


def _import() -> Any:
    with contextlib.redirect_stdout(io.StringIO()):
        import pyboolnet.file_exchange
        import pyboolnet.repository
        import pyboolnet.trap_spaces
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("pyboolnet"):
            logger = logging.getLogger(name)
            logger.handlers.clear()
            logger.propagate = False
    return pyboolnet


def _bnet(network: Network) -> str:
    ids = {n: f"v{i}" for i, n in enumerate(network.nodes)}
    lines = []
    for n, f in network.rules:
        if isinstance(f, Const):
            text = "1" if f.value else "0"
        else:
            text = python_source(f, lambda name: ids[name]).replace("1 ^ ", "!")
        lines.append(f"{ids[n]}, {text}")
    return "\n".join(lines) + "\n"


def _solve(pbn: Any, network: Network, limits: Limits) -> Any:
    primes = pbn.file_exchange.bnet2primes(_bnet(network))
    if primes is None:
        raise EngineFailure("pyboolnet could not convert the network to prime implicants")
    return pbn.trap_spaces.compute_trap_spaces(primes, "min", max_output=limits.max_results + 1)


def pyboolnet_attractors(
    network: Network, initial: Mapping[str, Value] | None, limits: Limits
) -> tuple[Attractor, ...]:
    """Minimal trap spaces computed by pyboolnet."""
    del initial
    pbn = _import()
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        # pyboolnet leaves its solver pipes to the garbage collector: close them here, quietly
        warnings.simplefilter("ignore", ResourceWarning)
        spaces = _solve(pbn, network, limits)
        gc.collect()
    if spaces is None:
        raise EngineFailure("pyboolnet returned no trap spaces (solver failure)")
    if len(spaces) > limits.max_results:
        raise EngineLimitError(
            f"more than max_results={limits.max_results} trap spaces; raise the limit "
            "(--max-results; Python: Limits(max_results=...))"
        )
    nodes = network.nodes
    return tuple(
        from_subspace(network, {nodes[int(k[1:])]: v for k, v in s.items()}, exact=False)
        for s in spaces
    )


def repository_primes(name: str) -> dict[str, Any]:
    """Prime implicants of a model in pyboolnet's bundled repository (for cross-checks)."""
    pbn = _import()
    with contextlib.redirect_stdout(io.StringIO()):
        primes: dict[str, Any] = pbn.repository.get_primes(name)
    return primes
