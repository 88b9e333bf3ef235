"""Screen executors: a pool of worker processes or a Dask cluster, each a ``Mapper``.

Worker processes ignore Ctrl-C (the parent cancels them) and die with their parent
(``PR_SET_PDEATHSIG`` on Linux), so killing a screen never leaves workers behind.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import importlib
import logging
import os
import re
import signal
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from boolfate.bundle import Bundle
from boolfate.engines import Limits
from boolfate.errors import BoolfateError
from boolfate.evaluator import FateResult
from boolfate.screens import (
    Mapper,
    Task,
    evaluate_item,
)
from boolfate.types import UpdateScheme

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
