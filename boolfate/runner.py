"""Run a screen into a directory: incremental CSV, resumable journal, parallel or Dask workers.

Files written in ``DIR``:

``results.csv``
    One line per finished row, appended as rows finish (whole lines only: a failed or
    interrupted write is cut back, so a killed run leaves a valid file); rewritten in report
    order at the end.
``journal.jsonl``
    The screen's settings, then one JSON row per finished row: ``--resume`` re-uses them. A cut
    last line (a kill mid-write) is dropped on resume; the journal is compacted (report order,
    no duplicates) when the screen completes, and ``--resume`` on a completed folder re-uses
    every row.
``results.json``, ``traces.jsonl``, ``results.parquet`` (with pyarrow), ``report.md``,
``heatmap.png``, ``heatmap.svg``, ``report.html``
    Written at the end (see :mod:`boolfate.publish`), and also after a Ctrl-C or an
    engine/cluster failure (then with ``"complete": false``). Every report is written to a
    temporary file and renamed, so a file is either complete or absent.
``.boolfate-screen.lock``
    Held (``flock``) while a screen runs: a second screen into the same folder is refused,
    whatever its settings.

Worker processes ignore Ctrl-C (the parent cancels them) and die with their parent
(``PR_SET_PDEATHSIG`` on Linux), so killing a screen never leaves workers behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NoReturn

from boolfate._version import __version__
from boolfate.bundle import Bundle
from boolfate.engines import Limits
from boolfate.errors import BoolfateError
from boolfate.publish import report_outputs
from boolfate.reports import CsvSchema
from boolfate.runner_files import (
    JOURNAL,
    LOCK_FILE,
    REPORTS,
    _disk_error,
    _locked,
    _open_files,
    _read_journal,
    _settings,
    model_hashes,
    write_atomic,
)
from boolfate.runner_progress import Progress
from boolfate.runner_workers import (
    _dask_mapper,
    _pool_mapper,
    check_dask_address,
    evaluate_batch,
    evaluate_task,
)
from boolfate.screens import (
    Mapper,
    ScreenItem,
    ScreenRow,
    row_key,
    run_screen,
    sorted_rows,
)
from boolfate.types import UpdateScheme

__all__ = [
    "ScreenRun",
    "ScreenInterrupted",
    "run_to_directory",
    "model_hashes",
    "evaluate_task",
    "evaluate_batch",
    "Progress",
    "JOURNAL",
    "LOCK_FILE",
    "REPORTS",
    "check_dask_address",
]


class ScreenInterrupted(BoolfateError):
    """Ctrl-C during a screen; the message says what was kept and how to resume (exit 130)."""

    exit_code = 130


@dataclass(frozen=True)
class ScreenRun:
    """What :func:`run_to_directory` did: rows in report order, the provenance, files written."""

    rows: tuple[ScreenRow, ...]
    provenance: Mapping[str, Any]
    computed: int
    reused: int
    written: tuple[str, ...] = REPORTS


def _provenance(
    bundle: Bundle,
    conditions: Sequence[str],
    update: UpdateScheme,
    **fields: Any,
) -> dict[str, Any]:
    return {
        "model": bundle.name,
        "boolfate": __version__,
        "model_files": model_hashes(bundle, fields.pop("fates_file")),
        "update": update,
        "engine": _ENGINE_NOTES.get(update, "clingo minimal trap spaces"),
        "conditions": {c: str(bundle.condition(c).perturbation) for c in conditions}
        if bundle.conditions
        else {c: "" for c in conditions},
        **fields,
    }


_write_atomic = write_atomic
"""The writer of the reports (a test replaces it to simulate a full disk)."""


def _finish(
    out: Path,
    bundle: Bundle,
    rows: Sequence[ScreenRow],
    provenance: Mapping[str, Any],
    note: Callable[[str], None],
    written: list[str],
) -> None:
    """Write the reports atomically, appending each name to ``written`` once it exists."""
    for name, make in report_outputs(bundle, rows, provenance, warn=note):
        note(f"writing {name} …")
        try:
            _write_atomic(out / name, make())
        except OSError as exc:
            raise _disk_error(exc, out, name) from None
        written.append(name)


def _resume_hint(command: str) -> str:
    if not command:
        return "run again with resume=True"
    return f"resume with: {command}" + ("" if "--resume" in command.split() else " --resume")


_ENGINE_NOTES = {
    "async": "aeon: exact asynchronous attractors and reachability",
    "priority": "aeon: exact priority-class (time-scale) attractors and reachability",
}


def run_to_directory(
    bundle: Bundle,
    items: Sequence[ScreenItem],
    conditions: Sequence[str],
    out: Path,
    *,
    update: UpdateScheme | None = None,
    jobs: int = 1,
    resume: bool = False,
    dask_scheduler: str | None = None,
    command: str = "",
    fates_file: Path | None = None,
    progress: IO[str] | None = None,
    on_row: Callable[[ScreenRow], None] | None = None,
    trajectories: int = 0,
    limits: Limits | None = None,
) -> ScreenRun:
    """Run the screen of ``items`` × ``conditions`` into ``out`` (see the module docstring).

    Parameters
    ----------
    update
        As in :func:`~boolfate.screens.run_screen` (None: the bundle's ``default_update``).
    jobs
        Worker processes (1: in this process).
    resume
        Re-use the rows of an interrupted run in ``out`` (same settings required).
    dask_scheduler
        Address of a running ``dask.distributed`` scheduler; overrides ``jobs``.
    command
        The command line, recorded in the provenance and shown in the resume hint.
    progress
        Stream for the row count and progress (stderr in the CLI); None for silence.
    on_row
        Called after each row is written (tests use it to simulate a crash).
    trajectories
        Stochastic trajectories per row for fate probabilities (0: none).
    limits
        Engine limits (``max_results`` bounds the trap spaces per row: ``--max-results``).

    Raises
    ------
    ScreenInterrupted
        On Ctrl-C (``KeyboardInterrupt``): the rows done are in the journal, the partial
        reports that could be written are named in the message.
    BoolfateError
        Another screen holds ``out``; ``--resume`` with other settings; a full disk; a
        failing Dask cluster (rows done so far kept).
    """
    update = update or bundle.default_update
    if dask_scheduler:
        check_dask_address(dask_scheduler)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BoolfateError(f"cannot create the --out folder {out}: {exc.strerror}") from None
    with _locked(out):
        return _run_locked(
            bundle,
            items,
            conditions,
            out,
            update=update,
            jobs=jobs,
            resume=resume,
            dask_scheduler=dask_scheduler,
            command=command,
            fates_file=fates_file,
            progress=progress,
            on_row=on_row,
            trajectories=trajectories,
            limits=limits,
        )


def _mapper(
    bundle: Bundle,
    update: UpdateScheme,
    jobs: int,
    dask: str | None,
    trajectories: int,
    limits: Limits | None,
) -> tuple[Mapper | None, str]:
    if dask:
        return _dask_mapper(bundle, update, dask, trajectories, limits), f"dask {dask}"
    if jobs > 1:
        return _pool_mapper(bundle, update, jobs, trajectories, limits), f"{jobs} processes"
    return None, "in-process"


def _run_locked(
    bundle: Bundle,
    items: Sequence[ScreenItem],
    conditions: Sequence[str],
    out: Path,
    *,
    update: UpdateScheme,
    jobs: int,
    resume: bool,
    dask_scheduler: str | None,
    command: str,
    fates_file: Path | None,
    progress: IO[str] | None,
    on_row: Callable[[ScreenRow], None] | None,
    trajectories: int,
    limits: Limits | None,
) -> ScreenRun:
    started = dt.datetime.now(dt.UTC)
    clock = time.monotonic()
    settings = _settings(bundle, items, conditions, update, trajectories)
    done = _read_journal(out / JOURNAL, settings) if resume else {}
    wanted = {row_key(i, c) for c in conditions for i in items}
    done = {k: r for k, r in sorted_rows_by_key(done, items, conditions) if k in wanted}
    total = len(items) * len(conditions)
    if progress is not None:
        progress.write(
            f"screen: {total} rows ({len(items)} perturbations incl. wild type × "
            f"{len(conditions)} condition{'s' if len(conditions) != 1 else ''})"
            + (f", {len(done)} already done" if done else "")
            + "\n"
        )
        progress.flush()
    mapper, backend = _mapper(bundle, update, jobs, dask_scheduler, trajectories, limits)
    finished: dict[tuple[str, str], ScreenRow] = dict(done)
    bar = Progress(total, progress, done=len(done))
    files = _open_files(out, settings, done, CsvSchema(bundle.fates.names, trajectories > 0))
    rows_iter = run_screen(
        bundle,
        items,
        conditions,
        update=update,
        done=done,
        mapper=mapper,
        trajectories=trajectories,
        limits=limits,
    )
    failure: BaseException | None = None
    try:
        for row in rows_iter:
            files.add(row)
            finished[row.key] = row
            bar.step()
            if on_row is not None:
                on_row(row)
    except (KeyboardInterrupt, BoolfateError) as exc:
        failure = exc
    finally:
        stop = getattr(rows_iter, "close", None)
        if stop is not None:
            stop()  # a generator: stops the workers before anything else
        files.close()
    rows = tuple(sorted_rows(finished.values(), items, conditions))
    provenance = _provenance(
        bundle,
        conditions,
        update,
        fates_file=fates_file,
        perturbations=len(items),
        rows=len(rows),
        complete=failure is None,
        backend=backend,
        command=command,
        started=started.isoformat(timespec="seconds"),
        duration_s=round(time.monotonic() - clock, 3),
    )
    if failure is not None:
        _fail(failure, out, bundle, rows, provenance, total)
    written: list[str] = []
    try:
        _finish(out, bundle, rows, provenance, bar.note, written)
        _write_atomic(
            out / JOURNAL,
            json.dumps({"settings": settings})
            + "\n"
            + "".join(json.dumps(r.to_dict()) + "\n" for r in rows),
        )
    except KeyboardInterrupt:
        raise ScreenInterrupted(
            f"interrupted while writing the reports: all {len(rows)} rows are kept in {out}"
            + (f" ({', '.join(written)} written)" if written else "")
            + f"; {_resume_hint(command)} (writes the rest without recomputing)"
        ) from None
    except OSError as exc:
        raise _disk_error(exc, out, JOURNAL) from None
    return ScreenRun(rows, provenance, len(finished) - len(done), len(done), tuple(written))


def _fail(
    failure: BaseException,
    out: Path,
    bundle: Bundle,
    rows: Sequence[ScreenRow],
    provenance: Mapping[str, Any],
    total: int,
) -> NoReturn:
    """Write what can be written after a failure, then raise one error saying what was kept."""
    written: list[str] = []
    _finish_partial(out, bundle, rows, provenance, written)
    kept = (
        f"{len(rows)} of {total} rows kept in {out}"
        + (f" ({', '.join(written)} partial)" if written else "")
        + f"; {_resume_hint(str(provenance.get('command', '')))}"
    )
    if isinstance(failure, KeyboardInterrupt):
        raise ScreenInterrupted(f"interrupted: {kept}") from None
    if not rows:
        raise failure
    raise BoolfateError(f"{failure}; {kept}") from None


def sorted_rows_by_key(
    rows: Mapping[tuple[str, str], ScreenRow],
    items: Sequence[ScreenItem],
    conditions: Sequence[str],
) -> list[tuple[tuple[str, str], ScreenRow]]:
    """``(key, row)`` pairs in report order (rows not in the screen dropped)."""
    wanted = {row_key(i, c) for c in conditions for i in items}
    kept = [r for k, r in rows.items() if k in wanted]
    return [(r.key, r) for r in sorted_rows(kept, items, conditions)]


def _finish_partial(
    out: Path,
    bundle: Bundle,
    rows: Sequence[ScreenRow],
    provenance: Mapping[str, Any],
    written: list[str],
) -> None:
    """Best effort after a failure: stop at a second Ctrl-C or a write error."""
    if not rows:
        return
    with contextlib.suppress(KeyboardInterrupt, BoolfateError):
        _finish(out, bundle, rows, provenance, lambda _text: None, written)
