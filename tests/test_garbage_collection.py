"""The collector's settings around the long computations (kzappeals.garbage_collection) are put back as they were,
whatever the block does; cycles that die young are still freed under ``young_only``, which covers a whole
certification; and the ``kzappeals`` command leaves its last objects to the exit, still finalizing what is alive."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

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


def test_a_certification_runs_under_young_collections_only_and_puts_the_thresholds_back():
    from kzappeals.conformance.adapters import PythonAdapter
    from kzappeals.conformance.expectations import LEVELS
    from kzappeals.conformance.oracle import answer
    from kzappeals.conformance.runner import Options, certify
    from kzappeals.conformance.serving import FunctionImplementation

    thresholds: list[tuple[int, int, int]] = []

    def answering(case: dict, profile: str) -> dict:
        thresholds.append(gc.get_threshold())
        return answer(case, profile)

    handshake = {"protocol": 1, "implementation": {"name": "t", "version": "0", "language": "python"}}
    impl = FunctionImplementation(answering, {**handshake, "profiles": ["literal"], "levels": list(LEVELS)})
    before = gc.get_threshold()
    cert = certify(PythonAdapter("test", impl), Options(profiles=("literal",), max_examples=20))
    assert cert.verdict == "certified"
    # asked in the vectors, the exploration and the metamorphic variants alike
    assert len(thresholds) > cert.results[0].vectors.run
    assert all(t[:2] == before[:2] and t[2] > 10**9 for t in thresholds)
    assert gc.get_threshold() == before


def test_the_command_skips_the_last_full_collection_yet_finalizes_what_is_alive(tmp_path):
    """``kzappeals`` (kzappeals.cli:run) freezes what is left before the interpreter's last collection; a
    temporary folder still referenced is removed at exit all the same (weakref.finalize runs at exit)."""
    import importlib.metadata
    import subprocess
    import sys

    (script,) = [e for e in importlib.metadata.entry_points(group="console_scripts") if e.name == "kzappeals"]
    assert script.value == "kzappeals.cli:run"
    marker = tmp_path / "left"
    code = (
        "import atexit, gc, sys, tempfile\n"
        "from kzappeals import cli\n"
        f"kept = tempfile.TemporaryDirectory(dir={str(tmp_path)!r})\n"
        f"open({str(marker)!r}, 'w').write(kept.name)\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        "cli.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "calendar", "p56", "--year", "2016", "--quarter", "1"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "frozen True"
    assert not Path(marker.read_text()).exists()
