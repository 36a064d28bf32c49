"""Progress of a long run on stderr: a live bar on a terminal, plain lines elsewhere, nothing when quiet.

A certification takes seconds to minutes and a self-check minutes; a vendor
watching either should see it move. On a terminal one line is redrawn in
place (at most ten times a second); in a log (CI) a line is written when a
phase starts and then at most every few seconds, so a log stays short.
Progress never goes to stdout, which carries the results.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

PLAIN_EVERY = 5.0  # seconds between plain progress lines within one phase
REDRAW_EVERY = 0.1


class Progress:
    """Phases with an optional total; ``advance`` counts work done in the current phase."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False):
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.live = not quiet and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.name = ""
        self.total: int | None = None
        self.done = 0
        self._shown = 0.0

    def phase(self, name: str, total: int | None = None) -> None:
        self._finish_line()
        self.name, self.total, self.done = name, total, 0
        self._show(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._show()

    def close(self) -> None:
        self._finish_line()
        self.name = ""

    def _text(self) -> str:
        if self.total:
            share = min(self.done / self.total, 1.0)
            bar = "#" * int(share * 20)
            return f"{self.name}: [{bar:<20}] {self.done}/{self.total}"
        return f"{self.name}: {self.done}" if self.done else f"{self.name} ..."

    def _show(self, force: bool = False) -> None:
        if self.quiet or not self.name:
            return
        now = time.monotonic()
        if not force and now - self._shown < (REDRAW_EVERY if self.live else PLAIN_EVERY):
            return
        self._shown = now
        try:
            self.stream.write(f"\r\x1b[K{self._text()}" if self.live else self._text() + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # a closed or full stderr never ends the run
            self.quiet = True

    def _finish_line(self) -> None:
        if self.live and self.name:
            self._shown = 0.0
            self._show(force=True)
            try:
                self.stream.write("\n")
            except (OSError, ValueError):
                self.quiet = True


QUIET = Progress(quiet=True)
