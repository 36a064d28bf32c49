"""The collector's settings around the long computations (kzappeals.garbage_collection) are put back as they were,
whatever the block does, and cycles that die young are still freed under ``young_only``."""

from __future__ import annotations

import gc
import weakref

import pytest

from kzappeals import garbage_collection


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.mark.parametrize("enabled_before", [True, False])
def test_paused_turns_the_collector_off_and_back_to_what_it_was(enabled_before):
    previous = gc.isenabled()
    (gc.enable if enabled_before else gc.disable)()
    try:
        with garbage_collection.paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled_before
        with pytest.raises(RuntimeError), garbage_collection.paused():
            raise RuntimeError
        assert gc.isenabled() is enabled_before
    finally:
        (gc.enable if previous else gc.disable)()


def test_young_only_keeps_the_young_thresholds_and_puts_back_the_old():
    before = gc.get_threshold()
    with garbage_collection.young_only():
        young, middle, old = gc.get_threshold()
        assert (young, middle) == before[:2]
        assert old > 10**9
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), garbage_collection.young_only():
        raise RuntimeError
    assert gc.get_threshold() == before


def test_under_young_only_cycles_that_die_young_are_freed_without_a_full_collection():
    assert gc.isenabled()
    freed: list[int] = []
    generations: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            generations.append(info["generation"])

    gc.collect()  # from an empty youngest generation, so the count of full collections cannot come from before
    gc.callbacks.append(seen)
    try:
        with garbage_collection.young_only():
            for i in range(200_000):  # far more allocations than a full collection's threshold
                weakref.finalize(_Cycle(), freed.append, i)
    finally:
        gc.callbacks.remove(seen)
    assert len(freed) > 199_000
    assert generations and 2 not in generations
