"""Minimal trap spaces and fixed points with clingo, in-process (the only clingo import).

Encoding (as in pyboolnet and trappist): atom ``hit(V,S)`` says node ``V`` can take value ``S``
in the subspace; at least one value per node. For every prime implicant ``t`` of ``f_V``
(resp. ``!f_V``) compatible with the subspace, ``V`` must be able to become 1 (resp. 0). Such
subspaces are exactly the trap spaces; subset-minimal ``hit`` sets (domain heuristic, ``domRec``)
are the minimal trap spaces, and forbidding both values gives the fixed points.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from boolfate.engines import Attractor, Limits, from_subspace
from boolfate.errors import EngineFailure, EngineLimitError
from boolfate.logic import negation, prime_implicants
from boolfate.model import Network
from boolfate.types import Value

__all__ = ["asp_program", "trap_spaces", "trap_space_attractors", "fixed_point_attractors"]


def asp_program(network: Network) -> str:
    """Return the ASP program whose answer sets are the trap spaces of ``network``."""
    ids = network.index
    lines = [f"1 {{hit({i},0); hit({i},1)}}." for i in range(len(network.nodes))]
    for node, func in network.rules:
        i = ids[node]
        for value, target in ((1, func), (0, negation(func))):
            for term in prime_implicants(target):
                body = ", ".join(f"hit({ids[n]},{v})" for n, v in term.items())
                lines.append(f"hit({i},{value}) :- {body}." if body else f"hit({i},{value}).")
    lines.append("#show hit/2.")
    return "\n".join(lines)


def trap_spaces(
    network: Network, *, kind: str = "min", limits: Limits | None = None
) -> Iterator[dict[str, Value]]:
    """Yield the minimal trap spaces (``kind="min"``) or fixed points (``kind="fix"``).

    Raises
    ------
    EngineLimitError
        When more than ``limits.max_results`` answers exist.
    """
    import clingo

    lim = limits or Limits()
    args = ["0", "--heuristic=Domain", "--enum-mode=domRec", "--dom-mod=5,16"]
    if kind == "fix":
        args = ["0"]
    program = asp_program(network)
    if kind == "fix":
        program += "\n:- hit(V,0), hit(V,1)."
    ctl = clingo.Control(args, logger=lambda _code, _msg: None)
    try:
        ctl.add("base", [], program)
        ctl.ground([("base", [])])
    except RuntimeError as exc:  # pragma: no cover - our program is generated
        raise EngineFailure(f"clingo could not ground the trap-space program: {exc}") from exc
    nodes = network.nodes
    count = 0
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            count += 1
            if count > lim.max_results:
                raise EngineLimitError(
                    f"more than max_results={lim.max_results} "
                    f"{'fixed points' if kind == 'fix' else 'trap spaces'}; "
                    "raise Limits.max_results (CLI: --max-results)"
                )
            seen: dict[int, set[int]] = {}
            for sym in model.symbols(shown=True):
                node_id, value = (a.number for a in sym.arguments)
                seen.setdefault(node_id, set()).add(value)
            yield {
                nodes[i]: (1 if 1 in vals else 0) for i, vals in seen.items() if len(vals) == 1
            }


def trap_space_attractors(
    network: Network, initial: Mapping[str, Value] | None, limits: Limits
) -> tuple[Attractor, ...]:
    """Minimal trap spaces as :class:`Attractor` values (``exact`` only when fixed points)."""
    del initial
    return tuple(
        from_subspace(network, s, exact=False) for s in trap_spaces(network, limits=limits)
    )


def fixed_point_attractors(
    network: Network, initial: Mapping[str, Value] | None, limits: Limits
) -> tuple[Attractor, ...]:
    """All fixed points as :class:`Attractor` values."""
    del initial
    return tuple(
        from_subspace(network, s, exact=True)
        for s in trap_spaces(network, kind="fix", limits=limits)
    )
