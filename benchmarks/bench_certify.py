"""Benchmark: certifying the Node.js example vendor with default settings, process start included.

    python benchmarks/bench_certify.py [RUNS]

Runs `kzappeals certify --impl "cmd:node examples/node-vendor/vendor.js" --quiet` as a fresh
process RUNS times (default 5) and prints the machine, the median and the fastest wall-clock
time (target: under 5 s on the project's 2-core machine) and the median CPU time, node's
included. Needs Node.js on the PATH. Not a test: figures move from run to run; on a shared
machine compare medians of alternating runs.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _certify(report_dir: str) -> tuple[float, float]:
    """Wall-clock and CPU time (user and system, the vendor's included) of one certification."""
    vendor = ROOT / "examples" / "node-vendor" / "vendor.js"
    cmd = [sys.executable, "-m", "kzappeals.cli", "certify", "--impl", f"cmd:node {vendor}", "--quiet", "--report-dir", report_dir]
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"certify did not certify the example (exit {done.returncode}): {done.stderr.strip()}")
    return elapsed, _cpu() - cpu


def main() -> None:
    if shutil.which("node") is None:
        sys.exit("bench_certify: node is not on the PATH")
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(machine.describe())
    with tempfile.TemporaryDirectory() as tmp:
        times, cpus = zip(*(_certify(tmp) for _ in range(runs)))
    print(
        f"kzappeals certify, the Node example, default settings, process start included, {runs} runs: "
        f"median {statistics.median(times):.2f} s, fastest {min(times):.2f} s; CPU median {statistics.median(cpus):.2f} s"
    )


if __name__ == "__main__":
    main()
    print(machine.speed())
