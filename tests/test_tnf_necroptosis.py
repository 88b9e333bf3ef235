"""The flagship TNF bundle v2 (networks/tnf_necroptosis): structure, time scales, and published
results it must reproduce (each test names its paper).

Semantics: fates reachable from the resting state under the bundle's priority classes (complex I
fast, RIPK1 kinase and caspases medium, NF-kB-induced genes slow, complex IIa late).
"""

from __future__ import annotations

import re

import pytest

from boolfate.api import attractors as analyze
from boolfate.bundle import Bundle, load_bundle
from boolfate.expr import Const, Var
from boolfate.perturbations import Perturbation
from boolfate.validate import validate

TREATMENTS = ("TNF", "SMACmim", "zVAD", "Nec1", "CHX", "BH3", "IKKi", "TAK1i")
FLAGS = ("RIPK3_expr", "autocrine", "typeII", "IAPdominant", "ZBP1")


@pytest.fixture(scope="module")
def tnf() -> Bundle:
    return load_bundle("tnf_necroptosis")


def _fates(
    bundle: Bundle, condition: str, *scenarios: str, profile: str | None = None
) -> tuple[str, ...]:
    pert = Perturbation.union(bundle.scenario(s).perturbation for s in scenarios)
    return analyze(bundle, condition=condition, perturbation=pert, profile=profile).fates


# --- structure -----------------------------------------------------------------------------


def test_inputs_constitutive_and_classes(tnf: Bundle) -> None:
    net = tnf.network
    for node in TREATMENTS + FLAGS:
        assert net.functions[node] == Var(node), node
    assert net.functions["RIPK1"] == Const(True)
    assert tnf.default_update == "priority"
    ts = tnf.timescales
    assert ts is not None and ts.names == ("fast", "medium", "slow", "late")
    slow = {"cFLIP_L", "cFLIP_ind", "A20", "cIAP2", "BCL2", "TNFauto"}
    assert {n for n in net.nodes if ts.class_of(n) == "slow"} == slow
    for node in ("IKK", "TAK1a", "MK2", "RIPK1ub", "NFkB"):
        assert ts.class_of(node) == "fast", node
    assert ts.class_of("RIPK1kin") == "medium" and ts.class_of("ComplexIIa") == "late"


def test_every_rule_cites_a_paper(tnf: Bundle) -> None:
    """Every rule line of model.bnet carries a '#' comment naming a paper (author + year)."""
    assert tnf.path is not None
    lines = (tnf.path / "model.bnet").read_text(encoding="utf-8").splitlines()
    rules = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")][1:]
    assert len(rules) == len(tnf.network.nodes)
    for line in rules:
        node, _, comment = line.partition("#")
        if node.split(",")[0].strip() == "TNF":
            continue  # the ligand itself
        assert re.search(r"(19|20)\d\d", comment), line


def test_conditions_hold_treatments_only(tnf: Bundle) -> None:
    for cond in tnf.conditions.values():
        assert set(tnf.conditions[cond.name].perturbation.nodes) == set(TREATMENTS), cond.name


def test_modules_partition_the_nodes(tnf: Bundle) -> None:
    listed = [n for nodes in tnf.modules.values() for n in nodes]
    assert sorted(listed) == sorted(tnf.network.nodes)


def test_scenarios_fix_existing_nodes(tnf: Bundle) -> None:
    required = {"caspase_inhibition", "ripk3_loss", "tnf_blockade", "ikba_sr", "lubac_loss"}
    assert required <= set(tnf.scenarios)
    for scenario in tnf.scenarios.values():
        assert scenario.description and scenario.perturbation.fixes


# --- the card's questions --------------------------------------------------------------------


