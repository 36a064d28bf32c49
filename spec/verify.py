"""The checks: conflicts, gaps, dead clauses and principles, per profile.

Every satisfiable query gets a witness with the fewest attributes changed from
the ordinary appeal (``spec/ordinary-appeal.json``), then the earliest values
in vocabulary order (:class:`Witnesses`). Every distinct pattern is listed:
each conflicting pair of rules, each maximal gap region, each dead rule, each
rule through which a principle breaks.
"""

from __future__ import annotations

from collections.abc import Callable

import z3

from kzappeals import __version__, garbage_collection
from kzappeals.spec import workers
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.case_models import case_model
from kzappeals.spec.compile import CompiledModel
from kzappeals.spec.conditions import All, Expr, Flag, In, Not, fields_of
from kzappeals.spec.conditions import outputs_of as references_outputs
from kzappeals.spec.evaluate import Evaluation
from kzappeals.spec.findings import Change, Finding, ProfileInfo, Proved, Range, Report, RuleAnswer, Text, finding_id, region_key
from kzappeals.spec.labels import phrase
from kzappeals.spec.ruleset import Principle, Profile, Rule, RuleSet, default_ruleset

MAX_GAP_REGIONS = 60  # per question and profile: a bound on the report, never reached by the 2015 text (tested)


