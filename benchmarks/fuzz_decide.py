"""A large fuzz run of `kzappeals decide`, as a fresh process each time, from a file and from stdin.

    python benchmarks/fuzz_decide.py [--batches N] [--lines N] [--singles N] [--seed S]

Not a test (it takes minutes); the bounded version in the suite is tests/test_decide_fuzz.py, with
a generator of its own (Hypothesis there, ``random`` here, so the two do not share blind spots).
Each batch mixes valid cases (the test vectors' cases, some moved to another day), blank lines
and hostile lines, each built so that it cannot be a valid case: a field dropped or of the wrong
type, an extra key with any characters, broken JSON, raw line separators (U+2028, U+0085, form
feed...) inside strings, bytes that are not UTF-8, lone surrogates, nesting up to 100,000 deep,
lines over 1 MiB, broken coherence constraints. Single cases are pretty-printed, valid or not.

Checked for every input: never exit 3, never a traceback, the exit code (2 exactly when a line
was bad), every valid line answered under its own number in order, every bad line reported once
under its own number, every error one printable line. Prints the counts and every failure found.

Measured (``--batches 300 --lines 300 --singles 200``, seed 13, about 16 minutes on the project's
2-core machine): 90,000 lines (45,197 valid, 35,773 hostile) and 200 single cases, every valid line
answered and every hostile line reported under its own number, 0 failures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from importlib.resources import files
from pathlib import Path

from kzappeals.spec.conditions import CASE_FIELDS

COMMAND = [shutil.which("kzappeals")] if shutil.which("kzappeals") else [sys.executable, "-m", "kzappeals"]
POOL = [
    v["case"]
    for f in sorted((files("kzappeals.conformance") / "vectors").iterdir())
    if f.name.endswith(".json")
    for v in json.loads(f.read_text(encoding="utf-8"))["vectors"]
    if "expected" in v
]
FIELDS = list(POOL[0])
REQUIRED = [f for f in FIELDS if f != "unknown_provisions"]
SEPARATORS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r", "\x00", "\x1b[31m"]
ERROR_RE = re.compile(r"^kzappeals: error: (?:standard input|.+?): line (\d+): \S")
BLANKS = [b"", b" ", b"\t", b"\r", b" \t \r"]


def text(rng: random.Random, size: int) -> str:
    """Any characters but "\\n", lone surrogates included (JSON-escaped by json.dumps)."""
    pools = [(0x20, 0x7E), (0x00, 0x1F), (0x80, 0x2FF), (0x400, 0x4FF), (0x2000, 0x206F), (0xD800, 0xDFFF), (0x1F600, 0x1F64F)]
    out = []
    for _ in range(size):
        lo, hi = rng.choice(pools)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out).replace("\n", " ")


def good_case(rng: random.Random) -> dict:
    case = dict(rng.choice(POOL))
    if rng.random() < 0.5:
        case["received_on"] = (dt.date(2010, 1, 1) + dt.timedelta(days=rng.randint(0, 6000))).isoformat()
    return case


def dumps(rng: random.Random, case: dict) -> bytes:
    items = list(case.items())
    rng.shuffle(items)
    line = json.dumps(dict(items), ensure_ascii=rng.random() < 0.5, separators=rng.choice([(",", ":"), (", ", ": ")]))
    return (rng.choice(["", " ", "\t"]) + line + rng.choice(["", " ", "\r"])).encode("utf-8", "surrogatepass")


def wrong_value(rng: random.Random, field: str):
    if field == "received_on":
        return rng.choice(
            [
                "0",
                "86400",
                "1464739200",
                "-1",
                "2016-13-01",
                "2016-02-30",
                "2016-6-1",
                "20160601",
                "2016-06-01T00:00",
                "2016-06-01 ",
                "２０１６-06-01",
                1464739200,
                0.5,
                None,
                [],
                {},
                True,
            ]
        )
    if field == "unknown_provisions":
        return rng.choice([["p54.pp1", "p54.pp1"], ["p20.list", "p54.pp2", "p20.list"], ["x" + text(rng, 5)], "p54.pp1", 3, {}, [None]])
    if CASE_FIELDS[field] is bool:
        return rng.choice(["true", "false", 1, 0, None, "", [], {}, "x" + text(rng, 3)])
    return rng.choice(["x" + text(rng, rng.randint(0, 20)), 7, True, None, [], {}, "COMPLAINT", " complaint"])


def bad_line(rng: random.Random) -> bytes:
    case = good_case(rng)
    how = rng.choice(
        [
            "drop",
            "wrong",
            "extra",
            "incoherent",
            "truncate",
            "separator",
            "bytes",
            "surrogate",
            "deep",
            "huge",
            "garbage",
            "not-object",
            "nul",
        ]
    )
    if how == "drop":
        del case[rng.choice(REQUIRED)]
    elif how == "wrong":
        field = rng.choice(FIELDS)
        case[field] = wrong_value(rng, field)
    elif how == "extra":
        case["x" + text(rng, rng.randint(0, 40))] = rng.choice([None, 1, text(rng, 10)])
    elif how == "incoherent":
        case.update(rng.choice([{"anonymous": True, "sender": "deputy"}, {"deputy_inquiry": True, "sender": "person"}]))
    if how in ("drop", "wrong", "extra", "incoherent"):
        return dumps(rng, case)
    line = json.dumps(case, ensure_ascii=False)
    if how == "truncate":
        return line[: rng.randint(1, len(line) - 1)].encode()
    if how == "separator":
        sep = rng.choice(SEPARATORS)
        return line.replace(f'"{case["kind"]}"', f'"{case["kind"][:3]}{sep}{case["kind"][3:]}"').encode()
    if how == "bytes":
        raw = line.encode()
        at = rng.randint(0, len(raw))
        return raw[:at] + rng.choice([b"\xff", b"\xc0\xaf", b"\x80", b"\xed\xa0\x80", b"\xe2\x80", b"\xfe\xff"]) + raw[at:]
    if how == "surrogate":
        return line.replace(f'"{case["form"]}"', '"' + rng.choice(["\\ud800", "\\udfff", "\\udc00\\ud800"]) + '"').encode()
    if how == "deep":
        n = rng.choice([300, 1000, 5000, 100_000])
        return rng.choice(["[" * n, '{"a":' * n, "[" * n + "]" * n, '{"a":' * n + "1" + "}" * n]).encode()
    if how == "huge":
        return b'{"kind": "' + b"a" * rng.randint(1 << 20, 3 << 20) + b'"}'
    if how == "garbage":
        return ("x" + text(rng, rng.randint(0, 200))).encode("utf-8", "surrogatepass")
    if how == "nul":
        return b"\x00" + line.encode()
    return json.dumps(rng.choice([0, -1.5, "text", None, [1, 2], [], True])).encode()


def run(data: bytes, source: str, folder: Path) -> subprocess.CompletedProcess:
    path = folder / "input.jsonl"
    path.write_bytes(data)
    argv = [*COMMAND, "decide", "-" if source == "stdin" else str(path), "--format", "json"]
    return subprocess.run(argv, input=data if source == "stdin" else None, capture_output=True, timeout=600)


def check_batch(rng: random.Random, lines_per_batch: int, folder: Path, stats: Counter, failures: list[str]) -> None:
    kinds, lines = [], []
    for _ in range(lines_per_batch):
        kind = rng.choices(["good", "bad", "blank"], weights=[5, 4, 1])[0]
        kinds.append(kind)
        lines.append(dumps(rng, good_case(rng)) if kind == "good" else bad_line(rng) if kind == "bad" else rng.choice(BLANKS))
    if sum(k != "blank" for k in kinds) < 2:  # one value alone is one case, not a batch
        return
    source = rng.choice(["file", "stdin"])
    done = run(b"\n".join(lines) + rng.choice([b"", b"\n"]), source, folder)
    good = [n for n, k in enumerate(kinds, 1) if k == "good"]
    bad = [n for n, k in enumerate(kinds, 1) if k == "bad"]
    stats.update(inputs=1, lines=len(kinds), good=len(good), bad=len(bad))
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    answered = [json.loads(line)["line"] for line in out.split("\n") if line]
    reported = [int(m.group(1)) if (m := ERROR_RE.match(e)) else -1 for e in err.split("\n")[:-1]]
    problems = []
    if done.returncode != (2 if bad else 0):
        problems.append(f"exit {done.returncode}")
    if "Traceback" in err or "internal error" in err:
        problems.append("traceback or internal error")
    if answered != good:
        lost = sorted(set(good) - set(answered))
        problems.append(f"{len(lost)} good lines lost, {len(set(answered) - set(good))} answers under a wrong number")
    if reported != bad:
        problems.append(f"bad lines reported {reported[:10]}..., expected {bad[:10]}...")
    if not all(e.isprintable() for e in err.split("\n")[:-1]):
        problems.append("an error line that is not printable")
    stats.update(answered=len(set(answered) & set(good)), reported=len(set(reported) & set(bad)))
    if problems:
        failures.append(f"batch ({source}): {'; '.join(problems)}")


def check_single(rng: random.Random, folder: Path, stats: Counter, failures: list[str]) -> None:
    case, valid = good_case(rng), rng.random() < 0.5
    if not valid:
        how = rng.choice(["drop", "wrong", "extra", "incoherent"])
        if how == "drop":
            del case[rng.choice(REQUIRED)]
        elif how == "wrong":
            field = rng.choice(FIELDS)
            case[field] = wrong_value(rng, field)
        elif how == "extra":
            case["x" + text(rng, 20)] = 1
        else:
            case.update(anonymous=True, sender="government")
    body = json.dumps(case, indent=rng.randint(0, 4), ensure_ascii=rng.random() < 0.5)
    data = rng.choice(BLANKS) + b"\n" + body.replace("\n", rng.choice(["\n", "\r\n"])).encode("utf-8", "surrogatepass") + b"\n"
    source = rng.choice(["file", "stdin"])
    done = run(data, source, folder)
    stats.update(singles=1)
    err = done.stderr.decode("utf-8", "replace")
    if valid and (done.returncode != 0 or err):
        failures.append(f"single valid case ({source}): exit {done.returncode}: {err[:200]!r}")
    if not valid and (done.returncode != 2 or err.count("\n") != 1 or ": case: " not in err or done.stdout):
        failures.append(f"single invalid case ({source}): exit {done.returncode}: {err[:200]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=500)
    parser.add_argument("--lines", type=int, default=200, help="lines per batch")
    parser.add_argument("--singles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    stats: Counter = Counter()
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.batches):
            check_batch(rng, args.lines, Path(folder), stats, failures)
        for _ in range(args.singles):
            check_single(rng, Path(folder), stats, failures)
    print(
        f"seed {args.seed}: {stats['inputs']} batches, {stats['lines']} lines ({stats['good']} valid, {stats['bad']} hostile), "
        f"{stats['singles']} single cases"
    )
    print(
        f"valid lines answered under their number: {stats['answered']}/{stats['good']}; "
        f"hostile lines reported under their number: {stats['reported']}/{stats['bad']}"
    )
    print(f"failures: {len(failures)}")
    for f in failures[:50]:
        print("  " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