def test_card_tsz_necroptosis_and_ripk3_loss(tnf: Bundle) -> None:
    """TSZ -> necroptosis in RIPK3-expressing HT-29 cells; RIPK3 loss -> survival (He 2009 Cell
    137:1100); RIP3-negative cells do not necroptose (He 2009)."""
    assert _fates(tnf, "TSZ") == ("Necroptosis",)
    assert _fates(tnf, "TSZ", "ripk3_loss") == ("Survival",)
    assert _fates(tnf, "TSZ", profile="HeLa_like") == ("Survival",)
    assert _fates(tnf, "TNF_SMAC", "caspase_inhibition") == ("Necroptosis",)


def test_card_tnf_blockade(tnf: Bundle) -> None:
    """TNF blockade prevents TNF-induced death (Vince 2007 Cell 131:682; Beg & Baltimore 1996)."""
    for condition in ("TNF", "TNF_SMAC", "TSZ", "TNF_CHX", "TNF_IKKi"):
        fates = set(_fates(tnf, condition, "tnf_blockade"))
        assert not fates & {"Apoptosis", "Necroptosis", "CICD"}, condition
    assert _fates(tnf, "SMAC", "tnf_blockade", profile="autocrine_tumour") == ("Survival",)


def test_card_bh3_zvad_cicd_with_nfkb(tnf: Bundle) -> None:
    """BH3 mimetic + zVAD -> CICD with IAP loss and (non-canonical) NF-kB on, and TNF made in
    autocrine cells (Giampazolias 2017 Nat Cell Biol 19:1116, Figs 2-4)."""
    result = analyze(tnf, condition="BH3_zVAD", profile="autocrine_tumour")
    assert result.fates == ("CICD",)
    (state,) = [fa.attractor.values for fa in result.attractors]
    assert state["MOMP"] == 1 and state["CASP3"] == 0
    assert state["cIAP1"] == 0 and state["XIAP"] == 0 and state["NIK"] == 1
    assert state["NFkB2"] == 1 and state["TNFauto"] == 1
    assert _fates(tnf, "BH3") == ("Apoptosis",)


def test_readme_command_nfkb_block_gives_apoptosis(tnf: Bundle) -> None:
    """`attractors tnf_necroptosis --condition TNF --perturb NFkB%0` includes Apoptosis: the
    IkBa super-repressor turns TNF into an apoptotic signal (Van Antwerp 1996 Science 274:787)."""
    fates = analyze(tnf, condition="TNF", perturbation=Perturbation.parse("NFkB%0")).fates
    assert "Apoptosis" in fates
    assert _fates(tnf, "TNF") == ("Survival",)


# --- the two checkpoints (Micheau & Tschopp 2003; Legarda-Addison 2009; Dondelinger 2015) ----


def test_late_checkpoint_is_nfkb_induced_and_rip1_kinase_independent(tnf: Bundle) -> None:
    """RelA loss (Beg & Baltimore 1996 Science 274:782) and the IkBa super-repressor kill through
    RIPK1-independent complex IIa: Nec-1 does not protect (Dondelinger 2015 Mol Cell 60:63)."""
    assert "Apoptosis" in _fates(tnf, "TNF", "rela_loss", profile="MEF_like")
    assert "Apoptosis" in _fates(tnf, "TNF_Nec1", "ikba_sr")
    assert _fates(tnf, "TNF_CHX_Nec1") == ("Apoptosis",)  # Wang, Du & Wang 2008 Cell 133:693


def test_early_checkpoint_is_the_ikk_tak1_mk2_kinase_on_ripk1(tnf: Bundle) -> None:
    """IKK inhibition (Dondelinger 2015), NEMO loss (Legarda-Addison 2009 Cell Death Differ
    16:1279) and MK2 loss (Jaco 2017 Mol Cell 66:698) release RIPK1 kinase: apoptosis, or
    necroptosis with zVAD; with MK2 loss Nec-1 restores survival."""
    assert "Apoptosis" in _fates(tnf, "TNF_IKKi", profile="MEF_like")
    assert "Necroptosis" in _fates(tnf, "TNF_IKKi_zVAD")
    assert "Apoptosis" in _fates(tnf, "TNF", "nemo_loss")
    assert "Apoptosis" in _fates(tnf, "TNF", "mk2_loss", profile="MEF_like")
    assert _fates(tnf, "TNF_Nec1", "mk2_loss", profile="MEF_like") == ("Survival",)
    assert "Necroptosis" in _fates(tnf, "TNF_zVAD", "mk2_loss")


