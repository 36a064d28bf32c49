"""The clause registry: every citable unit of the law, with its Russian text.

Metadata comes from ``law/clauses.toml``; the Russian text comes from the
rebuilt law file it names, where each clause starts with ``⟦ID⟧``. The two
files are checked against each other so that a citation can always be read
back to the exact words of the law.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from kzappeals.spec.errors import InputError

CLAUSES_FILE = "clauses.toml"

# The citation structure, smallest unit last: point (p54), subpoint (.ppN), part
# (.chN), абзац (.aN); each may carry an inserted unit's number, as an amending order
# numbers it ("дополнить пунктом 26-1", a subpoint 5-1): p26-1, p54.pp5-1, p23.ch3-1;
# the order's own text (o165.*); chapters; provisions of other acts (ext.*) and
# unlocated base-Instruction parts (base.*).
CLAUSE_ID_RE = re.compile(
    r"^(?:"
    r"o165\.(?:title|header|footnote|preamble|signature|p\d+(?:\.pp\d+|\.a\d+)?)"
    r"|ch\d+"
    r"|p\d+(?:-\d+)?(?:\.list|(?:\.pp\d+(?:-\d+)?)?(?:\.ch\d+(?:-\d+)?)?(?:\.a\d+(?:-\d+)?)?)"
    r"|(?:ext|base)\.[a-z0-9]+(?:[.-][a-z0-9]+)*"
    r")$"
)

# Clauses of these kinds decide something, so every one must be cited by a rule.
encoded_kinds = frozenset({"decision-rule", "pointer"})

Kind = Literal[
    "decision-rule",
    "definition",
    "deadline",
    "organisational-duty",
    "pointer",
    "entry-into-force",
    "amendment",
    "legal-basis",
    "heading",
    "deleted",
    "external",
]
Status = Literal["text", "unknown", "external"]

_MARKER_RE = re.compile(r"^⟦([^⟧]*)⟧ ?(.*)$")
_UNCERTAIN_RE = re.compile(r"\{\?(\d+)\}")
_NOTE_RE = re.compile(r"^# \?(\d+): (.+)$")
_TOML_LINE_RE = re.compile(r"at line (\d+)")
_ENTRY_RE = re.compile(r"^[ \t]*\[\[clause\]\]", re.MULTILINE)


class _Frozen(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")


class Law(_Frozen):
    """The ``[law]`` table: which act the registry describes, and its sources."""

    title_ru: str
    title_en: str
    order: str
    registered: str
    amends: str
    repealed_by: str
    register_id_base: str
    raw_file: str
    rebuilt_file: str
    provenance: str


class Clause(_Frozen):
    """One citable unit of the law, of the order, or of an act it refers to."""

    id: str
    cite_ru: str
    cite_en: str
    kind: Kind
    status: Status
    text_en: str | None = None
    encoding: str | None = None
    uncertain: str | None = None
    note: str | None = None
    text_ru: str | None = None
    uncertain_notes: tuple[str, ...] = ()


class Registry(_Frozen):
    """All clauses, in text order, with lookup by id."""

    law: Law
    clauses: tuple[Clause, ...]
    _by_id: dict[str, Clause] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object) -> None:
        self._by_id.update((c.id, c) for c in self.clauses)

    def get(self, clause_id: str) -> Clause:
        """Returns the clause with this id.

        Raises:
            InputError: no clause has this id.
        """
        try:
            return self._by_id[clause_id]
        except KeyError:
            raise InputError(f"clause id '{clause_id}'", "no such clause in the registry") from None

    def ids(self) -> tuple[str, ...]:
        """Returns every clause id, in registry order."""
        return tuple(c.id for c in self.clauses)

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._by_id


def _parse_law_text(name: str, text: str) -> tuple[dict[str, tuple[int, str]], dict[int, str]]:
    """Splits the rebuilt law file into clause texts and uncertainty notes.

    Returns:
        {id: (line of its marker, raw text with markers)}, in file order, and
        {N: explanation} from the ``# ?N:`` lines.
    """
    texts: dict[str, tuple[int, list[str]]] = {}
    notes: dict[int, str] = {}
    current: str | None = None
    for no, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            current = None
            if m := _NOTE_RE.match(line):
                if int(m[1]) in notes:
                    raise InputError(f"{name}:{no}", f"uncertainty note ?{m[1]} is given twice.")
                notes[int(m[1])] = m[2].strip()
        elif not line.strip():
            current = None
        elif m := _MARKER_RE.match(line):
            current = m[1]
            if not CLAUSE_ID_RE.match(current):
                raise InputError(f"{name}:{no}", f"marker id '{current}' does not match the clause id grammar.")
            if current in texts:
                raise InputError(f"{name}:{no}", f"clause '{current}' has a second marker.")
            texts[current] = (no, [m[2]])
        elif current is None:
            # Text outside a clause would be law that no citation reaches.
            raise InputError(f"{name}:{no}", "text outside any clause (a blank line or '#' line ended the clause).")
        else:
            texts[current][1].append(line)
    return {k: (no, " ".join(lines)) for k, (no, lines) in texts.items()}, notes


def _toml_error(name: str, exc: tomllib.TOMLDecodeError) -> InputError:
    m = _TOML_LINE_RE.search(str(exc))
    return InputError(f"{name}:{m[1] if m else '?'}", f"invalid TOML ({str(exc).split(' (at')[0]}).")


def _validation_reason(exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(x) for x in err["loc"])
    if err["type"] == "literal_error":
        return f"field '{field}' has an unknown value {err['input']!r}."
    return f"field '{field}': {err['msg']}."


def _read(path: Traversable, label: str) -> str:
    """A file of the registry as text; a missing, unreadable or non-UTF-8 file is one line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(label, f"cannot be read: {exc.strerror or exc}.") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(label, f"not UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1}).") from None


