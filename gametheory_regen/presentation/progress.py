"""A small progress bar on stderr for long work (off when stderr is not a terminal)."""

from __future__ import annotations

import sys
import time

__all__ = ["ProgressBar"]


class ProgressBar:
    """``with ProgressBar("sweep") as bar: work(progress=bar.update)``.

    ``update(done, total)`` redraws at most ten times a second. Nothing is drawn when disabled,
    when stderr is not a terminal, or for work that finishes within half a second.

    Parameters
    ----------
    label : str
        Written before the bar.
    enabled : bool
        False: never draw (the ``--quiet`` option).
    stream : file-like, optional
        Where to draw; default ``sys.stderr``.  Only a stream whose ``isatty()`` is true is drawn
        on.
    width : int
        Characters of the bar.

    Examples
    --------
    Not a terminal, so nothing is drawn:

    >>> import io
    >>> log = io.StringIO()
    >>> with ProgressBar("sweep", stream=log) as bar:
    ...     bar.update(10, 10)
    >>> log.getvalue()
    ''

    On a terminal, after half a second of work:

    >>> class Terminal(io.StringIO):
    ...     def isatty(self):
    ...         return True
    >>> screen = Terminal()
    >>> with ProgressBar("sweep", stream=screen, width=10) as bar:
    ...     bar.start -= 1.0  # pretend the work began a second ago
    ...     bar.update(5, 10)
    >>> print(screen.getvalue().strip())
    sweep [#####.....] 5/10   1.0s eta   1.0s
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
        """Redraw the bar: ``done`` of ``total`` units, elapsed time and estimated time left.

        Skipped when nothing is drawn (see the class), when ``total <= 0``, and when the last
        redraw was less than 0.1 s ago, unless the work is done.

        Parameters
        ----------
        done, total : int
            Units of work finished and in all (a callback ``progress(done, total)``).

        Returns
        -------
        None

        Examples
        --------
        >>> import io
        >>> class Terminal(io.StringIO):
        ...     def isatty(self):
        ...         return True
        >>> screen = Terminal()
        >>> bar = ProgressBar("basins", stream=screen, width=4)
        >>> bar.update(1, 4)  # within the first half second: not drawn
        >>> screen.getvalue()
        ''
        >>> bar.start -= 2.0
        >>> bar.update(4, 4)
        >>> screen.getvalue()
        '\\rbasins [####] 4/4   2.0s eta   0.0s'
        """
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
