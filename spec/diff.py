"""What a draft changes: findings added and removed, and every class of appeals whose answer changes.

The two rule sets (the base, by default the shipped spec, and the draft) are compiled into one Z3
context (:class:`kzappeals.spec.compile.CompiledModel` with a shared context), so a case attribute is
one constant for both. Under a profile, a question's *answer* on a case is what the evaluator
(:mod:`kzappeals.spec.evaluate`) gives: the set of values the deciding rules give, or, where no rule
decides, "undetermined" (the question is in scope) or "not applicable". A *change* is a case where the
two answers differ; the changes are listed as classes of equal (before, after) pairs, each as a maximal
region grown from its least witness (the fewest attributes changed from ``spec/ordinary-appeal.json``,
then the earliest values), exactly as gaps are (:meth:`kzappeals.spec.verify.Witnesses.region`). Nothing
is enumerated: every class is a Z3 query, so an attribute or value the enumerated domain lacks is
covered all the same.

The JSON form is :class:`DiffReport` (schema ``spec/schemas/diff.schema.json``).
"""

from __future__ import annotations

import hashlib
from typing import Literal

import z3
from pydantic import BaseModel, ConfigDict, Field

from kzappeals import __version__
from kzappeals.spec import workers
from kzappeals.spec.attribute_schema import ATTRIBUTES_FILE, AttributeSchema
from kzappeals.spec.compile import CompiledModel
from kzappeals.spec.errors import InputError
from kzappeals.spec.findings import Change as AttributeChange
from kzappeals.spec.findings import Finding, Range, region_key
from kzappeals.spec.registry import encoded_kinds
from kzappeals.spec.ruleset import Profile, RuleSet
from kzappeals.spec.verify import Witnesses, verify

MAX_REGIONS = 12
"""Per kind of change (profile, question, values gained and lost): a bound on the report. A kind that
reaches it is then excluded as a whole, so every kind of change is still listed (a ``truncated``
warning says which kinds have more regions)."""

_FROZEN = ConfigDict(frozen=True, extra="forbid")

Status = Literal["decided", "ambiguous", "undetermined", "not_applicable"]


class AnswerState(BaseModel):
    """A question's answer on a case under one rule set: the values the deciding rules give."""

    model_config = _FROZEN
    status: Status
    values: tuple[str, ...] = Field(default=(), description="The deciding rules' answers, in the question's value order.")


class AnswerChange(BaseModel):
    """A class of appeals whose answer to one question the draft changes in one way: on every case of
    the region the draft gives the ``gained`` values and no longer gives the ``lost`` ones (every
    other value alike), and each side answers, or is undetermined, or not applicable, as on the
    witness (with no value gained or lost, the question turns from undetermined to not applicable
    or back)."""

    model_config = _FROZEN
    id: str = Field(description="A function of the profile, question, the change and the region (never of solver order).")
    profile: str
    question: str
    gained: tuple[str, ...] = Field(description="Values the draft gives on every case of the region and the base does not.")
    lost: tuple[str, ...] = Field(description="Values the base gives on every case of the region and the draft does not.")
    before: AnswerState = Field(description="The base's answer on the witness.")
    after: AnswerState = Field(description="The draft's answer on the witness.")
    witness: dict = Field(description="A case of the class (case schema): the fewest changes from the ordinary appeal.")
    changes: tuple[AttributeChange, ...] = Field(description="How the witness differs from the ordinary appeal.")
    region: tuple[Range, ...] = Field(description="Every coherent case whose attributes lie in these ranges is in the class.")
    clauses_before: tuple[str, ...] = Field(description="What the base's answer on the witness rests on (deciding rules or lapses).")
    clauses_after: tuple[str, ...] = Field(description="What the draft's answer on the witness rests on.")
    rules_before: tuple[str, ...] = ()
    rules_after: tuple[str, ...] = ()
    new_in_draft: tuple[str, ...] = Field(
        default=(),
        description="The witness's facts the base's attributes cannot state (``field=value``: a fact of the case or a value the draft adds): the class is one the draft creates, and the base answers it as its rules, which do not name that fact, answer the same case without it.",
    )


class FindingRef(BaseModel):
    model_config = _FROZEN
    id: str
    kind: str
    profile: str
    message: str


class FindingsDiff(BaseModel):
    model_config = _FROZEN
    added: tuple[FindingRef, ...] = Field(description="Findings of the draft the base does not have.")
    removed: tuple[FindingRef, ...] = Field(description="Findings of the base the draft no longer has (what it fixes).")
    unchanged: tuple[str, ...] = Field(description="Ids of findings both have.")
    counts: dict[str, dict[str, int]] = Field(description="Per profile (and 'all' for shared assumptions): before and after.")


