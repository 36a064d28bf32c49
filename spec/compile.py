"""The rule set compiled to Z3, and nothing else.

Each case attribute is a Z3 variable (an integer over the enumeration's
values, or a Boolean), each unknown provision a Boolean, and the domain is
bounded by the coherence constraints. For a profile, a rule *applies* when
its condition holds (and, under a gated profile, the appeal's procedure is
the Instruction's), and it *decides* a question when it applies and no rule
that takes precedence over it under the profile applies too. A question a clause says does not
arise (a ``[[lapse]]`` of questions.toml) has no applying rule and is out of scope, in every profile.
"""

from __future__ import annotations

import datetime as dt

import z3

from kzappeals.spec.attribute_schema import AttributeSchema
from kzappeals.spec.conditions import Expr, build
from kzappeals.spec.ruleset import Profile, Rule, RuleSet

WITNESS_DATE = dt.date(2016, 6, 1)
"""The receipt date given to every witness: dates play no part in the rules, and this
one lies inside the in-force window under every publication date the sources allow
(kzappeals.spec.calendar)."""


class _Z3Ops:
    def __init__(self, model: CompiledModel, outputs=None, profile: Profile | None = None):
        self.m = model
        self.outputs = outputs
        self.profile = profile

    def const(self, value):
        return z3.BoolVal(value, self.m.ctx)

    def field_in(self, field, values):
        var, members = self.m.vars[field], self.m.members[field]
        return self.m.or_([var == members.index(v) for v in sorted(values)])

    def flag(self, field):
        return self.m.vars[field]

    def unknown(self, provision):
        return self.m.unknown[provision]

    def provided_by(self, prefixes):
        # Under a profile, a rule of a reading it does not choose is no case "provided by" those clauses.
        rules = [r for r in self.m.rs.provided_by(prefixes) if self.profile is None or self.profile.follows(r)]
        return self.m.or_([self.m.fire(r, self.profile) for r in rules])

    def output_in(self, output, values):
        return self.outputs(output, values)

    def not_(self, arg):
        return z3.Not(arg)

    def and_(self, args):
        return self.m.and_(args)

    def or_(self, args):
        return self.m.or_(args)


