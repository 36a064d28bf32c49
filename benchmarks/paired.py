"""Benchmark: two installs of kzappeals on the same command, one run of each in turn.

    python benchmarks/paired.py RUNS OLD_PYTHON NEW_PYTHON -- KZAPPEALS_ARGS...
    e.g. python benchmarks/paired.py 5 /tmp/vold/bin/python /tmp/vnew/bin/python -- verify --format json

Each interpreter has its own install (an old commit in a git worktree, the new one in the checkout).
On a machine whose speed drifts by a third within the hour, medians of separate series mislead;
a run of each in turn shares the machine's state, so what to read is each pair's ratio and their
median. Prints the wall-clock and CPU time (children included) of every run.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

import machine


def _run(python: str, args: list[str]) -> tuple[float, float]:
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run([python, "-m", "kzappeals.cli", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"{python} {' '.join(args)}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main(argv: list[str]) -> None:
    if len(argv) < 5 or argv[3] != "--":
        sys.exit(__doc__.split("\n\n")[1])
    runs, old, new, args = int(argv[0]), argv[1], argv[2], argv[4:]
    print(machine.describe())
    print(f"kzappeals {' '.join(args)}: {runs} pairs, old then new")
    ratios = []
    for i in range(runs):
        (ow, oc), (nw, nc) = _run(old, args), _run(new, args)
        ratios.append(nw / ow)
        print(f"pair {i + 1}: old {ow:.2f} s (CPU {oc:.2f}), new {nw:.2f} s (CPU {nc:.2f}), new/old {nw / ow:.2f}")
    print(f"median new/old {statistics.median(ratios):.2f}")
    print(machine.speed())


if __name__ == "__main__":
    main(sys.argv[1:])
