"""The machine a benchmark runs on, and how fast it is running at the moment.

The project's machine is shared: the same code ran 30-50 % slower from one hour to the next, so a
figure alone says little. Every benchmark prints this line before its figures and the machine's speed
again after them: the time of a fixed plain Python loop (best of three), which moves with the
machine's speed and with nothing in kzappeals. Figures measured apart compare with their loops' times
beside them; old and new code compare in alternating runs (README, "Performance").
"""

from __future__ import annotations

import os
import platform
import time

LOOP = 10_000_000


def loop_seconds(repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs of ``LOOP`` additions in a plain Python loop."""
    best = float("inf")
    for _ in range(repeat):
        start, total = time.perf_counter(), 0
        for i in range(LOOP):
            total += i
        best = min(best, time.perf_counter() - start)
    return best


def speed() -> str:
    return f"machine speed now: a plain loop of {LOOP:,} additions takes {loop_seconds():.2f} s (best of 3)"


def describe() -> str:
    """The machine, its Python and its speed now, in one line."""
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.platform()}; {speed().removeprefix('machine ')}"
    )
