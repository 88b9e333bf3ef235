"""The screen report in a real browser (headless Chromium): matrix visible, no script error.

Skipped when no ``chromium`` is installed (``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from boolfate import diagrams

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs headless chromium")

PWN = "document.body.dataset.pwned=1"
EVIL = f'<script>{PWN}</script><img src=x onerror="{PWN}">'
RULES = "s, s\na, s & !b\nb, !a\nc, a | b\ndead, a & c\nalive, b\n"


def _bundle(folder: Path, evil: bool) -> Path:
    """A bundle folder; with ``evil``, every free-text field carries script (TOML literals)."""
    tag = EVIL if evil else ""
    folder.mkdir()
    (folder / "model.bnet").write_text(RULES)
    (folder / "model.toml").write_text(
        f"title = 'toy{tag}'\ncitation = 'Nobody 2024{tag}'\ndescription = 'd{tag}'\n"
        f"[fates]\n'Death{tag}' = 'dead'\nLife = 'alive'\n"
        f"[conditions]\n'on{tag}' = {{ inputs = 's%1', description = '{tag}' }}\n"
        "off = { inputs = 's%0' }\n"
        f"[scenarios]\n'kill{tag}' = {{ perturbation = 'a%1', description = 'x{tag}' }}\n",
        encoding="utf-8",
    )
    return folder


def _report(bundle: Path, out: Path) -> Path:
    """``boolfate screen`` in a subprocess (as a user runs it); the path of its report."""
    cmd = [sys.executable, "-m", "boolfate", "screen", str(bundle), "--scenarios", "--singles"]
    cmd += ["--doubles", "--all-conditions", "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return out / "report.html"


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=120, check=False)


def _dom(page: Path, fragment: str = "") -> str:
    done = _chromium(
        "--window-size=1400,1000",
        "--virtual-time-budget=3000",
        "--dump-dom",
        page.as_uri() + fragment,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _body_data(dom: str) -> dict[str, str]:
    body = re.search(r"<body([^>]*)>", dom)
    assert body is not None
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))


def test_report_matrix_renders_without_script_errors(tmp_path: Path) -> None:
    page = _report(_bundle(tmp_path / "toy", evil=False), tmp_path / "screen")
    dom = _dom(page, "#select=2,0")
    data = _body_data(dom)
    assert data.get("matrix") == "ready"
    assert 'id="script-errors"' not in dom.split("</script>", 1)[1]
    # the matrix is laid out, non-empty, and starts within the first screen (1000 px)
    assert 0 < int(data["matrix-top"]) < 1000 and int(data["matrix-height"]) > 50
    body = dom[dom.index('id="matrix-body"') :]
    assert body.count('data-r="') >= 2 * 10  # every perturbation × both conditions
    assert "percolation trace" in dom[dom.index('id="detail"') :]
    if diagrams.have_dot():  # the selected row's knock-out is marked on the network
        assert 'class="node ovl-ko"' in dom and "overlay: a%0" in dom
    shot = tmp_path / "top.png"
    done = _chromium("--window-size=1400,1000", f"--screenshot={shot}", page.as_uri())
    assert done.returncode == 0 and shot.read_bytes()[:4] == b"\x89PNG"
    assert shot.stat().st_size > 20_000


def test_model_strings_cannot_run_script_in_the_browser(tmp_path: Path) -> None:
    page = _report(_bundle(tmp_path / "toy", evil=True), tmp_path / "screen")
    text = page.read_text(encoding="utf-8")
    assert "<script>document" not in text and "<img src=x" not in text
    assert "toy&lt;script&gt;" in text and "Nobody 2024&lt;script&gt;" in text
    for fragment in ("", "#select=0,0", "#select=1,0", "#select=1,1"):
        dom = _dom(page, fragment)
        data = _body_data(dom)
        assert data.get("matrix") == "ready", fragment
        assert "pwned" not in data, fragment
        assert "<img src=" not in dom, fragment