class Witnesses:
    """One incremental solver per profile, and a witness search that minimises the number of
    attributes changed from the ordinary appeal: the smallest k for which "at most k changes"
    is satisfiable (a cardinality constraint per k, asked under assumptions, which is far
    cheaper here than z3.Optimize and gives the same optimum), then the least such case in
    vocabulary order (:meth:`least`).

    Every witness is that least case, a function of the set of cases asked about: not of the
    model Z3 happens to return, which depends on the solver's history, on the terms built
    before and on the Z3 release. So a witness holds still when the code asks other questions
    first, when an unrelated rule changes (a draft's diff) and when pip resolves a newer
    z3-solver. Much of the time of a check is z3py's, not Z3's: so each assumption is passed to
    Z3 as the pointer it already is (``Solver.check`` re-casts every one on every call), and a
    model is read through the constants' interpretations, once per model."""

    def __init__(self, m: CompiledModel, domain: z3.BoolRef | None = None):
        """``domain``: the cases to search (default: every coherent case)."""
        self.m = m
        self.solver = z3.Solver(ctx=m.ctx)
        # Settings of speed only (a witness is the least case whatever model Z3 returns): every atom
        # assigned rather than only the relevant ones, and the older arithmetic solver, which does
        # less per check on variables this small (together about 15 % of the solving time); models
        # not compacted, which halves the cost of reading one (it is read for its constants only).
        self.solver.set(relevancy=0)
        self.solver.set("arith.solver", 2)
        self.solver.set("model.compact", False)
        self.solver.add(m.domain if domain is None else domain)
        self._ctx = m.ctx.ref()
        self._named: dict[int, z3.BoolRef] = {}
        self._eq: dict[tuple[str, object], z3.BoolRef] = {}
        self._within_terms: dict[tuple[str, tuple], z3.BoolRef] = {}
        self._within_lits: dict[tuple[str, tuple], z3.BoolRef] = {}
        self._read: tuple[z3.ModelRef | None, dict] = (None, {})
        self._attrs = m.attributes()
        terms = [m.unknown[a] if a in m.unknown else m.vars[a] for a in self._attrs]
        self._decls = [t.decl().ast for t in terms]
        self._is_bool = [a in m.unknown or a not in m.members for a in self._attrs]
        self._preferences = {a: self._preference(a) for a in self._attrs}
        self._diffs = [z3.Not(self.m.equals(a, self.m.ordinary_value(a))) for a in self._attrs]
        self._at_most: list[z3.BoolRef] = []
        self._id_of: dict[int, int] = {}  # each literal's Z3 id by the Python object's (every one is kept): asked at every check
        # Known unsat cores: those of two literals as each one's partners, the others under their largest id
        # (an empty core, no case at all, under -1).
        self._partners: dict[int, set[int]] = {}
        self._cores: dict[int, list[frozenset[int]]] = {}
        self._last_core: frozenset[int] = frozenset()

    def at_most(self, k: int) -> z3.BoolRef:
        """The literal of "at most ``k`` attributes changed", asserted when first asked for: a witness
        rarely changes more than a few, and each cardinality constraint the solver holds costs every check."""
        while len(self._at_most) <= k:
            b = z3.Bool(f"at_most_{len(self._at_most)}", self.m.ctx)
            self.solver.add(b == z3.AtMost(*self._diffs, len(self._at_most)))
            self._at_most.append(b)
            self._id_of[id(b)] = b.get_id()
        return self._at_most[k]

    def lit(self, f) -> z3.BoolRef:
        """check() takes Boolean constants as assumptions: name each term once."""
        key = f.get_id()
        if key not in self._named:
            b = z3.Bool(f"a!{key}", self.m.ctx)
            self.solver.add(b == f)
            self._named[key] = b
            self._id_of[id(b)] = b.get_id()
        return self._named[key]

    def eq(self, attr: str, value) -> z3.BoolRef:
        """The literal of ``attr == value``, named once."""
        key = (attr, value)
        if key not in self._eq:
            self._eq[key] = self.lit(self.m.equals(attr, value))
        return self._eq[key]

    def check(self, lits) -> bool:
        """Satisfiable under ``lits`` (literals this object named)? What ``Solver.check`` asks, without re-casting each one.

        Every unsatisfiable answer comes with the assumptions Z3 needed for it (an unsat core); the solver's
        assertions only ever grow (each literal is a definition), so a later check holding a known core is
        unsatisfiable too and is not asked (at 320 synthetic rules, most of a witness's checks: one rule's
        term and one attribute's value that cannot go together)."""
        ids = set(map(self._id_of.__getitem__, map(id, lits)))
        known = self._known_core(ids)
        if known is not None:
            self._last_core = known
            return False
        n = len(lits)
        answer = z3.Z3_solver_check_assumptions(self._ctx, self.solver.solver, n, (z3.Ast * n)(*[b.ast for b in lits]))
        if answer == z3.Z3_L_FALSE:
            self._last_core = core = self._read_core()
            if len(core) == 2:
                i, j = core
                self._partners.setdefault(i, set()).add(j)
                self._partners.setdefault(j, set()).add(i)
            else:
                self._cores.setdefault(max(core, default=-1), []).append(core)
        return answer == z3.Z3_L_TRUE

    def _known_core(self, ids: set[int]) -> frozenset[int] | None:
        """A known core among ``ids``. Most cores are two literals (a rule's term and an attribute's value),
        kept as each literal's partners, so a check asks one set intersection per literal, not one per core."""
        for i in ids:
            partners = self._partners.get(i)
            if partners is not None and not partners.isdisjoint(ids):
                return frozenset((i, min(partners & ids)))
        for i in (-1, *ids):
            for core in self._cores.get(i, ()):
                if core <= ids:
                    return core
        return None

    def _core(self) -> frozenset[int]:
        """The ids of the assumptions the last unsatisfiable check needed."""
        return self._last_core

    def _read_core(self) -> frozenset[int]:
        """Z3's unsat core of the last check, read through the C API (z3py's AstVector costs more than the
        check it saves)."""
        core = z3.Z3_solver_get_unsat_core(self._ctx, self.solver.solver)
        z3.Z3_ast_vector_inc_ref(self._ctx, core)
        try:
            return frozenset(
                z3.Z3_get_ast_id(self._ctx, z3.Z3_ast_vector_get(self._ctx, core, i)) for i in range(z3.Z3_ast_vector_size(self._ctx, core))
            )
        finally:
            z3.Z3_ast_vector_dec_ref(self._ctx, core)

    def sat(self, *facts) -> bool:
        return self.check([self.lit(f) for f in facts])

    def least(self, *facts, at_least: int = 0) -> z3.ModelRef | None:
        """The least witness of ``facts``: the fewest changes, then, attribute by attribute in
        vocabulary order, the earliest value (the ordinary appeal's first). It is a function of
        the set of cases ``facts`` describe, not of the model Z3 happens to return, so what is
        derived from it (a gap's region, hence its id) holds still when an unrelated rule changes.
        ``at_least``: a number of changes every case of ``facts`` is known to need (none is asked with fewer)."""
        lits = [self.lit(f) for f in facts]
        if not self.check(lits):
            return None
        # Asked upward: where one fact alone needs more, the unsatisfiable checks' cores ({fact, at most j})
        # are known after the first time (:meth:`check`) and not asked again.
        fixed = [*lits, next(b for b in map(self.at_most, range(at_least, len(self._attrs) + 1)) if self.check([*lits, b]))]
        model = self.solver.model()
        values = self.values(model)
        for a in self._attrs:
            current = values[a]
            for v in self._preferences[a]:
                if v == current:
                    break
                if self.check([*fixed, self.eq(a, v)]):
                    model, current = self.solver.model(), v
                    values = self.values(model)
                    break
            fixed.append(self.eq(a, current))
        return model

    def values(self, model: z3.ModelRef) -> dict:
        """Every attribute's value in ``model``, as ``model.eval(..., model_completion=True)`` gives
        it: a constant the model leaves out takes its sort's first value (False, or index 0). The
        last model read is remembered: a witness is read by :meth:`least`, then again by each caller."""
        if model is self._read[0]:
            return self._read[1]
        out = {}
        for a, decl, is_bool in zip(self._attrs, self._decls, self._is_bool):
            v = z3.Z3_model_get_const_interp(self._ctx, model.model, decl)
            if is_bool:
                out[a] = bool(v) and z3.Z3_get_bool_value(self._ctx, v) == z3.Z3_L_TRUE
            else:
                out[a] = self.m.members[a][int(z3.Z3_get_numeral_string(self._ctx, v)) if v else 0]
        self._read = (model, out)
        return out

    def _preference(self, attr: str) -> list:
        base = self.m.ordinary_value(attr)
        return [base, *(v for v in self.m.members.get(attr, [False, True]) if v != base)]

    def within(self, attr: str, values) -> z3.BoolRef:
        """``attr`` takes one of ``values``. Built once per (attribute, values): Z3 shares equal
        terms anyway, so a rebuilt term is the same term, and only z3py's cost of building it again
        is saved."""
        key = (attr, tuple(values))
        if key not in self._within_terms:
            self._within_terms[key] = self.m.or_([self.m.equals(attr, v) for v in values])
        return self._within_terms[key]

    def _within_lit(self, attr: str, values: list) -> z3.BoolRef:
        """The literal of :meth:`within`, looked up by its key (a region names every attribute's values at each check)."""
        key = (attr, tuple(values))
        if key not in self._within_lits:
            self._within_lits[key] = self.lit(self.within(attr, values))
        return self._within_lits[key]

    def region(self, target, model) -> list[tuple[str, list]]:
        """Widen the witness ``model`` into a maximal region of cases where ``target`` holds (a gap,
        a class of appeals whose answer a draft changes): each attribute in turn is freed entirely
        if it can be, else grown to every value that keeps the region inside ``target``. Starting
        from a least witness, the region is a function of ``target`` and the vocabulary's order."""
        region = {a: [v] for a, v in self.values(model).items()}
        outside = self.lit(z3.Not(target))
        # Each "inside" answer comes with the attributes Z3 needed for it (an unsat core): a wider
        # region that still holds those attributes to the same values is inside too, unasked
        # (two checks in three, here).
        proofs: list[dict[str, list]] = []

        def still_inside() -> bool:
            if any(all(region.get(a) == vs for a, vs in proof.items()) for proof in proofs):
                return True
            named = {a: self._within_lit(a, vs) for a, vs in region.items()}
            if self.check([outside, *named.values()]):
                return False
            core = self._core()
            proofs.append({a: list(region[a]) for a, b in named.items() if b.get_id() in core})
            return True

        for a in list(region):
            kept = region.pop(a)
            if still_inside():
                continue
            region[a] = kept
            for v in self.m.members.get(a, [False, True]):
                if v not in region[a]:
                    region[a] = kept + [v]
                    if still_inside():
                        kept = region[a]
                    else:
                        region[a] = kept
        return [(a, vs) for a, vs in region.items()]

    def describe(self, model) -> dict:
        """The witness as case JSON and its changes from the ordinary appeal (one model reading)."""
        values = self.values(model)
        changes = tuple(
            Change(field=a if a not in self.m.unknown else f"unknown_provisions:{a}", value=v)
            for a, v in values.items()
            if v != self.m.ordinary_value(a)
        )
        return {"witness": self.m.case_from_values(values), "changes": changes}


