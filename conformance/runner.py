"""The certification run: handshake, test vectors, Hypothesis exploration, certificate.

One session per run. After the handshake, for each profile the
implementation claims (or the one asked for):

1. the test vectors, in batches;
2. exploration: Hypothesis draws batches of cases (one round trip each).
   When a batch holds a wrong answer whose failure signature (part, clauses,
   expected, actual) is new, Hypothesis shrinks the batch to a minimal single
   case, which is recorded; exploration then goes on, ignoring known
   signatures, until the budget of distinct cases, the failure limit or the
   total timeout.

Every later batch also re-asks one earlier case: an implementation must give
the same answer to the same case. Protocol breaches are faults with
evidence; a fault that ends the session (crash, hang, unreadable reply) ends
the run, and everything gathered before it is kept in the certificate.
"""

from __future__ import annotations

import json
import platform
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from hypothesis import given, seed
from hypothesis import strategies as st
from hypothesis.errors import Flaky
from pydantic import BaseModel, ValidationError

from kzappeals.conformance import judge as judging
from kzappeals.conformance.adapters import Adapter, ImplementationFault, truncate
from kzappeals.conformance.reproducible import exploration_settings, isolated, stack, suite_sha256
from kzappeals.conformance.expectations import LEVELS, Expectation, VendorAnswer
from kzappeals.conformance.oracle import expected, parse_case
from kzappeals.conformance.protocol import (
    PROTOCOL_VERSION, CaseCounts, Certificate, GenerationStack, ClauseTally, ErrorReport, Evidence, Failure, Fault, Mismatch,
    PartTally, ProfileResult, RunInfo, SkipReason, StartResponse, certified_digest,
)
from kzappeals.conformance.serving import to_json
from kzappeals.conformance.strategies import case_dicts, ordinary
from kzappeals.conformance.vectors import load_vectors
from kzappeals.spec.errors import EXIT_FINDINGS, EXIT_OK, InputError
from kzappeals.spec.ruleset import default_ruleset

EXIT_CERTIFIED = EXIT_OK
EXIT_NOT_CERTIFIED = EXIT_FINDINGS
EXIT_NOT_RUN = 4  # the implementation could not be run at all: it did not start, or its handshake is unusable

STOP_TIMEOUT = 2.0
REASK_POOL = 500  # earlier cases kept for re-asking; enough to spread re-asks over a long run


@dataclass(frozen=True)
class ExpectedError:
    """An error vector's expectation: the case is invalid and must be answered with ``errored``."""

    reason: str


@dataclass(frozen=True)
class Vector:
    id: str
    case: dict
    profile: str
    expected: Expectation | ExpectedError


def available_vectors() -> list[Vector]:
    """The committed test vectors, one per (vector, profile).

    An error vector (an incoherent appeal) expects ``errored`` under every profile.
    """
    profiles = list(default_ruleset().profiles)
    out: list[Vector] = []
    for family, vf in load_vectors():
        for v in vf.vectors:
            vid = f"{family}/{v.id}"
            if v.expected_error is not None:
                e = v.expected_error
                error = ExpectedError(f"field {e.field}: {e.reason}, clause {e.clause}")
                out += [Vector(vid, v.case, p, error) for p in profiles]
            else:
                out += [Vector(vid, v.case, p, exp) for p, exp in (v.expected or {}).items()]
    return out


@dataclass
class Options:
    profiles: tuple[str, ...] | None = None  # None: every profile the implementation claims
    levels: tuple[str, ...] | None = None  # None: every level it claims
    seed: int = 0
    max_examples: int = 1000  # distinct generated cases per profile
    batch_size: int = 100
    case_timeout: float = 2.0  # a batch may take this long per case
    start_timeout: float = 10.0
    total_timeout: float = 600.0
    max_failures: int = 20  # distinct generated failures per profile before exploration stops
    metamorphic_cases: int = 40  # answered cases whose irrelevant variants are asked too (0: none)
    vectors: list[Vector] | None = None  # None: available_vectors()

    def check(self) -> None:
        profiles = default_ruleset().profiles
        for p in self.profiles or ():
            if p not in profiles:
                raise InputError("--profile", f"'{p}' is not a profile (one of: {', '.join(profiles)})")
        for level in self.levels or ():
            if level not in LEVELS:
                raise InputError("--level", f"'{level}' is not a level (one of: {', '.join(LEVELS)})")
        for name, value, low in (("--seed", self.seed, 0), ("--max-examples", self.max_examples, 0), ("--batch-size", self.batch_size, 1)):
            if value < low:
                raise InputError(name, f"must be at least {low}, got {value}")
        for name, value in (("--case-timeout", self.case_timeout), ("--start-timeout", self.start_timeout), ("--total-timeout", self.total_timeout)):
            if not value > 0:
                raise InputError(name, f"must be a positive number of seconds, got {value}")


