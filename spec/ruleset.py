"""The rule set: rule files, questions, profiles, readings and principles, loaded and checked.

This is the single source the Z3 model is compiled from (:mod:`kzappeals.spec.compile`).
Every problem is an :class:`InputError` naming the file, the rule and the key.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from kzappeals.spec.attribute_schema import ATTRIBUTES_FILE, AttributeSchema, load_attributes
from kzappeals.spec.coherence import COHERENCE_FILE, Constraint, load_constraints
from kzappeals.spec.conditions import Expr, fields_of, parse, references
from kzappeals.spec.errors import InputError
from kzappeals.spec.shapes import (
    PrincipleEntry,
    PrinciplesFile,
    ProfilesFile,
    QuestionEntry,
    QuestionsFile,
    RuleFile,
    header_lines,
    parse_shape,
    read_toml,
    table_line,
)

if TYPE_CHECKING:
    from kzappeals.spec.registry import Registry

SPEC_DIR = Path(str(files("kzappeals.spec")))
RULE_ID_RE = re.compile(r"^(?P<clause>[a-z0-9.\-]+)(/[a-z0-9\-]+)?$")
PROFILE_FLAGS = ("residual_yields", "subpoint_order", "exceptions", "gate")


@dataclass(frozen=True)
class Lapse:
    """Where a clause says the question does not arise, given the answers to earlier questions
    (``[[lapse]]`` of questions.toml): an appeal point 15 does not consider has no one who considers
    it, and one the body forwards (p23.pp1.ch2, p23.pp2.ch2) or returns (p23.pp3) gets no answer
    from that body, so no signatory (point 54 says who gives the answer, "кем дается ответ")."""

    question: str
    when: Expr  # over earlier questions' answers only: "q in (v, ...)" means some deciding rule answers q so
    clauses: tuple[str, ...]
    reason_en: str
    reason_ru: str


@dataclass(frozen=True)
class Question:
    name: str
    title_en: str
    title_ru: str
    values: dict[str, dict[str, str]]
    required_when: Expr
    compatible: frozenset[frozenset[str]]
    may_be_filled_by: tuple[str, ...]
    lapses: tuple[Lapse, ...] = ()

    def compatible_values(self, a: str, b: str) -> bool:
        return a == b or frozenset((a, b)) in self.compatible


@dataclass(frozen=True)
class Rule:
    """One decision rule: its clause, its condition over the vocabulary, its conclusions."""

    id: str
    file: str
    clause: str
    cites: tuple[str, ...]
    when: Expr
    when_text: str
    then: dict[str, str]
    residual: bool
    gated: bool
    prevails_over: tuple[str, ...]
    because: str
    readings: tuple[str, ...]
    note: str
    provisions: dict[str, str]
    only_under: str = ""  # a reading the text leaves open: the rule applies only under profiles choosing it
    line: int | None = None  # of its [[rule]] header in ``file``, where the headers can be counted

    @property
    def place(self) -> str:
        """Where a message names the rule: its file, line and id."""
        return f"{self.file}{f':{self.line}' if self.line else ''}: rule '{self.id}'"

    def provision(self, question: str) -> str:
        """The clause that gives this rule's answer to ``question`` (its own clause unless `provisions` says)."""
        return self.provisions.get(question, self.clause)

    def clauses_for(self, question: str) -> tuple[str, ...]:
        """What the answer to ``question`` rests on: its provision first, then the rule's other clauses."""
        first = self.provision(question)
        return (first, *(c for c in self.clauses if c != first))

    @property
    def clauses(self) -> tuple[str, ...]:
        """The rule's own clause first, then what it cites."""
        return (self.clause, *self.cites)

    @property
    def point(self) -> str:
        return self.clause.split(".")[0]

    @property
    def subpoint(self) -> tuple[int, int] | None:
        """The subpoint's number as (N, M) for "N-M)", M = 0 for "N)": an inserted subpoint 5-1)
        comes after 5) and before 6) when subpoints are read in order."""
        m = re.search(r"\.pp(\d+)(?:-(\d+))?", self.clause)
        return (int(m.group(1)), int(m.group(2) or 0)) if m else None

    def under(self, prefix: str) -> bool:
        """Is this rule 'provided by' the clause ``prefix`` (that clause or a unit inside it)?"""
        return self.clause == prefix or self.clause.startswith(prefix + ".") or self.id == prefix


