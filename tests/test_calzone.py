"""Calzone et al. 2010 cell-fate model: known answers.

Calzone L, Tournier L, Fourquet S, Thieffry D, Zhivotovsky B, Barillot E, Zinovyev A.
"Mathematical Modelling of Cell-Fate Decision in Response to Death Receptor Engagement."
PLoS Comput Biol 6(3):e1000702 (2010). doi:10.1371/journal.pcbi.1000702

Attractor counts and per-knockout fates: ARCHITECTURE.md §4.8 and BRIEF §1.4 (27 stable states,
computed with mpbn / pyboolnet / AEON); reachable fate sets: BRIEF §1.6a column (d); synchronous
attractors: PEERS.md §2 (6 under TNF, 97 with free inputs, exhaustive enumeration).
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

import boolfate
from boolfate.bundle import Bundle
from boolfate.engines import attractors
from boolfate.engines._pyboolnet import repository_primes
from boolfate.expr import evaluate
from boolfate.perturbations import Perturbation, apply

TNF = "TNF%1 FADD%1 FASL%0"


def test_truth_tables_match_pyboolnet_repository(calzone: Bundle) -> None:
    """Our transcription equals the copy shipped in pyboolnet (repository 'calzone_cellfate')."""
    primes = repository_primes("calzone_cellfate")
    net = calzone.network
    assert set(primes) == set(net.nodes)
    for node in net.nodes:
        on_terms = primes[node][1]
        regs = sorted(set(net.regulators(node)) | {v for t in on_terms for v in t})
        for values in itertools.product((0, 1), repeat=len(regs)):
            state = dict(zip(regs, values, strict=True))
            theirs = any(all(state[v] == x for v, x in t.items()) for t in on_terms)
            assert evaluate(net.functions[node], state) == theirs, (node, state)


@pytest.mark.parametrize("engine", ["aeon", "clingo", "fixpoints"])
def test_27_fixed_points_with_free_inputs(calzone: Bundle, engine: str) -> None:
    update = "async" if engine == "aeon" else "mp"
    found = attractors(calzone.network, update=update, engine=engine)  # type: ignore[arg-type]
    assert len(found) == 27
    assert all(a.is_fixed_point for a in found)


@pytest.mark.parametrize("update", ["async", "mp"])
def test_tnf_three_attractors(calzone: Bundle, update: str) -> None:
    result = boolfate.attractors(calzone, condition="TNF", update=update, scope="all")  # type: ignore[arg-type]
    assert sorted(a.fate for a in result.attractors) == ["Apoptosis", "NonACD", "Survival"]


def test_conditions_without_ligand_give_two_naive_states(calzone: Bundle) -> None:
    for inputs in ("TNF%0 FASL%0 FADD%0", "TNF%0 FASL%0 FADD%1", "TNF%0 FASL%1 FADD%0"):
        result = boolfate.attractors(calzone, condition=inputs, scope="all", update="mp")
        assert Counter(a.fate for a in result.attractors) == Counter(
            {"Apoptosis": 1, "NonACD": 1, "Naive": 2}
        )
    for inputs in ("TNF%1 FASL%0 FADD%0", "TNF%0 FASL%1 FADD%1", "TNF%1 FASL%1 FADD%1"):
        result = boolfate.attractors(calzone, condition=inputs, scope="all", update="mp")
        assert sorted(a.fate for a in result.attractors) == ["Apoptosis", "NonACD", "Survival"]


def test_synchronous_tnf_six_attractors(calzone: Bundle) -> None:
    net = apply(calzone.network, Perturbation.parse(TNF))
    found = attractors(net, update="sync")
    assert len(found) == 6
    assert sorted(a.size for a in found) == [1, 1, 1, 2, 2, 2]


def test_synchronous_free_inputs_97_attractors(calzone: Bundle) -> None:
    found = attractors(calzone.network, update="sync")
    assert len(found) == 97
    assert sum(a.is_fixed_point for a in found) == 27
    assert {a.size for a in found if not a.is_fixed_point} <= set(range(2, 9))


KNOCKOUTS = {
    # ARCHITECTURE.md §4.8: all attractors of the perturbed network under TNF (multisets)
    "": ["Apoptosis", "NonACD", "Survival"],
    "CASP8%0": ["NonACD", "Survival"],
    "RIP1%0": ["Apoptosis", "NonACD"],
    "cIAP%0": ["Apoptosis", "NonACD"],
    "NFkB%0": ["Apoptosis", "NonACD"],
    "cFLIP%0": ["Apoptosis", "NonACD"],
    "ROS%0": ["Apoptosis", "Survival"],
    "MPT%0": ["Apoptosis", "Survival"],
    "BAX%0": ["Naive", "Naive", "NonACD", "Survival"],
    "XIAP%0": ["Apoptosis", "NonACD", "Survival"],
    "BCL2%0": ["Apoptosis", "NonACD", "Survival"],
}


@pytest.mark.parametrize("knockout", sorted(KNOCKOUTS))
def test_single_knockouts_all_attractors(calzone: Bundle, knockout: str) -> None:
    p = Perturbation.parse(knockout)
    for update in ("async", "mp"):
        result = boolfate.attractors(
            calzone, condition="TNF", perturbation=p, update=update, scope="all"
        )
        assert sorted(a.fate for a in result.attractors) == KNOCKOUTS[knockout]


REACHABLE = {
    # BRIEF §1.6a column (d): fates reachable from ATP=cIAP=FADD=TNF=1 (exact asynchronous)
    "": {"Survival", "Apoptosis", "NonACD"},
    "FADD%0": {"Survival", "Apoptosis", "NonACD"},
    "cFLIP%0": {"Apoptosis", "NonACD"},
    "CASP8%0": {"Survival", "NonACD"},
    "CASP3%0": {"Survival", "NonACD", "Naive"},
    "CASP8%0 CASP3%0": {"Survival", "NonACD"},
    "NFkB%0": {"Apoptosis", "NonACD"},
    "NFkB%1": {"Survival"},
    "RIP1%0": {"Apoptosis"},
    "RIP1K%0": {"Survival", "Apoptosis"},
    "cIAP%0": {"Apoptosis", "NonACD"},
    "cIAP%0 CASP8%0": {"NonACD"},
    "cIAP%0 CASP8%0 RIP1K%0": {"Naive"},
    "XIAP%0": {"Survival", "Apoptosis", "NonACD"},
    "BAX%0": {"Survival", "NonACD", "Naive"},
    "BCL2%1": {"Survival", "Naive"},
    "cFLIP%1": {"Survival", "NonACD"},
    "TNFR%0": {"Naive"},
}


@pytest.mark.parametrize("perturbation", sorted(REACHABLE))
def test_reachable_fates_from_tnf_state(calzone: Bundle, perturbation: str) -> None:
    result = boolfate.attractors(
        calzone, condition="TNF", perturbation=Perturbation.parse(perturbation)
    )
    assert set(result.fates) == REACHABLE[perturbation]


def test_reachable_agrees_with_explicit_engine_on_small_case(calzone: Bundle) -> None:
    """A perturbation that leaves few free nodes: AEON and the explicit graph agree exactly."""
    p = Perturbation.parse("RIP1%0 CASP8%0 MPT%0")
    a = boolfate.attractors(calzone, condition="TNF", perturbation=p, engine="aeon")
    b = boolfate.attractors(calzone, condition="TNF", perturbation=p, engine="stg")
    assert [x.attractor for x in a.attractors] == [x.attractor for x in b.attractors]


def test_no_ligand_reaches_only_naive(calzone: Bundle) -> None:
    assert boolfate.attractors(calzone, condition="none").fates == ("Naive",)