def _load(folder: Traversable, prefix: str = "") -> Registry:
    """``prefix`` names the folder in messages ("" for the installed registry, a draft's path)."""
    clauses_label = prefix + CLAUSES_FILE
    toml_text = _read(folder / CLAUSES_FILE, clauses_label)
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(clauses_label, exc) from None
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        raise InputError(clauses_label, "arrays or inline tables nested too deeply.") from None
    # Line of each [[clause]] header, so that an entry's error names its line.
    entry_lines = [toml_text.count("\n", 0, m.start()) + 1 for m in _ENTRY_RE.finditer(toml_text)]

    if not isinstance(data.get("law"), dict):
        raise InputError(f"{clauses_label}:1", "the [law] table is missing.")
    try:
        law = Law(**data["law"])
    except ValidationError as exc:
        law_line = next((no for no, text in enumerate(toml_text.split("\n"), 1) if text.strip() == "[law]"), "?")
        raise InputError(f"{clauses_label}:{law_line}: [law]", _validation_reason(exc)) from None

    law_name = law.rebuilt_file
    law_label = prefix + law_name
    texts, notes = _parse_law_text(law_label, _read(folder / law_name, law_label))

    clauses: list[Clause] = []
    seen: set[str] = set()
    used_notes: set[int] = set()
    entries = data.get("clause", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError(clauses_label, "'clause' must be an array of tables ([[clause]] entries).")
    for i, entry in enumerate(entries):
        line = entry_lines[i] if i < len(entry_lines) else "?"
        where = f"{clauses_label}:{line}"
        cid = entry.get("id")
        if not isinstance(cid, str):
            raise InputError(where, "the entry has no string 'id'.")
        if not CLAUSE_ID_RE.match(cid):
            raise InputError(where, "the id does not match the clause id grammar.", cid)
        if cid in seen:
            raise InputError(where, "the id is registered twice.", cid)
        seen.add(cid)
        for key in ("text_ru", "uncertain_notes"):
            if key in entry:
                raise InputError(where, f"'{key}' comes from {law_name}, not from the registry.", cid)
        try:
            clause = Clause(**entry)
        except ValidationError as exc:
            raise InputError(where, _validation_reason(exc), cid) from None

        has_marker = cid in texts
        if clause.status == "text":
            if not has_marker:
                raise InputError(where, f"status is 'text' but {law_name} has no marker for it.", cid)
            if not clause.text_en:
                raise InputError(where, "status is 'text' but 'text_en' is missing.", cid)
        else:
            if has_marker:
                raise InputError(where, f"status is '{clause.status}' but {law_name} has a marker for it.", cid)
            if clause.text_en is not None:
                raise InputError(where, f"status is '{clause.status}', so 'text_en' must be omitted.", cid)
        if (clause.kind in encoded_kinds) == (clause.encoding is not None):
            need = "must not have" if clause.kind in encoded_kinds else "needs"
            raise InputError(where, f"kind '{clause.kind}' {need} an 'encoding'.", cid)

        raw = texts[cid][1] if has_marker else None
        numbers = [int(n) for n in _UNCERTAIN_RE.findall(raw or "")]
        if bool(numbers) != (clause.uncertain is not None):
            raise InputError(where, "'uncertain' must be given exactly when the text has {?N} markers.", cid)
        for n in numbers:
            if n not in notes:
                raise InputError(f"{law_label}:{texts[cid][0]}", f"marker {{?{n}}} has no '# ?{n}:' note.", cid)
            used_notes.add(n)
        text_ru = " ".join(_UNCERTAIN_RE.sub("", raw).split()) if raw is not None else None
        clauses.append(clause.model_copy(update={"text_ru": text_ru, "uncertain_notes": tuple(notes[n] for n in numbers)}))

    for cid, (no, _) in texts.items():
        if cid not in seen:
            raise InputError(f"{law_label}:{no}", f"marker has no entry in {CLAUSES_FILE}.", cid)
    if unused := sorted(set(notes) - used_notes):
        raise InputError(law_label, f"note ?{unused[0]} has no {{?{unused[0]}}} marker in the text.")
    # The registry lists text clauses in text order, so reading it reads the law.
    text_order = [c.id for c in clauses if c.status == "text"]
    if text_order != list(texts):
        first = next(a for a, b in zip(text_order, texts) if a != b)
        line = entry_lines[[c.id for c in clauses].index(first)] if len(entry_lines) == len(clauses) else "?"
        raise InputError(
            f"{clauses_label}:{line}: clause '{first}'",
            f"entries are not in the order of {law_name} (its marker is at line {texts[first][0]}).",
        )
    return Registry(law=law, clauses=tuple(clauses))


@cache
def load_registry(folder: Path | None = None) -> Registry:
    """Loads and checks the clause registry.

    Args:
        folder: folder holding clauses.toml and the law files; default the
            package's ``law`` folder.

    Raises:
        InputError: a file is malformed or the two files disagree.
    """
    if folder is None:
        return _load(files("kzappeals.spec") / "law")
    return _load(folder, f"{folder}/")


def citation(clause_id: str, lang: str = "en") -> str:
    """Returns the clause's citation in Russian ("ru") or English ("en").

    Raises:
        InputError: unknown clause id or language.
    """
    if lang not in ("ru", "en"):
        raise InputError(f"language '{lang}'", "use 'ru' or 'en'.")
    clause = load_registry().get(clause_id)
    return clause.cite_ru if lang == "ru" else clause.cite_en