def required_values(expr: Expr) -> dict[str, frozenset]:
    """The values each case field must take wherever ``expr`` holds, read off its conjuncts: ``field in (...)``, a
    flag or its negation, at the top or under "and"."""
    found: dict[str, frozenset] = {}

    def walk(e: Expr) -> None:
        match e:
            case In(field, values):
                found[field] = found.get(field, values) & values
            case Flag(field):
                found[field] = found.get(field, frozenset({True})) & {True}
            case Not(Flag(field)):
                found[field] = found.get(field, frozenset({False})) & {False}
            case All(args):
                for a in args:
                    walk(a)

    walk(expr)
    return found


def jointly_required(*required: dict[str, frozenset]) -> dict[str, frozenset] | None:
    """What conditions require together (each :func:`required_values`); None where they require disjoint values
    of a field, so that no case meets them all: what a DMN verifier asks of two rules' input entries, column by
    column, before anything else. Z3 is not asked about such conditions (at 320 synthetic rules, 45 % of the
    pairs of rules that could conflict)."""
    joint: dict[str, frozenset] = {}
    for req in required:
        for f, vs in req.items():
            joint[f] = joint[f] & vs if f in joint else vs
            if not joint[f]:
                return None
    return joint


def changes_forced(required: dict[str, frozenset], ordinary: dict) -> int:
    """Changes from the ``ordinary`` appeal that every case meeting ``required`` makes: one per field whose
    ordinary value it excludes. A least witness's search for the fewest changes starts there: where the witness
    needs just these, it asks one check instead of one per number below."""
    return sum(ordinary[f] not in vs for f, vs in required.items())


