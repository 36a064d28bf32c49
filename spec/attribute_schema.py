"""The case attributes as data (``attributes.toml``), loaded, checked, and made into Python.

Every attribute and value is declared once, in the spec folder's ``attributes.toml``. From it come:
what a condition may test (:mod:`kzappeals.spec.conditions`), the Z3 variables of the model
(:mod:`kzappeals.spec.compile`), and the typed model of a case. :func:`python_source` is the text of
that model: ``kzappeals generate`` writes it as :mod:`kzappeals.spec.attributes` for the shipped
spec, and :func:`case_attributes_model` runs the same text for a draft that adds a fact of the case
or a value, so the draft's cases are validated by a model made exactly as the shipped one is.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from kzappeals.spec.errors import InputError
from kzappeals.spec.shapes import AttributesFile, parse_shape, read_toml, table_line

ATTRIBUTES_FILE = "attributes.toml"

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PROVISION = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
_RESERVED = frozenset({"unknown", "provided_by"})  # the condition language's functions
_FIXED = {"received_on": "date", "unknown_provisions": "provisions"}  # what the calendar and unknown(...) read


@dataclass(frozen=True)
class Attribute:
    """One attribute of a case: a yes/no fact, one of several values, the day of receipt, or the
    base-text provisions the user asserts apply."""

    name: str
    type: Literal["bool", "enum", "date", "provisions"]
    description: str
    enum: str = ""
    title: str = ""
    values: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # the law's term or a note, one per value


@dataclass(frozen=True)
class AttributeSchema:
    """Every attribute of a case, in the schema's order."""

    attributes: tuple[Attribute, ...]

    @cached_property
    def by_name(self) -> dict[str, Attribute]:
        return {a.name: a for a in self.attributes}

    @cached_property
    def tested(self) -> tuple[str, ...]:
        """The attributes a condition may test (yes/no facts and enumerations), in order."""
        return tuple(a.name for a in self.attributes if a.type in ("bool", "enum"))

    def is_flag(self, name: str) -> bool:
        return name in self.by_name and self.by_name[name].type == "bool"

    def values(self, name: str) -> list:
        """Every value a tested attribute takes, in order (False before True for a yes/no fact)."""
        a = self.by_name[name]
        return [False, True] if a.type == "bool" else list(a.values)

    @cached_property
    def unknown_provisions(self) -> tuple[str, ...]:
        return self.by_name["unknown_provisions"].values

    def extended_by(self, other: AttributeSchema) -> AttributeSchema:
        """This schema with what ``other`` adds: its new attributes (after this one's, before
        unknown_provisions) and its new values of shared attributes (after this one's values). What a
        base and its draft are compiled over, so each value keeps one index in both models."""
        extra = [a for a in other.attributes if a.name not in self.by_name]
        out: list[Attribute] = []
        for a in self.attributes:
            if a.name == "unknown_provisions":
                out += extra
            theirs = other.by_name.get(a.name)
            added = [v for v in theirs.values if v not in a.values] if theirs else []
            if added:
                notes = dict(zip(theirs.values, theirs.notes)) if theirs else {}
                a = Attribute(a.name, a.type, a.description, a.enum, a.title, (*a.values, *added), (*a.notes, *(notes[v] for v in added)))
            out.append(a)
        return AttributeSchema(tuple(out))

    def missing_from(self, other: AttributeSchema) -> list[str]:
        """What this schema has and ``other`` lacks: attributes (``name``) and values (``name=value``)."""
        out = []
        for a in self.attributes:
            if a.name not in other.by_name:
                out.append(a.name)
            else:
                out += [f"{a.name}={v}" for v in a.values if v not in other.by_name[a.name].values]
        return out


def load_attributes(path: Path | Traversable, label: str) -> AttributeSchema:
    """The attributes of ``path`` (``label`` names it in errors).

    Raises:
        InputError: one line naming the file, the attribute's table and line, the key and what is wrong.
    """
    data, text = read_toml(path, label)
    shape = parse_shape(AttributesFile, data, text, label).root
    enums: dict[str, str] = {}
    out = []
    for name, entry in shape.items():
        where = f"{label}{table_line(text, name)}: [{name}]"
        if not _NAME.match(name) or keyword.iskeyword(name) or name in _RESERVED:
            raise InputError(where, f"'{name}' cannot name an attribute: a lower-case identifier, not a keyword or {sorted(_RESERVED)}")
        if _FIXED.get(name, entry.type) != entry.type or (entry.type in ("date", "provisions") and name not in _FIXED):
            fixed = ", ".join(f"{n} is the one '{t}'" for n, t in _FIXED.items())
            raise InputError(where + " key 'type'", f"'{entry.type}' does not fit '{name}': {fixed}")
        named = entry.type in ("enum", "provisions")
        if named != bool(entry.enum) or named != bool(entry.title):
            raise InputError(where, "'enum' and 'title' are given for an enumeration and only for one")
        if entry.enum and entry.enum in enums:
            raise InputError(where + " key 'enum'", f"'{entry.enum}' already names the values of '{enums[entry.enum]}'")
        enums.setdefault(entry.enum, name)
        if (entry.type == "enum") != bool(entry.values) and entry.type != "provisions":
            raise InputError(where + " key 'values'", "an enumeration has values, and only an enumeration")
        for text in (entry.title, *entry.values.values()):
            if "\n" in text or "\r" in text or "\\" in text or '"""' in text or text.endswith('"'):
                raise InputError(where, f"{text[:40]!r}: a title or a value's note is one line, without backslashes or triple quotes")
        for value in entry.values:
            if not (_PROVISION.match(value) if entry.type == "provisions" else _NAME.match(value) and not keyword.iskeyword(value)):
                what = "a clause id" if entry.type == "provisions" else "a lower-case identifier, not a keyword"
                raise InputError(f"{where}.values key '{value[:60]}'", f"a value is {what}")
        out.append(
            Attribute(name, entry.type, entry.description, entry.enum, entry.title, tuple(entry.values), tuple(entry.values.values()))
        )
    names = [a.name for a in out]
    for name in _FIXED:
        if name not in names:
            raise InputError(label, f"the attribute '{name}' is missing")
    if names[-1] != "unknown_provisions":
        raise InputError(f"{label}{table_line(text, 'unknown_provisions')}: [unknown_provisions]", "must come last (it has a default)")
    return AttributeSchema(tuple(out))


