"""Shared fixtures: a CLI runner, toy networks as text, the bundled Calzone model."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from boolfate.bnet import parse_bnet
from boolfate.bundle import Bundle, load_bundle
from boolfate.model import Network

# Known-answer toy networks (ARCHITECTURE.md §4.8; answers computed with pyboolnet 3.0.16).
TOYS: dict[str, str] = {
    "toggle": "a, !b\nb, !a\nc, !a & b",
    "negative_loop": "x, !x",
    "positive_loop": "a, b\nb, a",
    "tarjan": "x, !x & y | z\ny, !x | !z\nz, x & !y",
    "ghost_branch": "xA, !xA & !xB | xC\nxB, !xA & !xB | xC\nxC, xA & xB",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--corpus-size-cap",
        type=int,
        default=12,
        help="largest corpus model (nodes) for the engine cross-checks of tests/test_corpus.py "
        "(default 12 for CI; e.g. 60 runs the trap-space checks on every pyboolnet model)",
    )


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def calzone() -> Bundle:
    return load_bundle("calzone2010")


def toy(name: str) -> Network:
    """Parse a toy network by name."""
    return parse_bnet(TOYS[name], name=name)
