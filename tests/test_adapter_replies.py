"""A reply read by the cmd and http adapters is the parsed JSON with every unsafe string made safe
(a lone surrogate or a control character other than tab and newline becomes U+FFFD), however the
implementation encoded it: the shortcut that skips the walk over a reply must never skip one that
needs it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzappeals.conformance.adapters import parsed_reply, sanitised

# Every code point, lone surrogates and C0/C1 controls included.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=8)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)


def _reference(data: bytes) -> object:
    try:
        return ("value", sanitised(json.loads(data)))
    except (ValueError, RecursionError) as exc:
        return ("error", type(exc))


def _read(data: bytes) -> object:
    try:
        return ("value", parsed_reply(data))
    except (ValueError, RecursionError) as exc:
        return ("error", type(exc))


@settings(max_examples=400, derandomize=True, deadline=None)
@given(JSON_VALUES, st.booleans(), st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-32", "utf-8-sig"]))
def test_a_reply_reads_as_its_sanitised_json_in_every_encoding(value, ascii_only, encoding):
    data = json.dumps(value, ensure_ascii=ascii_only).encode(encoding, "surrogatepass")
    assert _read(data) == _reference(data)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.binary(max_size=40))
def test_any_bytes_read_as_json_loads_and_sanitised_read_them(data):
    assert _read(data) == _reference(data)


@pytest.mark.parametrize(
    "data",
    [
        b'{"a": "\\ud800"}',  # an escaped lone surrogate
        '{"a": "\ud800"}'.encode("utf-8", "surrogatepass"),  # a raw one, which json.loads lets through
        b'{"a": "\\u0007"}',
        '{"a": "\x85"}'.encode(),  # a C1 control, raw
        b'{"a": "\x7f"}',
        b'{"\\u001b[31m": 1}',  # in a key
    ],
)
def test_each_way_in_for_an_unsafe_character_is_sanitised(data):
    value = parsed_reply(data)
    assert "\ufffd" in json.dumps(value, ensure_ascii=False)
