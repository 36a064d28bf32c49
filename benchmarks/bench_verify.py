"""Benchmark: the full verification, process start included, and how it scales with rules.

    python benchmarks/bench_verify.py [RUNS] [--scaling [N ...]]

Runs `kzappeals verify --format json` as a fresh process RUNS times (default 7) and prints
the machine, the median and the fastest wall-clock time (target: under 1 s on the project's
2-core machine) and the median CPU time, which moves less with the machine's load. With ``--scaling``, also verifies synthetic drafts of N rules (default 40,
80, 160, 320; target for 320: under 12 s): the spec copied to a temporary folder and its rules
repeated, each copy citing its rule's clause (``clause/synN``) and narrowed by one seeded
attribute test, so copies collide with each other and with the originals as amended clauses
do. The drafts are made at run time and never committed. Not a test: figures move from run
to run; on a shared machine compare medians of alternating runs.
"""

from __future__ import annotations

import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import machine

from kzappeals.spec.conditions import CASE_FIELDS, field_values
from kzappeals.spec.ruleset import SPEC_DIR

SEED = 11


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _verify(*extra: str) -> tuple[float, float]:
    """Wall-clock and CPU time (user and system, the workers' included) of one run."""
    cmd = [sys.executable, "-m", "kzappeals.cli", "verify", "--format", "json", *extra]
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"verify failed: {done.stderr.strip()}")
    return elapsed, _cpu() - cpu


def _test(rng: random.Random) -> str:
    field = rng.choice(list(CASE_FIELDS))
    values = field_values(field)
    if values == [False, True]:
        return field if rng.random() < 0.5 else f"not {field}"
    return f"{field} == {rng.choice(values)}"


def synthetic_spec(n_rules: int, into: Path) -> Path:
    """A copy of the spec whose rules are repeated, narrowed by seeded tests, up to ``n_rules`` rules in all."""
    spec = into / "spec"
    shutil.copytree(SPEC_DIR, spec)
    rules = [r for f in sorted((spec / "rules").glob("*.toml")) for r in tomllib.loads(f.read_text(encoding="utf-8")).get("rule", [])]
    rng, lines = random.Random(SEED), []
    for k in range(max(0, n_rules - len(rules))):
        r = rules[k % len(rules)]
        then = ", ".join(f'{q} = "{v}"' for q, v in r["then"].items())
        lines += [
            "[[rule]]",
            f'id = "{r["id"].split("/")[0]}/syn{k}"',
            f"when = '({r['when']}) and {_test(rng)}'",
            f"then = {{ {then} }}",
            f"residual = {str(r.get('residual', False)).lower()}",
            f"gated = {str(r.get('gated', True)).lower()}",
            f"readings = {r.get('readings', [])!r}".replace("'", '"'),
            "",
        ]
    (spec / "rules" / "synthetic.toml").write_text("\n".join(lines), encoding="utf-8")
    return spec


def main() -> None:
    args = sys.argv[1:]
    scaling = "--scaling" in args
    if scaling:
        at = args.index("--scaling")
        sizes = [int(a) for a in args[at + 1 :]] or [40, 80, 160, 320]
        args = args[:at]
    runs = int(args[0]) if args else 7
    print(machine.describe())
    times, cpus = zip(*(_verify() for _ in range(runs)))
    print(
        f"kzappeals verify, all profiles, process start included, {runs} runs: "
        f"median {statistics.median(times):.2f} s, fastest {min(times):.2f} s; "
        f"CPU median {statistics.median(cpus):.2f} s (a shared machine's wall-clock figures move with its load)"
    )
    if scaling:
        with tempfile.TemporaryDirectory() as tmp:
            for n in sizes:
                spec = synthetic_spec(n, Path(tmp) / str(n))
                wall, cpu = _verify("--spec", str(spec), "--baseline", "none")
                print(f"synthetic spec, {n} rules (at least the real ones), all profiles: {wall:.1f} s, CPU {cpu:.1f} s")


if __name__ == "__main__":
    main()
    print(machine.speed())
