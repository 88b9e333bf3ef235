"""The one grammar for conditions and perturbations: strings, scenario names, values.

Every entry point (the CLI options, observation cells, ``--list`` files, the Python API, the
diagrams) turns text into :class:`Condition` and :class:`~boolfate.perturbations.Perturbation`
values here, with one grammar:

* a perturbation is a list of items separated by spaces, commas or semicolons; an item is
  ``NODE%0`` (knock-out), ``NODE%1`` (over-expression) or the name of a scenario; ``WT``,
  ``-`` or nothing is the wild type; a node fixed to both 0 and 1 is an error;
* a condition is a condition name, ``none`` (no input fixed, unless a condition has that name)
  or ad-hoc input values in the same ``NODE%v`` syntax.

Examples
--------
>>> from boolfate.bnet import parse_bnet
>>> net = parse_bnet("a, !b\\nb, !a\\nc, c")
>>> loss = Scenario("a_loss", Perturbation.parse("a%0"))
>>> str(resolve_perturbation("a_loss, c%1", net, {"a_loss": loss}))
'a%0 c%1'
>>> resolve_perturbation("a%0 a%1", net)
Traceback (most recent call last):
...
boolfate.errors.PerturbationSyntaxError: node 'a' is fixed to both 0 and 1 in 'a%0 a%1'
>>> resolve_condition("none", net, {}).perturbation
Perturbation(fixes=())
>>> resolve_condition("c%1", net, {})
Condition(name='c%1', perturbation=Perturbation(fixes=(('c', 1),)), description='', \
initial_on=None, profile=None)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from boolfate.errors import BoolfateError, PerturbationSyntaxError, suggest
from boolfate.model import Network
from boolfate.perturbations import Perturbation
from boolfate.types import Value

__all__ = [
    "Condition",
    "Scenario",
    "NO_CONDITION",
    "PerturbationRef",
    "ConditionRef",
    "merge",
    "check_perturbation_syntax",
    "check_condition_syntax",
    "resolve_condition",
    "resolve_perturbation",
]

_SEPARATORS = re.compile(r"[\s,;]+")
_WILD_TYPE = ("WT", "wt", "-")


@dataclass(frozen=True)
class Condition:
    """A named input setting (environment), e.g. ``TNF = "TNF%1 FADD%1 FASL%0"``."""

    name: str
    perturbation: Perturbation
    description: str = ""
    initial_on: tuple[str, ...] | None = None
    profile: str | None = None
    """The cell-type profile applied with it (see :meth:`boolfate.bundle.Bundle.condition`)."""


@dataclass(frozen=True)
class Scenario:
    """A named perturbation (mutation or drug), e.g. ``casp8_loss = "CASP8%0"``."""

    name: str
    perturbation: Perturbation
    description: str = ""


NO_CONDITION = Condition("none", Perturbation())
"""No input fixed: the condition of a bundle without conditions (written ``none``)."""

PerturbationRef = Perturbation | Scenario | str | Iterable[Perturbation | Scenario | str] | None
"""What :func:`resolve_perturbation` accepts."""

ConditionRef = Condition | Perturbation | str | None
"""What :func:`resolve_condition` accepts."""


def merge(parts: Iterable[Perturbation], *, text: str = "") -> Perturbation:
    """Combine perturbations; a node fixed to two different values is an error.

    Raises
    ------
    PerturbationSyntaxError
        Naming the node (and ``text`` when given).
    """
    fixes: dict[str, Value] = {}
    for part in parts:
        for node, value in part.fixes:
            if fixes.get(node, value) != value:
                where = f" in {text!r}" if text else ""
                raise PerturbationSyntaxError(f"node '{node}' is fixed to both 0 and 1{where}")
            fixes[node] = value
    return Perturbation.from_mapping(fixes)


def _is_name(token: str) -> bool:
    return "%" not in token and token.replace("_", "a").isalnum()


def check_perturbation_syntax(text: str) -> Perturbation | str:
    """Check ``text`` against the grammar before any network is known.

    Returns the :class:`~boolfate.perturbations.Perturbation` when every item is ``NODE%v``
    (or the text is the wild type), else ``text`` itself: scenario names are resolved later.

    Raises
    ------
    PerturbationSyntaxError
        On an item that is neither ``NODE%v`` nor a name, or a node fixed to both values.

    Examples
    --------
    >>> check_perturbation_syntax("CASP8%0, RIP1%1")
    Perturbation(fixes=(('CASP8', 0), ('RIP1', 1)))
    >>> check_perturbation_syntax("casp8_loss RIP1%1")
    'casp8_loss RIP1%1'
    >>> check_perturbation_syntax("CASP8=0")
    Traceback (most recent call last):
    ...
    boolfate.errors.PerturbationSyntaxError: expected NODE%0 or NODE%1, got 'CASP8=0'
    """
    tokens = [t for t in _SEPARATORS.split(text.strip()) if t]
    if tokens in ([], *([w] for w in _WILD_TYPE)):
        return Perturbation()
    fixed = merge((Perturbation.parse(t) for t in tokens if not _is_name(t)), text=text)
    return text if any(_is_name(t) for t in tokens) else fixed


def check_condition_syntax(text: str) -> str:
    """Check a condition reference before any bundle is known: a name, or ``NODE%v`` values.

    Text with a ``%`` must be input values only (no scenario names); it is returned unchanged.

    Raises
    ------
    PerturbationSyntaxError
        On input values not of the form ``NODE%0`` / ``NODE%1``, or contradicting each other.

    Examples
    --------
    >>> check_condition_syntax("TNF"), check_condition_syntax("TNF%1 FASL%0")
    ('TNF', 'TNF%1 FASL%0')
    >>> check_condition_syntax("TNF%2")
    Traceback (most recent call last):
    ...
    boolfate.errors.PerturbationSyntaxError: expected NODE%0 or NODE%1, got 'TNF%2'
    """
    if "%" in text:
        Perturbation.parse(text)
    return text


def _item(
    token: str, network: Network, scenarios: Mapping[str, Scenario], where: str
) -> Perturbation:
    if not scenarios or not _is_name(token):
        return Perturbation.parse(token).check(network, context=where)
    if token in scenarios:
        return scenarios[token].perturbation
    raise BoolfateError(
        f"unknown scenario '{token}'{suggest(token, scenarios)} (scenarios: "
        f"{', '.join(scenarios)}); or write node values such as 'CASP8%0'"
    )


def resolve_perturbation(
    ref: PerturbationRef,
    network: Network,
    scenarios: Mapping[str, Scenario] | None = None,
    *,
    where: str = "perturbation",
) -> Perturbation:
    """Turn ``ref`` into a :class:`~boolfate.perturbations.Perturbation` of ``network``.

    Parameters
    ----------
    ref
        None or ``""`` (wild type), a perturbation, a scenario, a string in the module's grammar,
        or several of these (combined; they must not contradict each other).
    network
        Node names are checked against it (with a "did you mean").
    scenarios
        Scenario names allowed as items.
    where
        Context for error messages (``--perturb``, ``obs.csv:3``).

    Raises
    ------
    PerturbationSyntaxError
        On an item that is neither ``NODE%v`` nor a scenario (no scenarios given), or a node
        fixed to both values.
    UnknownNodeError
        On a node the network does not have.
    BoolfateError
        On an unknown scenario name.
    """
    named = scenarios or {}
    if ref is None:
        return Perturbation()
    if isinstance(ref, Perturbation):
        return ref.check(network, context=where)
    if isinstance(ref, Scenario):
        return ref.perturbation.check(network, context=where)
    if isinstance(ref, str):
        tokens = [t for t in _SEPARATORS.split(ref.strip()) if t]
        if tokens in ([], *([w] for w in _WILD_TYPE)):
            return Perturbation()
        return merge((_item(t, network, named, where) for t in tokens), text=ref)
    parts = [resolve_perturbation(r, network, named, where=where) for r in ref]
    return merge(parts, text=" ".join(str(p) for p in parts))


def resolve_condition(
    ref: ConditionRef,
    network: Network,
    conditions: Mapping[str, Condition],
    *,
    default: str | None = None,
    where: str = "condition",
) -> Condition:
    """Turn ``ref`` into a :class:`Condition`.

    Parameters
    ----------
    ref
        None (``default``, else ``none``), a condition, a perturbation (ad-hoc inputs), a
        condition name, ``none`` (the condition of that name if there is one, else
        :data:`NO_CONDITION`: no input fixed) or ``NODE%v`` text.
    network
        Node names are checked against it.
    conditions
        The named conditions.
    default
        The name used for None.
    where
        Context for error messages.

    Raises
    ------
    BoolfateError
        On an unknown name (with a suggestion), bad syntax or an unknown node.
    """
    if ref is None:
        ref = default if default is not None else "none"
    if isinstance(ref, Condition):
        ref.perturbation.check(network, context=where)
        return ref
    if isinstance(ref, Perturbation):
        return Condition(str(ref) or "none", ref.check(network, context=where))
    if ref in conditions:
        return conditions[ref]
    if ref == "none":
        return NO_CONDITION
    if "%" not in ref:
        known = ", ".join(conditions) or "none defined"
        raise BoolfateError(
            f"unknown condition '{ref}'{suggest(ref, conditions)} (known: {known}); "
            "or give the inputs directly, e.g. 'TNF%1 FASL%0'"
        )
    return Condition(ref, resolve_perturbation(ref, network, where=where))
