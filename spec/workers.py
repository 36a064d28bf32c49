"""Independent per-profile work spread over forked workers: a profile's checks (kzappeals.spec.verify)
and its answers compared with a draft's (kzappeals.spec.diff).

A forked worker starts with the parent's memory, so the work is handed over as it is (rule sets,
compiled tables, closures), never pickled; only results come back pickled, in the order of their
items, so what is made of them is the same whatever the number of workers.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_TASKS: dict[int, Callable] = {}  # what each started map's workers run, by the map's number
_numbers = itertools.count()


def available_cores() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _run(task: tuple[int, object]):
    number, item = task
    return _TASKS[number](item)


def start_map(work: Callable[[Item], Result], items: Sequence[Item], jobs: int) -> Callable[[], list[Result]]:
    """``[work(i) for i in items]``, started: in up to ``jobs`` forked workers when there are several items,
    cores and a ``fork`` start method, else in this process when the returned function is called. The
    returned function waits for the results, in the order of ``items``. Anything the parent builds after
    this call is not in the workers (a Z3 context made next is not inherited)."""
    if jobs <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return lambda: [work(i) for i in items]
    number = next(_numbers)
    _TASKS[number] = work  # kept until the results are in: a worker that dies is forked again
    pool = multiprocessing.get_context("fork").Pool(min(jobs, len(items)))
    pending = pool.map_async(_run, [(number, i) for i in items], chunksize=1)

    def results() -> list[Result]:
        try:
            return pending.get()
        finally:
            pool.terminate()  # every result is in (or one raised): nothing is left to finish
            pool.join()
            del _TASKS[number]

    return results