@dataclass(frozen=True)
class Profile:
    name: str
    title_en: str
    title_ru: str
    rationale: str
    residual_yields: bool
    subpoint_order: bool
    exceptions: bool
    gate: bool
    readings: tuple[str, ...] = ()  # the readings the text leaves open that this profile chooses

    def follows(self, rule: Rule) -> bool:
        """Does this profile read the text the way ``rule`` does (a rule of a reading it does not choose never applies)?"""
        return not rule.only_under or rule.only_under in self.readings

    def overrides(self, s: Rule, r: Rule) -> bool:
        """Does ``s`` take precedence over ``r`` when both answer one question under this profile?"""
        if s.id == r.id:
            return False
        if self.residual_yields and r.residual and not s.residual:
            return True
        if self.subpoint_order and s.point == r.point and s.subpoint and r.subpoint and s.subpoint < r.subpoint:
            return True
        return self.exceptions and any(r.under(p) for p in s.prevails_over)


@dataclass(frozen=True)
class Reading:
    id: str
    title_en: str
    title_ru: str
    rationale: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class Principle:
    id: str
    title_en: str
    title_ru: str
    question: str
    clauses: tuple[str, ...]
    rationale: str
    when: Expr | None = None  # None for an exactly-one principle
    forbidden: frozenset[str] = frozenset()

    @property
    def exactly_one(self) -> bool:
        return self.when is None


@dataclass(frozen=True, eq=False)
class RuleSet:
    questions: dict[str, Question]
    rules: tuple[Rule, ...]
    profiles: dict[str, Profile]
    readings: dict[str, Reading]
    principles: tuple[Principle, ...]
    coherence: tuple[Constraint, ...]  # the folder's own coherence.toml: it bounds the Z3 model of this rule set
    attributes: AttributeSchema  # the folder's own attributes.toml: what its conditions test and its cases hold
    ordinary: dict  # the folder's own ordinary-appeal.json (case JSON): every witness is measured from it
    folder: str  # how messages name the folder: "spec" for the installed one, else the path given
    labels: dict  # the folder's own labels.toml: how each value of each attribute reads in a finding
    sha256: str
    registry: Registry  # the folder's own clause registry: what its rules cite and its reports quote
    by_id: dict[str, Rule] = field(init=False, repr=False)
    _provided: dict = field(init=False, repr=False)
    _answering: dict = field(init=False, repr=False)
    _unknowns: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {r.id: r for r in self.rules})
        # Asked for every pair of rules, witness and case the verifier and the evaluator look at: found once.
        object.__setattr__(self, "_provided", {})
        object.__setattr__(self, "_answering", {q: tuple(r for r in self.rules if q in r.then) for q in self.questions})
        object.__setattr__(self, "_unknowns", {})

    def answering(self, question: str) -> tuple[Rule, ...]:
        return self._answering.get(question, ())

    def provided_by(self, prefixes: tuple[str, ...]) -> list[Rule]:
        if prefixes not in self._provided:  # asked for every case the evaluator decides
            self._provided[prefixes] = [r for r in self.rules if any(r.under(p) for p in prefixes)]
        return self._provided[prefixes]

    def unknowns(self, rule: Rule) -> frozenset[str]:
        """Unknown provisions the rule's condition rests on, also through provided_by:
        a residual clause "except subpoints 1), 2)" rests on whether 54.1 and 54.2 apply."""
        if rule.id not in self._unknowns:
            prefixes, direct = references(rule.when)
            self._unknowns[rule.id] = frozenset(direct).union(*(self.unknowns(r) for r in self.provided_by(tuple(prefixes))))
        return self._unknowns[rule.id]


def _label(spec_dir: Path, name: str) -> str:
    """How a message names a file of the spec folder: ``spec/...`` for the installed one, the path
    the user gave for a draft."""
    return f"spec/{name}" if spec_dir == SPEC_DIR else str(spec_dir / name)


SPEC_DATA = (
    "attributes.toml",
    "questions.toml",
    "profiles.toml",
    "principles.toml",
    "coherence.toml",
    "labels.toml",
    "ordinary-appeal.json",
    "law/clauses.toml",
    "law/order-165-2015.ru.txt",
)
"""The spec's data files (besides rules/*.toml): what the rules mean, where they come from, and the
ordinary appeal every witness and shrunk case is measured from."""