def test_lubac_loss_sensitises_to_apoptosis(tnf: Bundle) -> None:
    """Sharpin/HOIP loss -> TNF-induced apoptosis (Kumari 2014 eLife 3:e03422; Peltzer 2014 Cell
    Rep 9:153); RIPK3 loss does not prevent it; FADD + RIPK3 loss does (Kumari 2014)."""
    assert "Apoptosis" in _fates(tnf, "TNF", "lubac_loss", profile="MEF_like")
    assert "Apoptosis" in _fates(tnf, "TNF", "lubac_loss", "ripk3_loss", profile="MEF_like")
    rescued = _fates(tnf, "TNF", "lubac_loss", "fadd_loss", "ripk3_loss", profile="MEF_like")
    assert not set(rescued) & {"Apoptosis", "Necroptosis"}


# --- caspase-8, cFLIP, FADD, RIPK1 genetics --------------------------------------------------


def test_caspase8_cflip_brake(tnf: Bundle) -> None:
    """Casp8 loss unleashes RIPK3 necroptosis, rescued by RIPK3 loss (Oberst 2011 Nature 471:363;
    Kaiser 2011 Nature 471:368); cFLIP loss gives apoptosis that RIPK3 loss does not prevent, and
    FADD + cFLIP + RIPK3 loss is normal (Dillon 2012 Cell Rep 1:401)."""
    mef = "MEF_like"
    assert _fates(tnf, "TNF", "casp8_loss", profile=mef) == ("Necroptosis",)
    assert _fates(tnf, "TNF", "casp8_loss", "ripk3_loss", profile=mef) == ("Survival",)
    assert "Apoptosis" in _fates(tnf, "TNF", "cflip_loss", "ripk3_loss", profile=mef)
    assert _fates(tnf, "TNF", "cflip_loss", "fadd_loss", "ripk3_loss", profile=mef) == ("Survival",)
    assert "Necroptosis" in _fates(tnf, "TNF", "fadd_loss", profile=mef)


def test_mixed_attractor_is_reported_as_such(tnf: Bundle) -> None:
    """cFLIP loss in MEF-like cells reaches an attractor with both CASP3 and MLKL on."""
    assert "Apoptosis+Necroptosis" in _fates(tnf, "TNF", "cflip_loss", profile="MEF_like")


def test_ripk1_genetics_and_the_zbp1_route(tnf: Bundle) -> None:
    """RIPK1 loss -> TNF apoptosis (Kelliher 1998 Immunity 8:297), not prevented by RIPK3 loss
    (Dillon 2014 Cell 157:1189); RIPK1 + caspase-8 loss -> RIPK3 necroptosis without TNF via
    ZBP1, which the RIPK1 RHIM restrains (Newton 2016 Nature; Lin 2016 Nature)."""
    mef = "MEF_like"
    assert "Apoptosis" in _fates(tnf, "TNF", "ripk1_loss", profile=mef)
    assert "Apoptosis" in _fates(tnf, "TNF", "ripk1_loss", "ripk3_loss", profile=mef)
    tissue = "perinatal_tissue"
    assert _fates(tnf, "none", "ripk1_loss", "casp8_loss", profile=tissue) == ("Necroptosis",)
    assert _fates(tnf, "none", "ripk1_loss", "casp8_loss", profile=mef) == ("Resting",)  # no ZBP1
    # TNF-induced necroptosis needs RIPK1; ZBP1 engagement kills RIPK1-deficient cells even
    # with caspase-8 present (Dillon 2014)
    assert "Necroptosis" not in _fates(tnf, "TNF_zVAD", "ripk1_loss", profile=mef)
    assert "Necroptosis" in _fates(tnf, "none", "ripk1_loss", "zbp1_engaged", profile=mef)
    assert _fates(tnf, "TNF_SMAC", "ripk1_loss") == ("Survival",)  # Wang, Du & Wang 2008


