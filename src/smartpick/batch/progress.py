"""A one-line progress bar on a terminal (stderr); silent when the stream is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class ProgressBar:
    """``[#####.....] 12/40 plans, 1 failed, 3.2 s each, 1 min 30 s left``."""

    def __init__(self, total: int, noun: str = "plans", stream: TextIO | None = None,
                 enabled: bool | None = None):
        self.total, self.noun = total, noun
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = self.failed = self.reused = 0
        self.started = time.monotonic()

    def advance(self, failed: bool = False, reused: bool = False) -> None:
        self.done += 1
        self.failed += failed
        self.reused += reused
        if self.enabled:
            self.stream.write("\r" + self.line())
            self.stream.flush()

    def line(self) -> str:
        filled = WIDTH * self.done // max(self.total, 1)
        parts = [f"[{'#' * filled}{'.' * (WIDTH - filled)}] {self.done}/{self.total} {self.noun}"]
        if self.reused:
            parts.append(f"{self.reused} from an earlier run")
        if self.failed:
            parts.append(f"{self.failed} failed")
        fresh = self.done - self.reused
        if fresh:
            each = (time.monotonic() - self.started) / fresh
            parts.append(f"{each:.1f} s each, {_duration(each * (self.total - self.done))} left")
        return ", ".join(parts)

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"
