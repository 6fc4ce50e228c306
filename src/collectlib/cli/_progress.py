"""The progress line of a long run: on a terminal's stderr only, cleared when done."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from collectlib.model import Account

__all__ = ["EVERY", "Progress", "lines_after_header"]

EVERY = 100_000
"""The line is redrawn each time this many more items are done."""

_CHUNK = 2**20


class Progress:
    r"""One line on stderr telling the items done, their rate, the time, and the total if known.

    Shown only when stderr is a terminal and ``CI`` is unset (``Progress.for_stderr``);
    without a stream every method does nothing.  The line is drawn in place (``\r``)
    and ``clear`` rubs it out, so nothing is left on the terminal once a command is
    done, and nothing ever reaches a pipe or a file.
    """

    def __init__(self, stream: TextIO | None, clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._clock = clock
        self._width = 0  # of the line on the terminal, to rub it out

    @classmethod
    def for_stderr(cls) -> Progress:
        """Return the progress of this run: on stderr if it is a terminal outside CI."""
        shown = sys.stderr.isatty() and not os.environ.get("CI")
        return cls(sys.stderr if shown else None)

    @property
    def shown(self) -> bool:
        """Whether the progress reaches a terminal."""
        return self._stream is not None

    def note(self, text: str) -> None:
        """Show ``text`` on the line (``reading FILE``) until the next count replaces it."""
        self._draw(text)

    def count(self, accounts: Iterable[Account], total: int | None = None) -> Iterable[Account]:
        """Pass ``accounts`` through, redrawing the line every ``EVERY`` items.

        ``total`` is the number of items expected, when the input's size tells it.
        """
        if self._stream is None:
            return accounts
        return self._counted(accounts, total)

    def _counted(self, accounts: Iterable[Account], total: int | None) -> Iterator[Account]:
        start = self._clock()
        done = 0
        mark = EVERY
        for account in accounts:
            done += len(account.items)
            if done >= mark:
                self._draw(_line(done, total, self._clock() - start))
                mark = done + EVERY
            yield account

    def clear(self) -> None:
        """Rub the line out (before the command's output, an error, or the end)."""
        if self._stream is not None and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0

    def _draw(self, text: str) -> None:
        if self._stream is None:
            return
        line = "\r" + text + " " * (self._width - len(text))
        # the width first: a Ctrl-C during the write still finds the line to rub out
        self._width = max(self._width, len(text))
        self._stream.write(line)
        self._stream.flush()


def _line(done: int, total: int | None, seconds: float) -> str:
    """``120,000 of 250,000 items (48%), 85,000 items/s, 1.4 s``."""
    text = f"{done:,} items"
    if total:
        total = max(total, done)
        text = f"{done:,} of {total:,} items ({done * 100 // total}%)"
    if seconds > 0:
        text += f", {done / seconds:,.0f} items/s"
    return text + f", {seconds:.1f} s"


def lines_after_header(path: Path) -> int | None:
    """Count the lines of a file after its first (the items of a CSV), or None if unknown.

    Only a regular file is counted (a pipe cannot be read twice); the count reads the
    bytes once, in large chunks, which costs a few percent of reading the items.
    """
    try:
        if not path.is_file():
            return None
        breaks = 0
        last = b"\n"
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                breaks += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return None  # the reader says what is wrong with the file
    lines = breaks + (last != b"\n")
    return max(lines - 1, 0)
