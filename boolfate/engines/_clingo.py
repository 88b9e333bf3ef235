"""Minimal trap spaces and fixed points with clingo, in-process (the only clingo import).

Encoding (as in pyboolnet and trappist): atom ``hit(V,S)`` says node ``V`` can take value ``S``
in the subspace; at least one value per node. For every term ``t`` of a DNF of ``f_V``
(resp. ``!f_V``) compatible with the subspace, ``V`` must be able to become 1 (resp. 0); the
DNFs come from BDDs (:mod:`boolfate.engines._bdd`: any DNF is exact here, and prime implicants
cost seconds per 10-regulator rule). Such
subspaces are exactly the trap spaces; subset-minimal ``hit`` sets (domain heuristic, ``domRec``)
are the minimal trap spaces, and forbidding both values gives the fixed points.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

from boolfate.attractor import Attractor, Limits, from_subspace
from boolfate.engines._bdd import rule_dnfs
from boolfate.errors import EngineFailure, EngineLimitError
from boolfate.model import Network
from boolfate.session import Session, origin
from boolfate.types import Value

__all__ = ["asp_program", "trap_spaces", "trap_space_attractors", "fixed_point_attractors"]


def asp_program(network: Network, *, switches: bool = False) -> str:
    """Return the ASP program whose answer sets are the trap spaces of ``network``.

    With ``switches``, each node gets ``#external`` atoms ``ko(i)`` / ``oe(i)`` that fix it to
    0 / 1, so one grounding serves every perturbation of the network.
    """
    ids = network.index
    dnfs = rule_dnfs(network)
    lines = [f"1 {{hit({i},0); hit({i},1)}}." for i in range(len(network.nodes))]
    for node in network.nodes:
        i = ids[node]
        if switches:
            lines.append(f"#external ko({i}). #external oe({i}).")
            lines.append(f"hit({i},0) :- ko({i}). hit({i},1) :- oe({i}).")
            lines.append(f":- ko({i}), hit({i},1). :- oe({i}), hit({i},0).")
        for value, terms in ((1, dnfs[node][1]), (0, dnfs[node][0])):
            guard = [f"not {'ko' if value else 'oe'}({i})"] if switches else []
            for term in terms:
                body = ", ".join([*(f"hit({j},{v})" for j, v in term), *guard])
                lines.append(f"hit({i},{value}) :- {body}." if body else f"hit({i},{value}).")
    lines.append("#show hit/2.")
    return "\n".join(lines)


_ARGS = {
    "min": ["0", "--heuristic=Domain", "--enum-mode=domRec", "--dom-mod=5,16"],
    "fix": ["0"],
    "max": ["0", "--heuristic=Domain", "--enum-mode=domRec", "--dom-mod=3,16"],
}
_EXTRA = {
    "min": "",
    "fix": "\n:- hit(V,0), hit(V,1).",
    # maximal trap spaces strictly inside the switched subspace: one more node fixed
    "max": "\nnew :- hit(V,S), not hit(V,1-S), not ko(V), not oe(V).\n:- not new.",
}


def _handle(symbol: Any) -> Any:
    """A hashable identity of a clingo symbol: its interned handle, else the symbol itself."""
    return getattr(symbol, "_rep", symbol)


class _Solver:
    """One ground program per (network, kind, switches); perturbations switch ``#external``
    atoms (without ``switches`` the program is plain, which solves up to 4x faster on
    150-node models: the unperturbed network alone does not pay for the switches)."""

    def __init__(self, network: Network, kind: str, switches: bool = True) -> None:
        import clingo

        self.network = network
        self.ctl = clingo.Control(_ARGS[kind], logger=lambda _code, _msg: None)
        program = asp_program(network, switches=switches) + _EXTRA[kind]
        try:
            self.ctl.add("base", [], program)
            self.ctl.ground([("base", [])])
        except RuntimeError as exc:  # pragma: no cover - our program is generated
            raise EngineFailure(f"clingo could not ground the trap-space program: {exc}") from exc
        atoms = self.ctl.symbolic_atoms
        self.switch: dict[tuple[int, int], int] = {}
        for i in range(len(network.nodes) if switches else 0):
            for v, name in ((0, "ko"), (1, "oe")):
                atom = atoms[clingo.Function(name, [clingo.Number(i)])]
                if atom is None:  # pragma: no cover - every node declares both externals
                    raise EngineFailure(f"clingo lost the external {name}({i})")
                self.switch[(i, v)] = atom.literal
        self.current: set[tuple[int, int]] = set()
        self.lock = threading.Lock()  # one Control: solve calls must not interleave
        # clingo interns symbols: the integer handle identifies one (cheaper to hash than Symbol)
        self.hit = {
            _handle(a.symbol): (a.symbol.arguments[0].number, a.symbol.arguments[1].number)
            for a in atoms.by_signature("hit", 2)
        }

    def solve(
        self, fixes: Mapping[str, int], max_results: int, what: str
    ) -> list[dict[str, Value]]:
        with self.lock:
            return self._solve(fixes, max_results, what)

    def _solve(
        self, fixes: Mapping[str, int], max_results: int, what: str
    ) -> list[dict[str, Value]]:
        nodes, ids = self.network.nodes, self.network.index
        wanted = {(ids[n], v) for n, v in fixes.items()}
        for key in self.current - wanted:
            self.ctl.assign_external(self.switch[key], False)
        for key in wanted - self.current:
            self.ctl.assign_external(self.switch[key], True)
        self.current = wanted
        out: list[dict[str, Value]] = []
        with self.ctl.solve(yield_=True) as handle:
            for model in handle:
                if len(out) >= max_results:
                    raise EngineLimitError(
                        f"more than max_results={max_results} {what}; "
                        "raise the limit (--max-results; Python: Limits(max_results=...))"
                    )
                seen: dict[int, int] = {}
                for sym in model.symbols(shown=True):
                    node_id, value = self.hit[_handle(sym)]
                    seen[node_id] = seen.get(node_id, 0) | (1 << value)
                out.append({nodes[i]: (1 if v == 2 else 0) for i, v in seen.items() if v != 3})
        return out


def _solver(network: Network, kind: str, switches: bool) -> _Solver:
    """The ground solver of ``network`` for ``kind``, kept by its :class:`Session`.

    A perturbation (``switches``) uses the switched program, unless only a plain one would
    be needed; the unperturbed network uses the switched program once one exists (a screen
    grounds once), else a plain one.
    """
    session = Session.of(network)
    key = f"clingo:{kind}"
    if not switches and key not in session.cache:
        return session.get(f"{key}:plain", lambda: _Solver(network, kind, switches=False))
    return session.get(key, lambda: _Solver(network, kind))


def trap_spaces(
    network: Network, *, kind: str = "min", limits: Limits | None = None
) -> Iterator[dict[str, Value]]:
    """Yield the minimal trap spaces (``kind="min"``), the fixed points (``kind="fix"``) or the
    maximal trap spaces (``kind="max"``: the largest ones that fix a node more than the
    perturbation; none when every trap space inside it is the whole subspace).

    A network made by :func:`~boolfate.perturbations.apply` reuses the ground program of its
    unperturbed origin (cached), so a screen grounds once.

    Raises
    ------
    EngineLimitError
        When more than ``limits.max_results`` answers exist.
    """
    lim = limits or Limits()
    base, fixes = origin(network) or (network, ())
    what = "fixed points" if kind == "fix" else "trap spaces"
    yield from _solver(base, kind, bool(fixes)).solve(dict(fixes), lim.max_results, what)


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
