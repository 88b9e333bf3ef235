"""Run a screen into a directory: incremental CSV, resumable journal, parallel or Dask workers.

Files written in ``DIR``:

``results.csv``
    One line per finished row, appended and flushed as rows finish (complete lines only, so a
    killed run leaves a valid file); rewritten in report order at the end.
``journal.jsonl``
    The screen's settings, then one JSON row per finished row: ``--resume`` re-uses them.
``results.json``, ``report.md``, ``report.html``
    Written at the end, and also on Ctrl-C (then with ``"complete": false``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from boolfate._version import __version__
from boolfate.bundle import Bundle
from boolfate.errors import BoolfateError
from boolfate.evaluator import FateResult
from boolfate.reports import (
    csv_header,
    csv_line,
    rows_to_csv,
    screen_html,
    screen_json,
    screen_markdown,
    screen_to_dict,
)
from boolfate.screens import (
    Mapper,
    ScreenItem,
    ScreenRow,
    Task,
    evaluate_item,
    row_key,
    run_screen,
    sorted_rows,
)
from boolfate.types import UpdateScheme

__all__ = ["ScreenRun", "run_to_directory", "model_hashes", "evaluate_task", "Progress"]

JOURNAL = "journal.jsonl"


@dataclass(frozen=True)
class ScreenRun:
    """What :func:`run_to_directory` did: rows in report order and the provenance."""

    rows: tuple[ScreenRow, ...]
    provenance: Mapping[str, Any]
    computed: int
    reused: int


def model_hashes(bundle: Bundle, fates_file: Path | None = None) -> dict[str, str]:
    """sha256 of the model files (``model.bnet``, ``model.toml`` or the fates file)."""
    files: list[Path] = []
    if bundle.path is not None:
        files += [bundle.path / "model.bnet", bundle.path / "model.toml"]
    elif bundle.network.source is not None:
        files.append(Path(bundle.network.source))
    if fates_file is not None:
        files.append(Path(fates_file))
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


# -------------------------------------------------------------------------------- workers

_WORKER: dict[str, Any] = {}
_LOCK = threading.Lock()


def _init_worker(bundle: Bundle, update: UpdateScheme, trajectories: int) -> None:
    _WORKER.update(bundle=bundle, update=update, cache={}, trajectories=trajectories)


def _work(task: Task) -> FateResult:
    return evaluate_item(
        _WORKER["bundle"],
        task[0],
        task[1],
        update=_WORKER["update"],
        cache=_WORKER["cache"],
        trajectories=_WORKER["trajectories"],
    )


def evaluate_task(
    bundle: Bundle, update: UpdateScheme, task: Task, trajectories: int = 0
) -> FateResult:
    """One engine task (used by Dask workers; keeps a per-process cache).

    Dask workers run tasks in threads; the engines keep per-process solver state (re-used
    clingo programs) that must not be used by two threads at once, so tasks take a lock.
    """
    with _LOCK:
        cache = _WORKER.setdefault("dask_cache", {})
        return evaluate_item(
            bundle, task[0], task[1], update=update, cache=cache, trajectories=trajectories
        )


def _pool_mapper(bundle: Bundle, update: UpdateScheme, jobs: int, trajectories: int) -> Mapper:
    def run(tasks: Sequence[Task]) -> Iterator[tuple[Task, FateResult]]:
        pool = ProcessPoolExecutor(
            jobs, initializer=_init_worker, initargs=(bundle, update, trajectories)
        )
        order = {t: i for i, t in enumerate(tasks)}
        try:
            pending: dict[Future[FateResult], Task] = {}
            queue = list(reversed(tasks))
            while queue or pending:
                while queue and len(pending) < 4 * jobs:
                    task = queue.pop()
                    pending[pool.submit(_work, task)] = task
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: order[pending[f]]):
                    yield pending.pop(fut), fut.result()
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    return run


def _dask_mapper(bundle: Bundle, update: UpdateScheme, address: str, trajectories: int) -> Mapper:
    try:
        distributed: Any = importlib.import_module("distributed")
    except ImportError as exc:
        raise BoolfateError(
            "--dask-scheduler needs dask.distributed: pip install 'dask[distributed]'"
        ) from exc
    Client, as_completed = distributed.Client, distributed.as_completed

    def run(tasks: Sequence[Task]) -> Iterator[tuple[Task, FateResult]]:
        try:
            client = Client(address, timeout="20s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise BoolfateError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        try:
            shared = client.scatter(bundle, broadcast=True)
            futures = {
                client.submit(evaluate_task, shared, update, t, trajectories, pure=False): t
                for t in tasks
            }
            with client.as_current():
                for fut in as_completed(list(futures)):
                    yield futures[fut], fut.result()
        finally:
            client.close()

    return run


# -------------------------------------------------------------------------------- progress


class Progress:
    """Progress on a stream: a bar with ETA on a terminal, plain lines otherwise."""

    def __init__(self, total: int, stream: IO[str] | None, *, done: int = 0) -> None:
        self.total, self.done, self.stream = total, done, stream
        self.start = time.monotonic()
        self.first = done
        self.tty = bool(stream is not None and stream.isatty())
        self._next_line = 0.0

    def step(self) -> None:
        """Count one finished row and redraw."""
        self.done += 1
        if self.stream is None or self.total == 0:
            return
        elapsed = time.monotonic() - self.start
        rate = (self.done - self.first) / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        pct = 100 * self.done / self.total
        if self.tty:
            width = 30
            fill = int(width * self.done / self.total)
            bar = "#" * fill + "." * (width - fill)
            self.stream.write(
                f"\r[{bar}] {self.done}/{self.total} rows {pct:3.0f}%  ETA {left:5.1f}s "
            )
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif self.done == self.total or pct >= self._next_line:
            self.stream.write(
                f"screen: {self.done}/{self.total} rows ({pct:.0f}%), "
                f"elapsed {elapsed:.1f}s, ETA {left:.1f}s\n"
            )
            self.stream.flush()
            self._next_line = pct + 10


# -------------------------------------------------------------------------------- files


def _settings(
    bundle: Bundle,
    items: Sequence[ScreenItem],
    conditions: Sequence[str],
    update: str,
    trajectories: int = 0,
) -> dict[str, Any]:
    listing = "\n".join(f"{i.kind}\t{i.perturbation}" for i in items)
    return {
        "model": bundle.name,
        "network": hashlib.sha256(repr(bundle.network.rules).encode()).hexdigest(),
        "update": update,
        "conditions": list(conditions),
        "items": hashlib.sha256(listing.encode()).hexdigest(),
        "trajectories": trajectories,
    }


def _read_journal(path: Path, settings: Mapping[str, Any]) -> dict[tuple[str, str], ScreenRow]:
    rows: dict[tuple[str, str], ScreenRow] = {}
    if not path.is_file():
        return rows
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            if i == len(lines) - 1:  # a line cut by a kill
                break
            raise BoolfateError(f"{path}:{i + 1}: corrupt journal line") from None
        if i == 0:
            if data.get("settings") != dict(settings):
                raise BoolfateError(
                    f"{path.parent} holds a screen with other settings (model, update, conditions "
                    "or perturbations); use another --out directory or drop --resume"
                )
            continue
        row = ScreenRow.from_dict(data)
        rows[row.key] = row
    return rows


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _figures(bundle: Bundle, document: Mapping[str, Any]) -> dict[str, str]:
    try:
        from boolfate import diagrams  # type: ignore[attr-defined, unused-ignore]

        network_diagram = diagrams.network_diagram
        fate_map_diagram = diagrams.fate_map_diagram
        to_svg = diagrams.to_svg
    except (ImportError, AttributeError):
        return {}
    out: dict[str, str] = {}
    makers: list[tuple[str, Callable[[], Any]]] = [
        ("Network", lambda: network_diagram(bundle)),
        ("Fate map", lambda: fate_map_diagram(document)),
    ]
    for caption, make in makers:
        try:
            svg = to_svg(make())
        except Exception as exc:  # noqa: BLE001 - a figure must never sink a finished screen
            print(f"screen: skipped the {caption.lower()} figure: {exc}", file=sys.stderr)
            continue
        if svg:
            out[caption] = svg
    return out


def run_to_directory(
    bundle: Bundle,
    items: Sequence[ScreenItem],
    conditions: Sequence[str],
    out: Path,
    *,
    update: UpdateScheme = "async",
    jobs: int = 1,
    resume: bool = False,
    dask_scheduler: str | None = None,
    command: str = "",
    fates_file: Path | None = None,
    progress: IO[str] | None = None,
    on_row: Callable[[ScreenRow], None] | None = None,
    trajectories: int = 0,
) -> ScreenRun:
    """Run the screen of ``items`` × ``conditions`` into ``out`` (see the module docstring).

    Parameters
    ----------
    jobs
        Worker processes (1: in this process).
    resume
        Re-use the rows of an interrupted run in ``out`` (same settings required).
    dask_scheduler
        Address of a running ``dask.distributed`` scheduler; overrides ``jobs``.
    command
        The command line, recorded in the provenance.
    progress
        Stream for the row count and progress (stderr in the CLI); None for silence.
    on_row
        Called after each row is written (tests use it to simulate a crash).
    trajectories
        Stochastic trajectories per row for fate probabilities (0: none).
    """
    started = dt.datetime.now(dt.UTC)
    clock = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    settings = _settings(bundle, items, conditions, update, trajectories)
    journal_path, csv_path = out / JOURNAL, out / "results.csv"
    done = _read_journal(journal_path, settings) if resume else {}
    wanted = {row_key(i, c) for c in conditions for i in items}
    done = {k: r for k, r in done.items() if k in wanted}
    total = len(items) * len(conditions)
    if progress is not None:
        progress.write(
            f"screen: {total} rows ({len(items)} perturbations incl. wild type × "
            f"{len(conditions)} condition{'s' if len(conditions) != 1 else ''})"
            + (f", {len(done)} already done" if done else "")
            + "\n"
        )
        progress.flush()
    mapper: Mapper | None = None
    backend = "in-process"
    if dask_scheduler:
        mapper = _dask_mapper(bundle, update, dask_scheduler, trajectories)
        backend = f"dask {dask_scheduler}"
    elif jobs > 1:
        mapper, backend = _pool_mapper(bundle, update, jobs, trajectories), f"{jobs} processes"
    finished: dict[tuple[str, str], ScreenRow] = dict(done)
    bar = Progress(total, progress, done=len(done))
    complete = False
    with (
        open(journal_path, "w" if not done else "a", encoding="utf-8") as journal,
        open(csv_path, "w", encoding="utf-8", newline="") as table,
    ):
        if not done:
            journal.write(json.dumps({"settings": settings}) + "\n")
        table.write(csv_header() + "".join(csv_line(r) for r in done.values()))
        journal.flush()
        table.flush()
        try:
            for row in run_screen(
                bundle,
                items,
                conditions,
                update=update,
                done=done,
                mapper=mapper,
                trajectories=trajectories,
            ):
                finished[row.key] = row
                table.write(csv_line(row))
                table.flush()
                journal.write(json.dumps(row.to_dict()) + "\n")
                journal.flush()
                bar.step()
                if on_row is not None:
                    on_row(row)
            complete = True
        finally:
            rows = tuple(sorted_rows(finished.values(), items, conditions))
            provenance = {
                "model": bundle.name,
                "boolfate": __version__,
                "model_files": model_hashes(bundle, fates_file),
                "update": update,
                "engine": "aeon: exact asynchronous attractors and reachability"
                if update == "async"
                else "clingo minimal trap spaces",
                "conditions": {c: str(bundle.condition(c).perturbation) for c in conditions}
                if bundle.conditions
                else {c: "" for c in conditions},
                "perturbations": len(items),
                "rows": len(rows),
                "complete": complete,
                "backend": backend,
                "command": command,
                "started": started.isoformat(timespec="seconds"),
                "duration_s": round(time.monotonic() - clock, 3),
            }
            if complete or rows:
                with contextlib.suppress(KeyboardInterrupt):
                    _finish(out, bundle, rows, provenance)
    return ScreenRun(rows, provenance, len(finished) - len(done), len(done))


def _finish(
    out: Path, bundle: Bundle, rows: Sequence[ScreenRow], provenance: Mapping[str, Any]
) -> None:
    _write_atomic(out / "results.csv", rows_to_csv(rows))
    _write_atomic(out / "results.json", screen_json(rows, provenance))
    _write_atomic(out / "report.md", screen_markdown(rows, provenance))
    figures = _figures(bundle, screen_to_dict(rows, provenance))
    _write_atomic(out / "report.html", screen_html(rows, provenance, figures))
