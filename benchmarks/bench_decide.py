"""Decisions per second of the reference implementation, in process, with validated input.

A plain script (no pytest): ``python benchmarks/bench_decide.py [--cases N] [--seed S]``;
``--memory N [--profile P] [--python PATH]`` measures instead the peak resident memory of
``kzappeals decide FILE --format json`` streaming N/10 and then N cases, each in a fresh process (flat memory:
the same peak for both), under ``--profile`` (default: literal, then all). ``--python`` runs another
install's interpreter (the code before a change, say) on the same input.

The input is a fixed-seed mix of coherent appeals as JSON Lines: every field drawn at random
from its values (so every provision and profile is exercised, not only the ordinary appeal),
received on a day while the amended text is in force (six in seven) or anywhere in 2015-2019
(the rest; outside the years in force the decision must say so). Each timed decision is what a vendor's service
does with a line: ``Case.model_validate_json(line)`` (which also checks coherence), then
``decide(case, profile)``.

Printed per profile: the first pass over the mix (cold: the determinations and decisions the
mix needs are built for the first time) and the best of the following passes (steady state),
and, for scale, the validation alone. Target: 50,000 decisions/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time

import machine
from pydantic import ValidationError

from kzappeals.reference_impl import decide
from kzappeals.spec.vocabulary import (
    Body,
    Cassation,
    Channel,
    Competence,
    ComplaintAbout,
    EarlierAnswerBy,
    Form,
    Kind,
    Outcome,
    Sender,
    Subject,
)

PROFILES = ("literal", "residual-yields", "subpoint-order", "lex-specialis")
TARGET = 50_000
FIRST, LAST = dt.date(2015, 1, 1), dt.date(2019, 12, 31)
# The amended text's years in force under the default publication dates (kzappeals.spec.calendar).
IN_FORCE_FROM, IN_FORCE_UNTIL = dt.date(2016, 2, 22), dt.date(2018, 6, 28)


def day(rng: random.Random) -> dt.date:
    """A receipt day: six in seven while the amended text is in force, the rest anywhere in 2015-2019."""
    first, last = (IN_FORCE_FROM, IN_FORCE_UNTIL) if rng.random() < 6 / 7 else (FIRST, LAST)
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def random_case(rng: random.Random) -> dict:
    def pick(enum: type) -> str:
        return rng.choice(list(enum)).value

    def flag(p: float = 0.5) -> bool:
        return rng.random() < p

    return {
        "received_on": day(rng).isoformat(),
        "kind": pick(Kind),
        "form": pick(Form),
        "collective": flag(),
        "anonymous": flag(0.2),
        "subject": pick(Subject),
        "security_threat": flag(0.2),
        "sender": pick(Sender),
        "administration_document": flag(0.05),  # coherent only for the Administration's appeals
        "deputy_inquiry": flag(0.2),
        "channel": pick(Channel),
        "report_required": flag(),
        "repeated": flag(),
        "earlier_answer_by": pick(EarlierAnswerBy),
        "earlier_answer_attached": flag(),
        "earlier_answer_in_eias": flag(),
        "cassation": pick(Cassation),
        "cassation_defective": flag(),
        "cassation_term_expired": flag(),
        "public_resonance": flag(0.3),
        "interests_at_risk": flag(0.3),
        "pg_instruction": flag(0.3),
        "competent": pick(Competence),
        "handled_at": pick(Body),
        "complaint_about": pick(ComplaintAbout),
        "outcome": pick(Outcome),
        "unknown_provisions": sorted(p for p in ("p20.list", "p54.pp1", "p54.pp2") if flag(0.15)),
    }


def coherent_lines(n: int, seed: int) -> list[str]:
    """``n`` JSON lines of coherent cases (incoherent draws are dropped and drawn again)."""
    from kzappeals.spec.vocabulary import Case

    rng = random.Random(seed)
    lines: list[str] = []
    while len(lines) < n:
        line = json.dumps(random_case(rng))
        try:
            Case.model_validate_json(line)
        except ValidationError:
            continue
        lines.append(line)
    return lines


def rate(lines: list[str], profile: str | None) -> float:
    """Decisions (or, with no profile, validations) per second over ``lines``."""
    from kzappeals.spec.vocabulary import Case

    validate = Case.model_validate_json
    start = time.perf_counter()
    if profile is None:
        for line in lines:
            validate(line)
    else:
        for line in lines:
            decide(validate(line), profile)
    return len(lines) / (time.perf_counter() - start)


def decide_rate(cases: list, profile: str) -> float:
    """Decisions per second on cases validated beforehand (decide alone)."""
    start = time.perf_counter()
    for case in cases:
        decide(case, profile)
    return len(cases) / (time.perf_counter() - start)


# Run in a small interpreter of its own, which starts the command and reports its peak. On Linux a
# child's peak counts what it held before exec, so a command started from this process (the input
# mix and the whole package in memory) would be charged with this process's size.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"\\nmaxrss {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\\n")
"""


