"""Test vectors: language-agnostic JSON files, one per family of provisions, generated from the Z3 model.

Each vector is an appeal, the clauses it exercises (quoted), and what every
profile expects of it, or the error an implementation must return for an
incoherent appeal. They are generated, never hand-edited:

- every rule as the deciding rule, under each profile where it can decide
  (the smallest such appeal, found by Z3);
- every near miss: for each part of each rule's condition, the smallest appeal
  on which the rule does not apply but would if that one part were misread
  (modified condition/decision coverage: a vendor who drops or inverts any
  part of a condition answers one of these differently);
- every near hit: for each part of each rule's condition, the smallest appeal on
  which the rule applies but would not if that part were misread (the other
  direction: a dropped conjunct under "not (...)" or a dropped disjunct shows here);
- every conflict, gap and broken principle the verifier finds (its witness);
- every calendar boundary of 2016-2018 (weekend and holiday edges, government
  transfers, working Saturdays, year ends) on an appeal that is forwarded
  within three working days;
- the in-force boundaries under the default publication dates;
- one incoherent appeal per coherence constraint.

`kzappeals vectors --write` regenerates conformance/vectors/*.json; a test
fails when they are stale, and another when an encoded clause has no vector.
Expected results come from the rule set evaluated case by case
(:func:`kzappeals.spec.evaluate.spec_decision`); the reference implementation
is proven to agree with it (tests/test_agreement.py).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kzappeals.conformance.expectations import Expectation
from kzappeals.spec import calendar
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.conditions import Flag, In, ProvidedBy, Unknown, leaves, negate_leaf
from kzappeals.spec.registry import load_registry
from kzappeals.spec.ruleset import RuleSet, default_ruleset
from kzappeals.spec.vocabulary import ordinary_appeal

VECTOR_DIR = Path(__file__).parent / "vectors"
HAND_WRITTEN = Path(__file__).parent / "hand-written.json"
GENERATED_BY = "kzappeals vectors --write"
FAMILIES = {
    "procedure": "Which procedure governs an appeal: points 1, 4, 5, 6 and 15",
    "signature": "Who signs the answer: points 53-1 and 54",
    "routing": "Who considers an appeal and what is forwarded within three working days: points 19, 20, 23 and 26-1",
    "intake": "Call-centre appeals: point 18, part 2",
    "calendar": "The three working days of point 23 on Kazakhstan's official calendar, 2016-2018",
    "in-force": "The amended text in force: point 4 of order No. 165 and its repeal by order No. 72",
    "errors": "Incoherent appeals an implementation must reject",
}
QUESTION_FAMILY = {"procedure": "procedure", "intake": "intake", "handler": "routing", "disposition": "routing", "signatory": "signature"}

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class QuotedClause(BaseModel):
    model_config = _FROZEN
    id: str
    text_ru: str | None = Field(default=None, description="The clause's Russian text; absent for a provision not in the sources.")
    text_en: str | None = None


class ExpectedError(BaseModel):
    """An incoherent appeal: the implementation answers `errored`, ideally naming this field."""

    model_config = _FROZEN
    field: str
    clause: str
    reason: str


class Vector(BaseModel):
    model_config = _FROZEN

    id: str = Field(description="Stable: what the vector is for, not where it sits in the file.")
    description: str
    clauses: tuple[QuotedClause, ...]
    as_of: dt.date = Field(description="The day the law is applied: the appeal's day of receipt.")
    case: dict = Field(description="The appeal (case schema); for an error vector, deliberately incoherent.")
    expected: dict[str, Expectation] | None = Field(default=None, description="Per profile.")
    expected_error: ExpectedError | None = None
    origin: Literal["generated", "hand-written", "shrunk"] = "generated"
    also: tuple[str, ...] = Field(default=(), description="Other purposes the same appeal serves (ids it would have had).")


class Parameters(BaseModel):
    """The parameters every expectation in the file was computed with (defaults are assumptions, see docs/calendar.md)."""

    model_config = _FROZEN
    order165_published: dt.date
    order72_published: dt.date
    publication_counting: str
    receipt_counting: str


class VectorFile(BaseModel):
    model_config = _FROZEN

    family: str
    title: str
    generated_by: str
    spec_sha256: str
    parameters: Parameters
    vectors: tuple[Vector, ...]


def _quote(ids) -> tuple[QuotedClause, ...]:
    reg = load_registry()
    return tuple(QuotedClause(id=c, text_ru=reg.get(c).text_ru, text_en=reg.get(c).text_en) for c in dict.fromkeys(ids))


# The generator's solver stack (Z3, the compiled model, the verifier) is imported where it is used:
# a certification reads the committed vectors only and should not load it.


def _expect(case: dict, ruleset: RuleSet) -> dict[str, Expectation]:
    from kzappeals.spec.evaluate import spec_decision

    parsed = parse_case(case)
    return {p: Expectation.from_decision(spec_decision(parsed, p, ruleset)) for p in ruleset.profiles}


class _Builder:
    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.files: dict[str, list[Vector]] = {f: [] for f in FAMILIES}
        self.pending: dict[tuple[str, str], dict] = {}

    def add(self, family: str, vid: str, description: str, clauses, case: dict, origin: str = "generated") -> None:
        """One vector per appeal and family: an appeal drawn again for another purpose is recorded under `also`."""
        key = (family, json.dumps(case, sort_keys=True))
        if key in self.pending:
            entry = self.pending[key]
            entry["also"].append(vid)
            entry["clauses"] += list(clauses)
            return
        self.pending[key] = {
            "family": family,
            "id": vid,
            "description": description,
            "clauses": list(clauses),
            "case": case,
            "also": [],
            "origin": origin,
        }

    def built(self) -> dict[str, list[Vector]]:
        for e in self.pending.values():
            self.files[e["family"]].append(
                Vector(
                    id=e["id"],
                    description=e["description"],
                    clauses=_quote(e["clauses"]),
                    as_of=dt.date.fromisoformat(e["case"]["received_on"]),
                    case=e["case"],
                    expected=_expect(e["case"], self.ruleset),
                    also=tuple(e["also"]),
                    origin=e["origin"],
                )
            )
        self.pending = {}
        return self.files

    def hand_written(self) -> None:
        """People's vectors first, so that an appeal they chose keeps their id and description."""
        for v in hand_written_vectors():
            self.add(v["family"], v["id"], v["description"], v["clauses"], {**ordinary_appeal(), **v["changes"]}, v["origin"])

    def deciding_rules(self) -> None:
        from kzappeals.spec.compile import CompiledModel
        from kzappeals.spec.verify import Witnesses

        for name, profile in self.ruleset.profiles.items():
            m = CompiledModel(self.ruleset)
            w = Witnesses(m)
            for r in self.ruleset.rules:
                for q in r.then:
                    model = w.least(m.decides(profile, r, q))
                    if model is None:
                        continue
                    case = w.describe(model)["witness"]
                    self.add(
                        QUESTION_FAMILY[q],
                        f"{r.id}:decides:{q}:{name}",
                        f"{r.id} decides '{q}' under profile {name} (smallest such appeal)",
                        r.clauses,
                        case,
                    )

    def misreadings(self) -> None:
        """For each part of each rule's condition, the smallest appeal on which the rule does not apply but
        would if that one part were read the other way (a near miss), then the smallest on which it applies
        but would not (a near hit, the other half). A vendor who drops a part the rule needs only in one
        direction (a conjunct inside "not (...)", a disjunct) answers one of these differently."""
        import z3

        from kzappeals.spec.compile import CompiledModel
        from kzappeals.spec.verify import Witnesses

        m = CompiledModel(self.ruleset)
        w = Witnesses(m)
        for kind, says, applies_as_written in (
            ("near-miss", "does not apply, but would", False),
            ("near-hit", "applies, but would not", True),
        ):
            for r in self.ruleset.rules:
                family = QUESTION_FAMILY[next(iter(r.then))]
                for i, leaf in enumerate(leaves(r.when)):
                    if isinstance(leaf, ProvidedBy):
                        continue
                    misread, rule = m.expr(negate_leaf(r.when, i)), m.fire(r)
                    model = w.least(rule, z3.Not(misread)) if applies_as_written else w.least(misread, z3.Not(rule))
                    if model is None:
                        continue
                    self.add(
                        family,
                        f"{r.id}:{kind}:{i + 1}",
                        f"{r.id} {says} if '{_leaf_text(leaf)}' were read the other way",
                        r.clauses,
                        w.describe(model)["witness"],
                    )

    def findings(self) -> None:
        from kzappeals.spec.verify import verify

        for f in verify(rs=self.ruleset).findings:
            if f.witness is None or f.related or f.question is None:
                continue
            self.add(QUESTION_FAMILY[f.question], f"{f.kind}:{f.id}", f.message.en, f.clauses, f.witness)

    def calendar_edges(self) -> None:
        forwarded = next(e["case"] for e in self.pending.values() if "p23.pp1.ch2:decides:disposition:literal" in (e["id"], *e["also"]))
        for d in _calendar_boundaries():
            case = {**forwarded, "received_on": d.isoformat()}
            self.add("calendar", f"calendar:{d.isoformat()}", _describe_day(d), ("p23.pp1.ch2", "p23.pp2.ch2", "p23.ch2"), case)

    def in_force_edges(self) -> None:
        params = calendar.InForceParameters()
        start, end = calendar.amended_text_in_force_from(params), calendar.repealed_from(params)
        for label, d in (
            ("day-before-entry", start - dt.timedelta(days=1)),
            ("entry", start),
            ("last-day", end - dt.timedelta(days=1)),
            ("repeal", end),
        ):
            case = {**ordinary_appeal(), "received_on": d.isoformat()}
            self.add(
                "in-force",
                f"in-force:{label}",
                f"Received on {d.isoformat()} ({label.replace('-', ' ')}), default publication dates",
                ("o165.p4", "o165.footnote"),
                case,
            )

    def errors(self) -> None:
        import z3

        from kzappeals.spec.compile import CompiledModel
        from kzappeals.spec.verify import Witnesses

        m = CompiledModel(self.ruleset)
        for i, c in enumerate(self.ruleset.coherence):
            # The same minimal search, over the cases that break constraint i and no other.
            domain = m.and_([*m.bounds, *(x for j, x in enumerate(m.coherence) if j != i), z3.Not(m.coherence[i])])
            w = Witnesses(m, domain)
            case = w.describe(w.least(z3.BoolVal(True, m.ctx)))["witness"]
            self.files["errors"].append(
                Vector(
                    id=f"error:{c.field}:{i + 1}",
                    description=f"Incoherent: {c.reason}",
                    clauses=_quote([c.clause]),
                    as_of=dt.date.fromisoformat(case["received_on"]),
                    case=case,
                    expected_error=ExpectedError(field=c.field, clause=c.clause, reason=c.reason),
                )
            )


def _leaf_text(leaf) -> str:
    match leaf:
        case In(field, values):
            return f"{field} in ({', '.join(sorted(values))})"
        case Flag(field):
            return field
        case Unknown(provision):
            return f'unknown("{provision}")'
    return str(leaf)


def _calendar_boundaries() -> list[dt.date]:
    """Every day of 2016-2018 whose working status differs from a plain Monday-Friday week
    (holidays, transferred days off, working Saturdays), the day before each, and the year ends."""
    days = set()
    d = dt.date(2016, 1, 1)
    while d <= dt.date(2018, 12, 31):
        if calendar.is_working_day(d) != (d.weekday() < 5):
            days |= {d, d - dt.timedelta(days=1)}
        d += dt.timedelta(days=1)
    for y in (2016, 2017, 2018):
        days |= {dt.date(y, 12, 28) + dt.timedelta(days=k) for k in range(4)}
    return sorted(x for x in days if dt.date(2016, 2, 22) <= x <= dt.date(2018, 6, 28))


def _describe_day(d: dt.date) -> str:
    status = "working day" if calendar.is_working_day(d) else "non-working day"
    return f"Forwarded within three working days, received on {d.isoformat()} ({d.strftime('%A')}, {status}); due {calendar.forwarding_due(d).isoformat()}"


def _parameters() -> Parameters:
    p = calendar.InForceParameters()
    return Parameters(
        order165_published=p.order165_published,
        order72_published=p.order72_published,
        publication_counting=str(p.counting.value),
        receipt_counting=calendar.ReceiptCounting.NEXT_DAY.value,
    )


def generate(ruleset: RuleSet | None = None) -> dict[str, str]:
    """File name -> JSON text of every vector file."""
    ruleset = ruleset or default_ruleset()
    b = _Builder(ruleset)
    b.hand_written()
    b.deciding_rules()
    b.misreadings()
    b.findings()
    b.calendar_edges()
    b.in_force_edges()
    b.errors()
    out = {}
    for family, vectors in b.built().items():
        doc = VectorFile(
            family=family,
            title=FAMILIES[family],
            generated_by=GENERATED_BY,
            spec_sha256=ruleset.sha256,
            parameters=_parameters(),
            vectors=tuple(vectors),
        )
        out[f"{family}.json"] = doc.model_dump_json(indent=1, exclude_none=True) + "\n"
    return out


def hand_written_vectors() -> list[dict]:
    """conformance/hand-written.json, checked: a bad entry is one line naming its index and field."""
    from kzappeals.spec.errors import InputError

    label = "conformance/hand-written.json"
    try:
        data = json.loads(HAND_WRITTEN.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{label}:{exc.lineno}:{exc.colno}", f"not valid JSON: {exc.msg}") from None
    out = []
    for i, v in enumerate(data.get("vectors", [])):
        where = f"{label}: vectors[{i}]"
        missing = {"id", "family", "origin", "description", "clauses", "changes"} - v.keys()
        if missing:
            raise InputError(where, f"missing key(s): {', '.join(sorted(missing))}")
        if v["family"] not in FAMILIES or v["origin"] not in ("hand-written", "shrunk"):
            raise InputError(where, f"family must be one of {', '.join(FAMILIES)}; origin hand-written or shrunk")
        for c in v["clauses"]:
            load_registry().get(c)
        try:
            parse_case({**ordinary_appeal(), **v["changes"]})
        except ValueError as exc:
            raise InputError(where + " changes", str(exc).splitlines()[-1].strip()) from None
        out.append(v)
    return out


@cache
def load_vectors() -> tuple[tuple[str, VectorFile], ...]:
    """Every committed vector file, by family in the order of FAMILIES (the rules first, the calendar's
    many dates on one appeal after them: a wrong reading of a rule shows within the first few hundred)."""
    paths = {p.stem: p for p in VECTOR_DIR.glob("*.json")}
    order = [f for f in FAMILIES if f in paths] + sorted(set(paths) - set(FAMILIES))
    return tuple((f, VectorFile.model_validate_json(paths[f].read_text(encoding="utf-8"))) for f in order)
