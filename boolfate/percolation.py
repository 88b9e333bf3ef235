"""Percolation of constants: which nodes a set of fixed values forces, in order, and why.

Percolation substitutes known values into every rule; a rule that becomes constant forces its
node, which is substituted in turn. The result is the smallest trap space the fixed values force
(valid for every update scheme), and the ordered trace explains a perturbation's effect.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("a, a\\nb, a & !c\\nc, b | c")
>>> result = percolate(net, {"a": 0})
>>> result.values
{'a': 0, 'b': 0}
>>> [str(step) for step in result.trace]
['b=0 because b = a & !c and a=0']
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from boolfate.expr import substitute
from boolfate.logic import Term, constant_under
from boolfate.model import Network
from boolfate.session import origin
from boolfate.types import Value

__all__ = ["Step", "Percolation", "percolate", "reduce_network", "stable_values", "forced_values"]


@dataclass(frozen=True, slots=True)
class Step:
    """One forced node: its value, its rule and the already-fixed values that force it."""

    node: str
    value: Value
    rule: str
    because: tuple[tuple[str, Value], ...]

    def __str__(self) -> str:
        if not self.because:
            return f"{self.node}={self.value} because {self.node} = {self.rule}"
        why = ", ".join(f"{n}={v}" for n, v in self.because)
        return f"{self.node}={self.value} because {self.node} = {self.rule} and {why}"


@dataclass(frozen=True, slots=True)
class Percolation:
    """Outcome of :func:`percolate`: all fixed values (seeds first) and the forced steps."""

    values: dict[str, Value]
    trace: tuple[Step, ...]


def _reason(
    primes: tuple[Term, ...],
    regulators: tuple[str, ...],
    values: Mapping[str, Value],
    rank: Mapping[str, int],
    before: int,
) -> tuple[tuple[str, Value], ...]:
    """The first prime implicant (of the rule, or of its negation) made of values fixed before
    step ``before`` (seeds have rank -1): the reason the node was forced."""

    def known(n: str) -> Value | None:
        return values[n] if n in values and rank.get(n, -1) < before else None

    for term in primes:
        if all(known(n) == v for n, v in term.items()):
            return tuple(sorted((n, 1 if v else 0) for n, v in term.items()))
    fallback = ((n, known(n)) for n in regulators)
    return tuple(sorted((n, v) for n, v in fallback if v is not None))


def percolate(network: Network, fixed: Mapping[str, Value]) -> Percolation:
    """Propagate ``fixed`` through ``network`` until no rule becomes constant any more.

    Nodes in ``fixed`` keep their given values whatever their rules say (as a perturbation
    would); nodes whose rule is already constant are forced too.

    Returns
    -------
    Percolation
        ``values`` maps every fixed node (seeds first, then in forcing order) to its value.
    """
    values: dict[str, Value] = {n: fixed[n] for n in network.nodes if n in fixed}
    trace: list[Step] = []
    order = _propagate(network, values, None)
    rank = {n: i for i, n in enumerate(order)}
    base, fixes = origin(network) or (network, ())
    perturbed = dict(fixes)
    for node in order:
        value = values[node]
        if node in perturbed:  # a constant rule: nothing else forces it
            trace.append(Step(node, value, str(value), ()))
            continue
        primes = base.implicants[node][value]
        because = _reason(primes, base.tables[node][0], values, rank, rank[node])
        trace.append(Step(node, value, base.rule_texts[node], because))
    return Percolation(values, tuple(trace))


def reduce_network(network: Network, values: Mapping[str, Value]) -> Network:
    """Return the network on the nodes not in ``values``, with those values substituted.

    ``values`` must be closed under percolation (a trap space), so no remaining function
    refers to a removed node.
    """
    rules = tuple((n, substitute(f, values)) for n, f in network.rules if n not in values)
    return Network(rules, name=network.name, source=network.source)


def stable_values(network: Network, initial: Mapping[str, Value] | None) -> dict[str, Value]:
    """Nodes that never change: constant given the others, and (with ``initial``) already there."""
    values: dict[str, Value] = {}
    _propagate(network, values, initial)
    return values


def _propagate(
    network: Network, values: dict[str, Value], initial: Mapping[str, Value] | None
) -> list[str]:
    """Fix, in ``values``, every node whose rule becomes constant (worklist; returns the order).

    With ``initial``, a node is fixed only when its initial value already equals the constant.
    After a node is fixed only the rules that mention it are looked at again.
    """
    # the unperturbed network's users and truth tables serve its perturbations (perturbed
    # rules are constants), so they are computed once per screen
    base, fixes = origin(network) or (network, ())
    perturbed: dict[str, Value] = {n: 1 if v else 0 for n, v in fixes}
    users, tables = base.users, base.tables
    queue = deque(n for n in network.nodes if n not in values)
    queued = set(queue)
    order: list[str] = []
    while queue:
        node = queue.popleft()
        queued.discard(node)
        if node in values:
            continue
        names, table = tables[node]
        if node in perturbed:
            value: Value | None = perturbed[node]
        elif table is None:  # a rule too wide for a truth table: decided on its BDD
            value = constant_under(base.functions[node], values)
        else:
            value = _constant(names, table, values)
        if value is None:
            continue
        if initial is not None and initial[node] != value:
            continue
        values[node] = value
        order.append(node)
        for user in users[node]:
            if user not in values and user not in queued:
                queue.append(user)
                queued.add(user)
    return order


def _constant(names: tuple[str, ...], table: int, values: Mapping[str, Value]) -> Value | None:
    """The value of a function (truth table over ``names``) if ``values`` make it constant."""
    row, free = 0, []
    for j, name in enumerate(names):
        v = values.get(name)
        if v is None:
            free.append(j)
        elif v:
            row |= 1 << j
    first = table >> row & 1
    for combo in range(1, 1 << len(free)):
        r = row
        for k, j in enumerate(free):
            if combo >> k & 1:
                r |= 1 << j
        if (table >> r & 1) != first:
            return None
    return 1 if first else 0


def forced_values(
    network: Network, fixes: Mapping[str, Value], known: Mapping[str, Value] | None = None
) -> dict[str, Value]:
    """The values ``fixes`` force on ``network``: :func:`stable_values` of the network with
    ``fixes`` applied, computed without building that network.

    ``known`` may give the forced values of a subset of ``fixes`` (e.g. the set without its
    last fix); when no fix contradicts them, only the rules that read the new fixes are looked
    at again (percolation is monotone in its seeds). Otherwise it starts from scratch.

    Examples
    --------
    >>> from boolfate.bnet import parse_bnet
    >>> net = parse_bnet("a, a\\nb, a & !c\\nc, b | c\\nd, c")
    >>> first = forced_values(net, {"a": 0})
    >>> first
    {'a': 0, 'b': 0}
    >>> forced_values(net, {"a": 0, "c": 1}, known=first)
    {'a': 0, 'b': 0, 'c': 1, 'd': 1}
    """
    users, tables = network.users, network.tables
    if known is not None and all(known.get(n, v) == v for n, v in fixes.items()):
        values = {**known, **fixes}
        fresh = [u for n in fixes if n not in known for u in users[n]]
        queue = deque(dict.fromkeys(u for u in fresh if u not in values))
    else:
        values = {n: fixes[n] for n in network.nodes if n in fixes}
        queue = deque(n for n in network.nodes if n not in values)
    queued = set(queue)
    while queue:
        node = queue.popleft()
        queued.discard(node)
        if node in values:
            continue
        names, table = tables[node]
        if table is None:  # a rule too wide for a truth table: decided on its BDD
            value = constant_under(network.functions[node], values)
        else:
            value = _constant(names, table, values)
        if value is None:
            continue
        values[node] = value
        for user in users[node]:
            if user not in values and user not in queued:
                queue.append(user)
                queued.add(user)
    return values
