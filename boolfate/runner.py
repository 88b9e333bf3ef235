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

import collections
import concurrent.futures
import contextlib
import ctypes
import datetime as dt
import fcntl
import hashlib
import importlib
import json
import logging
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NoReturn

from boolfate._version import __version__
from boolfate.bundle import Bundle
from boolfate.engines import Limits
from boolfate.errors import BoolfateError
from boolfate.evaluator import FateResult
from boolfate.publish import report_outputs
from boolfate.reports import CsvSchema
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

__all__ = [
    "ScreenRun",
    "ScreenInterrupted",
    "run_to_directory",
    "model_hashes",
    "evaluate_task",
    "evaluate_batch",
    "Progress",
]

JOURNAL = "journal.jsonl"
LOCK_FILE = ".boolfate-screen.lock"
REPORTS = ("results.csv", "results.json", "report.md", "report.html")


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
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Make this (worker) process get SIGKILL when ``parent`` dies, and ignore Ctrl-C.

    Linux only (``prctl(PR_SET_PDEATHSIG)``); elsewhere the executor's shutdown is relied on.
    If ``parent`` is already gone when this runs, the process exits at once.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)


def _init_worker(
    bundle: Bundle, update: UpdateScheme, trajectories: int, limits: Limits | None, parent: int
) -> None:
    die_with_parent(parent)
    _WORKER.update(bundle=bundle, update=update, cache={}, trajectories=trajectories, limits=limits)


def _work(task: Task) -> FateResult:
    return evaluate_item(
        _WORKER["bundle"],
        task[0],
        task[1],
        update=_WORKER["update"],
        cache=_WORKER["cache"],
        trajectories=_WORKER["trajectories"],
        limits=_WORKER["limits"],
    )


def evaluate_task(
    bundle: Bundle,
    update: UpdateScheme,
    task: Task,
    trajectories: int = 0,
    limits: Limits | None = None,
) -> FateResult:
    """One engine task (used by Dask workers; keeps a per-process cache).

    Dask workers run tasks in threads; the engines keep per-process solver state (re-used
    clingo programs) that must not be used by two threads at once, so tasks take a lock.
    """
    with _LOCK:
        cache = _WORKER.setdefault("dask_cache", {})
        return evaluate_item(
            bundle,
            task[0],
            task[1],
            update=update,
            cache=cache,
            trajectories=trajectories,
            limits=limits,
        )


def evaluate_batch(
    bundle: Bundle,
    update: UpdateScheme,
    tasks: Sequence[Task],
    trajectories: int = 0,
    limits: Limits | None = None,
) -> list[tuple[Task, FateResult]]:
    """Several engine tasks in one Dask task (the per-task scheduling cost is paid once)."""
    return [(t, evaluate_task(bundle, update, t, trajectories, limits)) for t in tasks]


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel queued tasks and end the workers now (they ignore SIGINT)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.terminate()


def _pool_mapper(
    bundle: Bundle, update: UpdateScheme, jobs: int, trajectories: int, limits: Limits | None
) -> Mapper:
    def run(tasks: Sequence[Task]) -> Iterator[tuple[Task, FateResult]]:
        pool = ProcessPoolExecutor(
            jobs,
            initializer=_init_worker,
            initargs=(bundle, update, trajectories, limits, os.getpid()),
        )
        order = {t: i for i, t in enumerate(tasks)}
        finished = False
        try:
            pending: dict[Future[FateResult], Task] = {}
            queue = list(reversed(tasks))
            while queue or pending:
                while queue and len(pending) < 4 * jobs:
                    task = queue.pop()
                    # forked workers start with SIGINT blocked until they ignore it
                    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
                    try:
                        pending[pool.submit(_work, task)] = task
                    finally:
                        signal.pthread_sigmask(signal.SIG_SETMASK, old)
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: order[pending[f]]):
                    yield pending.pop(fut), fut.result()
            finished = True
        finally:
            if finished:
                pool.shutdown(wait=True)
            else:
                _stop_pool(pool)

    return run


