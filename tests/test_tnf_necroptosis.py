"""The flagship TNF necroptosis / CICD bundle (networks/tnf_necroptosis): structure and science.

The expectations pinned here come from the bundle's observations.csv and its README; the key papers:
He S et al. 2009 Cell 137:1100 (TSZ necroptosis needs RIP3), Sun L et al. 2012 Cell 148:213 (MLKL),
Degterev A et al. 2005 Nat Chem Biol 1:112 (necrostatin-1), Vince JE et al. 2007 Cell 131:682
(SMAC mimetics kill through autocrine TNF), Micheau O & Tschopp J 2003 Cell 114:181 (TNF alone:
survival), Giampazolias E et al. 2017 Nat Cell Biol 19:1116 (MOMP under caspase inhibition: CICD
with IAP loss, NF-kB activation and TNF synthesis).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

import boolfate
from boolfate.bundle import Bundle, load_bundle
from boolfate.expr import Const, Var
from boolfate.perturbations import Perturbation
from boolfate.validate import validate

DRUGS = ("TNF", "SMACmim", "zVAD", "Nec1", "CHX", "BH3")
FLAGS = ("RIPK3_expr", "autocrine", "typeII")
CONSTITUTIVE = ("RIPK1", "FADD", "NEMO", "CYLD", "RelA")


@pytest.fixture(scope="module")
def tnf() -> Bundle:
    return load_bundle("tnf_necroptosis")


def _fates(bundle: Bundle, condition: str, *scenarios: str) -> tuple[str, ...]:
    pert = Perturbation.union(bundle.scenario(s).perturbation for s in scenarios)
    return boolfate.attractors(bundle, condition=condition, perturbation=pert).fates


# --- structure -----------------------------------------------------------------------------


def test_size_and_inputs(tnf: Bundle) -> None:
    """At most 45 nodes (exact async reachability stays fast); drugs and flags are inputs."""
    net = tnf.network
    assert len(net.nodes) == 38
    for node in DRUGS + FLAGS:
        assert net.functions[node] == Var(node), node
    for node in CONSTITUTIVE:
        assert net.functions[node] == Const(True), node


def test_every_rule_cites_a_paper(tnf: Bundle) -> None:
    """Every rule line of model.bnet carries a '#' comment naming a paper (author + year)."""
    assert tnf.path is not None
    lines = (tnf.path / "model.bnet").read_text(encoding="utf-8").splitlines()
    rules = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")][1:]
    assert len(rules) == len(tnf.network.nodes)
    for line in rules:
        node, _, comment = line.partition("#")
        if node.split(",")[0].strip() in DRUGS[:1]:
            continue  # the ligand itself
        assert re.search(r"(19|20)\d\d", comment), line


def test_conditions_set_every_input(tnf: Bundle) -> None:
    """No silent choices: each condition sets all drugs and all cell-type flags."""
    required = {
        "none", "TNF", "TNF_SMAC", "TNF_zVAD", "TSZ", "TNF_CHX", "BH3", "BH3_zVAD",
    }  # fmt: skip
    assert required <= set(tnf.conditions)
    for cond in tnf.conditions.values():
        assert set(cond.perturbation.nodes) == set(DRUGS + FLAGS), cond.name
        assert cond.perturbation.mapping["RIPK3_expr"] == 1
        assert cond.perturbation.mapping["autocrine"] == 1
        assert cond.perturbation.mapping["typeII"] == 0


def test_scenarios_name_existing_nodes(tnf: Bundle) -> None:
    """The issue's scenarios exist and every scenario fixes existing nodes."""
    required = {
        "caspase_inhibition", "ripk3_loss", "tnf_blockade", "smac_mimetic", "necrostatin1",
        "mlkl_loss", "casp8_loss", "fadd_loss", "cflip_loss", "a20_loss", "cyld_loss",
        "nemo_loss", "bcl2_oe", "xiap_loss", "apaf1_loss",
    }  # fmt: skip
    assert required <= set(tnf.scenarios)
    for scenario in tnf.scenarios.values():
        assert scenario.perturbation.fixes, scenario.name
        for node in scenario.perturbation.nodes:
            assert node in tnf.network.index, (scenario.name, node)
        assert scenario.description


def test_modules_partition_the_nodes(tnf: Bundle) -> None:
    """The diagram modules cover every node exactly once."""
    listed = [n for nodes in tnf.modules.values() for n in nodes]
    assert sorted(listed) == sorted(tnf.network.nodes)


def test_fates_and_default(tnf: Bundle) -> None:
    assert tnf.fates.names == ("Apoptosis", "CICD", "Necroptosis", "Survival", "Resting")


# Fixed points of the network under each condition (all attractors, not only reachable ones).
# A change here means a rule edit changed the science: update the README with it.
FIXED_POINTS = {
    "none": {"Apoptosis": 1, "Resting": 1, "Survival": 1},
    "TNF": {"Apoptosis": 1, "Survival": 1},
    "TNF_SMAC": {"Apoptosis": 1},
    "TNF_zVAD": {"Necroptosis": 1},
    "TSZ": {"Necroptosis": 1},
    "TNF_CHX": {"Apoptosis": 1},
    "TNF_CHX_zVAD": {"Necroptosis": 1},
    "SMAC": {"Apoptosis": 1},
    "zVAD": {"Necroptosis": 1, "Resting": 1},
    "BH3": {"Apoptosis": 1},
    "BH3_zVAD": {"CICD": 1},
}