class Verifier:
    def __init__(self, rs: RuleSet):
        self.rs = rs
        self._unknowns_of: dict[str, frozenset[str]] = {}
        self._required = {r.id: required_values(r.when) for r in rs.rules}

    def profile_results(self, name: str) -> tuple[list[Finding], list[Proved]]:
        prof = self.rs.profiles[name]
        with garbage_collection.paused():
            # A fresh compiled model (and Z3 context) per profile: results do not depend on
            # which profiles ran before in this process, nor on how many workers there are.
            self.m = CompiledModel(self.rs)
            w = self._witnesses = Witnesses(self.m)
            self._evaluations: dict[tuple, Evaluation] = {}
            per = self._conflicts(prof, w) + self._gaps(prof, w) + self._dead(prof, w)
            principle_findings, proved = self._principles(prof, w, per)
            return per + principle_findings, proved

    def run(self, profiles: list[str] | None = None, jobs: int = 1) -> Report:
        return self.start(profiles, jobs)()

    def start(self, profiles: list[str] | None = None, jobs: int = 1) -> Callable[[], Report]:
        """Start the checks and return what waits for their report: where they run in forked workers, the
        caller's own work meanwhile (``kzappeals verify`` loading its report writers) costs no time."""
        names = profiles or list(self.rs.profiles)
        results = self._map(names, jobs)

        def report() -> Report:
            findings: list[Finding] = list(self._assumptions(names))
            proved: list[Proved] = []
            for per, ok in results():
                findings += per
                proved += ok
            return Report(
                spec_version=__version__,
                spec_sha256=self.rs.sha256,
                profiles=tuple(
                    ProfileInfo(name=p.name, title=Text(ru=p.title_ru, en=p.title_en), rationale=p.rationale)
                    for p in (self.rs.profiles[n] for n in names)
                ),
                findings=tuple(findings),
                proved=tuple(proved),
            )

        return report

    def _map(self, names: list[str], jobs: int) -> Callable[[], list[tuple[list[Finding], list[Proved]]]]:
        """Profiles are independent: on a machine with several cores, one forked worker per share
        (kzappeals.spec.workers). Each worker compiles its own Z3 terms; results come back in profile
        order, so the report is the same whatever ``jobs`` is. Returns what waits for the results."""
        if jobs <= 1 or len(names) <= 1:
            return lambda: [self.profile_results(n) for n in names]
        rs = self.rs
        return workers.start_map(lambda name: Verifier(rs).profile_results(name), names, jobs)

    # -- helpers -----------------------------------------------------------

    def _answers(self, prof: Profile, model, questions=None) -> tuple[RuleAnswer, ...]:
        """The rules deciding ``questions`` on the model's case. The case is read once and evaluated in
        Python (spec/evaluate.py, the same conditions and precedence as the Z3 terms; a test checks
        they agree on every witness): evaluating each rule's term in the model costs more than the
        solving that found it. Many findings share a witness, so each case is evaluated once."""
        values = self._witnesses.values(model)
        key = tuple(values.values())
        ev = self._evaluations.get(key)
        if ev is None:
            case = parse_case(self.m.case_from_values(values), case_model(self.rs))
            ev = self._evaluations[key] = Evaluation(self.rs, prof, case)
        return tuple(RuleAnswer(rule=r.id, question=q, value=r.then[q]) for q in questions or self.rs.questions for r in ev.deciding(q))

    def _witness(self, w: Witnesses, model) -> dict:
        return w.describe(model)

    def _label(self, q: str, v: str, lang: str) -> str:
        return self.rs.questions[q].values[v][lang]

    def _rests_on(self, rule: Rule) -> frozenset[str]:
        """``RuleSet.unknowns`` of a rule, found once: it follows provided_by through the rule set."""
        if rule.id not in self._unknowns_of:
            self._unknowns_of[rule.id] = self.rs.unknowns(rule)
        return self._unknowns_of[rule.id]

    def _unknowns(self, rules: list[Rule], witness: dict | None) -> tuple[str, ...]:
        found = set().union(*(self._rests_on(r) for r in rules)) if rules else set()
        if witness:
            found |= set(witness["unknown_provisions"])
        return tuple(sorted(found))

    def _changes_text(self, changes, lang: str) -> str:
        if not changes:
            return "обычное обращение" if lang == "ru" else "an ordinary appeal"
        parts = "; ".join(phrase(c.field, c.value, lang, self.rs.labels) for c in changes)
        return ("обычное обращение, но: " if lang == "ru" else "an ordinary appeal, but: ") + parts

    # -- checks ------------------------------------------------------------

    def _conflicts(self, prof: Profile, w: Witnesses) -> list[Finding]:
        out = []
        for q, question in self.rs.questions.items():
            rules = self.rs.answering(q)
            for i, r in enumerate(rules):
                for s in rules[i + 1 :]:
                    if question.compatible_values(r.then[q], s.then[q]):
                        continue
                    required = jointly_required(self._required[r.id], self._required[s.id])
                    if required is None:
                        continue
                    both = (self.m.decides(prof, r, q), self.m.decides(prof, s, q))
                    model = w.least(*both, at_least=changes_forced(required, self.rs.ordinary))
                    if model is None:
                        continue
                    wit = self._witness(w, model)
                    case = self._changes_text(wit["changes"], "en")
                    out.append(
                        Finding(
                            id=finding_id("conflict", prof.name, q, unordered=(r.id, s.id)),
                            kind="conflict",
                            profile=prof.name,
                            question=q,
                            rules=(r.id, s.id),
                            clauses=(*r.clauses, *s.clauses),
                            **wit,
                            answers=self._answers(prof, model, [q]),
                            depends_on_unknown=self._unknowns([r, s], wit["witness"]),
                            message=Text(
                                en=f"{question.title_en}: {r.id} says {self._label(q, r.then[q], 'en')}; {s.id} says {self._label(q, s.then[q], 'en')}. Smallest case: {case}.",
                                ru=f"{question.title_ru}: {r.id} — {self._label(q, r.then[q], 'ru')}; {s.id} — {self._label(q, s.then[q], 'ru')}. Наименьший пример: {self._changes_text(wit['changes'], 'ru')}.",
                            ),
                        )
                    )
        return out

    def _gaps(self, prof: Profile, w: Witnesses) -> list[Finding]:
        out = []
        for q, question in self.rs.questions.items():
            gap = self.m.and_([self.m.in_scope(prof, q), z3.Not(self.m.or_([self.m.applies(prof, r, q) for r in self.rs.answering(q)]))])
            blocked: list = []
            while len(blocked) < MAX_GAP_REGIONS:
                model = w.least(gap, *blocked)
                if model is None:
                    break
                region = w.region(gap, model)
                blocked.append(z3.Not(self.m.and_([w.within(a, vs) for a, vs in region])))
                wit = self._witness(w, model)
                ranges = tuple(Range(field=self._field_name(a), values=tuple(vs)) for a, vs in region)
                unknown = tuple(sorted({*question.may_be_filled_by, *(a for a, _ in region if a in self.m.unknown)}))
                out.append(
                    Finding(
                        id=finding_id("gap", prof.name, q, unordered=region_key(ranges)),
                        kind="gap",
                        profile=prof.name,
                        question=q,
                        clauses=tuple(sorted({c for r in self.rs.answering(q) for c in r.clauses if self._near(r, region)})),
                        region=ranges,
                        **wit,
                        depends_on_unknown=unknown,
                        message=Text(
                            en=f"{question.title_en}: no rule answers an appeal {self._region_text(region, 'en')}. Smallest case: {self._changes_text(wit['changes'], 'en')}."
                            + (f" Provisions not in the sources may: {', '.join(unknown)}." if unknown else ""),
                            ru=f"{question.title_ru}: ни одна норма не даёт ответа для обращения: {self._region_text(region, 'ru')}. Наименьший пример: {self._changes_text(wit['changes'], 'ru')}."
                            + (f" Ответ могут давать отсутствующие в источниках нормы: {', '.join(unknown)}." if unknown else ""),
                        ),
                    )
                )
        return out

    def _domain_of(self, attr: str) -> list:
        return self.m.members.get(attr, [False, True])

    def _field_name(self, attr: str) -> str:
        return f"unknown_provisions:{attr}" if attr in self.m.unknown else attr

    def _region_text(self, region, lang: str) -> str:
        """A gap region in words: each attribute's allowed values, or the values it excludes if fewer."""
        parts = []
        neg, either, both = ("не ", " или ", " и ") if lang == "ru" else ("not ", " or ", " and ")
        for a, vs in region:
            name, rest = self._field_name(a), [v for v in self._domain_of(a) if v not in vs]
            if len(rest) < len(vs):
                # "not A and not B": each excluded value negated, so no value outside the region reads as in it.
                excluded = [neg + phrase(name, v, lang, self.rs.labels) for v in rest]
                parts.append(", ".join(excluded[:-1]) + both + excluded[-1] if len(excluded) > 1 else excluded[0])
            else:
                parts.append(either.join(phrase(name, v, lang, self.rs.labels) for v in vs))
        return "; ".join(parts) or ("любое обращение" if lang == "ru" else "every appeal")

    @staticmethod
    def _near(rule: Rule, region) -> bool:
        """A rule worth quoting beside a gap: it tests an attribute the region fixes."""
        return bool(fields_of(rule.when) & {a for a, _ in region})

    def _dead(self, prof: Profile, w: Witnesses) -> list[Finding]:
        out = []
        for r in self.rs.rules:
            if not prof.follows(r):  # a rule of a reading this profile does not choose is not part of its text
                continue
            if any(w.sat(self.m.decides(prof, r, q)) for q in r.then):
                continue
            applies = self.m.or_([self.m.applies(prof, r, q) for q in r.then])
            model = w.least(applies)
            if model is None:
                wit, stronger, why_en, why_ru = (
                    {},
                    [],
                    "its condition holds on no coherent case",
                    "её условие не выполняется ни для одного допустимого обращения",
                )
                silenced = w.least(self.m.fire(r, prof)) if prof.gate and r.gated else None
                if silenced is not None:
                    # The rule's own words reach appeals the gate takes away: show the smallest one.
                    wit = self._witness(w, silenced)
                    case_en, case_ru = self._changes_text(wit["changes"], "en"), self._changes_text(wit["changes"], "ru")
                    why_en = f"it applies only to appeals that another procedure takes out of the Instruction; e.g. {case_en}"
                    why_ru = f"она охватывает только обращения, выведенные из-под действия Инструкции иным порядком; например: {case_ru}"
            else:
                wit = self._witness(w, model)
                stronger = [a for a in self._answers(prof, model, list(r.then)) if a.rule != r.id]
                names = ", ".join(sorted({a.rule for a in stronger}))
                why_en = f"wherever it applies, a rule that takes precedence applies too ({names}); e.g. {self._changes_text(wit['changes'], 'en')}"
                why_ru = f"везде, где она применима, применяется и приоритетная норма ({names}); например: {self._changes_text(wit['changes'], 'ru')}"
            involved = [r] + [self.rs.by_id[a.rule] for a in stronger]
            out.append(
                Finding(
                    id=finding_id("dead", prof.name, r.id),
                    kind="dead",
                    profile=prof.name,
                    question=next(iter(r.then)),
                    rules=tuple(dict.fromkeys(x.id for x in involved)),
                    clauses=tuple(dict.fromkeys(c for x in involved for c in x.clauses)),
                    **wit,
                    answers=tuple(stronger),
                    depends_on_unknown=self._unknowns(involved, wit.get("witness")),
                    message=Text(
                        en=f"{r.id} is never the deciding rule: {why_en}." + (f" Note: {r.note}" if r.note else ""),
                        ru=f"{r.id} никогда не применяется как решающая норма: {why_ru}.",
                    ),
                )
            )
        return out

    def _principles(self, prof: Profile, w: Witnesses, found: list[Finding]) -> tuple[list[Finding], list[Proved]]:
        out: list[Finding] = []
        proved: list[Proved] = []
        for p in self.rs.principles:
            before = len(out)
            if p.when is None:  # exactly one answer
                out += self._exactly_one(prof, p, found)
            else:
                when, when_requires = self.m.expr(p.when, prof), required_values(p.when)
                for r in self.rs.answering(p.question):
                    if r.then[p.question] not in p.forbidden:
                        continue
                    required = jointly_required(when_requires, self._required[r.id])
                    if required is None:
                        continue
                    d = self.m.decides(prof, r, p.question)
                    model = w.least(when, d, at_least=changes_forced(required, self.rs.ordinary))
                    if model is None:
                        continue
                    wit = self._witness(w, model)
                    answers = self._answers(prof, model, sorted({p.question, *references_outputs(p.when)}))
                    involved = [r] + [self.rs.by_id[a.rule] for a in answers if a.rule != r.id and a.question == p.question]
                    out.append(
                        Finding(
                            id=finding_id("principle", prof.name, p.id, r.id),
                            kind="principle",
                            profile=prof.name,
                            question=p.question,
                            principle=p.id,
                            rules=tuple(dict.fromkeys(x.id for x in involved)),
                            clauses=tuple(dict.fromkeys((*r.clauses, *p.clauses))),
                            **wit,
                            answers=answers,
                            depends_on_unknown=self._unknowns([r], wit["witness"]),
                            message=Text(
                                en=f"Principle broken, '{p.title_en}': {r.id} gives {self._label(p.question, r.then[p.question], 'en')}. Smallest case: {self._changes_text(wit['changes'], 'en')}.",
                                ru=f"Нарушен принцип «{p.title_ru}»: {r.id} — {self._label(p.question, r.then[p.question], 'ru')}. Наименьший пример: {self._changes_text(wit['changes'], 'ru')}.",
                            ),
                        )
                    )
            if len(out) == before:
                proved.append(
                    Proved(
                        principle=p.id,
                        profile=prof.name,
                        clauses=p.clauses,
                        message=Text(
                            en=f"Holds on every coherent case: {p.title_en}.",
                            ru=f"Выполняется для любого допустимого обращения: {p.title_ru}.",
                        ),
                    )
                )
        return out, proved

    def _exactly_one(self, prof: Profile, p: Principle, found: list[Finding]) -> list[Finding]:
        related = [f for f in found if f.question == p.question and f.kind in ("conflict", "gap")]
        if not related:
            return []
        # Ties broken by id, a function of content: not by the order in which rules were read.
        smallest = min(related, key=lambda f: (len(f.changes), f.id))
        n_c = sum(f.kind == "conflict" for f in related)
        n_g = len(related) - n_c
        return [
            Finding(
                id=finding_id("principle", prof.name, p.id),
                kind="principle",
                profile=prof.name,
                question=p.question,
                principle=p.id,
                rules=smallest.rules,
                clauses=p.clauses,
                witness=smallest.witness,
                changes=smallest.changes,
                answers=smallest.answers,
                depends_on_unknown=tuple(sorted({u for f in related for u in f.depends_on_unknown})),
                related=tuple(f.id for f in related),
                message=Text(
                    en=f"Principle broken, '{p.title_en}': {n_c} pattern(s) with two signatories and {n_g} with none (see related findings); smallest: {smallest.message.en}",
                    ru=f"Нарушен принцип «{p.title_ru}»: образцов с двумя подписантами — {n_c}, без подписанта — {n_g} (см. связанные находки); наименьший: {smallest.message.ru}",
                ),
            )
        ]

    def _assumptions(self, names: list[str]) -> list[Finding]:
        """Readings every profile shares, readings the profiles ``names`` choose, and unknown provisions the
        model treats as opaque conditions."""
        out = []
        for rd in self.rs.readings.values():
            users = [r.id for r in self.rs.rules if rd.id in r.readings or rd.id == r.only_under]
            # A reading the text leaves open is reported under each profile that chooses it; the rest are shared.
            chosen_by = [p.name for p in self.rs.profiles.values() if rd.id in p.readings]
            choosing = [n for n in names if n in chosen_by] if chosen_by else ["all"]
            out += [
                Finding(
                    id=finding_id("assumption", name, rd.id),
                    kind="assumption",
                    profile=name,
                    rules=tuple(users),
                    clauses=rd.clauses,
                    message=Text(
                        en=f"Reading '{rd.id}': {rd.title_en}. {rd.rationale}",
                        ru=f"Принятое толкование «{rd.id}»: {rd.title_ru}. Обоснование: spec/profiles.toml.",
                    ),
                )
                for name in choosing
            ]
        for u in self.rs.attributes.unknown_provisions:
            resting = [r for r in self.rs.rules if u in self.rs.unknowns(r)]
            out.append(
                Finding(
                    id=finding_id("assumption", "all", u),
                    kind="assumption",
                    profile="all",
                    rules=tuple(r.id for r in resting),
                    clauses=(u, *dict.fromkeys(c for r in resting for c in r.clauses if c != u)),
                    depends_on_unknown=(u,),
                    message=Text(
                        en=f"{u} is not in the sources: whether it applies is a named opaque condition (case field unknown_provisions); every result that needs it says so.",
                        ru=f"{u} отсутствует в источниках: применимость — именованное непрозрачное условие (поле unknown_provisions); каждый зависящий от неё результат это указывает.",
                    ),
                )
            )
        return out


def verify(profiles: list[str] | None = None, rs: RuleSet | None = None, jobs: int | None = None) -> Report:
    """Every check under every profile named (default: all). ``jobs`` defaults to the cores available."""
    return start_verify(profiles, rs, jobs)()


def start_verify(profiles: list[str] | None = None, rs: RuleSet | None = None, jobs: int | None = None) -> Callable[[], Report]:
    """:func:`verify` started: returns what waits for its report (see :meth:`Verifier.start`)."""
    return Verifier(rs or default_ruleset()).start(profiles, workers.available_cores() if jobs is None else jobs)
