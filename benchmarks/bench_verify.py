"""Benchmark: the full verification over every profile, process start included.

    python benchmarks/bench_verify.py [RUNS]

Runs `kzappeals verify --format json` as a fresh process RUNS times (default 7) and
prints the machine, the median and the fastest wall-clock time. Target: under 2 s on
the project's 2-core machine. Not a test: figures move from run to run.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    cmd = [sys.executable, "-m", "kzappeals.cli", "verify", "--format", "json"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            sys.exit(f"verify failed: {done.stderr.strip()}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"kzappeals verify, all profiles, process start included, {runs} runs: "
          f"median {statistics.median(times):.2f} s, fastest {min(times):.2f} s")


if __name__ == "__main__":
    main()
