"""Cases for `kzappeals decide`, read as a stream: one JSON object, or JSON Lines.

**One case or many.** The input is one case when its whole content is one JSON value (an
object, possibly laid out over many lines); otherwise it is JSON Lines, one case per line.
Lines are split on ``\\n`` only (a JSON string may hold U+2028, U+0085, a form feed or any other
character some tools call a line break); a trailing ``\\r`` and lines holding only spaces, tabs
and ``\\r`` are ignored; a UTF-8 byte-order mark opening the input is skipped. To tell the two
apart without reading a whole batch into memory: if the first non-blank line is a JSON value by
itself, a second non-blank line makes the input JSON Lines at once; otherwise up to
:data:`MAX_CASE_BYTES` are read and parsed as one value (bytes that are not UTF-8 and lone
surrogates aside: they make one bad case, reported once), and if they are not one (or there is
more), the input is JSON Lines and the first line is reported like any other bad line.

**Each line on its own.** A line is decoded as UTF-8 and validated as a case (pydantic's JSON
parser, which bounds nesting depth and refuses lone surrogates) once; a line that cannot be used
costs that line only and is reported under its own number, with the field, the reason and the
clause where one applies, as one printable line.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import BinaryIO

from pydantic import BaseModel, ValidationError

from kzappeals.spec.errors import InputError, one_line
from kzappeals.spec.vocabulary import Case

MAX_CASE_BYTES = 1 << 20
"""The longest line, and the longest single case, read (1 MiB: a case is under 1 KiB)."""

_BLANK = b" \t\r"  # JSON whitespace other than the "\n" the lines are split on
_BOM = b"\xef\xbb\xbf"
_SHOWN = 60  # characters of an input value (a field name, a member) quoted in a message
_JSON_TYPES = {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


@dataclass(frozen=True)
class Entry:
    """One case of the input: ``line`` is its line number (None when the input is one case),
    then either the validated case or why it cannot be used (one line)."""

    line: int | None
    case: Case | None = None
    error: str | None = None


def _lines(stream: BinaryIO, where: str) -> Iterator[tuple[int, bytes | None]]:
    """(line number, content without its "\\n"), or None for a line longer than MAX_CASE_BYTES,
    which is skipped without being held in memory.

    Raises:
        InputError: the stream cannot be read (an I/O error, a folder given as the file).
    """

    def read(size: int) -> bytes:
        try:
            return stream.readline(size)
        except OSError as exc:
            raise InputError(where, f"cannot read ({exc.strerror or exc})") from None

    no = 0
    while chunk := read(MAX_CASE_BYTES + 1):
        no += 1
        content = chunk[:-1] if chunk.endswith(b"\n") else chunk
        if len(content) > MAX_CASE_BYTES:
            while chunk and not chunk.endswith(b"\n"):
                chunk = read(1 << 16)
            yield no, None
            continue
        if no == 1 and content.startswith(_BOM):
            content = content[len(_BOM) :]
        yield no, content


def _blank(raw: bytes | None) -> bool:
    return raw is not None and not raw.strip(_BLANK)


def _is_json(raw: bytes) -> bool:
    """Is ``raw`` one JSON value, as far as telling one case from many goes? Bytes that are not
    UTF-8 and lone surrogates do not count against it: one object holding them is one bad case,
    reported once, not a line-by-line report of a pretty-printed object."""
    try:
        json.loads(raw.decode("utf-8", "surrogateescape"))
    except (ValueError, RecursionError):
        return False
    return True


def read_cases(stream: BinaryIO, where: str, model: type[BaseModel] = Case) -> tuple[bool, Iterator[Entry]]:
    """Whether the input is JSON Lines (a batch), and its entries in input order (nothing is read
    twice from ``stream``; at most :data:`MAX_CASE_BYTES` are held to tell one case from many).
    ``where`` names the input in a read error; ``model``: what a case is (a draft's own:
    :func:`kzappeals.spec.case_models.case_model`)."""

    def validate(raw: bytes, line: int | None) -> Entry:
        return validate_case(raw, line, model)

    lines = _lines(stream, where)
    head: list[tuple[int, bytes | None]] = []
    # The first non-blank line, validated once: a valid case is a JSON value, and a batch's first entry.
    first: Entry | None = None
    first_is_json = False
    nonblank = size = 0
    for no, raw in lines:
        head.append((no, raw))
        if raw is None:
            break  # a line too long for one case: JSON Lines
        if _blank(raw):
            continue
        nonblank += 1
        size += len(raw) + 1
        if nonblank == 1:
            first = validate(raw, no)
            first_is_json = first.case is not None or _is_json(raw)
        elif first_is_json or size > MAX_CASE_BYTES:
            break  # a complete value followed by more, or too much for one case: JSON Lines
    else:
        whole = b"\n".join(raw for _, raw in head if raw is not None)  # a None ends the loop with `break`: none here
        if nonblank == 1 and first_is_json:
            assert first is not None
            # A valid case as it was read; a JSON value that is not one is reported as the input's problem.
            return False, iter([Entry(None, case=first.case) if first.case is not None else validate(whole, None)])
        if nonblank > 1:
            single = validate(whole, None)
            if single.case is not None or _is_json(whole):
                return False, iter([single])

    def entries() -> Iterator[Entry]:
        for no, raw in itertools.chain(head, lines):
            if raw is None:
                yield Entry(no, error=f"longer than {MAX_CASE_BYTES} bytes (a case is under 1 KiB)")
            elif first is not None and no == first.line:
                yield first
            elif not _blank(raw):
                yield validate(raw, no)

    return True, entries()


def validate_case(raw: bytes, line: int | None, model: type[BaseModel] = Case) -> Entry:
    """One case from its JSON bytes: the case, or the first problem as one line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Entry(line, error=f"not UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1})")
    try:
        return Entry(line, case=model.model_validate_json(text))  # type: ignore[arg-type]  # a draft's case has a Case's attributes
    except ValidationError as exc:
        return Entry(line, error=problem(exc, single=line is None))