class CompiledModel:
    """Z3 terms for a rule set, in a Z3 context of their own; every term is built once and shared.

    A fresh context per model keeps every answer (which minimal witness Z3 finds first)
    independent of whatever else the process asked Z3 before, so reports are reproducible."""

    def __init__(self, rs: RuleSet, ctx: z3.Context | None = None, attributes: AttributeSchema | None = None):
        """``ctx``: a context shared with another rule set's model (a draft's, compared with its base:
        :mod:`kzappeals.spec.diff`); the attributes are named constants, so both models speak of
        the same case. Default: a fresh context. ``attributes``: what the case is made of (default:
        the rule set's own; for a diff, the base's extended by the draft's, so that a value has one
        index in both models and the base's rules, which do not name a draft's new fact, hold
        whatever it is)."""
        self.rs = rs
        self.ctx = ctx or z3.Context()
        self.schema = attributes or rs.attributes
        self.vars: dict[str, z3.ExprRef] = {}
        self.members: dict[str, list[str]] = {}
        domain = []
        for name in self.schema.tested:
            if self.schema.is_flag(name):
                self.vars[name] = z3.Bool(name, self.ctx)
            else:
                self.members[name] = self.schema.values(name)
                self.vars[name] = v = z3.Int(name, self.ctx)
                domain += [v >= 0, v < len(self.members[name])]
        self.unknown = {p: z3.Bool(f"unknown({p})", self.ctx) for p in self.schema.unknown_provisions}
        ops = _Z3Ops(self)
        self.bounds = domain
        self.coherence = [z3.Implies(build(c.when, ops), build(c.then, ops)) for c in rs.coherence]
        self.domain = self.and_(self.bounds + self.coherence)
        self._fire: dict[tuple[str, str], z3.BoolRef] = {}
        self._decides: dict[tuple[str, str, str], z3.BoolRef] = {}

    def and_(self, args: list) -> z3.BoolRef:
        return self._nary(z3.Z3_mk_and, args) if args else z3.BoolVal(True, self.ctx)

    def or_(self, args: list) -> z3.BoolRef:
        return self._nary(z3.Z3_mk_or, args) if args else z3.BoolVal(False, self.ctx)

    def _nary(self, mk, args: list) -> z3.BoolRef:
        """The term z3.And or z3.Or makes of Boolean terms of this context, without z3py re-checking the
        sort and context of each argument (most of the time spent building the rules' terms)."""
        return z3.BoolRef(mk(self.ctx.ref(), len(args), (z3.Ast * len(args))(*[a.as_ast() for a in args])), self.ctx)

    def expr(self, e: Expr, profile: Profile | None = None) -> z3.BoolRef:
        """A condition as a Z3 term; in principles, a question name means 'some rule decides it so'."""

        def answered(q: str, vs: frozenset[str]) -> z3.BoolRef:
            assert profile is not None, "a condition naming a question needs a profile"
            return self.answers(profile, q, vs)

        return build(e, _Z3Ops(self, answered, profile))

    def fire(self, rule: Rule, profile: Profile | None = None) -> z3.BoolRef:
        """The rule's literal condition; under ``profile``, its ``provided_by(...)`` counts only the rules
        the profile follows (without one, every rule)."""
        key = (rule.id, profile.name if profile is not None else "")
        if key not in self._fire:
            self._fire[key] = self.expr(rule.when, profile)
        return self._fire[key]

    def applies(self, profile: Profile, rule: Rule, question: str) -> z3.BoolRef:
        if not profile.follows(rule):
            return z3.BoolVal(False, self.ctx)
        terms = [self.fire(rule, profile)]
        if profile.gate and rule.gated and question != "procedure":
            terms.append(self.gate(profile))
        if self.rs.questions[question].lapses:
            terms.append(z3.Not(self.lapsed(profile, question)))
        return self.and_(terms) if len(terms) > 1 else terms[0]

    def lapsed(self, profile: Profile, question: str) -> z3.BoolRef:
        """Some ``[[lapse]]`` of the question holds: a clause says it does not arise (in every profile)."""
        key = (profile.name, "lapsed", question)
        if key not in self._decides:
            self._decides[key] = self.or_([self.expr(lp.when, profile) for lp in self.rs.questions[question].lapses])
        return self._decides[key]

    def gate(self, profile: Profile) -> z3.BoolRef:
        """The procedure is decided, and decided as the Instruction's own."""
        return self.and_(
            [
                self.answers(profile, "procedure", {"instruction"}),
                z3.Not(self.answers(profile, "procedure", set(self.rs.questions["procedure"].values) - {"instruction"})),
            ]
        )

    def decides(self, profile: Profile, rule: Rule, question: str) -> z3.BoolRef:
        key = (profile.name, rule.id, question)
        if key not in self._decides:
            stronger = [s for s in self.rs.answering(question) if profile.overrides(s, rule)]
            self._decides[key] = self.and_(
                [self.applies(profile, rule, question), z3.Not(self.or_([self.applies(profile, s, question) for s in stronger]))]
            )
        return self._decides[key]

    def answers(self, profile: Profile, question: str, values) -> z3.BoolRef:
        """Some deciding rule gives ``question`` one of ``values``."""
        return self.or_([self.decides(profile, r, question) for r in self.rs.answering(question) if r.then[question] in values])

    def in_scope(self, profile: Profile, question: str) -> z3.BoolRef:
        """Where the question must be answered (under a gated profile, only for the Instruction's appeals)."""
        scope = self.expr(self.rs.questions[question].required_when)
        if self.rs.questions[question].lapses:
            scope = self.and_([scope, z3.Not(self.lapsed(profile, question))])
        return self.and_([scope, self.gate(profile)]) if profile.gate and question != "procedure" else scope

    def equals(self, field: str, value) -> z3.BoolRef:
        if field in self.unknown:
            return self.unknown[field] == z3.BoolVal(value, self.ctx)
        if field not in self.members:
            return self.vars[field] == z3.BoolVal(value, self.ctx)
        return self.vars[field] == self.members[field].index(value)

    def attributes(self) -> list[str]:
        """Every attribute a witness is made of: case fields, then unknown provisions."""
        return [*self.schema.tested, *self.schema.unknown_provisions]

    def value_of(self, model: z3.ModelRef, attr: str):
        if attr in self.unknown:
            return z3.is_true(model.eval(self.unknown[attr], model_completion=True))
        v = model.eval(self.vars[attr], model_completion=True)
        return z3.is_true(v) if attr not in self.members else self.members[attr][v.as_long()]

    def ordinary_value(self, attr: str):
        """The attribute's value in the rule set's ordinary appeal (its ``ordinary-appeal.json``), from
        which every witness is measured; an unknown provision: whether the ordinary appeal asserts it."""
        base = self.rs.ordinary
        return attr in base["unknown_provisions"] if attr in self.unknown else base[attr]

    def case_from_values(self, values: dict) -> dict:
        """A witness as case JSON (validates against the case schema) from attribute values."""
        case: dict[str, object] = {"received_on": WITNESS_DATE.isoformat()}
        case.update({f: values[f] for f in self.schema.tested})
        case["unknown_provisions"] = sorted(p for p in self.schema.unknown_provisions if values[p])
        return case
