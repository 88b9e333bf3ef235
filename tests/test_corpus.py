"""Engine cross-checks on published models (``pytest --corpus-nodes N`` sets the size cap)."""

from __future__ import annotations

import pytest

from boolfate.engines import attractors
from boolfate.model import Network


def test_minimal_trap_spaces_match_pyboolnet(corpus_model: Network) -> None:
    if len(corpus_model.nodes) > 10:  # pyboolnet needs 50 s on the 12-node n12c5
        pytest.skip("pyboolnet cross-check capped at 10 nodes")
    ours = {a.fixed for a in attractors(corpus_model, update="mp", engine="clingo")}
    theirs = {a.fixed for a in attractors(corpus_model, update="mp", engine="pyboolnet")}
    assert ours == theirs


def test_async_attractors_decompose_equals_aeon_and_explicit(corpus_model: Network) -> None:
    ours = attractors(corpus_model, engine="decompose")
    assert ours == attractors(corpus_model, engine="aeon")
    if len(corpus_model.nodes) <= 16:
        assert ours == attractors(corpus_model, engine="stg")


def test_fixed_points_are_the_single_state_attractors(corpus_model: Network) -> None:
    points = {a.fixed for a in attractors(corpus_model, update="mp", engine="fixpoints")}
    exact = attractors(corpus_model, engine="decompose")
    assert points == {a.fixed for a in exact if a.is_fixed_point}
