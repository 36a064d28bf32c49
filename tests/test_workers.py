"""Per-profile work spread over forked workers (kzappeals.spec.workers): results in the order of the items,
the work handed over unpickled, an error raised where the results are read."""

from __future__ import annotations

import os
import threading
import time

import pytest

from kzappeals.spec import workers


def test_results_come_back_in_the_order_of_the_items_not_of_their_ending():
    # The first item takes longest, so with two workers it ends last.
    def work(item: int) -> tuple[int, int]:
        time.sleep(0.05 * (3 - item))
        return item, os.getpid()

    results = workers.start_map(work, [0, 1, 2], jobs=2)()
    assert [item for item, _ in results] == [0, 1, 2]
    assert os.getpid() not in {pid for _, pid in results}, "done in forked workers"
    assert workers.start_map(work, [0, 1, 2], jobs=1)() == [(i, os.getpid()) for i in range(3)]


def test_work_that_cannot_be_pickled_is_handed_over_as_it_is():
    lock = threading.Lock()  # no pickle of it exists

    def work(item: int) -> int:
        with lock:
            return item * 2

    assert workers.start_map(work, [1, 2, 3], jobs=2)() == [2, 4, 6]


def test_an_error_in_a_worker_is_raised_where_the_results_are_read():
    def work(item: int) -> int:
        if item == 2:
            raise ValueError("item 2")
        return item

    waiting = workers.start_map(work, [1, 2, 3], jobs=2)
    with pytest.raises(ValueError, match="item 2"):
        waiting()
