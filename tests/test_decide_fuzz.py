"""A bounded, seeded fuzz of `kzappeals decide` (single cases and JSON Lines batches, from a file and
from standard input): never exit 3, never a traceback, every good line answered under its own
number and in order, every bad line reported under its own number, one printable line each.

Every hostile line is built so that it cannot be a valid case (a required field dropped, a value
of the wrong type, an extra key, broken JSON, bytes that are not UTF-8, a lone surrogate, deep
nesting, a broken coherence constraint, a raw line separator inside a string...), so which lines
are good is known without asking the code under test. Derandomized: the same inputs on every run
(300 batches holding about 1,800 non-blank lines, and 300 single cases). A larger run with its own,
independent generator: ``benchmarks/fuzz_decide.py``.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzappeals import cli
from kzappeals.cli import main
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.conditions import CASE_FIELDS
from kzappeals.spec.vocabulary import Case, Decision

FUZZ = settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
REQUIRED = [f for f in Case.model_fields if f != "unknown_provisions"]
# Characters some tools take for a line break; only "\n" ends a JSON Line.
SEPARATORS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r"]
# Valid cases to start from: every test vector's case (each family, hundreds of distinct appeals);
# drawing from them is far cheaper than building each case field by field.
POOL = [
    v["case"]
    for f in sorted((files("kzappeals.conformance") / "vectors").iterdir())
    if f.name.endswith(".json")
    for v in json.loads(f.read_text(encoding="utf-8"))["vectors"]
    if "expected" in v
]


@st.composite
def case_dicts(draw) -> dict:
    """A valid case as JSON: a vector's case, perhaps received on another day (any day is valid)."""
    case = dict(draw(st.sampled_from(POOL)))
    if draw(st.booleans()):
        case["received_on"] = (dt.date(2010, 1, 1) + dt.timedelta(days=draw(st.integers(0, 6000)))).isoformat()
    return case


ERROR_RE = re.compile(r"^kzappeals: error: (?:standard input|.+?): line (\d+): \S")


def _dumps(case: dict, draw) -> str:
    """A case as one JSON line, in one of the ways a vendor may write it."""
    items = list(case.items())
    if draw(st.booleans()):
        items = draw(st.permutations(items))
    text = json.dumps(dict(items), ensure_ascii=draw(st.booleans()), separators=draw(st.sampled_from([(",", ":"), (", ", ": ")])))
    return draw(st.sampled_from(["", " ", "\t"])) + text + draw(st.sampled_from(["", " ", "\r", " \t\r"]))


@st.composite
def good_lines(draw) -> bytes:
    return _dumps(draw(case_dicts()), draw).encode()


def _wrong_value(field: str) -> st.SearchStrategy:
    if field == "received_on":
        return st.one_of(
            st.sampled_from(
                [
                    "0",
                    "86400",
                    "1464739200",
                    "2016-13-01",
                    "2016-02-30",
                    "2016-6-1",
                    "20160601",
                    "2016-06-01T00:00",
                    " 2016-06-01",
                    "２０１６-06-01",
                ]
            ),
            st.integers(),
            st.floats(allow_nan=False),
            st.none(),
            st.lists(st.integers(), max_size=2),
        )
    if field == "unknown_provisions":
        return st.one_of(
            st.just(["p54.pp1", "p54.pp1"]),
            st.just(["p20.list", "p54.pp2", "p20.list"]),
            st.lists(st.text(min_size=1).map(lambda t: "x" + t), min_size=1, max_size=3),
            st.text(),
            st.integers(),
            st.just({}),
            st.just([1]),
        )
    if CASE_FIELDS[field] is bool:
        return st.one_of(st.sampled_from(["true", "false", "yes", 1, 0, None, "", [], {}]), st.text(max_size=5))
    return st.one_of(
        st.text(max_size=12).map(lambda t: "x" + t),
        st.integers(),
        st.booleans(),
        st.none(),
        st.sampled_from([m.value.upper() for m in CASE_FIELDS[field]]),
    )