_ADDRESS = re.compile(r"(?:(?:tcp|tls|ucx|ws|wss)://)?(?:\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+):\d{1,5}")


def check_dask_address(address: str) -> None:
    """Refuse an address that is not ``[tcp://]host:port`` (or ``inproc://…``) at once."""
    if address.startswith("inproc://") or _ADDRESS.fullmatch(address):
        return
    raise BoolfateError(
        f"--dask-scheduler '{address}' is not a scheduler address; give tcp://HOST:PORT "
        "(e.g. tcp://127.0.0.1:8786, printed by 'dask scheduler')"
    )


def _probe(address: str) -> None:
    """Fail fast (connection refused, unknown host) before Dask's retrying connect."""
    if address.startswith("inproc://"):
        return
    host, _, port = address.split("://")[-1].rpartition(":")
    with socket.create_connection((host.strip("[]"), int(port)), timeout=10):
        pass


def _brief(exc: BaseException) -> str:
    """``Type: message`` on one line, at most 200 characters."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= 200 else text[:197] + "..."


@contextlib.contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    """Mute ``name``'s handlers (its children log through them) while the block runs."""
    handlers = logging.getLogger(name).handlers
    levels = [h.level for h in handlers]
    for h in handlers:
        h.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for h, level in zip(handlers, levels, strict=True):
            h.setLevel(level)


def _dask_failures(distributed: Any) -> tuple[type[BaseException], ...]:
    killed = getattr(distributed, "KilledWorker", None)
    extra = (killed,) if isinstance(killed, type) else ()
    return (
        OSError,
        TimeoutError,
        concurrent.futures.CancelledError,
        concurrent.futures.TimeoutError,
        *extra,
    )


