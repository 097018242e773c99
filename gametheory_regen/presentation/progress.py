"""A small progress bar on stderr for long work (off when stderr is not a terminal)."""

from __future__ import annotations

import sys
import time

__all__ = ["ProgressBar"]


class ProgressBar:
    """``with ProgressBar("sweep") as bar: work(progress=bar.update)``.

    ``update(done, total)`` redraws at most ten times a second. Nothing is drawn when disabled,
    when stderr is not a terminal, or for work that finishes within half a second.
    """

    def __init__(self, label: str, enabled: bool = True, stream=None, width: int = 30) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.width = width
        self.start = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if now - self.start < 0.5 or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        frac = min(1.0, done / total)
        filled = int(round(frac * self.width))
        elapsed = now - self.start
        eta = elapsed / frac - elapsed if frac > 0 else float("nan")
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
                          f"{done}/{total} {elapsed:5.1f}s eta {eta:5.1f}s")
        self.stream.flush()
        self.drawn = True

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