SPEC_CODE = (
    "attribute_schema.py",
    "json_values.py",
    "attributes.py",
    "vocabulary.py",
    "dispositions.py",
    "conditions.py",
    "ruleset.py",
    "calendar.py",
)
"""The modules that give the data its meaning: how the case's attributes are read and typed, the answer vocabulary, the dispositions that
start a deadline, the condition language, the profiles' precedence, and the working-day calendar. Always the installed package's own (a draft
directory changes data, not code)."""


def spec_files(spec_dir: Path = SPEC_DIR) -> list[Path]:
    """Every file whose content an expected answer or a finding depends on, in a fixed order:
    :data:`SPEC_DATA` and the rule files from ``spec_dir``, then :data:`SPEC_CODE`."""
    data = [spec_dir / n for n in SPEC_DATA if (spec_dir / n).exists()] + sorted((spec_dir / "rules").glob("*.toml"))
    return data + [SPEC_DIR / n for n in SPEC_CODE]


def spec_sha256(paths: list[Path]) -> str:
    """SHA-256 over each file's name and bytes, then the version of the calendar data (``holidays``).

    Recompute it by hand: for each path of :func:`spec_files` in order, feed ``name NUL bytes NUL``;
    then ``holidays NUL <version>``."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    h.update(b"holidays\0" + importlib.metadata.version("holidays").encode())
    return h.hexdigest()


def _load_questions(spec_dir: Path, clause_ids: set[str], attributes: AttributeSchema) -> dict[str, Question]:
    from kzappeals.spec.vocabulary import QUESTIONS

    label = _label(spec_dir, "questions.toml")
    data, text = read_toml(spec_dir / "questions.toml", label)
    shape = parse_shape(QuestionsFile, data, text, label)
    lapse_lines = [f":{n}" for n in header_lines(text, "lapse")]
    if [k for k in data if k not in ("compatible", "lapse")] != list(QUESTIONS):
        raise InputError(label, f"questions must be, in this order: {', '.join(QUESTIONS)} (kzappeals.spec.vocabulary.QUESTIONS)")
    compatible: dict[str, set[frozenset[str]]] = {}
    for c in shape.compatible:
        compatible.setdefault(c.question, set()).add(frozenset(c.values))
    out = {}
    for name in QUESTIONS:
        q: QuestionEntry = getattr(shape, name)
        where = f"{label}{table_line(text, name)}: [{name}]"
        typed = {v.value for v in QUESTIONS[name]}
        # The shipped spec labels exactly the typed answers; a draft may declare new ones (a new
        # signatory) in data, which verify and diff read as any other (decide --spec refuses them).
        if set(q.values) != typed if spec_dir == SPEC_DIR else not typed <= set(q.values):
            raise InputError(
                where + ".values",
                f"labels must be given for {'exactly ' if spec_dir == SPEC_DIR else 'at least '}the answers of "
                f"{QUESTIONS[name].__name__}: {', '.join(QUESTIONS[name])}",
            )
        values = {v: label_.model_dump() for v, label_ in q.values.items()}
        earlier = {n: frozenset(v.value for v in QUESTIONS[n]) for n in list(QUESTIONS)[: list(QUESTIONS).index(name)]}
        lapses = []
        for i, lp in enumerate(shape.lapse):
            if lp.question != name:
                continue
            at = f"{label}{lapse_lines[i] if len(lapse_lines) == len(shape.lapse) else ''}: [[lapse]] {i + 1} ({name})"
            for cited in lp.clauses:
                if cited not in clause_ids:
                    raise InputError(at, f"cites clause '{cited}', which the clause registry does not have")
            when = parse(lp.when, at + " when", earlier, attributes)
            if fields_of(when) or references(when) != (set(), set()):
                # A lapse follows from what the text answers, never from facts the rules did not read.
                raise InputError(at + " when", f"may name only the answers of earlier questions ({', '.join(earlier) or 'none'})")
            lapses.append(Lapse(name, when, tuple(lp.clauses), lp.reason_en, lp.reason_ru))
        out[name] = Question(
            name,
            q.title_en,
            q.title_ru,
            values,
            parse(q.required_when, where + " required_when", attributes=attributes),
            frozenset(compatible.get(name, ())),
            tuple(q.may_be_filled_by),
            tuple(lapses),
        )
    for i, lp in enumerate(shape.lapse):
        if lp.question not in QUESTIONS:
            raise InputError(
                f"{label}{lapse_lines[i] if len(lapse_lines) == len(shape.lapse) else ''}: [[lapse]] {i + 1}",
                f"'{lp.question}' is not a question (one of: {', '.join(QUESTIONS)})",
            )
    for name, pairs in compatible.items():
        for pair in pairs:
            if name not in out or len(pair) != 2 or not pair <= out[name].values.keys():
                raise InputError(f"{label}: [[compatible]]", f"{sorted(pair)} are not two values of question '{name}'")
    return out


def _load_rules(spec_dir: Path, questions: dict[str, Question], clause_ids: set[str], attributes: AttributeSchema) -> list[Rule]:
    rules: list[Rule] = []
    for path in sorted((spec_dir / "rules").glob("*.toml")):
        label = _label(spec_dir, f"rules/{path.name}")
        data, text = read_toml(path, label)
        entries = parse_shape(RuleFile, data, text, label).rule
        # tomllib keeps no positions: the n-th [[rule]] header gives the n-th rule's line.
        lines = header_lines(text, "rule")
        for i, r in enumerate(entries):
            where = f"{label}{f':{lines[i]}' if len(lines) == len(entries) else ''}: rule '{r.id}'"
            m = RULE_ID_RE.match(r.id)
            if not m:
                raise InputError(where, "id must be a clause id, optionally followed by /name")
            clause = m.group("clause")
            for c in (clause, *r.cites):
                if c not in clause_ids:
                    raise InputError(
                        where, f"cites clause '{c}', which the clause registry ({_label(spec_dir, 'law/clauses.toml')}) does not have"
                    )
            for q, v in r.then.items():
                if q not in questions:
                    raise InputError(where + " then", f"'{q}' is not a question (one of: {', '.join(questions)})")
                if v not in questions[q].values:
                    raise InputError(where + " then", f"'{v}' is not an answer to '{q}' (one of: {', '.join(questions[q].values)})", clause)
            for q, c in r.provisions.items():
                if q not in r.then or c not in clause_ids:
                    raise InputError(where + " provisions", f"'{q} = {c}' must name a question the rule answers and a registered clause")
            if r.prevails_over and not r.because:
                raise InputError(where, "prevails_over needs a 'because' giving the legal reason")
            rule = Rule(
                id=r.id,
                file=label,
                clause=clause,
                cites=tuple(r.cites),
                when=parse(r.when, where + " when", attributes=attributes),
                when_text=r.when,
                then=dict(r.then),
                residual=r.residual,
                gated=r.gated,
                prevails_over=tuple(r.prevails_over),
                because=r.because,
                readings=tuple(r.readings),
                note=r.note,
                provisions=dict(r.provisions),
                only_under=r.only_under,
                line=lines[i] if len(lines) == len(entries) else None,
            )
            for p in rule.prevails_over:
                if rule.under(p):
                    raise InputError(where + " prevails_over", f"'{p}' names the rule itself: a rule cannot prevail over itself")
            rules.append(rule)
    seen: set[str] = set()
    for loaded in rules:
        if loaded.id in seen:
            raise InputError(loaded.place, "duplicate rule id")
        seen.add(loaded.id)
    return rules


def _check_references(rules: list[Rule], readings: dict[str, Reading], spec_dir: Path) -> None:
    """provided_by and prevails_over must name rules; provided_by must not loop."""

    def provided(prefixes: set[str], where: str) -> list[Rule]:
        found = []
        for p in sorted(prefixes):
            hits = [s for s in rules if s.under(p)]
            if not hits:
                raise InputError(where, f"'{p}' names no rule")
            found += hits
        return found

    deps: dict[str, set[str]] = {}
    for r in rules:
        where = r.place
        deps[r.id] = {s.id for s in provided(references(r.when)[0], where + " when")}
        provided(set(r.prevails_over), where + " prevails_over")
        for name in (*r.readings, *([r.only_under] if r.only_under else [])):
            if name not in readings:
                raise InputError(where + " readings", f"'{name}' is not a reading in {_label(spec_dir, 'profiles.toml')}")

    state: dict[str, int] = {}

    def visit(rid: str, path: list[str]) -> None:
        if state.get(rid) == 1:
            raise InputError(next(r.place for r in rules if r.id == rid), "provided_by loops: " + " -> ".join(path + [rid]))
        if state.get(rid) == 2:
            return
        state[rid] = 1
        for d in sorted(deps[rid]):
            visit(d, path + [rid])
        state[rid] = 2

    for rid in deps:
        visit(rid, [])


def _load_profiles(spec_dir: Path, clause_ids: set[str]) -> tuple[dict[str, Profile], dict[str, Reading]]:
    label = _label(spec_dir, "profiles.toml")
    data, text = read_toml(spec_dir / "profiles.toml", label)
    shape = parse_shape(ProfilesFile, data, text, label)
    profiles = {
        name: Profile(
            name, p.title_en, p.title_ru, p.rationale, p.residual_yields, p.subpoint_order, p.exceptions, p.gate, tuple(p.readings)
        )
        for name, p in shape.profile.items()
    }
    readings: dict[str, Reading] = {}
    lines = header_lines(text, "reading")
    for i, r in enumerate(shape.reading):
        where = f"{label}{f':{lines[i]}' if len(lines) == len(shape.reading) else ''}: reading '{r.id}'"
        for c in r.clauses:
            if c not in clause_ids:
                raise InputError(where, f"cites clause '{c}', which the clause registry does not have")
        if r.id in readings:
            raise InputError(where, "duplicate reading id")
        readings[r.id] = Reading(r.id, r.title_en, r.title_ru, r.rationale, tuple(r.clauses))
    for prof in profiles.values():
        for name in prof.readings:
            if name not in readings:
                raise InputError(
                    f"{label}{table_line(text, 'profile.' + prof.name)}: [profile.{prof.name}] readings",
                    f"'{name}' is not a [[reading]] of {label}",
                )
    return profiles, readings


def _load_principles(spec_dir: Path, questions: dict[str, Question], clause_ids: set[str], attributes: AttributeSchema) -> list[Principle]:
    label = _label(spec_dir, "principles.toml")
    data, text = read_toml(spec_dir / "principles.toml", label)
    shape = parse_shape(PrinciplesFile, data, text, label)
    outputs = {n: frozenset(q.values) for n, q in questions.items()}
    out: list[Principle] = []
    for kind in ("principle", "exactly_one"):
        entries = getattr(shape, kind)
        lines = header_lines(text, kind)
        for i, p in enumerate(entries):
            where = f"{label}{f':{lines[i]}' if len(lines) == len(entries) else ''}: {kind} '{p.id}'"
            if p.question not in questions:
                raise InputError(where, f"'{p.question}' is not a question")
            for c in p.clauses:
                if c not in clause_ids:
                    raise InputError(where, f"cites clause '{c}', which the clause registry does not have")
            if any(q.id == p.id for q in out):
                raise InputError(where, "duplicate principle id")
            if isinstance(p, PrincipleEntry):
                bad = set(p.forbidden) - outputs[p.question]
                if bad:
                    raise InputError(where + " forbidden", f"{sorted(bad)} are not answers to '{p.question}'")
                out.append(
                    Principle(
                        p.id,
                        p.title_en,
                        p.title_ru,
                        p.question,
                        tuple(p.clauses),
                        p.rationale,
                        when=parse(p.when, where + " when", outputs, attributes),
                        forbidden=frozenset(p.forbidden),
                    )
                )
            else:
                out.append(Principle(p.id, p.title_en, p.title_ru, p.question, tuple(p.clauses), p.rationale))
    return out


def load_ruleset(spec_dir: Path = SPEC_DIR) -> RuleSet:
    """Load and check everything the verifier compiles, from ``spec_dir`` (the installed spec or a
    draft: every file of the folder, its own coherence constraints and clause registry included)."""
    from kzappeals.spec.registry import load_registry

    registry = load_registry() if spec_dir == SPEC_DIR else load_registry(spec_dir / "law")
    clause_ids = set(registry.ids())
    attributes = load_attributes(spec_dir / ATTRIBUTES_FILE, _label(spec_dir, ATTRIBUTES_FILE))
    questions = _load_questions(spec_dir, clause_ids, attributes)
    clash = [a for a in attributes.tested if a in questions]
    if clash:
        # a principle's condition names questions and attributes alike: one name, one meaning
        raise InputError(f"{_label(spec_dir, ATTRIBUTES_FILE)}: [{clash[0]}]", f"'{clash[0]}' is the name of a question")
    profiles, readings = _load_profiles(spec_dir, clause_ids)
    rules = _load_rules(spec_dir, questions, clause_ids, attributes)
    _check_references(rules, readings, spec_dir)
    principles = _load_principles(spec_dir, questions, clause_ids, attributes)
    coherence = load_constraints(spec_dir / COHERENCE_FILE, _label(spec_dir, COHERENCE_FILE), clause_ids, attributes)
    ruleset = RuleSet(
        questions=questions,
        rules=tuple(rules),
        profiles=profiles,
        readings=readings,
        principles=tuple(principles),
        coherence=coherence,
        attributes=attributes,
        ordinary=_load_ordinary(spec_dir),
        folder=_label(spec_dir, "").rstrip("/"),
        labels=_load_labels(spec_dir, attributes),
        sha256=spec_sha256(spec_files(spec_dir)),
        registry=registry,
    )
    for prof in profiles.values():
        _check_acyclic(ruleset, prof, _label(spec_dir, "profiles.toml"))
    _check_ordinary(ruleset, _label(spec_dir, ORDINARY_FILE))
    return ruleset


ORDINARY_FILE = "ordinary-appeal.json"


def _load_labels(spec_dir: Path, attributes: AttributeSchema) -> dict:
    """labels.toml, with a phrase in both languages for every value of every attribute a witness can show."""
    from kzappeals.spec.labels import label_key

    label = _label(spec_dir, "labels.toml")
    data, text = read_toml(spec_dir / "labels.toml", label)
    wanted = {name: [label_key(v) for v in attributes.values(name)] for name in attributes.tested}
    wanted["unknown_provisions"] = list(attributes.unknown_provisions)
    for name, keys in wanted.items():
        for key in keys:
            entry = data.get(name, {}).get(key) if isinstance(data.get(name), dict) else None
            if not isinstance(entry, dict) or not all(isinstance(entry.get(lang), str) for lang in ("en", "ru")):
                raise InputError(
                    f"{label}{table_line(text, name)}: [{name}] key '{key}'",
                    "missing: every value of attributes.toml reads as a phrase, { en = ..., ru = ... }",
                )
    return data


def _load_ordinary(spec_dir: Path) -> dict:
    label = _label(spec_dir, ORDINARY_FILE)
    try:
        data = json.loads((spec_dir / ORDINARY_FILE).read_bytes())
    except OSError as exc:
        raise InputError(label, f"cannot be read: {exc.strerror or exc}") from None
    except ValueError as exc:  # not UTF-8, or not JSON
        raise InputError(label, f"not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(label, "must be a JSON object: a case")
    return data


def _check_ordinary(rs: RuleSet, label: str) -> None:
    """The ordinary appeal is a case of the rule set's own attributes and constraints (a draft that adds
    a fact of the case gives its ordinary value there)."""
    from pydantic import ValidationError

    from kzappeals.spec.case_json import parse_case
    from kzappeals.spec.case_models import case_model

    try:
        parse_case(rs.ordinary, case_model(rs))
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = f" field '{'.'.join(map(str, err['loc']))}'" if err["loc"] else ""
        raise InputError(label + where, f"not a case of this spec: {err['msg']}") from None


def _check_acyclic(rs: RuleSet, prof: Profile, label: str) -> None:
    """Precedence must be a strict order per question, or 'the deciding rule' means nothing."""
    for q in rs.questions:
        _check_acyclic_on(rs.answering(q), prof, label, q)


def _check_acyclic_on(rules: tuple[Rule, ...], prof: Profile, label: str, question: str) -> None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(r: Rule, path: list[str]) -> None:
        if state.get(r.id) == 1:
            raise InputError(
                f"{r.place} prevails_over",
                f"under [profile.{prof.name}] of {label}, precedence loops on question '{question}': " + " > ".join([*path, r.id]),
            )
        if state.get(r.id) == 2:
            return
        state[r.id] = 1
        for s in rules:
            if prof.overrides(r, s):
                visit(s, [*path, r.id])
        state[r.id] = 2

    for r in rules:
        visit(r, [])


@cache
def default_ruleset() -> RuleSet:
    return load_ruleset()
