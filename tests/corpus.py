"""Published models for the corpus cross-checks: pyboolnet's bundled repository and the
models shipped in ``benchmarks/models``, up to a node count."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from boolfate.bnet import parse_bnet
from boolfate.errors import BoolfateError
from boolfate.model import Network

BENCH_MODELS = Path(__file__).resolve().parent.parent / "benchmarks" / "models"


def _pyboolnet_texts() -> dict[str, str]:
    with contextlib.redirect_stdout(io.StringIO()):
        from pyboolnet import repository

        return {name: repository.get_bnet(name) for name in repository.get_all_names()}


def corpus_models(max_nodes: int) -> list[Network]:
    """Every corpus model boolfate reads with at most ``max_nodes`` nodes, by name."""
    if max_nodes <= 0:
        return []
    texts = {f"pyboolnet:{k}": v for k, v in _pyboolnet_texts().items()}
    texts.update({p.stem: p.read_text() for p in sorted(BENCH_MODELS.glob("*.bnet"))})
    out = []
    for name, text in texts.items():
        try:
            net = parse_bnet(text, name=name)
        except BoolfateError:  # implicit inputs or multi-valued names: not read here
            continue
        if len(net.nodes) <= max_nodes:
            out.append(net)
    return out
