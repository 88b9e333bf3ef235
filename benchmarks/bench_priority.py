"""Priority classes (time scales): the symbolic engine against the explicit reference.

Work: the Calzone 2010 model under TNF (TNF%1 FADD%1 FASL%0) with two update classes, NF-kB's
transcriptional targets (cFLIP, BCL2, XIAP, cIAP) slow and every other node fast, for the wild
type and all 56 single knock-outs / over-expressions (57 networks per screen):
  (p1) all priority-class attractors, engine ``aeon`` (symbolic);
  (p2) attractors reachable from the TNF initial state, engine ``aeon``;
  (p3) the same reachable attractors with the explicit reference engine ``stg``, run once
       (networks whose reachable set exceeds ``--max-states`` are skipped and counted);
  (a1, a2) the asynchronous counterparts of (p1, p2) on ``aeon`` for scale.
Every run checks that (p2) and (p3) give the same attractors, state by state, where (p3)
answers. No peer tool computes priority-class attractors in-process (GINsim needs Java), so the
comparison is between boolfate's own engines. The median wall time over ``--repeats`` runs is
reported.

Run: ``python benchmarks/bench_priority.py [--repeats 3]``
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from boolfate import __version__
from boolfate.bundle import load_bundle
from boolfate.engines import Limits, attractors
from boolfate.errors import EngineLimitError
from boolfate.model import Network
from boolfate.perturbations import Perturbation, apply
from boolfate.timescales import Timescales
from boolfate.types import Value

CONDITION: dict[str, Value] = {"TNF": 1, "FADD": 1, "FASL": 0}
SLOW = ["cFLIP", "BCL2", "XIAP", "cIAP"]
Found = set[frozenset[tuple[int, ...]]] | None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-states", type=int, default=20_000)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "priority.json"))
    args = parser.parse_args()

    bundle = load_bundle("calzone2010")
    net = bundle.network
    ts = Timescales.from_mapping(
        {"fast": [n for n in net.nodes if n not in SLOW], "slow": SLOW}, net.nodes
    )
    initial = bundle.initial_state(bundle.condition("TNF"))
    screen: list[dict[str, Value]] = [{}]
    screen += [{n: v} for n in net.nodes for v in (0, 1)]
    cases = [
        (apply(net, Perturbation.from_mapping({**CONDITION, **fixes})), {**initial, **fixes})
        for fixes in screen
    ]
    limits = Limits(max_states=args.max_states)

    def one(network: Network, start: dict[str, Value] | None, update: str, engine: str) -> Found:
        try:
            found = attractors(
                network,
                update=update,  # type: ignore[arg-type]
                engine=engine,
                initial=start,
                timescales=ts,
                limits=limits,
            )
        except EngineLimitError:
            return None
        return {frozenset(a.states or ()) for a in found}

    def run(update: str, engine: str, reach: bool) -> list[Found]:
        return [one(network, start if reach else None, update, engine) for network, start in cases]

    tasks: dict[str, tuple[str, Callable[[], list[Found]]]] = {
        "p1": ("all priority attractors, aeon", lambda: run("priority", "aeon", False)),
        "p2": ("reachable priority attractors, aeon", lambda: run("priority", "aeon", True)),
        "p3": ("reachable priority attractors, stg", lambda: run("priority", "stg", True)),
        "a1": ("all async attractors, aeon", lambda: run("async", "aeon", False)),
        "a2": ("reachable async attractors, aeon", lambda: run("async", "aeon", True)),
    }
    results: dict[str, dict[str, float | int | str]] = {}
    answers: dict[str, list[Found]] = {}
    for key, (label, func) in tasks.items():
        times = []
        for _ in range(1 if key == "p3" else args.repeats):
            start = time.perf_counter()
            answers[key] = func()
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        count = sum(len(x) for x in answers[key] if x is not None)
        skipped = sum(x is None for x in answers[key])
        results[key] = {"label": label, "seconds": seconds, "results": count, "skipped": skipped}
        print(
            f"({key}) {label:38} {seconds * 1000:9.1f} ms  [{count} attractors, "
            f"{57 - skipped} networks, {skipped} over --max-states]"
        )
    checked = [(p, q) for p, q in zip(answers["p2"], answers["p3"], strict=True) if q is not None]
    if any(p != q for p, q in checked):
        raise SystemExit("aeon and stg disagree on the reachable priority attractors")
    differ = sum(p != a for p, a in zip(answers["p2"], answers["a2"], strict=True))
    print(
        f"aeon = stg state by state on the {len(checked)} networks stg could enumerate; "
        f"priorities change the reachable attractors in {differ} of 57"
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "boolfate": __version__,
        "python": platform.python_version(),
        "repeats": args.repeats,
        "slow": SLOW,
        "max_states": args.max_states,
        "checked_against_stg": len(checked),
        "networks_where_priorities_change_reachable_attractors": differ,
    }
    out.write_text(json.dumps({"meta": meta, "tasks": results}, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
