"""When Python's cyclic garbage collector may run during the long computations.

Reference counting frees every object that is not in a cycle the moment it is dropped; the cyclic
collector runs on top of it whenever allocations outnumber frees by a threshold, and every few runs
it walks every live object. The checks of ``verify`` keep tens of thousands of Z3 terms, literals
and findings alive, and a Hypothesis exploration its tree of every choice made: the collector walks
them again and again and finds next to nothing to free. At 320 synthetic rules it took about
15 % of ``verify``'s CPU. A certification leaves about 160,000 old cycles (Hypothesis's records of
its calls) that only a full collection frees: one ran in the middle of the run, another at the
interpreter's exit, 0.2-0.3 s each in certifying the Node example. With young collections only for the
whole run and nothing collected at exit, that certification takes a tenth less wall-clock time
(paired runs), though callgrind counts only 1.2 % fewer instructions: walking objects scattered in
memory waits on the memory, not on instructions. Peak memory was the same without it (``verify``)
or 1 MB higher (``certify``; 2 % higher at 10,000 cases).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_NEVER = 2**31 - 1  # the largest threshold gc.set_threshold takes


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection within the block. For work whose memory is bounded by its input and
    which makes no cycles worth collecting: a profile's checks, and the report made of them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def young_only() -> Iterator[None]:
    """Collections of young objects only within the block: cycles that die young (most of what a
    Hypothesis test call leaves) are freed as before, but no collection walks the whole heap, however
    long the block runs; the first one after it frees whatever old cycles it left."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


def leave_to_exit() -> None:
    """The process ends next: nothing now alive is collected any more. The interpreter's last act is a full
    collection, which would walk everything left (after a certification, about 170,000 old cycles of its
    explorations: 0.3 s) only to free memory the operating system takes back at once. Objects still alive
    are finalized as they would be (``atexit``, ``weakref.finalize``); cycles already dead are not."""
    gc.freeze()