@cache
def _field_clauses() -> dict[str, tuple[str, ...]]:
    """The clauses each case field's description cites (registered clause ids only)."""
    from kzappeals.spec.registry import load_registry

    registry = load_registry()
    found = {}
    for name, info in Case.model_fields.items():
        ids = re.findall(r"(?<![\w.])(?:o165\.p\d+|p\d+(?:-\d+)?(?:\.(?:pp\d+|ch\d+|a\d+|list))*)(?![\w-])", info.description or "")
        found[name] = tuple(dict.fromkeys(c for c in ids if c in registry))
    return found


def _quote(value: object) -> str:
    text = one_line(str(value))
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def problem(exc: ValidationError, single: bool = False) -> str:
    """Field, reason and clause of a case that cannot be used, as one line that echoes no raw input
    beyond a short, escaped field name."""
    errors = exc.errors(include_url=False)
    err = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    kind, loc = err["type"], err["loc"]
    if kind == "json_invalid":
        return f"not JSON ({err['msg'].removeprefix('Invalid JSON: ')})"
    if kind == "model_type":
        got = _JSON_TYPES.get(type(err["input"]), "value")
        return f"expected a JSON object (a case){' or JSON Lines' if single else ''}, got a JSON {got}"
    cause = (err.get("ctx") or {}).get("error")
    if not loc and isinstance(cause, ValueError):
        return str(cause) + more  # a coherence constraint: "field 'x': reason (clause ...)"
    field = "".join(f"[{p}]" if isinstance(p, int) else ("." if i else "") + _quote(p) for i, p in enumerate(loc))
    if kind == "missing":
        reason = "missing"
    elif kind == "extra_forbidden":
        reason = "not a field of a case"
    elif isinstance(cause, ValueError):
        reason = str(cause)
    else:
        reason = err["msg"]
    clauses = _field_clauses().get(str(loc[0]), ()) if loc and kind != "extra_forbidden" else ()
    tail = f" (clause{'s' if len(clauses) > 1 else ''} {', '.join(clauses)})" if clauses else ""
    return f"field '{field}': {one_line(reason)}{tail}{more}"