def streamed_memory(path: str, profile: str, python: str) -> tuple[float, float]:
    """(peak resident MiB, seconds) of ``kzappeals decide PATH --format json`` as a fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        [python, "-S", "-c", _LAUNCHER, python, "-m", "kzappeals.cli", "decide", path, "--profile", profile, "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    *errors, last = done.stderr.rstrip("\n").split("\n")
    _, maxrss, code = last.split()
    if code != "0":
        sys.exit(f"decide failed: {' '.join(errors).strip()[:300]}")
    return int(maxrss) / 1024, elapsed  # ru_maxrss is in KiB on Linux


def memory_table(n: int, seed: int, profiles: list[str], python: str) -> None:
    """Peak memory at n/10 and n JSON lines per profile: flat memory shows as the same peak for both."""
    lines = coherent_lines(n, seed)
    sizes = (max(1, n // 10), n)
    paths = []
    try:
        for size in sizes:
            with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as f:
                f.write("\n".join(lines[:size]) + "\n")
            paths.append(f.name)
        print(machine.describe())
        print(f"kzappeals decide FILE --format json, fresh process each, interpreter {python}")
        print(f"{'profile':<16} {'lines':>8} {'peak MiB':>9} {'seconds':>8}")
        for profile in profiles:
            for size, path in zip(sizes, paths):
                peak, elapsed = streamed_memory(path, profile, python)
                print(f"{profile:<16} {size:>8} {peak:>9.0f} {elapsed:>8.1f}")
    finally:
        for path in paths:
            os.unlink(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="cases in the mix (default 20000)")
    parser.add_argument("--seed", type=int, default=2016, help="random seed of the mix (default 2016)")
    parser.add_argument("--passes", type=int, default=3, help="timed passes after the first (default 3)")
    parser.add_argument(
        "--memory",
        type=int,
        metavar="N",
        help="instead: peak memory of `kzappeals decide` streaming N cases (target: under 150 MB at 100000)",
    )
    parser.add_argument("--profile", help="with --memory: the profile to decide under (default: literal, then all)")
    parser.add_argument("--python", default=sys.executable, help="with --memory: the interpreter to run kzappeals with (default this one)")
    args = parser.parse_args(argv)

    if args.memory:
        memory_table(args.memory, args.seed, [args.profile] if args.profile else ["literal", "all"], args.python)
        return 0

    lines = coherent_lines(args.cases, args.seed)
    print(machine.describe())
    print(f"mix: {len(lines)} coherent cases, seed {args.seed}; one process, one thread")
    print(f"validation alone (Case.model_validate_json): {rate(lines, None):,.0f} cases/s")
    from kzappeals.spec.vocabulary import Case

    cases = [Case.model_validate_json(line) for line in lines]
    print("decisions/s: validate + decide (first pass over the mix, best later pass); decide alone (best pass)")
    print(f"{'profile':<16} {'first pass':>12} {'steady state':>13} {'decide alone':>13}")
    worst = float("inf")
    for profile in PROFILES:
        cold = rate(lines, profile)
        steady = max(rate(lines, profile) for _ in range(max(1, args.passes)))
        alone = max(decide_rate(cases, profile) for _ in range(max(1, args.passes)))
        worst = min(worst, steady)
        print(f"{profile:<16} {cold:>12,.0f} {steady:>13,.0f} {alone:>13,.0f}")
    verdict = "meets" if worst >= TARGET else "is short of"
    print(f"slowest profile, steady state: {worst:,.0f} decisions/s, which {verdict} the target of {TARGET:,}")
    return 0


if __name__ == "__main__":
    status = main()
    print(machine.speed())
    sys.exit(status)