@cache
def shipped_attributes() -> AttributeSchema:
    """The installed spec's attributes (what :mod:`kzappeals.spec.attributes` is generated from)."""
    return load_attributes(files("kzappeals.spec") / ATTRIBUTES_FILE, f"spec/{ATTRIBUTES_FILE}")


def _s(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


_MODULE_DOC = '''"""The attributes of an appeal case: every distinction some clause makes, and the values each takes.

Generated by ``kzappeals generate`` from spec/attributes.toml: edit that file, not this one.

Each field's description names the clause and the law's Russian term. The case is what a vendor's
system sends, what the Z3 model quantifies over and what the reference implementation reads; the
condition language (:mod:`kzappeals.spec.conditions`) tests its attributes, and
:class:`kzappeals.spec.vocabulary.Case` adds that their combination is coherent (``spec/coherence.toml``).
"""
'''


def _field(name: str, annotation: str, args: list[str]) -> str:
    """A field as ``ruff format`` writes it (the generated module is checked like any other): on one
    line when it fits, else its arguments on one line of their own (a lone argument always), else one a line."""
    one = f"    {name}: {annotation} = Field({', '.join(args)})"
    if len(one) <= _LINE_LENGTH:
        return one
    inner = f"        {', '.join(args)}"
    if len(inner) <= _LINE_LENGTH or len(args) == 1:
        return f"    {name}: {annotation} = Field(\n{inner}\n    )"
    return f"    {name}: {annotation} = Field(\n" + "".join(f"        {arg},\n" for arg in args) + "    )"


_LINE_LENGTH = 140  # pyproject.toml's [tool.ruff] line-length


def python_source(schema: AttributeSchema) -> str:
    """The Python module of ``schema``: an enumeration per enumerated attribute and the model ``CaseAttributes``."""
    lines = [
        _MODULE_DOC,
        "from enum import StrEnum",
        "from typing import Annotated, Literal",
        "",
        "from pydantic import BaseModel, BeforeValidator, ConfigDict, Field",
        "",
        "from kzappeals.spec.json_values import IsoDate, no_duplicates",
    ]
    fields = []
    for a in schema.attributes:
        if a.type == "enum":
            lines += ["", "", f"class {a.enum}(StrEnum):", f'    """{a.title}"""', ""]
            lines += [f'    {v} = "{v}"' + (f"  # {n}" if n else "") for v, n in zip(a.values, a.notes)]
            annotation, args = a.enum, [f"description={_s(a.description)}"]
        elif a.type == "provisions":
            lines += ["", "", f"{a.enum} = Literal[{', '.join(_s(v) for v in a.values)}]", f'"""{a.title}"""']
            annotation = f"Annotated[frozenset[{a.enum}], BeforeValidator(no_duplicates)]"
            args = ["default=frozenset()", f"description={_s(a.description)}"]
        else:
            annotation, args = ("IsoDate" if a.type == "date" else "bool"), [f"description={_s(a.description)}"]
        fields.append(_field(a.name, annotation, args))
    lines += [
        "",
        "",
        "class CaseAttributes(BaseModel):",
        '    """The attributes of an appeal (обращение, p2.pp1) as the routing and signature rules see them.',
        "",
        '    Enumerations are given by their value in JSON (``"complaint"``); booleans',
        "    are JSON booleans; ``received_on`` is an ISO date.",
        '    """',
        "",
        '    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")',
        "",
        *fields,
    ]
    return "\n".join(lines) + "\n"


def case_attributes_model(schema: AttributeSchema) -> type[BaseModel]:
    """The ``CaseAttributes`` model of ``schema``: the text :func:`python_source` writes, run. Names and
    values are checked identifiers and every text is a JSON string literal, so the source is only ever
    the declarations it is made of."""
    namespace: dict = {"__name__": "kzappeals.spec.draft_attributes"}
    # dont_inherit: this module's `from __future__ import annotations` would leave every annotation a string
    exec(compile(python_source(schema), "<attributes.toml>", "exec", dont_inherit=True), namespace)
    model: type[BaseModel] = namespace["CaseAttributes"]
    return model