# --- outcomes of one case -------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What came back for one case: an answer, a skip, an error, or nothing usable (a fault says why)."""

    kind: str  # answer | skipped | errored | unanswered
    answer: VendorAnswer | None = None
    message: str = ""

    def comparable(self) -> object:
        """The part that must not change when the same case is asked again."""
        return self.answer.model_dump(mode="json") if self.answer is not None else self.kind

    def shown(self) -> dict:
        if self.answer is not None:
            return {"answer": self.answer.model_dump(mode="json")}
        return {self.kind: self.message} if self.message else {self.kind: True}


@dataclass
class Record:
    """One distinct case, judged on its first answer."""

    outcome: Outcome
    parts: tuple[judging.PartResult, ...] = ()
    mismatches: tuple[Mismatch, ...] = ()


class _NewFailure(Exception):
    """Raised inside the Hypothesis test: this batch shows a failure not seen yet (Hypothesis shrinks it)."""

    def __init__(self, failure: Failure, signatures: set):
        super().__init__(failure.mismatches[0].message)
        self.failure = failure
        self.signatures = signatures


class _Stop(BaseException):
    """Ends exploration at once. A BaseException, so Hypothesis neither catches nor shrinks it."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


@dataclass
class _Profile:
    name: str
    levels: tuple[str, ...]
    parts: tuple[str, ...]
    vectors: dict[str, Record] = field(default_factory=dict)  # by vector id
    generated: dict[str, Record] = field(default_factory=dict)  # by case: distinct generated cases
    seen: dict[str, Outcome] = field(default_factory=dict)  # first outcome of every case sent, by case
    failures: list[Failure] = field(default_factory=list)
    known: set = field(default_factory=set)
    pool: list[tuple[dict, str]] = field(default_factory=list)
    stopped_by: str | None = None


def _key(case: dict) -> str:
    return json.dumps(case, sort_keys=True, default=str)


def changes(case: dict) -> dict:
    """The case's differences from the ordinary appeal (spec/ordinary-appeal.json), in field order;
    a field an (error) case lacks shows as ``"-field": "missing"``."""
    base = ordinary()
    return {k: v for k, v in case.items() if base.get(k, object()) != v} | {f"-{k}": "missing" for k in base if k not in case}


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else err["msg"]


def _shown_json(obj: object) -> str:
    return truncate(json.dumps(obj, default=to_json, ensure_ascii=False) if not isinstance(obj, str) else obj)


class Runner:
    def __init__(self, adapter: Adapter, options: Options):
        options.check()
        self.adapter = adapter
        self.opt = options
        self.faults: dict[str, Fault] = {}
        self.fatal = False
        self.seq = 0
        self.batch = 0
        self.sent = 0
        self.handshake: StartResponse | None = None
        self.profiles: list[_Profile] = []
        self.skipped_profiles: dict[str, str] = {}
        self.deadline = 0.0

    # --- faults --------------------------------------------------------------

    def fault(self, kind: str, message: str, evidence: Evidence, profile: str | None = None, fatal: bool = False) -> None:
        """Record a fault; repeats of a kind are counted, the first evidence is kept."""
        if kind in self.faults:
            f = self.faults[kind]
            self.faults[kind] = f.model_copy(update={"occurrences": f.occurrences + 1, "fatal": f.fatal or fatal})
        else:
            self.faults[kind] = Fault(kind=kind, fatal=fatal, profile=profile, message=message, occurrences=1, evidence=evidence)
        self.fatal = self.fatal or fatal

    def _session_fault(self, exc: ImplementationFault, profile: str | None) -> None:
        self.fault(exc.kind, exc.message, exc.evidence, profile, fatal=True)
        self.adapter.close()

    # --- the run -------------------------------------------------------------

    def certify(self, vectors: list[Vector]) -> Certificate:
        started = time.monotonic()
        self.deadline = started + self.opt.total_timeout
        try:
            if self._start():
                for prof in self.profiles:
                    if self.fatal:
                        prof.stopped_by = "fault"
                        continue
                    try:
                        self._run_vectors(prof, [v for v in vectors if v.profile == prof.name])
                        self._explore(prof)
                        self._metamorphic(prof)
                    except _Stop as stop:
                        prof.stopped_by = stop.why
                if not self.fatal:
                    try:
                        self.adapter.stop(STOP_TIMEOUT)
                    except ImplementationFault as exc:
                        self.fault(exc.kind, exc.message, exc.evidence)
        finally:
            self.adapter.close()
        seconds = time.monotonic() - started
        run = RunInfo(impl=self.adapter.target, seconds=round(seconds, 3), cases_per_second=round(self.sent / seconds, 1) if seconds else 0.0,
                      python=platform.python_version(), platform=platform.platform())
        return self._certificate(run)

    def _start(self) -> bool:
        """Handshake; False when the implementation cannot be run (it did not start or its claims are unusable)."""
        try:
            raw = self.adapter.start(self.opt.start_timeout)
        except ImplementationFault as exc:
            self._session_fault(exc, None)
            return False
        if isinstance(raw, dict) and raw.get("protocol") != PROTOCOL_VERSION and "protocol" in raw:
            self.fault("version-mismatch", f"the implementation speaks protocol {raw['protocol']!r}; the runner speaks {PROTOCOL_VERSION}",
                       Evidence(line=_shown_json(raw)), fatal=True)
            self.adapter.close()
            return False
        try:
            self.handshake = StartResponse.model_validate_json(json.dumps(raw, default=to_json))
        except ValidationError as exc:
            self.fault("invalid-handshake", f"the handshake does not match start-response.schema.json: {_first_error(exc)}",
                       Evidence(line=_shown_json(raw)), fatal=True)
            self.adapter.close()
            return False
        known = default_ruleset().profiles
        unknown = [p for p in self.handshake.profiles if p not in known]
        if unknown:
            self.fault("unknown-profile", f"the handshake claims profiles that do not exist: {', '.join(unknown)}",
                       Evidence(line=_shown_json(raw)))
        claimed = [p for p in self.handshake.profiles if p in known]
        for p in self.opt.profiles or ():
            if p not in claimed:
                self.skipped_profiles[p] = "not claimed"
        levels = tuple(lv for lv in LEVELS if lv in self.handshake.levels and (self.opt.levels is None or lv in self.opt.levels))
        order = [p for p in known if p in claimed and (self.opt.profiles is None or p in self.opt.profiles)]
        self.profiles = [_Profile(p, levels, judging.judged_parts(levels)) for p in order]
        return True

    # --- one round trip --------------------------------------------------------

    def _round_trip(self, prof: _Profile, cases: list[dict]) -> list[Outcome]:
        """Send one batch (plus one re-asked earlier case) and read back one Outcome per case, in order."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.fault("total-timeout", f"the run reached its total timeout ({self.opt.total_timeout:g} s)",
                       Evidence(detail=f"{self.sent} cases sent"), prof.name, fatal=True)
            raise _Stop("total timeout")
        reask = prof.pool[(self.batch * 7919) % len(prof.pool)] if prof.pool else None
        items = [*cases, reask[0]] if reask else list(cases)
        seqs = [self.seq + i + 1 for i in range(len(items))]
        self.seq += len(items)
        self.batch += 1
        request = {"cmd": "decide", "batch": self.batch, "profile": prof.name,
                   "cases": [{"seq": s, "case": c} for s, c in zip(seqs, items)]}
        budget = self.opt.case_timeout * len(items)
        timeout = min(budget, remaining)
        self.sent += len(items)
        try:
            reply = self.adapter.decide(request, timeout)
        except ImplementationFault as exc:
            if exc.kind == "hang" and timeout < budget:
                exc = ImplementationFault("total-timeout", f"the run reached its total timeout ({self.opt.total_timeout:g} s) "
                                          f"waiting for batch {self.batch}", exc.evidence)
            self._session_fault(exc, prof.name)
            raise _Stop("total timeout" if exc.kind == "total-timeout" else "fault") from None
        outcomes = self._read_reply(prof, request, seqs, reply)
        if reask:
            self._compare(prof, reask[0], reask[1], outcomes.pop(), "re-asked")
        return outcomes

    def _read_reply(self, prof: _Profile, request: dict, seqs: list[int], reply: object) -> list[Outcome]:
        batch = request["batch"]
        if not isinstance(reply, dict) or not isinstance(reply.get("results"), list) or set(reply) != {"batch", "results"}:
            self._session_fault(ImplementationFault("malformed-reply", "the reply is not {\"batch\": ..., \"results\": [...]}",
                                                    Evidence(batch=batch, line=_shown_json(reply))), prof.name)
            raise _Stop("fault")
        if reply["batch"] != batch:
            self._session_fault(ImplementationFault("wrong-batch", f"reply to batch {reply['batch']!r} while batch {batch} was asked",
                                                    Evidence(batch=batch, line=_shown_json(reply))), prof.name)
            raise _Stop("fault")
        asked = set(seqs)
        got: dict[int, Outcome] = {}
        order: list[int] = []
        for item in reply["results"]:
            seq = item.get("seq") if isinstance(item, dict) else None
            ev = Evidence(batch=batch, seq=seq if isinstance(seq, int) else None, line=_shown_json(item))
            kinds = [k for k in ("answer", "skipped", "errored") if isinstance(item, dict) and k in item]
            if not isinstance(seq, int) or isinstance(seq, bool) or len(kinds) != 1 or set(item) != {"seq", kinds[0]}:
                self.fault("malformed-result", "a result is not {\"seq\": N, and one of \"answer\", \"skipped\", \"errored\"}", ev, prof.name)
                continue
            if seq not in asked:
                self.fault("extra-result", f"a result for seq {seq}, which batch {batch} did not ask", ev, prof.name)
                continue
            if seq in got:
                self.fault("duplicate-result", f"seq {seq} answered twice in batch {batch} (the first result is kept)", ev, prof.name)
                continue
            order.append(seq)
            got[seq] = self._outcome(prof, kinds[0], item[kinds[0]], ev)
        if order != sorted(order):
            self.fault("out-of-order", f"results of batch {batch} are not in the order of its cases",
                       Evidence(batch=batch, detail=f"asked {seqs}, answered {order}"), prof.name)
        outcomes = []
        for seq in seqs:
            if seq not in got:
                self.fault("missing-result", f"no result for seq {seq} of batch {batch}",
                           Evidence(batch=batch, seq=seq, detail=f"asked {len(seqs)} cases, got {len(reply['results'])} results"), prof.name)
            outcomes.append(got.get(seq, Outcome("unanswered")))
        return outcomes

    def _outcome(self, prof: _Profile, kind: str, payload: object, ev: Evidence) -> Outcome:
        model: type[BaseModel] = {"answer": VendorAnswer, "skipped": SkipReason, "errored": ErrorReport}[kind]
        try:
            value = model.model_validate_json(json.dumps(payload, default=to_json))
        except (ValidationError, TypeError, ValueError) as exc:
            reason = _first_error(exc) if isinstance(exc, ValidationError) else str(exc)
            self.fault(f"invalid-{kind}", f"a result's {kind!r} does not match decide-response.schema.json: {reason}", ev, prof.name)
            return Outcome("unanswered")
        if kind == "answer":
            return Outcome("answer", answer=value)
        if kind == "skipped":
            return Outcome("skipped", message=value.reason)
        return Outcome("errored", message=value.message + (f" (field {value.field})" if value.field else ""))

    def _compare(self, prof: _Profile, case: dict, key: str, outcome: Outcome, how: str) -> None:
        first = prof.seen[key]
        if "unanswered" in (first.kind, outcome.kind) or first.comparable() == outcome.comparable():
            return
        self.fault("inconsistent", f"a {how} case got a different answer the second time",
                   Evidence(line=_shown_json(changes(case)), detail=truncate(f"first: {json.dumps(first.shown())}; then: {json.dumps(outcome.shown())}", 600)),
                   prof.name)

    # --- judging -------------------------------------------------------------

    def _judge(self, prof: _Profile, exp: Expectation | ExpectedError, outcome: Outcome) -> Record:
        if outcome.kind in ("skipped", "unanswered"):
            return Record(outcome)
        if isinstance(exp, ExpectedError):
            return Record(outcome, (), () if outcome.kind == "errored" else (judging.answered_invalid(exp.reason),))
        if outcome.kind == "errored":
            return Record(outcome, (), (judging.errored_on_valid(outcome.message),))
        j = judging.judge(exp, outcome.answer, prof.levels)
        return Record(outcome, j.parts, j.mismatches)

    def _record(self, prof: _Profile, store: dict[str, Record], sid: str | None, case: dict,
                exp: Expectation | ExpectedError, outcome: Outcome) -> Record:
        """Judge one outcome; keep it under ``sid`` (None: the case itself) unless already kept, and check it
        against any earlier answer to the same case."""
        key = _key(case)
        rec = self._judge(prof, exp, outcome)
        if key in prof.seen:
            self._compare(prof, case, key, outcome, "repeated")
        else:
            prof.seen[key] = outcome
            if outcome.kind != "unanswered" and len(prof.pool) < REASK_POOL:
                prof.pool.append((case, key))
        store.setdefault(sid or key, rec)
        return rec

    def _failure(self, prof: _Profile, source: str, fid: str, case: dict, exp: Expectation | ExpectedError,
                 rec: Record, minimal: bool) -> Failure:
        if isinstance(exp, ExpectedError):
            shown = {"outcome": {"errored": exp.reason}}
        else:
            shown = {}
            for part in prof.parts:
                if part == "in_force":
                    shown[part] = {"value": exp.in_force, "provisions": list(exp.in_force_clauses)}
                elif part == "forwarding_due":
                    shown[part] = {"value": None if exp.forwarding_due is None else exp.forwarding_due.isoformat()}
                else:
                    q = exp.questions[part]
                    shown[part] = {"status": q.status, "admissible": {v: list(p) for v, p in q.admissible.items()}}
        return Failure(source=source, id=fid, profile=prof.name, case=case, changes=changes(case), expected=shown,
                       actual=rec.outcome.shown(), mismatches=list(rec.mismatches), minimal=minimal)

    # --- vectors ---------------------------------------------------------------

    def _run_vectors(self, prof: _Profile, vectors: list[Vector]) -> None:
        for start in range(0, len(vectors), self.opt.batch_size):
            chunk = vectors[start:start + self.opt.batch_size]
            outcomes = self._round_trip(prof, [v.case for v in chunk])
            for v, outcome in zip(chunk, outcomes):
                rec = self._record(prof, prof.vectors, v.id, v.case, v.expected, outcome)
                if rec.mismatches:
                    prof.failures.append(self._failure(prof, "vector", v.id, v.case, v.expected, rec, minimal=True))

    # --- exploration -------------------------------------------------------------

    def _explore(self, prof: _Profile) -> None:
        """Hypothesis rounds; each ends at a new minimal failure (recorded) or when the search is over."""
        if not self.opt.max_examples:
            prof.stopped_by = "budget"
            return
        rnd = 0
        while True:
            if len([f for f in prof.failures if f.source == "generated"]) >= self.opt.max_failures:
                prof.stopped_by = "failure limit"
                return
            remaining = self.opt.max_examples - len(prof.generated)
            if remaining <= 0:
                prof.stopped_by = "budget"
                return
            best: list[_NewFailure] = []
            probe = self._probe(prof, best)
            explore = exploration_settings(remaining)(
                seed(self.opt.seed * 1000 + rnd)(given(st.lists(case_dicts(), min_size=1, max_size=self.opt.batch_size))(probe)))
            try:
                with isolated():
                    explore()
            except _NewFailure as found:
                self._keep(prof, found, minimal=True)
            except _Stop as stop:
                if best:
                    self._keep(prof, best[0], minimal=False)
                prof.stopped_by = stop.why
                return
            except Flaky as exc:
                if best:
                    self._keep(prof, best[0], minimal=False)
                self.fault("nondeterministic", "a failing batch passed when sent again, so it could not be shrunk",
                           Evidence(detail=truncate(str(exc))), prof.name)
                prof.stopped_by = "fault"
                return
            else:
                prof.stopped_by = "budget" if len(prof.generated) >= self.opt.max_examples else "search exhausted"
                return
            rnd += 1

    def _probe(self, prof: _Profile, best: list[_NewFailure]):
        def probe(batch: list[dict]) -> None:
            if self.fatal:
                raise _Stop("fault")
            # Stop on the budget only while generating: a failure being shrunk is finished first.
            if not best and len(prof.generated) >= self.opt.max_examples:
                raise _Stop("budget")
            outcomes = self._round_trip(prof, batch)
            new: _NewFailure | None = None
            for case, outcome in zip(batch, outcomes):
                exp = expected(parse_case(case), prof.name)
                rec = self._record(prof, prof.generated, None, case, exp, outcome)
                sigs = {judging.signature(m) for m in rec.mismatches} - prof.known
                if sigs and new is None:
                    n = len([f for f in prof.failures if f.source == "generated"]) + 1
                    new = _NewFailure(self._failure(prof, "generated", f"{prof.name}/{n}", case, exp, rec, minimal=True), sigs)
            if new is not None:
                # Keep the smallest failing case seen, should the run stop before shrinking ends.
                if not best or len(new.failure.changes) <= len(best[0].failure.changes):
                    best[:] = [new]
                raise new
        return probe

    def _keep(self, prof: _Profile, found: _NewFailure, minimal: bool) -> None:
        prof.failures.append(found.failure.model_copy(update={"minimal": minimal}))
        prof.known |= found.signatures

    # --- metamorphic relation ------------------------------------------------------------

    def _metamorphic(self, prof: _Profile) -> None:
        """Ask variants no clause tells apart from answered cases; where the law leaves the answer open, the
        implementation must give the variant the same answer (kzappeals.conformance.metamorphic)."""
        from kzappeals.conformance import metamorphic

        pairs = []
        for case, key in prof.pool[: self.opt.metamorphic_cases]:
            if prof.seen[key].answer is None:
                continue
            try:
                exp = expected(parse_case(case), prof.name)
            except ValidationError:  # an error vector the implementation answered: judged already
                continue
            open_parts = [p for p in prof.parts if p in exp.questions and exp.questions[p].status in metamorphic.OPEN]
            if open_parts:
                pairs += [(case, key, open_parts, field, value, variant)
                          for field, value, variant in metamorphic.irrelevant_variants(case, prof.name)]
        for start in range(0, len(pairs), self.opt.batch_size):
            chunk = pairs[start:start + self.opt.batch_size]
            for (case, key, parts, field, value, variant), outcome in zip(chunk, self._round_trip(prof, [p[5] for p in chunk])):
                first = prof.seen[key]
                if first.answer is None or outcome.answer is None:
                    continue
                a, b = first.answer.model_dump(mode="json"), outcome.answer.model_dump(mode="json")
                differ = [p for p in parts if a[p] != b[p]]
                if differ:
                    self.fault("metamorphic", f"two appeals no clause tells apart (they differ only in {field} = {value!r}) "
                               f"got different answers to {', '.join(differ)}, where the law leaves the answer open",
                               Evidence(line=_shown_json(changes(case)),
                                        detail=truncate(f"{field} = {value!r}; first: {json.dumps({p: a[p] for p in differ})}; "
                                                        f"then: {json.dumps({p: b[p] for p in differ})}", 600)), prof.name)

    # --- the certificate ---------------------------------------------------------------

    def _profile_result(self, prof: _Profile) -> ProfileResult:
        records = [*prof.vectors.values(), *prof.generated.values()]
        parts: dict[str, list[int]] = {p: [0, 0, 0] for p in prof.parts}  # judged, wrong, not judged
        unknown: dict[str, set[str]] = {p: set() for p in prof.parts}
        clauses: dict[str, list[int]] = {}
        wrong_levels: set[str] = set()
        judged_levels: set[str] = set()
        for rec in records:
            for pr in rec.parts:
                tally = parts[pr.part]
                if not pr.judged:
                    tally[2] += 1
                    unknown[pr.part] |= set(pr.depends_on_unknown)
                    continue
                judged_levels.add(pr.level)
                tally[0] += 1
                tally[1] += not pr.right
                for c in pr.clauses:
                    clauses.setdefault(c, [0, 0])[0 if pr.right else 1] += 1
            for m in rec.mismatches:
                wrong_levels |= set(prof.levels) if m.level == judging.EVERY_LEVEL else {m.level}
        certified = [] if self.faults else [lv for lv in prof.levels if lv in judged_levels and lv not in wrong_levels]
        return ProfileResult(
            profile=prof.name, status="run", levels_judged=list(prof.levels), levels_certified=certified,
            vectors=_counts(prof.vectors.values()), generated=_counts(prof.generated.values()), stopped_by=prof.stopped_by,
            parts=[PartTally(part=p, level=judging.LEVEL_OF[p], judged=t[0], wrong=t[1], not_judged=t[2],
                             depends_on_unknown=sorted(unknown[p])) for p, t in parts.items()],
            clauses=[ClauseTally(clause=c, right=r, wrong=w, passed=not w) for c, (r, w) in sorted(clauses.items(), key=lambda kv: _clause_order(kv[0]))],
            failures=prof.failures,
        )

    def _certificate(self, run: RunInfo) -> Certificate:
        results = [self._profile_result(p) for p in self.profiles]
        results += [ProfileResult(profile=p, status=why, levels_judged=[], levels_certified=[], vectors=_counts(()), generated=_counts(()),
                                  stopped_by=None, parts=[], clauses=[], failures=[]) for p, why in self.skipped_profiles.items()]
        ran = self.handshake is not None
        judged = {lv for r in results for lv in r.levels_judged}
        certified = [lv for lv in LEVELS if lv in judged and all(lv in r.levels_certified for r in results if r.status == "run")]
        requested = set(self.opt.levels) if self.opt.levels else set(self.handshake.levels if self.handshake else ())
        # Certified means everything asked for: every requested profile run, every requested level passed.
        complete = ran and bool(certified) and not self.skipped_profiles and requested <= set(certified)
        verdict = "certified" if complete else "partial" if any(r.levels_certified for r in results) else "not certified"
        hs = self.handshake
        fields = dict(
            verdict=verdict, ran=ran, stack=GenerationStack(**stack()), spec_sha256=default_ruleset().sha256,
            suite_sha256=suite_sha256(), protocol=PROTOCOL_VERSION,
            adapter=self.adapter.kind, implementation=hs.implementation if hs else None,
            profiles_claimed=list(hs.profiles) if hs else [], levels_claimed=list(hs.levels) if hs else [],
            levels_requested=[lv for lv in LEVELS if lv in requested], levels_certified=certified,
            seed=self.opt.seed, max_examples=self.opt.max_examples, batch_size=self.opt.batch_size,
            max_failures=self.opt.max_failures, metamorphic_cases=self.opt.metamorphic_cases,
            results=results, faults=list(self.faults.values()),
        )
        draft = Certificate(digest="", run=run, **fields)
        return draft.model_copy(update={"digest": certified_digest(draft.model_dump(mode="json"))})


def _counts(records: Iterable[Record]) -> CaseCounts:
    c = {"run": 0, "right": 0, "wrong": 0, "skipped": 0, "unanswered": 0}
    for rec in records:
        c["run"] += 1
        kind = rec.outcome.kind
        c["skipped" if kind == "skipped" else "unanswered" if kind == "unanswered" else "wrong" if rec.mismatches else "right"] += 1
    return CaseCounts(**c)


def _clause_order(clause: str) -> tuple:
    """p2.pp1 < p15 < p23.pp1.ch2 < p54.pp5.a5: numbers compared as numbers."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|[^\d.]+", clause))


def certify(adapter: Adapter, options: Options) -> Certificate:
    """Run the certification; never raises for anything the implementation does."""
    vectors = options.vectors if options.vectors is not None else available_vectors()
    return Runner(adapter, options).certify(vectors)


def exit_code(cert: Certificate) -> int:
    """0 certified; 1 not certified or partial; 4 the implementation could not be run at all."""
    if not cert.ran:
        return EXIT_NOT_RUN
    return EXIT_CERTIFIED if cert.verdict == "certified" else EXIT_NOT_CERTIFIED
