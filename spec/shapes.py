"""The shape of every TOML file of a spec folder, declared once (pydantic, strict).

A drafter's copy of ``spec/`` is validated as strictly as a case: every key known, every value
of its type (``residual_yields = "false"`` is a string, not a truth value), nothing missing.
The loaders (:mod:`kzappeals.spec.ruleset`, :mod:`kzappeals.spec.coherence`) read a file with
:func:`read_file`, which turns the first problem into one :class:`InputError` naming the file,
the line of the entry where TOML allows it, the key and the reason. What needs more than one
file (a clause the registry lacks, a rule that names no rule) is checked by the loaders.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError

from kzappeals.spec.errors import InputError


class _Shape(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid", populate_by_name=True)


class RuleEntry(_Shape):
    """One ``[[rule]]`` of ``rules/*.toml`` (format: spec/rules/README.md)."""

    id: str
    cites: list[str] = []
    when: str
    then: dict[str, str] = Field(min_length=1)
    residual: bool = False
    gated: bool = True
    prevails_over: list[str] = []
    because: str = ""
    readings: list[str] = []
    only_under: str = ""
    note: str = ""
    provisions: dict[str, str] = {}


class RuleFile(_Shape):
    rule: list[RuleEntry] = []


class ProfileEntry(_Shape):
    """One ``[profile.NAME]`` of ``profiles.toml``: a reading of the whole text."""

    title_en: str
    title_ru: str
    rationale: str
    residual_yields: bool
    subpoint_order: bool
    exceptions: bool
    gate: bool
    readings: list[str] = []


class ReadingEntry(_Shape):
    """One ``[[reading]]`` of ``profiles.toml``: a reading every profile shares."""

    id: str
    title_en: str
    title_ru: str
    rationale: str
    clauses: list[str]


class ProfilesFile(_Shape):
    profile: dict[str, ProfileEntry] = Field(min_length=1)
    reading: list[ReadingEntry] = []


class ExactlyOneEntry(_Shape):
    """One ``[[exactly_one]]`` of ``principles.toml``: the question has exactly one answer."""

    id: str
    title_en: str
    title_ru: str
    question: str
    clauses: list[str]
    rationale: str


class PrincipleEntry(ExactlyOneEntry):
    """One ``[[principle]]``: where ``when`` holds, no deciding rule gives a ``forbidden`` answer."""

    when: str
    forbidden: list[str] = Field(min_length=1)


class PrinciplesFile(_Shape):
    principle: list[PrincipleEntry] = []
    exactly_one: list[ExactlyOneEntry] = []


class ConstraintEntry(_Shape):
    """One ``[[constraint]]`` of ``coherence.toml``: a case where ``if`` holds must satisfy ``then``."""

    field: str
    if_: str = Field(alias="if")
    then: str
    clause: str
    reason: str


class CoherenceFile(_Shape):
    constraint: list[ConstraintEntry] = []


class ValueLabel(_Shape):
    en: str
    ru: str


class QuestionEntry(_Shape):
    """One ``[QUESTION]`` table of ``questions.toml``."""

    title_en: str
    title_ru: str
    enum: str = Field(pattern=r"^[A-Z][A-Za-z0-9]*$")  # the Python name of its answers (spec/answers.py)
    doc: str = Field(min_length=1)  # what the answers are, with their clauses: their description in the decision schema
    required_when: str
    values: dict[str, ValueLabel] = Field(min_length=1)
    may_be_filled_by: list[str] = []


class CompatibleEntry(_Shape):
    """One ``[[compatible]]``: two answers to one question that do not conflict."""

    question: str
    values: list[str] = Field(min_length=2, max_length=2)


class LapseEntry(_Shape):
    """One ``[[lapse]]``: where a clause says a question does not arise, given earlier answers."""

    question: str
    when: str
    clauses: list[str] = Field(min_length=1)
    reason_en: str
    reason_ru: str


class QuestionsFile(_Shape):
    """``questions.toml``: one table per question of :data:`kzappeals.spec.vocabulary.QUESTIONS`
    (in that order, which is the order of every report), the [[compatible]] pairs and the
    [[lapse]] entries."""

    procedure: QuestionEntry
    intake: QuestionEntry
    handler: QuestionEntry
    disposition: QuestionEntry
    signatory: QuestionEntry
    compatible: list[CompatibleEntry] = []
    lapse: list[LapseEntry] = []


class AttributeEntry(_Shape):
    """One ``[NAME]`` table of ``attributes.toml``: a case attribute (format: the file's header)."""

    type: Literal["bool", "enum", "date", "provisions"]
    enum: str = Field(default="", pattern=r"^([A-Z][A-Za-z0-9]*)?$")
    title: str = ""
    description: str = Field(min_length=1)
    values: dict[str, str] = {}


class AttributesFile(RootModel[dict[str, AttributeEntry]]):
    """``attributes.toml``: one table per attribute, in the case schema's order."""

    model_config = ConfigDict(strict=True, frozen=True)


# -- an amendment file (kzappeals amend; kzappeals.spec.amendment): not part of a spec folder


class AmendmentInfo(_Shape):
    """The ``[amendment]`` table: what the amending act is, and whether it is real."""

    title_ru: str
    title_en: str
    status: Literal["hypothetical", "enacted"] = Field(description="'hypothetical' for a draft no act contains")
    note: str = ""


class ChangeEntry(_Shape):
    """One ``[[change]]``: a verb applied to one clause."""

    verb: Literal["replace", "insert", "delete"]
    clause: str
    after: str = ""  # insert: the clause (or unit) the new one follows
    cite_ru: str = ""  # insert: "подпункт 5-1) пункта 54"
    cite_en: str = ""
    kind: Literal["decision-rule", "pointer", "definition", "deadline", "organisational-duty"] = "decision-rule"
    text_ru: str = ""
    text_en: str = ""
    rules_file: str = ""  # where the rules go (default: the file holding the clause's rules, else pNN.toml)
    note: str = ""
    rule: list[RuleEntry] = []


class NewValueEntry(_Shape):
    """One ``[[value]]`` of an amendment: a new answer to a question (a new signatory), with its labels."""

    question: str
    value: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    en: str
    ru: str


class NewAttributeEntry(_Shape):
    """One ``[[attribute]]`` of an amendment: a new fact of the case the amended text distinguishes (a new
    attribute, written into the draft's ``attributes.toml``), or new values of an attribute the base has."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: Literal["bool", "enum"] = "bool"
    description: str = ""  # a new attribute: its clauses and the law's term (required)
    enum: str = ""  # a new enumeration: its Python name
    title: str = ""  # a new enumeration: what it is
    values: dict[str, str] = {}  # an enumeration's (new) values, each with the law's term or a note
    ordinary: bool | str | None = None  # a new attribute: its value in the ordinary appeal (required)
    # how each value reads in a finding ("true"/"false" for a yes/no fact): written into labels.toml (required)
    labels: dict[str, ValueLabel] = {}


class AmendmentFile(_Shape):
    amendment: AmendmentInfo
    attribute: list[NewAttributeEntry] = []
    value: list[NewValueEntry] = []
    change: list[ChangeEntry] = Field(min_length=1)


S = TypeVar("S", bound=BaseModel)

# Entries whose line can be told: the n-th header of an array of tables is the n-th entry.
_HEADER_RE = r"^[ \t]*\[\[[ \t]*(?:{name}|\"{name}\"|'{name}')[ \t]*\]\][ \t]*(?:#.*)?$"


def read_toml(path: Path | Traversable, label: str) -> tuple[dict, str]:
    """The TOML document at ``path`` and its text; any problem is one line naming ``label``.

    Raises:
        InputError: the file is missing or unreadable, not UTF-8 (a UTF-16 file, say), or not TOML
            (nesting too deep for the reader included).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(label, f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(label, f"not UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1}): TOML files are UTF-8") from None
    if text.startswith("\ufeff"):
        raise InputError(label, "starts with a byte-order mark: save it as UTF-8 without one")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise InputError(label, f"not valid TOML: {exc}") from None
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        raise InputError(label, "arrays or inline tables nested too deeply") from None


def header_lines(text: str, name: str) -> list[int]:
    """Line numbers of the ``[[name]]`` headers of ``text``, in order."""
    pattern = re.compile(_HEADER_RE.format(name=re.escape(name)))
    return [no for no, line in enumerate(text.split("\n"), 1) if pattern.match(line)]


def table_line(text: str, name: str) -> str:
    """``:N``, the line of the ``[name]`` table header of ``text`` (``[profile.literal]``), or "" when it has none."""
    pattern = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(name)}[ \t]*\][ \t]*(?:#.*)?$")
    return next((f":{no}" for no, line in enumerate(text.split("\n"), 1) if pattern.match(line)), "")


def _key(part: object) -> str:
    """A key as quoted in a message: a drafter's typo, or anything at all, so cut short."""
    text = str(part)
    return text if len(text) <= 60 else text[:59] + "…"


def _place(loc: tuple, label: str, lines: dict[str, list[int]], describe, text: str = "") -> str:
    """Where an error is: the file, the entry (with its line when the headers can be counted), the key."""
    loc = tuple(p if isinstance(p, int) else _key(p) for p in loc)
    if len(loc) >= 2 and isinstance(loc[1], int):
        table, index, *rest = loc
        line = f":{lines[table][index]}" if table in lines else ""
        entry = f"{label}{line}: {describe(table, index)}"
    elif len(loc) >= 2:  # a key of a table: [profile.literal] key 'gate'
        table = ".".join(str(p) for p in loc[:-1])
        entry, rest = f"{label}{table_line(text, table)}: [{table}]", [loc[-1]]
    else:
        entry, rest = label, list(loc)
    return entry + (f" key '{'.'.join(str(p) for p in rest)}'" if rest else "")


def _reason(err: Mapping[str, Any]) -> str:
    if err["type"] == "missing":
        return "missing"
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] in ("model_type", "dict_type"):
        return "must be a table"  # TOML's word, not the model's class name
    if err["type"] == "list_type":
        return "must be an array"
    if err["type"] == "too_short" and err["loc"][-1] in ("then", "values", "forbidden", "profile"):
        return "must not be empty"
    return err["msg"]


def parse_shape(shape: type[S], data: dict, text: str, label: str) -> S:
    """``data`` (read from ``text``) as ``shape``; the first problem is one :class:`InputError`
    naming an entry of an array of tables by its id, else by its number ("rule 'p18.ch2'", "constraint 2")."""
    entries = {name: value for name, value in data.items() if isinstance(value, list)}
    # a header count that differs from the entries (inline arrays) gives no line rather than a wrong one
    lines = {name: found for name, value in entries.items() if len(found := header_lines(text, name)) == len(value)}

    def describe(table: str, index: int) -> str:
        entry = entries[table][index] if table in entries else None
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            return f"{table} '{entry['id']}'"
        return f"{table} {index + 1}"

    try:
        return shape.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        more = len(exc.errors()) - 1
        where = _place(tuple(err["loc"]), label, lines, describe, text)
        raise InputError(where, _reason(err) + (f" (and {more} more)" if more > 0 else "")) from None
