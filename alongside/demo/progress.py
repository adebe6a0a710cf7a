"""Progress for long demo steps, on stderr so stdout keeps only what to read afterwards.

On a terminal: one line redrawn in place, with a bar, the count, the time taken and an
estimate of the time left. Anywhere else (a log, CI, a pipe): a plain line every few
seconds and at the end, since a redrawn line would pile up there as noise.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 24


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}m {seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class Progress:
    def __init__(
        self,
        label: str,
        total: int,
        *,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        every: float = 5.0,
    ) -> None:
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stderr
        self.clock = clock
        self.every = every  # seconds between plain lines
        self.started = self.last_line = clock()
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())

    def line(self) -> str:
        elapsed = self.clock() - self.started
        share = self.done / self.total if self.total else 1.0
        text = f"{self.label} {self.done}/{self.total} ({share:4.0%}), {duration(elapsed)}"
        if self.done >= self.total:
            return text
        if self.done:
            text += f", about {duration(elapsed / self.done * (self.total - self.done))} left"
        if not self.live:
            return text
        filled = int(BAR_WIDTH * share)
        return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {text}"

    def advance(self, count: int = 1) -> None:
        if self.done >= self.total:
            return
        self.done = min(self.total, self.done + count)
        if self.done >= self.total:
            self.stream.write(("\r\033[K" if self.live else "") + self.line() + "\n")
        elif self.live:
            self.stream.write(f"\r\033[K{self.line()}")
        elif self.clock() - self.last_line >= self.every:
            self.stream.write(self.line() + "\n")
            self.last_line = self.clock()
        else:
            return
        self.stream.flush()
