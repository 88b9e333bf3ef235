"""Engine cross-checks over a corpus of published models: pyboolnet's bundled repository.

Each model up to ``--corpus-size-cap`` nodes (a conftest option; small for CI) is analysed by
independent engines and their answers must agree:

- fixed points: the explicit state graph (terminal states) = the size-1 minimal trap spaces of
  clingo = the size-1 asynchronous attractors of biodivine-aeon;
- minimal trap spaces: clingo = pyboolnet;
- asynchronous attractors: biodivine-aeon = the explicit state graph = the trap-space
  decomposition (``decompose``), also on the published models of ``benchmarks/models``;
- synchronous attractors: the numpy engine = brute force over every state.

Models are read from their ``.bnet`` text through our own parser (the corpus dialect).
"""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import pytest

from boolfate.bnet import ImplicitInputsWarning, parse_bnet
from boolfate.engines import attractors
from boolfate.expr import evaluate
from boolfate.model import Network

EXPLICIT_CAP = 14
"""Largest model for the explicit (enumerate-every-state) references."""

PYBOOLNET_SLOW = {"n12c5"}
"""Models on which pyboolnet's trap-space query takes minutes (116 s measured on n12c5)."""


def _models() -> list[tuple[str, int]]:
    import pyboolnet.repository as repo

    out = []
    for name in repo.get_all_names():
        if name == "multivalued":
            continue
        out.append((name, len(_network(name).nodes)))
    return out


def _network(name: str) -> Network:
    import pyboolnet.repository as repo

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImplicitInputsWarning)
        return parse_bnet(repo.get_bnet(name), name=name)


BENCH_MODELS = Path(__file__).resolve().parent.parent / "benchmarks" / "models"


def _bench_models(cap: int) -> list[Path]:
    """The shipped benchmark models up to ``cap`` nodes (43-183 nodes: none at the CI cap)."""
    out = []
    for path in sorted(BENCH_MODELS.glob("*.bnet")):
        if len(parse_bnet(path.read_text(), name=path.stem).nodes) <= cap:
            out.append(path)
    return out


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    cap = metafunc.config.getoption("--corpus-size-cap")
    if "corpus_model" in metafunc.fixturenames:
        chosen = [name for name, size in _models() if size <= cap]
        metafunc.parametrize("corpus_model", chosen)
    if "bench_model" in metafunc.fixturenames:
        paths = _bench_models(cap)
        metafunc.parametrize("bench_model", paths, ids=[p.stem for p in paths])


def _described(network: Network, **kwargs: object) -> set[str]:
    return {a.describe() for a in attractors(network, **kwargs)}  # type: ignore[arg-type]


def test_fixed_points_and_trap_spaces(corpus_model: str) -> None:
    net = _network(corpus_model)
    spaces = list(attractors(net, update="mp", engine="clingo"))
    if corpus_model not in PYBOOLNET_SLOW:
        assert {a.describe() for a in spaces} == _described(net, update="mp", engine="pyboolnet")
    points = {a.describe() for a in spaces if a.is_fixed_point}
    exact = list(attractors(net, update="async", engine="aeon"))
    assert points == {a.describe() for a in exact if a.is_fixed_point}
    if len(net.nodes) <= EXPLICIT_CAP:
        reference = list(attractors(net, update="async", engine="stg"))
        assert {a.describe() for a in reference} == {a.describe() for a in exact}
        assert points == {a.describe() for a in reference if a.is_fixed_point}


def _brute_sync(net: Network) -> set[frozenset[tuple[str, int]]]:
    """Synchronous attractors by following every state until its trajectory repeats."""
    nodes = net.nodes
    found: set[frozenset[tuple[str, int]]] = set()
    for bits in itertools.product((0, 1), repeat=len(nodes)):
        state = bits
        seen: dict[tuple[int, ...], int] = {}
        while state not in seen:
            seen[state] = len(seen)
            values = dict(zip(nodes, state, strict=True))
            state = tuple(int(evaluate(net.functions[n], values)) for n in nodes)
        start = seen[state]
        cycle = [s for s, i in seen.items() if i >= start]
        found.add(frozenset((n, min(s[j] for s in cycle) + max(s[j] for s in cycle) * 2)
                            for j, n in enumerate(nodes)))  # fmt: skip
    return found


def test_sync_attractors_against_brute_force(corpus_model: str) -> None:
    net = _network(corpus_model)
    if len(net.nodes) > 10:
        pytest.skip("brute force over every state is run up to 10 nodes")
    ours = set()
    for a in attractors(net, update="sync"):
        states = a.state_dicts()
        ours.add(
            frozenset(
                (n, min(s[n] for s in states) + max(s[n] for s in states) * 2) for n in net.nodes
            )  # fmt: skip
        )
    assert ours == _brute_sync(net)


def test_decompose_equals_aeon(corpus_model: str) -> None:
    net = _network(corpus_model)
    ours = attractors(net, update="async", engine="decompose")
    assert ours == attractors(net, update="async", engine="aeon")
    if len(net.nodes) <= EXPLICIT_CAP:
        assert ours == attractors(net, update="async", engine="stg")


def test_decompose_on_published_benchmark_models(bench_model: Path) -> None:
    """Run with ``--corpus-size-cap 80`` or more (a few minutes): decompose = aeon."""
    net = parse_bnet(bench_model.read_text(), name=bench_model.stem)
    ours = attractors(net, update="async", engine="decompose")
    assert ours == attractors(net, update="async", engine="aeon")
