"""The import graph: no cycles (function-level and dynamic imports included), no upward import."""

from __future__ import annotations

import ast
from pathlib import Path

import boolfate

ROOT = Path(boolfate.__file__).parent

LAYERS: dict[str, int] = {
    # values
    "boolfate._version": 0,
    "boolfate.types": 0,
    "boolfate.errors": 0,
    "boolfate.expr": 0,
    "boolfate.logic": 0,
    "boolfate.model": 0,
    "boolfate.perturbations": 0,
    "boolfate.attractor": 0,
    "boolfate.resolve": 0,
    "boolfate.tabular": 0,
    "boolfate.fates": 0,
    "boolfate.rates": 0,
    "boolfate.session": 0,
    "boolfate.simulation_result": 0,
    "boolfate.palette": 0,
    "boolfate.schema": 0,
    # I/O
    "boolfate.bnet": 1,
    "boolfate.bundle": 1,
    "boolfate.maboss": 1,
    "boolfate.textio": 1,
    "boolfate.formats": 1,
    "boolfate.sbml": 1,
    # engines
    "boolfate.percolation": 2,
    "boolfate.engines": 2,
    "boolfate.simulate": 2,
    # analyses
    "boolfate.question": 3,
    "boolfate.evaluator": 3,
    "boolfate.screens": 3,
    "boolfate.screen_items": 3,
    "boolfate.validate": 3,
    "boolfate.landscape": 3,
    "boolfate.target_sets": 3,
    "boolfate.targets": 3,
    # renderers
    "boolfate.output": 4,
    "boolfate.reports": 4,
    "boolfate.diagrams": 4,
    "boolfate.target_reports": 4,
    "boolfate.diagram_style": 4,
    "boolfate.fatemap": 4,
    "boolfate.dot": 4,
    "boolfate.validate_table": 4,
    "boolfate.plots": 4,
    # runner, Python API, command line
    "boolfate.runner": 5,
    "boolfate.publish": 5,
    "boolfate.api": 6,
    "boolfate": 6,
    "boolfate.cli": 7,
    "boolfate.__main__": 7,
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> int:
    while module not in LAYERS:
        module = module.rsplit(".", 1)[0]
    return LAYERS[module]


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.append(sub if sub in modules else node.module)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                # dynamic imports: import_module("boolfate.x") and "boolfate.x:func" specs
                text = node.value.split(":", 1)[0]
                if text.startswith("boolfate.") and " " not in text:
                    targets = [text]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def test_every_module_has_a_layer() -> None:
    for module in _graph():
        assert _layer(module) >= 0, module


def test_no_upward_import() -> None:
    upward = sorted(
        (m, t)
        for m, targets in _graph().items()
        for t in targets
        if _layer(t) > _layer(m) and not t.startswith(m + ".")
    )
    assert upward == []


def test_no_import_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []
