"""Screen progress on a stream: a bar with ETA on a terminal, plain lines otherwise."""

from __future__ import annotations

import collections
import time
from collections.abc import Callable
from typing import IO


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
