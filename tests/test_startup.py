"""Start-up stays small: heavy optional dependencies are imported only by the commands that need
them (wall times are measured in benchmarks/bench_startup.py, not here)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("dask", "distributed", "matplotlib", "pyboolnet", "cmaboss", "graphviz", "networkx")


def _loaded(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nsys.stderr.write(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stderr.split())


def test_import_boolfate_loads_no_heavy_dependency() -> None:
    loaded = _loaded("import boolfate")
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    assert "numpy" not in loaded


def test_version_and_attractors_load_no_heavy_dependency() -> None:
    version = _loaded(
        "import sys; sys.argv = ['boolfate', '--version']\n"
        "from boolfate.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert version.isdisjoint(HEAVY) and "numpy" not in version
    assert "boolfate.evaluator" not in version  # no command module is imported for --version
    run = _loaded(
        "import sys; sys.argv = ['boolfate', 'attractors', 'calzone2010']\n"
        "from boolfate.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert "boolfate.evaluator" in run
    assert run.isdisjoint(HEAVY), sorted(run & set(HEAVY))


def test_lazy_public_names() -> None:
    import boolfate

    net = boolfate.parse_bnet("a, !b\nb, !a")
    assert [a.attractor.describe() for a in boolfate.attractors(net)] == ["a=0 b=1", "a=1 b=0"]
    assert boolfate.Network is type(net)