@pytest.mark.parametrize("condition", sorted(FIXED_POINTS))
def test_fixed_points_per_condition(tnf: Bundle, condition: str) -> None:
    """All attractors are fixed points; their fates per condition are pinned."""
    result = boolfate.attractors(tnf, condition=condition, scope="all")
    assert all(fa.attractor.size == 1 for fa in result.attractors)
    assert dict(Counter(fa.fate for fa in result.attractors)) == FIXED_POINTS[condition]


# --- reachable fates: the card and the race fixes ------------------------------------------


def test_tnf_alone_survives_without_races(tnf: Bundle) -> None:
    """TNF alone -> Survival only (Micheau & Tschopp 2003): basal cFLIP/A20/cIAP and the
    caspase-8 brake are present at rest, so no asynchronous race reaches death (BRIEF App. A)."""
    result = boolfate.attractors(tnf, condition="TNF")
    assert result.fates == ("Survival",)
    assert len(result.attractors) == 1


def test_card_caspase_inhibition(tnf: Bundle) -> None:
    """TNF + SMAC mimetic + caspase inhibition -> necroptosis in RIPK3-expressing cells
    (He 2009); the card's scenario on TNF + SMAC mimetic gives the same."""
    assert _fates(tnf, "TSZ") == ("Necroptosis",)
    assert _fates(tnf, "TNF_SMAC", "caspase_inhibition") == ("Necroptosis",)
    assert _fates(tnf, "TNF_SMAC") == ("Apoptosis",)


def test_card_ripk3_loss(tnf: Bundle) -> None:
    """RIPK3 loss abolishes TSZ necroptosis; the cells survive (He 2009; Newton 2004)."""
    assert _fates(tnf, "TSZ", "ripk3_loss") == ("Survival",)
    assert _fates(tnf, "TSZ", "ripk3_negative") == ("Survival",)
    assert _fates(tnf, "TNF", "ripk3_loss") == ("Survival",)


def test_card_tnf_blockade(tnf: Bundle) -> None:
    """TNF blockade prevents every TNF-induced death (Vince 2007; Beg & Baltimore 1996)."""
    for condition in ("TNF", "TNF_SMAC", "TSZ", "TNF_CHX", "SMAC"):
        fates = set(_fates(tnf, condition, "tnf_blockade"))
        assert not fates & {"Apoptosis", "Necroptosis", "CICD"}, condition
    assert _fates(tnf, "TNF", "tnf_blockade") == ("Resting",)


def test_mom_p_under_caspase_inhibition_is_cicd_with_nfkb(tnf: Bundle) -> None:
    """BH3 mimetic + zVAD -> CICD with IAP loss, NF-kB on and TNF made (Giampazolias 2017)."""
    result = boolfate.attractors(tnf, condition="BH3_zVAD")
    assert result.fates == ("CICD",)
    (state,) = [fa.attractor.values for fa in result.attractors]
    assert state["MOMP"] == 1 and state["CASP3"] == 0
    assert state["cIAP"] == 0 and state["XIAP"] == 0 and state["NIK"] == 1
    assert state["NFkB"] == 1 and state["TNFauto"] == 1
    # without caspase inhibition the same MOMP ends in apoptosis
    assert _fates(tnf, "BH3") == ("Apoptosis",)


def test_necroptosis_needs_rip1_kinase_ripk3_mlkl(tnf: Bundle) -> None:
    """Nec-1 (Degterev 2005), RIPK3 loss (He 2009) and MLKL loss (Sun 2012) each block TSZ."""
    for scenario in ("necrostatin1", "ripk3_loss", "mlkl_loss"):
        assert "Necroptosis" not in _fates(tnf, "TSZ", scenario), scenario


def test_caspase8_and_fadd_loss_unleash_necroptosis(tnf: Bundle) -> None:
    """Casp8 loss -> RIPK3 necroptosis, rescued by RIPK3 loss (Kaiser 2011; Oberst 2011)."""
    assert _fates(tnf, "TNF", "casp8_loss") == ("Necroptosis",)
    assert _fates(tnf, "TNF", "casp8_loss", "ripk3_loss") == ("Survival",)
    assert _fates(tnf, "TNF", "fadd_loss") == ("Necroptosis",)


def test_type_ii_switch(tnf: Bundle) -> None:
    """BCL-2 protects type II but not type I cells (Scaffidi 1998); XIAP loss undoes the
    protection (Jost 2009)."""
    assert _fates(tnf, "TNF_CHX", "bcl2_oe") == ("Apoptosis",)
    assert _fates(tnf, "TNF_CHX", "type_ii", "bcl2_oe") == ("Survival",)
    assert _fates(tnf, "TNF_CHX", "type_ii", "bcl2_oe", "xiap_loss") == ("Apoptosis",)


# --- the observations ----------------------------------------------------------------------


def test_observations(tnf: Bundle) -> None:
    """observations.csv: >= 30 rows, >= 90 % of consensus rows pass, every failure is a
    documented known mismatch, and every documented mismatch really fails (list stays current)."""
    result = validate(tnf)
    assert len(result.rows) >= 30
    assert result.ok
    assert result.score >= 0.9
    for row in result.rows:
        assert row.passed != bool(row.observation.known_mismatch), row.observation.id
