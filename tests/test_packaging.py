"""Packaging: a non-editable ``pip install .`` must ship every subpackage and the bundles."""

from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_in_setup_cfg() -> None:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    listed = {p.strip() for p in cfg["options"]["packages"].split() if p.strip()}
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "boolfate").rglob("__init__.py")
    }
    assert found | {"boolfate.networks"} == listed


def test_bundle_files_match_package_data() -> None:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    patterns = [p.strip() for p in cfg["options.package_data"]["boolfate.networks"].split(",")]
    shipped = {f for pat in patterns for f in (ROOT / "networks").glob(pat)}
    every = {f for f in (ROOT / "networks").glob("*/*") if f.is_file()}
    assert every == shipped, f"not shipped: {sorted(map(str, every - shipped))}"