@st.composite
def bad_lines(draw) -> bytes:
    """One line that cannot be a valid case, and never holds "\\n"."""
    case = draw(case_dicts())
    how = draw(
        st.sampled_from(
            ["drop", "wrong", "extra", "truncate", "separator", "bytes", "surrogate", "deep", "garbage", "not-object", "incoherent"]
        )
    )
    if how == "drop":
        case.pop(draw(st.sampled_from(REQUIRED)))
    elif how == "wrong":
        field = draw(st.sampled_from([*REQUIRED, "unknown_provisions"]))
        case[field] = draw(_wrong_value(field))
    elif how == "extra":
        key = draw(st.text(min_size=1).filter(lambda k: k not in Case.model_fields))
        case[key] = draw(st.one_of(st.none(), st.integers(), st.text()))
    elif how == "incoherent":  # coherence.toml: only a person's appeal can be anonymous
        case.update(anonymous=True, sender=draw(st.sampled_from(["deputy", "government", "supreme_court"])))
    if how in ("drop", "wrong", "extra", "incoherent"):
        return _dumps(case, draw).encode()
    text = json.dumps(case, ensure_ascii=False)
    if how == "truncate":
        return text[: draw(st.integers(1, len(text) - 1))].encode()
    if how == "separator":  # a raw separator inside the value of "kind": a control character or a wrong answer
        sep = draw(st.sampled_from(SEPARATORS))
        return text.replace(f'"kind": "{case["kind"]}"', f'"kind": "{case["kind"][:2]}{sep}{case["kind"][2:]}"').encode()
    if how == "bytes":
        raw = text.encode()
        at = draw(st.integers(0, len(raw)))
        junk = draw(st.sampled_from([b"\xff", b"\xc0\xaf", b"\x80", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe2\x80"]))
        return raw[:at] + junk + raw[at:]
    if how == "surrogate":
        escape = draw(st.sampled_from(["\\ud800", "\\udfff", "\\udc00\\ud800"]))
        return (text[:-1] + f', "{escape}": 1}}' if draw(st.booleans()) else text.replace(f'"{case["form"]}"', f'"{escape}"')).encode()
    if how == "deep":
        n = draw(st.integers(100, 5000))
        return draw(st.sampled_from(["[" * n, '{"a": ' * n, "[" * n + "]" * n, '{"a":' * n + "1" + "}" * n])).encode()
    if how == "garbage":
        return ("x" + draw(st.text().map(lambda t: t.replace("\n", " ")))).encode("utf-8", "surrogatepass")
    return json.dumps(draw(st.one_of(st.integers(), st.text(), st.none(), st.lists(st.integers())))).encode()


@pytest.fixture(autouse=True, scope="module")
def _one_parser():
    """Building the argument parser is most of a small run's cost: build it once for the module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "build_parser", functools.cache(cli.build_parser))
        yield


BLANK = st.sampled_from([b"", b" ", b"\t", b"\r", b"  \t\r"])


def _run(data: bytes, source: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.jsonl"
        path.write_bytes(data)
        sys.stdin, sys.stdout, sys.stderr = io.TextIOWrapper(io.BytesIO(data)), out, err
        try:
            code = main(["decide", "-" if source == "stdin" else str(path), "--format", "json"])
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def test_the_pool_is_valid_cases() -> None:
    assert len(POOL) > 300
    for case in POOL:
        parse_case(case)


@settings(FUZZ, max_examples=300)
@given(
    lines=st.lists(
        st.one_of(good_lines().map(lambda b: ("good", b)), bad_lines().map(lambda b: ("bad", b)), BLANK.map(lambda b: ("blank", b))),
        min_size=5,
        max_size=20,
    ).filter(lambda ls: sum(kind != "blank" for kind, _ in ls) >= 2),
    source=st.sampled_from(["file", "stdin"]),
    final_newline=st.booleans(),
)
def test_a_batch_answers_every_good_line_and_reports_every_bad_one(lines, source, final_newline) -> None:
    data = b"\n".join(raw for _, raw in lines) + (b"\n" if final_newline else b"")
    good = [n for n, (kind, _) in enumerate(lines, 1) if kind == "good"]
    bad = [n for n, (kind, _) in enumerate(lines, 1) if kind == "bad"]
    code, out, err = _run(data, source)
    assert code == (2 if bad else 0), err
    assert "Traceback" not in err and "internal error" not in err
    assert [json.loads(line)["line"] for line in out.split("\n") if line] == good
    errors = err.split("\n")[:-1] if err else []
    assert all(e.isprintable() for e in errors), errors
    assert [int(ERROR_RE.match(e).group(1)) for e in errors] == bad, errors


@st.composite
def pretty(draw, case: dict) -> bytes:
    text = json.dumps(case, indent=draw(st.integers(0, 4)), ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return draw(BLANK) + b"\n" + text.encode() + draw(st.sampled_from([b"", b"\n", b"\n\n \n"]))


@st.composite
def invalid_objects(draw) -> dict:
    """A complete JSON object that is not a valid case."""
    case = draw(case_dicts())
    how = draw(st.sampled_from(["drop", "wrong", "extra", "incoherent"]))
    if how == "drop":
        case.pop(draw(st.sampled_from(REQUIRED)))
    elif how == "wrong":
        field = draw(st.sampled_from([*REQUIRED, "unknown_provisions"]))
        case[field] = draw(_wrong_value(field))
    elif how == "extra":
        case[draw(st.text(min_size=1).filter(lambda k: k not in Case.model_fields))] = 1
    else:
        case.update(deputy_inquiry=True, sender="person")  # coherence.toml: a deputy's inquiry is sent by a deputy
    return case


@settings(FUZZ, max_examples=300)
@given(valid=st.booleans(), data=st.data(), source=st.sampled_from(["file", "stdin"]))
def test_one_case_over_many_lines_is_answered_or_refused_in_one_line(valid, data, source) -> None:
    case = data.draw(case_dicts() if valid else invalid_objects())
    code, out, err = _run(data.draw(pretty(case)), source)
    if valid:
        assert (code, err) == (0, "")
        Decision.model_validate_json(out)
    else:
        assert (code, out) == (2, "")
        assert err.count("\n") == 1 and ": case: " in err and err[:-1].isprintable(), err