def test_l929_and_ht29_necroptosis(tnf: Bundle) -> None:
    """TNF + zVAD kills L929 cells by necrosis (Vercammen 1998 J Exp Med 187:1477), needing CYLD
    (Moquin 2013 PLoS One 8:e76841); HT-29 need the SMAC mimetic (He 2009)."""
    assert _fates(tnf, "TNF_zVAD", profile="L929_like") == ("Necroptosis",)
    assert _fates(tnf, "TNF_zVAD", "cyld_loss", profile="L929_like") == ("Survival",)
    assert _fates(tnf, "TNF_zVAD") == ("Survival",)
    assert _fates(tnf, "TSZ", "cyld_loss", profile="L929_like") == ("Necroptosis",)


def test_smac_mimetic_alone_needs_autocrine_tnf(tnf: Bundle) -> None:
    """SMAC mimetics kill lines that make TNF (Vince 2007; Varfolomeev 2007 Cell 131:669)."""
    assert _fates(tnf, "SMAC", profile="autocrine_tumour") == ("Apoptosis",)
    assert _fates(tnf, "SMAC") == ("Survival",)


def test_type_ii_switch(tnf: Bundle) -> None:
    """Fas evidence: BCL-2 protects type II but not type I cells (Scaffidi 1998 EMBO J 17:1675);
    XIAP loss removes the protection (Jost 2009 Nature 460:1035)."""
    assert _fates(tnf, "TNF_CHX", "bcl2_oe") == ("Apoptosis",)
    assert "Apoptosis" not in _fates(tnf, "TNF_CHX", "bcl2_oe", profile="typeII_like")
    assert "Apoptosis" in _fates(tnf, "TNF_CHX", "bcl2_oe", "xiap_loss", profile="typeII_like")


# --- the observations ----------------------------------------------------------------------


def test_observations(tnf: Bundle) -> None:
    """>= 70 rows, >= 35 discriminating consensus literature rows, >= 90 % of them pass, every
    failure is a documented known mismatch and every documented mismatch really fails."""
    result = validate(tnf)
    assert len(result.rows) >= 70
    assert result.scored_total >= 35
    assert result.score >= 0.9
    assert result.ok
    for row in result.rows:
        assert row.passed != bool(row.observation.known_mismatch), row.observation.id


def test_observed_attractors_are_fixed_points(tnf: Bundle) -> None:
    """Under priority classes a fast oscillation could keep a slow node from reaching the value
    percolation forces; every attractor the observations reach is a fixed point, so the
    by-construction classes hold under the bundle's semantics."""
    from boolfate.validate import read_observations

    assert tnf.observations_path is not None
    seen = set()
    for obs in read_observations(tnf.observations_path, tnf):
        key = (obs.condition, obs.profile, obs.perturbation)
        if key in seen:
            continue
        seen.add(key)
        result = analyze(
            tnf, condition=obs.condition, profile=obs.profile or None, perturbation=obs.perturbation
        )
        assert all(fa.attractor.size == 1 for fa in result.attractors), obs.id


def test_time_scales_remove_the_races(tnf: Bundle) -> None:
    """Under plain asynchronous update the kinase checkpoint and gene induction race as equals
    (TNF alone also reaches Apoptosis); the priority classes order them as Micheau & Tschopp
    2003 and Dondelinger 2015 describe, and TNF alone survives."""
    plain = analyze(tnf, "TNF", update="async").fates
    assert set(plain) == {"Apoptosis", "Survival"}
    assert analyze(tnf, "TNF", update="priority").fates == ("Survival",)
    assert "Survival" in analyze(tnf, "TSZ", update="async").fates
    assert analyze(tnf, "TSZ").fates == ("Necroptosis",)
