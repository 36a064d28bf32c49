"""Cases per second through each conformance adapter, with the reference implementation behind it.

A plain script (no pytest): ``python benchmarks/bench_adapters.py [--cases N] [--batch-size B] [--seconds S]``.

The same fixed-seed mix of coherent appeals goes through:

- ``python``: ``kzappeals.conformance.oracle:answer`` called in process;
- ``cmd``: a child process, ``python -m kzappeals.conformance.serve_cmd``,
  JSON Lines over buffered pipes, B cases per line;
- ``cmd, canned answers``: the same child serving ``benchmarks/canned_vendor.py``, one fixed
  answer made once, so that what is timed is the pipe, the JSON on both sides and the adapter;
- ``http``: ``python -m kzappeals.conformance.serve_http`` on 127.0.0.1
  (keep-alive, Nagle disabled on both ends), B cases per POST;
- ``http, 1 per request``: the same server, one case per POST, for scale.

What is timed is the adapter's round trip as the runner makes it (request
built, sent, reply parsed), not judging. Targets: python >= 20,000/s,
cmd >= 10,000/s (with the reference behind it, whose own answering bounds it), cmd with canned
answers >= 40,000/s (the adapter itself), http >= 1,000/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time

import machine
from pydantic import ValidationError

from kzappeals.conformance.adapters import CommandAdapter, HttpAdapter, PythonAdapter
from kzappeals.conformance.serving import DEFAULT_FUNCTION
from kzappeals.spec.calendar import FIRST_DAY, LAST_DAY
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.conditions import CASE_FIELDS, UNKNOWN_PROVISIONS

PROFILES = ("literal", "residual-yields", "subpoint-order", "lex-specialis")
TARGETS = {"python": 20_000, "cmd": 10_000, "cmd, canned": 40_000, "http": 1_000}
HERE = os.path.dirname(os.path.abspath(__file__))


def appeals(n: int, seed: int) -> list[dict]:
    """n distinct coherent appeals: every field drawn at random, incoherent draws dropped."""
    rng = random.Random(seed)
    out: dict[str, dict] = {}
    while len(out) < n:
        # 2015-2019: the calendar's range, before, during and after the years in force.
        case = {"received_on": (FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))).isoformat()}
        for field, typ in CASE_FIELDS.items():
            case[field] = rng.choice([False, True]) if typ is bool else rng.choice([m.value for m in typ])
        case["unknown_provisions"] = sorted(rng.sample(UNKNOWN_PROVISIONS, rng.choice([0, 0, 0, 1])))
        try:
            parse_case(case)
        except ValidationError:
            continue
        out[json.dumps(case, sort_keys=True)] = case
    return list(out.values())


def measure(adapter, cases: list[dict], batch_size: int, seconds: float) -> float:
    """Cases per second over whole passes of the mix, after one warm-up pass."""
    adapter.start(30)
    seq = batch = 0

    def one_pass(profile: str) -> int:
        nonlocal seq, batch
        for i in range(0, len(cases), batch_size):
            chunk = cases[i : i + batch_size]
            batch += 1
            request = {
                "cmd": "decide",
                "batch": batch,
                "profile": profile,
                "cases": [{"seq": seq + k + 1, "case": c} for k, c in enumerate(chunk)],
            }
            seq += len(chunk)
            reply = adapter.decide(request, 60)
            assert len(reply["results"]) == len(chunk), reply
        return len(cases)

    try:
        for p in PROFILES:
            one_pass(p)
        done, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            for p in PROFILES:
                done += one_pass(p)
        return done / (time.perf_counter() - t0)
    finally:
        adapter.stop(5)
        adapter.close()


def http_server() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "kzappeals.conformance.serve_http", "--port", "0"], stdout=subprocess.PIPE, text=True)
    return proc, proc.stdout.readline().strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=2000, help="distinct appeals in the mix (default 2000)")
    ap.add_argument("--batch-size", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=3.0, help="timed seconds per adapter (default 3)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    cases = appeals(args.cases, args.seed)
    print(machine.describe())
    print(f"mix: {len(cases)} distinct coherent appeals x {len(PROFILES)} profiles, seed {args.seed}; batch size {args.batch_size}")
    rows = [
        ("python", "in process", lambda: PythonAdapter(DEFAULT_FUNCTION), args.batch_size),
        (
            "cmd",
            "serve_cmd child, JSON Lines",
            lambda: CommandAdapter(f"{sys.executable} -m kzappeals.conformance.serve_cmd"),
            args.batch_size,
        ),
        (
            "cmd, canned",
            "serve_cmd child, fixed answers",
            lambda: CommandAdapter(
                f"env PYTHONPATH={HERE} {sys.executable} -m kzappeals.conformance.serve_cmd --impl python:canned_vendor:answer"
            ),
            args.batch_size,
        ),
    ]
    results = []
    for kind, how, make, b in rows:
        results.append((kind, how, b, measure(make(), cases, b, args.seconds)))
    for b, how in ((args.batch_size, "serve_http on 127.0.0.1"), (1, "serve_http, one case per request")):
        proc, url = http_server()
        try:
            results.append(
                ("http", how, b, measure(HttpAdapter(url), cases[: max(200, len(cases) // 10)] if b == 1 else cases, b, args.seconds))
            )
        finally:
            proc.wait(10)
    print(f"{'adapter':12} {'how':36} {'batch':>5} {'cases/s':>10}  target")
    for kind, how, b, rate in results:
        target = TARGETS[kind] if b > 1 else None
        verdict = "" if target is None else f">= {target:,}: {'met' if rate >= target else 'MISSED'}"
        print(f"{kind:12} {how:36} {b:>5} {rate:>10,.0f}  {verdict}")
    return 0


if __name__ == "__main__":
    status = main()
    print(machine.speed())
    sys.exit(status)
