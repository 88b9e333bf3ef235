"""Per-network engine state: one :class:`Session` per unperturbed network.

A session owns what the engines may reuse across the perturbations of one network (clingo's
ground programs, for instance) and the lock that guards it. It lives on the network object
itself (no module-level cache; it goes away with the network and is not pickled). Only
:func:`boolfate.perturbations.apply` links a perturbed network to its origin, so a network built
by hand can never borrow another network's answers.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> from boolfate.perturbations import Perturbation, apply
>>> net = parse_bnet("a, !b\\nb, !a")
>>> ko = apply(net, Perturbation.parse("a%0"))
>>> origin(ko) == (net, (("a", 0),)), origin(net) is None
(True, True)
>>> Session.of(ko) is Session.of(net)
True
>>> import pickle
>>> origin(pickle.loads(pickle.dumps(ko))) is None
True
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from boolfate.model import Network
from boolfate.types import Value

__all__ = ["Session", "origin", "register_perturbed"]

T = TypeVar("T")

Fixes = tuple[tuple[str, Value], ...]

_SESSION = "_boolfate_session"
_ORIGIN = "_boolfate_origin"
_CREATE_LOCK = threading.Lock()
"""Guards the creation of a network's session (two threads must not make two)."""


class Session:
    """The engine caches of one unperturbed network, shared by all its perturbations.

    Attributes
    ----------
    network
        The unperturbed network.
    lock
        Guards :attr:`cache` (and whatever an engine keeps in it while it is built).
    cache
        Engine state by key (``"clingo:min"`` ...).
    """

    def __init__(self, network: Network) -> None:
        self.network = network
        self.lock = threading.RLock()
        self.cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Session({self.network!r}, cached={sorted(self.cache)})"

    @classmethod
    def of(cls, network: Network) -> Session:
        """The session of ``network``'s unperturbed origin (created on first use)."""
        found = origin(network)
        root = found[0] if found is not None else network
        with _CREATE_LOCK:
            session = root.__dict__.get(_SESSION)
            if not isinstance(session, Session):
                session = cls(root)
                object.__setattr__(root, _SESSION, session)
            return session

    def get(self, key: str, build: Callable[[], T]) -> T:
        """The cached value for ``key``, built once (under :attr:`lock`)."""
        with self.lock:
            if key not in self.cache:
                self.cache[key] = build()
            value: T = self.cache[key]
            return value


def register_perturbed(perturbed: Network, base: Network, fixes: Fixes) -> None:
    """Record that ``perturbed`` is ``base`` with ``fixes`` (called by ``apply`` only)."""
    object.__setattr__(perturbed, _ORIGIN, (base, fixes))


def origin(network: Network) -> tuple[Network, Fixes] | None:
    """``(unperturbed network, fixes)`` when ``network`` was made by ``apply``, else None."""
    found: tuple[Network, Fixes] | None = network.__dict__.get(_ORIGIN)
    return found
