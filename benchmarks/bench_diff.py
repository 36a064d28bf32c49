"""Benchmark: `kzappeals diff` of each worked amendment against `kzappeals verify` of its draft.

    python benchmarks/bench_diff.py [RUNS]

For each amendment of ``examples/amendments/`` (each about point 54: a residual абзац rewritten, a
subpoint inserted, one inserted with a new fact of the case, a subpoint deleted), writes the draft once with `kzappeals amend`, then runs, as
fresh processes and alternately, `kzappeals diff --spec DRAFT --format json` and `kzappeals verify
--spec DRAFT --format json --baseline none`, RUNS times each (default 3), and prints the median wall
times and their ratio (target: diff at most 3x verify; diff verifies both the base and the draft,
then asks Z3 for the changed answers). The shipped spec's findings come from the committed
``reports/verification.json`` when its SHA-256 matches; the column ``--base`` runs `kzappeals diff
--base SPEC` instead, which verifies the base again. Not a test: figures move from run to run on a
shared machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine

from kzappeals.generated import AMENDMENTS
from kzappeals.spec.ruleset import SPEC_DIR


def _run(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kzappeals.cli", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{args[0]} failed: {done.stderr.strip()}")
    return elapsed


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(machine.describe())
    print(f"{runs} alternating runs each")
    print(f"{'amendment':<28} {'diff s':>8} {'verify s':>9} {'ratio':>6} {'--base s':>9} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(AMENDMENTS.glob("*.toml")):
            draft = Path(tmp) / path.stem
            subprocess.run(
                [sys.executable, "-m", "kzappeals.cli", "amend", str(path), "--out", str(draft)], check=True, capture_output=True
            )
            diffs, verifies, based = [], [], []
            for _ in range(runs):
                diffs.append(_run("diff", "--spec", str(draft), "--format", "json"))
                verifies.append(_run("verify", "--spec", str(draft), "--format", "json", "--baseline", "none"))
                based.append(_run("diff", "--spec", str(draft), "--base", str(SPEC_DIR), "--format", "json"))
            d, v, b = statistics.median(diffs), statistics.median(verifies), statistics.median(based)
            print(f"{path.stem:<28} {d:>8.1f} {v:>9.1f} {d / v:>6.2f} {b:>9.1f} {b / v:>6.2f}")


if __name__ == "__main__":
    main()
    print(machine.speed())