class DiffWarning(BaseModel):
    model_config = _FROZEN
    kind: Literal["clause-without-rule", "text-changed-encoding-not", "profile-missing", "coherence-changed", "truncated"]
    clause: str | None = None
    message: str


class DiffReport(BaseModel):
    """The JSON form of ``kzappeals diff``."""

    model_config = _FROZEN
    tool: Literal["kzappeals"] = "kzappeals"
    spec_version: str
    base_sha256: str
    draft_sha256: str
    profiles: tuple[str, ...]
    attributes: dict[str, tuple[str | bool, ...]] = Field(
        description="Every attribute the compared cases have, with its values in order: the base's, then what the draft adds."
    )
    changes: tuple[AnswerChange, ...]
    findings: FindingsDiff
    warnings: tuple[DiffWarning, ...]

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.findings.added or self.findings.removed)


def _change_id(
    profile: str, question: str, gained: tuple[str, ...], lost: tuple[str, ...], standing: tuple[str, str], region: tuple[Range, ...]
) -> str:
    parts = (profile, question, "+", *gained, "-", *lost, *standing, *sorted(region_key(region)))
    return f"change-{profile}-{hashlib.sha256('|'.join(parts).encode()).hexdigest()[:10]}"


class _Side:
    """One rule set's model in the shared context, with the terms a question's answer is made of."""

    def __init__(self, rs: RuleSet, ctx: z3.Context, attributes: AttributeSchema):
        self.rs = rs
        self.m = CompiledModel(rs, ctx, attributes)

    def terms(self, prof: Profile, q: str, values: list[str]) -> tuple[dict[str, z3.BoolRef], z3.BoolRef]:
        """Per value, "some deciding rule gives it" (False for a value this rule set cannot give), and the scope."""
        own = set(self.rs.questions[q].values) if q in self.rs.questions else set()
        answers = {v: self.m.answers(prof, q, {v}) if v in own else z3.BoolVal(False, self.m.ctx) for v in values}
        scope = self.m.in_scope(prof, q) if q in self.rs.questions else z3.BoolVal(False, self.m.ctx)
        return answers, scope

    def state(self, prof: Profile, q: str, model, values: list[str]) -> tuple[AnswerState, tuple[str, ...], tuple[str, ...]]:
        """The answer on ``model``, with the clauses and rules it rests on (the evaluator's own choice of clauses)."""
        if q not in self.rs.questions:
            return AnswerState(status="not_applicable"), (), ()
        deciding = [r for r in self.rs.answering(q) if z3.is_true(model.eval(self.m.decides(prof, r, q), model_completion=True))]
        if deciding:
            given = [v for v in values if any(r.then[q] == v for r in deciding)]
            question = self.rs.questions[q]
            ok = all(question.compatible_values(a, b) for a in given for b in given)
            clauses = tuple(dict.fromkeys(c for v in given for r in deciding if r.then[q] == v for c in r.clauses_for(q)))
            return AnswerState(status="decided" if ok else "ambiguous", values=tuple(given)), clauses, tuple(r.id for r in deciding)
        lapses = [lp for lp in self.rs.questions[q].lapses if z3.is_true(model.eval(self.m.expr(lp.when, prof), model_completion=True))]
        if lapses:
            return AnswerState(status="not_applicable"), tuple(dict.fromkeys(c for lp in lapses for c in lp.clauses)), ()
        in_scope = z3.is_true(model.eval(self.m.in_scope(prof, q), model_completion=True))
        return AnswerState(status="undetermined" if in_scope else "not_applicable"), (), ()


def _changed_term(before, after, ctx: z3.Context) -> z3.BoolRef:
    """Some value is given on one side only, or neither side decides and only one has the question in scope."""
    (ab, sb), (aa, sa) = before, after
    differ = [ab[v] != aa[v] for v in ab]
    none_b = z3.Not(z3.Or(*ab.values())) if ab else z3.BoolVal(True, ctx)
    none_a = z3.Not(z3.Or(*aa.values())) if aa else z3.BoolVal(True, ctx)
    differ.append(z3.And(none_b, none_a, sb != sa))
    return z3.Or(*differ)


def _standing(state: AnswerState) -> str:
    """Whether a side answers at all: "answered", or which of "undetermined" and "not_applicable" it is."""
    return "answered" if state.values else state.status


