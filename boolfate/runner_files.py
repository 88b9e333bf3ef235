"""The files of a screen folder: settings and journal, whole-piece appends, atomic writes, lock."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boolfate.bundle import Bundle
from boolfate.errors import BoolfateError
from boolfate.reports import CsvSchema
from boolfate.screens import (
    ScreenItem,
    ScreenRow,
)

JOURNAL = "journal.jsonl"
LOCK_FILE = ".boolfate-screen.lock"
REPORTS = ("results.csv", "results.json", "report.md", "report.html")


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


def write_atomic(path: Path, text: str | bytes) -> None:
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
        write_atomic(
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
