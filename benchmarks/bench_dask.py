"""A distributed screen on a local Dask cluster against ``--jobs 2`` on the same machine.

Work: the ``tnf_necroptosis`` bundle, every single and double knock-out / over-expression
(``--singles --doubles``) under the conditions given (default: TNF and zVAD, about 870 rows;
``--all-conditions`` for about 2,600). Both backends compute the same rows through the
runner's mappers and ``run_screen`` (reports are not written: that step is the same for both):

``jobs2``
    a process pool of 2 workers (``--jobs 2``), started per run as the CLI does;
``dask``
    a fresh ``LocalCluster`` of 2 single-threaded worker processes on 127.0.0.1 per run (its
    start-up and the workers' one-off import of boolfate untimed, as for a running cluster;
    fresh workers so that no cached result carries over); each run connects a client, ships
    the bundle and submits batched tasks, as ``--dask-scheduler`` does.

Each backend runs once untimed (warm-up), then ``--repeats`` times; the medians and the
ratio dask / jobs2 are printed (below 1: Dask is faster). The rows of both backends are
checked to be identical.

Run: ``python benchmarks/bench_dask.py [--repeats 3] [--all-conditions]``
"""

from __future__ import annotations

import argparse
import importlib
import logging
import platform
import statistics
import time
from collections.abc import Callable, Sequence

from boolfate.bundle import load_bundle
from boolfate.runner import _dask_mapper, _pool_mapper
from boolfate.screens import Mapper, ScreenRow, resolve_conditions, run_screen, screen_items

WARM_IMPORTS = ("boolfate.screens", "boolfate.engines._aeon", "boolfate.engines._clingo")
"""Imported on the fresh workers before timing (a one-off per worker process)."""


def _timed(run: Callable[[], list[ScreenRow]], repeats: int) -> tuple[list[float], list[ScreenRow]]:
    rows = run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - start)
    return times, rows


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--all-conditions", action="store_true")
    args = parser.parse_args(argv)
    import distributed

    logging.getLogger("distributed").setLevel(logging.ERROR)
    bundle = load_bundle("tnf_necroptosis")
    items = screen_items(bundle, singles=True, pairs=("ko-ko",))
    conds = (
        resolve_conditions(bundle, (), all_conditions=True)
        if args.all_conditions
        else resolve_conditions(bundle, ("TNF", "zVAD"), all_conditions=False)
    )

    def screen(mapper: Mapper) -> list[ScreenRow]:
        rows = run_screen(bundle, items, conds, update="async", mapper=mapper)
        return sorted(rows, key=lambda r: r.key)

    print(
        f"tnf_necroptosis --singles --doubles: {len(items) * len(conds)} rows "
        f"({len(items)} perturbations x {len(conds)} conditions), {args.repeats} repeats, "
        f"{platform.processor() or platform.machine()}"
    )
    pool, pool_rows = _timed(
        lambda: screen(_pool_mapper(bundle, "async", 2, 0, None)), args.repeats
    )

    def on_fresh_cluster() -> tuple[float, list[ScreenRow]]:
        # fresh workers each time (their result caches would otherwise carry over); the
        # cluster's start-up is not timed: --dask-scheduler connects to a running one
        with distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as cluster:
            with distributed.Client(cluster) as client:  # imports done, as on a used cluster
                for module in WARM_IMPORTS:
                    client.run(importlib.import_module, module)
            start = time.perf_counter()
            rows = screen(_dask_mapper(bundle, "async", cluster.scheduler_address, 0, None))
            return time.perf_counter() - start, rows

    runs = [on_fresh_cluster() for _ in range(args.repeats + 1)][1:]
    dask, dask_rows = [t for t, _ in runs], runs[-1][1]
    assert [r.to_dict() for r in pool_rows] == [r.to_dict() for r in dask_rows], "rows differ"
    a, b = statistics.median(pool), statistics.median(dask)
    print(f"jobs2  median {a:7.2f} s  ({', '.join(f'{t:.2f}' for t in pool)})")
    print(f"dask   median {b:7.2f} s  ({', '.join(f'{t:.2f}' for t in dask)})")
    print(f"ratio dask / jobs2: {b / a:.2f}")


if __name__ == "__main__":
    main()