def _class_term(before, after, gained: tuple[str, ...], lost: tuple[str, ...], standing: tuple[str, str], ctx: z3.Context) -> z3.BoolRef:
    """The cases whose answer changes exactly so: ``gained`` given by the draft only, ``lost`` by the
    base only, every other value alike, and each side answering or not as ``standing`` says (an
    appeal that loses its only signatory is told apart from one that keeps another)."""
    parts = []
    for v in before[0]:
        if v in gained:
            parts += [z3.Not(before[0][v]), after[0][v]]
        elif v in lost:
            parts += [before[0][v], z3.Not(after[0][v])]
        else:
            parts.append(before[0][v] == after[0][v])
    for (answers, scope), stand in zip((before, after), standing):
        some = z3.Or(*answers.values()) if answers else z3.BoolVal(False, ctx)
        parts += [some] if stand == "answered" else [z3.Not(some), scope if stand == "undetermined" else z3.Not(scope)]
    return z3.And(*parts)


def answer_changes(base: RuleSet, draft: RuleSet, profile: str) -> tuple[list[AnswerChange], list[DiffWarning]]:
    """Every class of appeals whose answer to some question changes under ``profile`` (a profile of both)."""
    ctx = z3.Context()
    schema = compared_attributes(base, draft)
    before, after = _Side(base, ctx, schema), _Side(draft, ctx, schema)
    added = set(draft.attributes.missing_from(base.attributes))
    pb, pa = base.profiles[profile], draft.profiles[profile]
    # Only cases both rule sets admit are compared: a draft's coherence constraint that rules a case out
    # is a change of the vocabulary's bounds, reported as a warning, not an answer.
    w = Witnesses(after.m, z3.And(before.m.domain, after.m.domain))
    out: list[AnswerChange] = []
    warnings: list[DiffWarning] = []
    for q in dict.fromkeys([*base.questions, *draft.questions]):
        values = list(dict.fromkeys(v for rs in (base, draft) if q in rs.questions for v in rs.questions[q].values))
        tb, ta = before.terms(pb, q, values), after.terms(pa, q, values)
        changed = _changed_term(tb, ta, ctx)
        blocked: list[z3.BoolRef] = []
        found: list[AnswerChange] = []
        per_kind: dict[tuple, int] = {}
        while True:
            model = w.least(changed, *blocked)
            if model is None:
                break
            sb, cb, rb = before.state(pb, q, model, values)
            sa, ca, ra = after.state(pa, q, model, values)
            gained = tuple(v for v in values if v in sa.values and v not in sb.values)
            lost = tuple(v for v in values if v in sb.values and v not in sa.values)
            standing = (_standing(sb), _standing(sa))
            cls = _class_term(tb, ta, gained, lost, standing, ctx)
            kind = (gained, lost, standing)
            if per_kind.get(kind) == MAX_REGIONS:
                blocked.append(z3.Not(cls))
                how = " ".join([*(f"+{v}" for v in gained), *(f"-{v}" for v in lost)]) + f" ({standing[0]} -> {standing[1]})"
                warnings.append(
                    DiffWarning(
                        kind="truncated",
                        message=f"{profile}, {q} {how}: more than {MAX_REGIONS} regions; the first {MAX_REGIONS} are listed.",
                    )
                )
                continue
            per_kind[kind] = per_kind.get(kind, 0) + 1
            region = w.region(cls, model)
            blocked.append(z3.Not(z3.And(*[w.within(a, vs) for a, vs in region]) if region else z3.BoolVal(True, ctx)))
            ranges = tuple(Range(field=f"unknown_provisions:{a}" if a in w.m.unknown else a, values=tuple(vs)) for a, vs in region)
            found.append(
                AnswerChange(
                    id=_change_id(profile, q, gained, lost, standing, ranges),
                    profile=profile,
                    question=q,
                    gained=gained,
                    lost=lost,
                    before=sb,
                    after=sa,
                    **w.describe(model),
                    region=ranges,
                    clauses_before=cb,
                    clauses_after=ca,
                    rules_before=rb,
                    rules_after=ra,
                    new_in_draft=_new_facts(w.describe(model)["changes"], added),
                )
            )
        out += found
    return out, warnings


def compared_attributes(base: RuleSet, draft: RuleSet) -> AttributeSchema:
    """The attributes both rule sets are compiled over: the base's, then what the draft adds.

    Raises:
        InputError: the draft drops an attribute or a value of the base; a case of the base would have
            no case of the draft to be compared with (a fact no rule reads anymore is kept, unread).
    """
    dropped = base.attributes.missing_from(draft.attributes)
    if dropped:
        raise InputError(
            f"{draft.folder}/{ATTRIBUTES_FILE}",
            f"the draft drops what the base's cases have ({', '.join(dropped)}): keep it in the draft's attributes.toml, unread",
        )
    return base.attributes.extended_by(draft.attributes)


def _new_facts(changes, added: set[str]) -> tuple[str, ...]:
    """The witness's changes from the ordinary appeal that only the draft's attributes can state."""
    return tuple(f"{c.field}={c.value}" for c in changes if c.field in added or f"{c.field}={c.value}" in added)


