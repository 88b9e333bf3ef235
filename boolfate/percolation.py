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

from boolfate.expr import Const, substitute
from boolfate.logic import Term, constant_under
from boolfate.logic import constant_in_table as _constant
from boolfate.model import Network
from boolfate.session import origin
from boolfate.types import Value

__all__ = [
    "Step",
    "Percolation",
    "percolate",
    "reduce_network",
    "stable_values",
    "forced_values",
    "constant_rules",
    "decided_values",
    "ranked_percolation",
]


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


def constant_rules(network: Network) -> dict[str, Value]:
    """Nodes whose rule is a constant (e.g. perturbed nodes), with that value.

    Unlike :func:`stable_values` nothing is propagated: under priority classes a node whose
    rule only becomes constant given others can still be held at the other value.
    """
    return {n: 1 if f.value else 0 for n, f in network.rules if isinstance(f, Const)}


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


def _rule_constant(base: Network, node: str, values: Mapping[str, Value]) -> Value | None:
    """The value of ``node``'s rule in ``base`` if ``values`` make it constant (truth table, or
    the BDD for a rule too wide for one)."""
    names, table = base.tables[node]
    if table is None:
        return constant_under(base.functions[node], values)
    return _constant(names, table, values)


def decided_values(
    network: Network, initial: Mapping[str, Value], *, ranks: Mapping[str, int] | None = None
) -> dict[str, Value]:
    """Values that the fixed rules alone decide on every attractor reachable from ``initial``.

    Three steps, each a constant propagation: (1) percolate the constants of ``network`` (its
    fixed nodes and what they force); (2) find the nodes that provably never leave their initial
    value: the greatest set in which every node's rule, with the other nodes of the set at their
    initial values and all remaining nodes free, is constantly that initial value (a node that
    step 1 forces to another value is never in it); (3) percolate again from both. The set of
    step 2 is sound for every asynchronous-type dynamics, since a node of it can never be the
    first of it to change. Percolation (steps 1 and 3) is sound for asynchronous update; under
    priority classes (``ranks``: node -> class rank, 0 = fastest) a slow node whose rule became
    constant can be held back forever by a faster oscillation, so there a node is fixed only
    once every node of a faster class is (then nothing faster can move in an attractor and the
    node must take its constant value).

    Examples
    --------
    >>> from boolfate.bnet import parse_bnet
    >>> net = parse_bnet("a, b\\nb, a\\nc, !a & d\\nd, d")
    >>> sorted(decided_values(net, {"a": 0, "b": 0, "c": 0, "d": 1}).items())
    [('a', 0), ('b', 0), ('c', 1), ('d', 1)]
    >>> net = parse_bnet("f, !f\\ns, !d\\nd, d")
    >>> sorted(decided_values(net, {"f": 0, "s": 1, "d": 1}).items())
    [('d', 1), ('s', 0)]
    >>> sorted(decided_values(net, {"f": 0, "s": 1, "d": 1}, ranks={"f": 0, "s": 1, "d": 1}))
    ['d']
    """
    if ranks is None:
        forced = percolate(network, {}).values
    else:
        forced = ranked_percolation(network, ranks)
    base, fixed = origin(network) or (network, ())
    fixes = dict(fixed)
    frozen = {n: initial[n] for n in network.nodes if forced.get(n, initial[n]) == initial[n]}
    changed = True
    while changed:
        changed = False
        for node in list(frozen):
            if node in fixes:
                continue
            value = _rule_constant(base, node, frozen)
            if value != frozen[node]:
                del frozen[node]
                changed = True
    values = dict(forced)
    values.update(frozen)
    if ranks is not None:
        return ranked_percolation(network, ranks, values)
    _propagate(network, values, None)
    return values


def ranked_percolation(
    network: Network, ranks: Mapping[str, int], values: Mapping[str, Value] | None = None
) -> dict[str, Value]:
    """Percolation valid under priority classes (``ranks``: node -> class rank, 0 = fastest).

    From ``values`` (default: the constant rules) a node whose rule becomes constant is fixed
    only when no node of a faster class is still free: then no faster node can move in an
    attractor, the node can, and it must end at its constant. Every attractor lies inside.

    Examples
    --------
    >>> from boolfate.bnet import parse_bnet
    >>> net = parse_bnet("p, 0\\nf, !f\\ns, p & f | p\\nq, p")
    >>> ranked_percolation(net, {"p": 0, "f": 0, "s": 1, "q": 0})
    {'p': 0, 'q': 0}
    >>> percolate(net, {}).values
    {'p': 0, 's': 0, 'q': 0}
    """
    out = dict(constant_rules(network) if values is None else values)
    base = (origin(network) or (network, ()))[0]
    changed = True
    while changed:
        changed = False
        free = [n for n in network.nodes if n not in out]
        lowest = min((ranks[n] for n in free), default=0)
        for node in free:
            if ranks[node] > lowest:
                continue
            value = _rule_constant(base, node, out)
            if value is not None:
                out[node] = value
                changed = True
    return out