def _dask_mapper(
    bundle: Bundle, update: UpdateScheme, address: str, trajectories: int, limits: Limits | None
) -> Mapper:
    check_dask_address(address)
    try:
        distributed: Any = importlib.import_module("distributed")
    except ImportError as exc:
        raise BoolfateError(
            "--dask-scheduler needs dask.distributed: pip install 'dask[distributed]'"
        ) from exc
    failures = _dask_failures(distributed)

    def run(tasks: Sequence[Task]) -> Iterator[tuple[Task, FateResult]]:
        quiet = contextlib.ExitStack()
        quiet.enter_context(_quiet_logger("distributed"))  # its tracebacks go to stderr
        try:
            _probe(address)
            client = distributed.Client(address, timeout="15s", set_as_default=False)
        except (*failures, ValueError) as exc:  # type: ignore[misc]
            quiet.close()
            raise BoolfateError(
                f"cannot reach the Dask scheduler at {address} ({_brief(exc)}); "
                "start one ('dask scheduler') or fix --dask-scheduler"
            ) from None
        try:
            threads = max(1, sum(client.nthreads().values()))
            size = max(1, min(64, len(tasks) // (8 * threads)))
            shared = client.scatter(bundle, broadcast=True)
            futures = [
                client.submit(
                    evaluate_batch, shared, update, tasks[i : i + size], trajectories, limits
                )
                for i in range(0, len(tasks), size)
            ]
            with client.as_current():
                for fut in distributed.as_completed(futures):
                    yield from fut.result()
        except BoolfateError:
            raise
        except failures as exc:
            raise BoolfateError(
                f"the Dask cluster at {address} failed ({_brief(exc)}); restart the scheduler "
                "and its workers"
            ) from None
        finally:
            with contextlib.suppress(Exception):
                client.close()
            quiet.close()

    return run


# -------------------------------------------------------------------------------- progress


class Progress:
    """Progress on a stream: a bar with ETA on a terminal, plain lines otherwise.

    The ETA comes from the rate over the last :attr:`WINDOW` rows computed in this run (rows
    re-used by ``--resume`` and the start-up time do not count); until a few rows are done it
    shows ``ETA --``.

    Examples
    --------
    >>> import io
    >>> ticks = iter([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    >>> bar = Progress(10, io.StringIO(), clock=lambda: next(ticks))
    >>> for _ in range(5):
    ...     bar.step()
    >>> bar.eta()
    5.0
    """

    WINDOW = 50
    MIN_ROWS = 4

    def __init__(
        self,
        total: int,
        stream: IO[str] | None,
        *,
        done: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total, self.done, self.stream, self.clock = total, done, stream, clock
        self.start = clock()
        self.marks: collections.deque[tuple[float, int]] = collections.deque(maxlen=self.WINDOW)
        self.tty = bool(stream is not None and stream.isatty())
        self._next_line = 0.0

    def eta(self) -> float | None:
        """Seconds left from the moving rate, or None while too few rows were computed."""
        if len(self.marks) <= self.MIN_ROWS:
            return None
        (t0, d0), (t1, d1) = self.marks[0], self.marks[-1]
        if t1 - t0 <= 0.0 or d1 <= d0:
            return None
        return (self.total - self.done) * (t1 - t0) / (d1 - d0)

    def step(self) -> None:
        """Count one finished row and redraw."""
        self.done += 1
        now = self.clock()
        self.marks.append((now, self.done))
        if self.stream is None or self.total == 0:
            return
        left = self.eta()
        eta = "ETA --" if left is None else f"ETA {left:.1f}s"
        pct = 100 * self.done / self.total
        if self.tty:
            width = 30
            fill = int(width * self.done / self.total)
            bar = "#" * fill + "." * (width - fill)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} rows {pct:3.0f}%  {eta} ")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif self.done == self.total or pct >= self._next_line:
            self.stream.write(
                f"screen: {self.done}/{self.total} rows ({pct:.0f}%), "
                f"elapsed {now - self.start:.1f}s, {eta}\n"
            )
            self.stream.flush()
            self._next_line = pct + 10

    def note(self, text: str) -> None:
        """A status line (e.g. ``writing report.html …``) after the rows."""
        if self.stream is None:
            return
        if self.tty and 0 < self.done < self.total:
            self.stream.write("\n")
        self.stream.write(f"screen: {text}\n")
        self.stream.flush()


# -------------------------------------------------------------------------------- files

_SETTING_NAMES: dict[str, str] = {
    "model": "model (MODEL)",
    "network": "network rules (MODEL)",
    "update": "update scheme (--update)",
    "conditions": "conditions (--condition / --all-conditions)",
    "items": "perturbations (--scenarios / --singles / --doubles / --pairs / --list / "
    "--include-inputs)",
    "trajectories": "stochastic trajectories (--probabilities / --trajectories)",
}


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


def _settings_differ(out: Path, old: Any, new: Mapping[str, Any]) -> BoolfateError:
    old = old if isinstance(old, dict) else {}
    key = next((k for k in new if old.get(k) != new[k]), next(iter(new)))
    what = _SETTING_NAMES.get(key, key)
    shown = ""
    if key in ("model", "update", "conditions", "trajectories"):
        shown = f" (was {old.get(key)!r}, now {new[key]!r})"
    return BoolfateError(
        f"--resume: {out} holds a screen with different {what}{shown}; resume with the same "
        "settings, use another --out, or drop --resume to start over"
    )


def _journal_rows(
    path: Path, lines: list[bytes], settings: Mapping[str, Any]
) -> dict[tuple[str, str], ScreenRow]:
    rows: dict[tuple[str, str], ScreenRow] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            data = json.loads(line.decode("utf-8"))
            if i == 0:
                head = data["settings"]
            else:
                row = ScreenRow.from_dict(data)
        except (ValueError, KeyError, TypeError, AttributeError, BoolfateError):
            raise BoolfateError(
                f"{path}:{i + 1}: corrupt journal line; drop --resume to start over"
            ) from None
        if i == 0:
            if head != dict(settings):
                raise _settings_differ(path.parent, head, settings)
            continue
        rows[row.key] = row
    return rows


def _read_journal(path: Path, settings: Mapping[str, Any]) -> dict[tuple[str, str], ScreenRow]:
    """Rows of the journal at ``path``; a last line without its newline (cut by a kill) is
    dropped, any other unreadable line is an error naming it."""
    if not path.is_file():
        return {}
    try:
        lines = path.read_bytes().split(b"\n")
    except OSError as exc:
        raise BoolfateError(f"cannot read {path}: {exc.strerror}") from None
    lines.pop()  # b"" after the last newline, or a line cut by a kill
    return _journal_rows(path, lines, settings)


def _disk_error(exc: OSError, out: Path, what: str) -> BoolfateError:
    return BoolfateError(
        f"cannot write {what} in {out}: {exc.strerror or exc}; free some space or choose "
        "another --out (the rows already written are kept: rerun with --resume)"
    )


class _Appender:
    """A file that only ever holds whole appended pieces (a failed write is cut back)."""

    def __init__(self, path: Path, *, truncate: bool) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (os.O_TRUNC if truncate else 0)
        self.path = path
        self.fd = os.open(path, flags, 0o666)

    def append(self, text: str) -> int:
        """Append ``text`` whole or not at all; return the size before it."""
        data = memoryview(text.encode("utf-8"))
        start = os.lseek(self.fd, 0, os.SEEK_END)
        try:
            while data:
                data = data[os.write(self.fd, data) :]
        except BaseException:
            self.cut(start)
            raise
        return start

    def cut(self, size: int) -> None:
        """Cut the file back to ``size`` bytes (best effort)."""
        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, size)

    def close(self) -> None:
        os.close(self.fd)


def _write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it (tmp removed on error)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            data = memoryview(text.encode("utf-8") if isinstance(text, str) else text)
            while data:
                data = data[os.write(fd, data) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold ``out``'s lock file for the duration; refuse if another screen holds it."""
    fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise BoolfateError(
                f"{out} is in use by another running screen"
                + (f" (pid {pid})" if pid.isdigit() else "")
                + "; wait for it to finish or choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


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
        "engine": "aeon: exact asynchronous attractors and reachability"
        if update == "async"
        else "clingo minimal trap spaces",
        "conditions": {c: str(bundle.condition(c).perturbation) for c in conditions}
        if bundle.conditions
        else {c: "" for c in conditions},
        **fields,
    }


@dataclass
class _Files:
    """The open incremental files of one run."""

    out: Path
    journal: _Appender
    table: _Appender
    schema: CsvSchema

    def add(self, row: ScreenRow) -> None:
        try:
            mark = self.journal.append(json.dumps(row.to_dict()) + "\n")
            try:
                self.table.append(self.schema.line(row))
            except BaseException:
                self.journal.cut(mark)  # both files hold the same rows
                raise
        except OSError as exc:
            raise _disk_error(exc, self.out, "a row") from None

    def close(self) -> None:
        self.journal.close()
        self.table.close()


def _open_files(
    out: Path,
    settings: Mapping[str, Any],
    done: Mapping[tuple[str, str], ScreenRow],
    schema: CsvSchema,
) -> _Files:
    """Start (or, with ``done`` rows, rewrite compactly) the journal and the incremental CSV."""
    journal_path = out / JOURNAL
    head = json.dumps({"settings": dict(settings)}) + "\n"
    try:
        # rewriting drops a cut last line, which would otherwise poison the next --resume
        _write_atomic(
            journal_path, head + "".join(json.dumps(r.to_dict()) + "\n" for r in done.values())
        )
        journal = _Appender(journal_path, truncate=False)
    except OSError as exc:
        raise _disk_error(exc, out, JOURNAL) from None
    try:
        files = _Files(out, journal, _Appender(out / "results.csv", truncate=True), schema)
        files.table.append(schema.header() + "".join(schema.line(r) for r in done.values()))
    except OSError as exc:
        journal.close()
        raise _disk_error(exc, out, "results.csv") from None
    return files


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
    limits: Limits | None = None,
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
