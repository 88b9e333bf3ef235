"""Write MaBoSS models: a network with rates as ``.bnd`` + ``.cfg`` text or files, and bundles."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from boolfate.expr import Const, Expr, Var, format_expr, variables
from boolfate.fates import FateScheme
from boolfate.maboss_rates import MabossError
from boolfate.model import Network
from boolfate.perturbations import Perturbation, apply
from boolfate.rates import NodeRates, RateTerm
from boolfate.resolve import Condition
from boolfate.types import Value


class BundleLike(Protocol):
    """What :func:`export_bundle` reads of a :class:`~boolfate.bundle.Bundle` (a protocol, so
    this reader module does not import the bundle module, which reads ``.bnd`` files with it)."""

    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def network(self) -> Network: ...
    @property
    def fates(self) -> FateScheme: ...
    @property
    def rates(self) -> Mapping[str, NodeRates]: ...
    def condition(self, ref: str | None = None) -> Condition: ...
    def initial_state(
        self, condition: Condition, perturbation: Perturbation | None = None
    ) -> dict[str, Value]: ...


_MABOSS_NAME = re.compile(r"[A-Za-z_]\w*")


def _fmt_cond(expr: Expr) -> str:
    return format_expr(expr)


def _fmt_terms(terms: tuple[RateTerm, ...]) -> str:
    if not terms:
        return "0.0"
    parts = []
    for cond, value in terms:
        parts.append(
            f"{value!r}" if cond == Const(True) else f"(({_fmt_cond(cond)}) ? {value!r} : 0.0)"
        )
    return " + ".join(parts)


def to_maboss(
    network: Network,
    *,
    rates: Mapping[str, NodeRates] | None = None,
    initial: Mapping[str, float] | None = None,
    settings: Mapping[str, float | str] | None = None,
    outputs: tuple[str, ...] | None = None,
    header: str = "",
) -> tuple[str, str]:
    """Return ``(bnd_text, cfg_text)`` for ``network`` with its rates and initial state.

    Parameters
    ----------
    rates
        Per-node rates (default: rates 1 from each rule).
    initial
        Probability of 1 per node (missing nodes: 0).
    settings
        ``.cfg`` settings overriding the defaults (``max_time = 100``, ``time_tick = 1``,
        ``sample_count = 10000``, ...).
    outputs
        Nodes MaBoSS reports; the others get ``is_internal = 1`` (default: all reported).
    """
    for node in network.nodes:
        if not _MABOSS_NAME.fullmatch(node):
            raise MabossError(f"node name '{node}' is not a valid MaBoSS identifier")
    given = dict(rates or {})
    lines = [f"// {line}" for line in header.splitlines()]
    for node, rule in network.rules:
        lines += _bnd_block(node, rule, given.get(node) or NodeRates.from_rule(rule))
    cfg = [f"// {line}" for line in header.splitlines()]
    cfg += _cfg_lines(network.nodes, dict(initial or {}), outputs, settings or {})
    return "\n".join(lines) + "\n", "\n".join(cfg) + "\n"


def _bnd_block(node: str, rule: Expr, nr: NodeRates) -> list[str]:
    std = nr.standard()
    lines = [f"node {node}", "{"]
    if std is not None and std[0] == rule and rule != Var(node):
        lines.append(f"  logic = {_fmt_cond(rule)};")
        lines.append(f"  rate_up = @logic ? {std[1]!r} : 0.0;")
        lines.append(f"  rate_down = @logic ? 0.0 : {std[2]!r};")
    else:
        if rule != Var(node) and not isinstance(rule, Const):
            lines.append(f"  logic = {_fmt_cond(rule)};")
        lines.append(f"  rate_up = {_fmt_terms(nr.up)};")
        lines.append(f"  rate_down = {_fmt_terms(nr.down)};")
    return [*lines, "}"]


def _cfg_lines(
    nodes: tuple[str, ...],
    initial: Mapping[str, float],
    outputs: tuple[str, ...] | None,
    settings: Mapping[str, float | str],
) -> list[str]:
    cfg = []
    for node in nodes:
        p = float(initial.get(node, 0.0))
        value = str(int(p)) if p in (0.0, 1.0) else f"{1 - p!r} [0] , {p!r} [1]"
        cfg.append(f"{node}.istate = {value};")
    if outputs is not None:
        cfg += [f"{node}.is_internal = 1;" for node in nodes if node not in outputs]
    base: dict[str, float | str] = {
        "discrete_time": 0,
        "use_physrandgen": 0,
        "seed_pseudorandom": 100,
        "sample_count": 10000,
        "max_time": 100,
        "time_tick": 1,
        "thread_count": 1,
        "statdist_traj_count": 0,
        "statdist_cluster_threshold": 1,
    }
    base.update(settings)
    for key, setting in base.items():
        text = f"{setting:g}" if isinstance(setting, float) else str(setting)
        cfg.append(f"{key} = {text};")
    return cfg


def write_maboss(
    network: Network, bnd_path: str | Path, cfg_path: str | Path | None = None, **options: Any
) -> tuple[Path, Path]:
    """Write :func:`to_maboss` output to ``bnd_path`` and ``cfg_path`` (default: beside it)."""
    bnd = Path(bnd_path)
    cfg = Path(cfg_path) if cfg_path is not None else bnd.with_suffix(".cfg")
    bnd_text, cfg_text = to_maboss(network, **options)
    try:
        bnd.write_text(bnd_text, encoding="utf-8")
        cfg.write_text(cfg_text, encoding="utf-8")
    except OSError as exc:
        raise MabossError(f"cannot write {exc.filename}: {exc.strerror}") from exc
    return bnd, cfg


def export_bundle(
    bundle: BundleLike,
    bnd_path: str | Path,
    cfg_path: str | Path | None = None,
    *,
    condition: str | None = None,
    perturbation: Any = None,
    settings: Mapping[str, float | str] | None = None,
    outputs: tuple[str, ...] | None = None,
) -> tuple[Path, Path]:
    """Export a bundle under a condition and perturbation (fixed nodes become constants).

    The bundle's ``[rates]`` are written, with its ``[timescales]`` classes as rates (each node's
    up and down rate = its class's rate unless ``[rates.NODE]`` says otherwise; see
    :mod:`boolfate.simulate` for how that relates to ``update="priority"``); by default MaBoSS
    reports the nodes its fates use.
    """
    cond = bundle.condition(condition)
    pert = perturbation or Perturbation()
    fixes = cond.perturbation + pert
    net = apply(bundle.network, fixes)
    base = bundle.rates
    rates = {n: (NodeRates() if n in fixes.mapping else base[n]) for n in net.nodes}
    initial = {n: float(v) for n, v in bundle.initial_state(cond, pert).items()}
    if outputs is None:
        used: set[str] = set()
        for rule in bundle.fates.rules:
            used |= variables(rule.expr)
        outputs = tuple(n for n in net.nodes if n in used)
    header = (
        f"{bundle.title or bundle.name}\nexported by boolfate; condition {cond.name}, "
        f"perturbation {fixes.label()}"
    )
    return write_maboss(
        net,
        bnd_path,
        cfg_path,
        rates=rates,
        initial=initial,
        settings=settings,
        outputs=outputs,
        header=header,
    )
