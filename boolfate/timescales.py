"""Time scales: ranked update classes (GINsim priority classes) and their stochastic rates.

A :class:`Timescales` value ranks named classes of nodes, fastest first. Under
``update="priority"`` a node of a slower class may change only in states where no node of a
faster class can change; inside a class the update is asynchronous (Faure et al. 2006,
Bioinformatics 22:e124, priority classes as implemented in GINsim). Nodes no class lists belong
to the ``default`` class. For stochastic simulation (MaBoSS, Stoll et al. 2012, BMC Syst Biol
6:116) each class has a rate: every node's up and down rates are its class's rate.

Examples
--------
>>> ts = Timescales.from_mapping({"fast": ["a"], "slow": ["b"]}, ["a", "b", "c"])
>>> ts.names, ts.default
(('fast', 'slow'), 'fast')
>>> ts.ranks(["a", "b", "c"])
(0, 1, 0)
>>> ts.rate("slow"), ts.node_rate("c")
(0.1, 1.0)
>>> Timescales.from_mapping({"fast": ["a"], "slow": ["a"]}, ["a"])
Traceback (most recent call last):
...
boolfate.timescales.TimescaleError: slow: node 'a' is already in class 'fast'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boolfate.errors import BundleError, suggest

__all__ = ["Timescales", "TimescaleError", "SLOWDOWN"]

SLOWDOWN = 10.0
"""Default rate ratio between consecutive classes (fastest class rate 1)."""


class TimescaleError(BundleError):
    """A malformed ``[timescales]`` table; ``key`` names the offending key."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"{key}: {message}")


@dataclass(frozen=True)
class Timescales:
    """Ranked update classes, fastest first.

    Attributes
    ----------
    classes
        ``(name, nodes)`` pairs, fastest first.
    default
        The class of nodes no class lists.
    rates
        ``(name, rate)`` for every class (stochastic rate of each of its nodes' transitions).
    """

    classes: tuple[tuple[str, tuple[str, ...]], ...]
    default: str
    rates: tuple[tuple[str, float], ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Class names, fastest first."""
        return tuple(name for name, _ in self.classes)

    def class_of(self, node: str) -> str:
        """The class ``node`` belongs to (``default`` when no class lists it)."""
        for name, nodes in self.classes:
            if node in nodes:
                return name
        return self.default

    def ranks(self, nodes: Iterable[str]) -> tuple[int, ...]:
        """Rank of each node's class (0 = fastest), in the order given."""
        position = {name: i for i, name in enumerate(self.names)}
        return tuple(position[self.class_of(n)] for n in nodes)

    def rate(self, name: str) -> float:
        """The stochastic rate of class ``name``."""
        return dict(self.rates)[name]

    def node_rate(self, node: str) -> float:
        """The rate of ``node``'s class (its up and down rate in simulations)."""
        return self.rate(self.class_of(node))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], nodes: Sequence[str]) -> Timescales:
        """Build from a parsed ``[timescales]`` table, validating every key.

        Every key whose value is a list of node names is a class (in the order written, fastest
        first); ``default`` names the class of unlisted nodes (default: the first class);
        ``rates`` maps class names to positive rates (default: the fastest class 1, each slower
        class :data:`SLOWDOWN` times slower than the previous one).

        Raises
        ------
        TimescaleError
            On an unknown node (with "did you mean"), a node in two classes, an empty class,
            an unknown ``default`` or ``rates`` class, a non-positive rate, or no class at all.
        """
        classes = _classes(data, nodes)
        names = [name for name, _ in classes]
        default = data.get("default", names[0])
        if not isinstance(default, str) or default not in names:
            raise TimescaleError(
                "default", f"{default!r} is not a class{suggest(str(default), names)}"
            )
        return cls(tuple(classes), default, _rates(data.get("rates", {}), names))


def _classes(data: Mapping[str, Any], nodes: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    known = set(nodes)
    owner: dict[str, str] = {}
    classes: list[tuple[str, tuple[str, ...]]] = []
    for key, value in data.items():
        if key in ("default", "rates"):
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TimescaleError(key, f"expected a list of node names, got {value!r}")
        if not value:
            raise TimescaleError(key, "the class is empty (list at least one node)")
        for node in value:
            if node not in known:
                raise TimescaleError(key, f"unknown node '{node}'{suggest(node, nodes)}")
            if node in owner:
                raise TimescaleError(key, f"node '{node}' is already in class '{owner[node]}'")
            owner[node] = key
        classes.append((key, tuple(value)))
    if not classes:
        raise TimescaleError("timescales", 'no class given (e.g. fast = ["RIPK1"])')
    return classes


def _rates(data: Any, names: list[str]) -> tuple[tuple[str, float], ...]:
    if not isinstance(data, Mapping):
        raise TimescaleError("rates", f"expected a table of class = rate, got {data!r}")
    for name, value in data.items():
        if name not in names:
            raise TimescaleError(f"rates.{name}", f"not a class{suggest(name, names)}")
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise TimescaleError(f"rates.{name}", f"expected a positive number, got {value!r}")
    out: list[tuple[str, float]] = []
    for i, name in enumerate(names):
        rate = float(data[name]) if name in data else 1.0 if i == 0 else out[-1][1] / SLOWDOWN
        out.append((name, rate))
    return tuple(out)
