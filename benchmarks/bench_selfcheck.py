"""Benchmark: how many cases it takes to tell every mutant apart, the suite's cases versus plain uniform random ones.

    python benchmarks/bench_selfcheck.py [SAMPLE]
    python benchmarks/bench_selfcheck.py --whole

With ``--whole``, times the whole self-check instead (`kzappeals selfcheck --quiet --format json`
as a fresh process, every mutant, the cores available; target: under 2 minutes on the project's
2-core machine): its wall-clock and CPU time, the workers' included.

For every mutant (or every SAMPLE-th) of `kzappeals selfcheck`, counts the cases judged
before the mutant gives a wrong answer: (a) in the certification's order (the test
vectors, generated from the Z3 model); (b) in a stream of uniform random appeals. Mutants
neither tells apart within the limit are left out (equivalent). Not a test.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

import machine

from kzappeals.conformance import selfcheck
from kzappeals.spec.ruleset import default_ruleset

LIMIT = 20_000


def whole() -> None:
    cmd = [sys.executable, "-m", "kzappeals.cli", "selfcheck", "--quiet", "--format", "json"]
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"selfcheck failed (exit {done.returncode}): {done.stderr.strip()}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(machine.describe())
    print(f"kzappeals selfcheck, every mutant, process start included: {elapsed:.1f} s wall, CPU {cpu:.1f} s")


def main() -> None:
    if "--whole" in sys.argv[1:]:
        whole()
        return
    step = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    profiles = list(default_ruleset().profiles)
    suite, uniform, missed_by_uniform, start = [], [], 0, time.perf_counter()
    for m in selfcheck.mutants()[::step]:
        try:
            decide = m.make()
        except Exception:
            continue
        a = selfcheck.cases_to_tell_apart(decide, selfcheck.suite_cases(), LIMIT)
        stream = ((c, profiles[i % len(profiles)]) for i, c in enumerate(selfcheck.uniform_cases(1)))
        b = selfcheck.cases_to_tell_apart(decide, stream, LIMIT)
        if a is None and b is None:
            continue
        suite.append(a or LIMIT)
        uniform.append(b or LIMIT)
        missed_by_uniform += b is None
    print(machine.describe())
    print(f"{len(suite)} mutants told apart (1 mutant in {step}), {time.perf_counter() - start:.0f} s")
    for name, xs in (("suite (vectors, certification order)", suite), ("uniform random appeals", uniform)):
        print(f"{name:38}: median {statistics.median(xs):>6.0f}, largest {max(xs):>6}, total {sum(xs):>8} cases to kill them all")
    print(f"uniform random missed {missed_by_uniform} within {LIMIT} cases (counted as {LIMIT})")


if __name__ == "__main__":
    main()
    print(machine.speed())