def _refs(findings: list[Finding]) -> tuple[FindingRef, ...]:
    return tuple(FindingRef(id=f.id, kind=f.kind, profile=f.profile, message=f.message.en) for f in sorted(findings, key=lambda f: f.id))


def findings_diff(before: list[Finding], after: list[Finding], profiles: list[str]) -> FindingsDiff:
    ids_b, ids_a = {f.id for f in before}, {f.id for f in after}
    counts = {p: {"before": sum(f.profile == p for f in before), "after": sum(f.profile == p for f in after)} for p in ["all", *profiles]}
    return FindingsDiff(
        added=_refs([f for f in after if f.id not in ids_b]),
        removed=_refs([f for f in before if f.id not in ids_a]),
        unchanged=tuple(sorted(ids_a & ids_b)),
        counts=counts,
    )


def encoding_warnings(base: RuleSet, draft: RuleSet) -> list[DiffWarning]:
    """Decision clauses of the draft no rule encodes, and clauses whose text changed while every rule
    encoding them stayed the same (the text moved, the model did not follow)."""
    out = []
    cited = {c for r in draft.rules for c in r.clauses}
    fillers = {u for q in draft.questions.values() for u in q.may_be_filled_by}
    for c in draft.registry.clauses:
        if c.kind in encoded_kinds and c.id not in cited | fillers:
            out.append(
                DiffWarning(
                    kind="clause-without-rule",
                    clause=c.id,
                    message=f"{c.id} ({c.cite_en}) decides something, but no rule of the draft encodes it.",
                )
            )
    for c in draft.registry.clauses:
        if c.id not in base.registry or c.kind not in encoded_kinds:
            continue
        old = base.registry.get(c.id)
        if (old.text_ru, old.text_en) == (c.text_ru, c.text_en):
            continue
        mine_b = sorted(_rule_key(r) for r in base.rules if r.clause == c.id)
        mine_a = sorted(_rule_key(r) for r in draft.rules if r.clause == c.id)
        if mine_a and mine_a == mine_b:
            out.append(
                DiffWarning(
                    kind="text-changed-encoding-not",
                    clause=c.id,
                    message=f"{c.id}: its text changed, but the rules encoding it ({', '.join(r[0] for r in mine_a)}) did not.",
                )
            )
    return out


def _rule_key(r) -> tuple:
    return (
        r.id,
        r.when_text,
        tuple(sorted(r.then.items())),
        r.residual,
        r.gated,
        r.prevails_over,
        r.only_under,
        tuple(sorted(r.provisions.items())),
    )


def diff(
    base: RuleSet, draft: RuleSet, profiles: list[str] | None = None, jobs: int | None = None, base_findings: list[Finding] | None = None
) -> DiffReport:
    """What ``draft`` changes against ``base`` under ``profiles`` (default: every profile of either).

    ``base_findings``: the base's findings under every profile, when already known (its committed
    verification report, of the same SHA-256); default: verified here."""
    names = profiles or list(dict.fromkeys([*base.profiles, *draft.profiles]))
    schema = compared_attributes(base, draft)
    warnings: list[DiffWarning] = []
    both = [n for n in names if n in base.profiles and n in draft.profiles]
    for n in names:
        if n not in both:
            side = "draft" if n in base.profiles else "base"
            warnings.append(
                DiffWarning(kind="profile-missing", message=f"profile '{n}' is not in the {side}: its answers are not compared.")
            )
    if base.coherence != draft.coherence:
        warnings.append(
            DiffWarning(kind="coherence-changed", message="the draft's coherence constraints differ: only cases both admit are compared.")
        )
    base_names = [n for n in names if n in base.profiles]
    before = (
        [f for f in base_findings if f.profile in ("all", *base_names)]
        if base_findings is not None
        else list(verify(base_names, base, jobs).findings)
    )
    # Each profile's answers are compared in forked workers while the draft's checks run in others (as
    # independent as verify's profiles; at most a few more processes than cores, each busy).
    cores = workers.available_cores() if jobs is None else jobs
    compared = workers.start_map(lambda n: answer_changes(base, draft, n), both, cores)
    ra = verify([n for n in names if n in draft.profiles], draft, cores)
    changes: list[AnswerChange] = []
    for found, notes in compared():
        changes += found
        warnings += notes
    warnings += encoding_warnings(base, draft)
    return DiffReport(
        spec_version=__version__,
        base_sha256=base.sha256,
        draft_sha256=draft.sha256,
        profiles=tuple(names),
        attributes={name: tuple(schema.values(name)) for name in schema.tested},
        changes=tuple(changes),
        findings=findings_diff(before, list(ra.findings), names),
        warnings=tuple(warnings),
    )
