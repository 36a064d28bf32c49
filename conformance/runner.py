"""The certification policy: what to ask an implementation, in what order, and how to judge it.

One protocol session per run (:mod:`kzappeals.conformance.session`: the
wire, the handshake, the faults). After the handshake, for each profile the
implementation claims (or the one asked for):

1. the test vectors, in batches;
2. exploration: Hypothesis draws batches of cases (one round trip each).
   When a batch holds a wrong answer whose failure signature (part, clauses,
   expected, actual) is new, Hypothesis shrinks the batch to a minimal single
   case, which is recorded; exploration then goes on, ignoring known
   signatures, until the budget of distinct cases, the failure limit or the
   total timeout.

3. the metamorphic relation: variants of answered cases that no clause
   tells apart, asked where the law leaves the answer open.

Every later batch also re-asks one earlier case: an implementation must give
the same answer to the same case. Protocol breaches are faults
(:mod:`kzappeals.conformance.faults`); one that ends the session ends the
run, and everything gathered before it is kept in the certificate
(:mod:`kzappeals.conformance.tally`), as is everything gathered before an
interruption (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from hypothesis import given, seed
from hypothesis import strategies as st
from hypothesis.errors import Flaky
from pydantic import ValidationError

from kzappeals import garbage_collection
from kzappeals.conformance import faults
from kzappeals.conformance import judge as judging
from kzappeals.conformance.adapters import Adapter, truncate
from kzappeals.conformance.expectations import LEVELS, Expectation
from kzappeals.conformance.faults import Evidence
from kzappeals.conformance.options import Options
from kzappeals.conformance.oracle import expected
from kzappeals.conformance.protocol import Certificate, Failure, RunInfo, StartResponse
from kzappeals.conformance.reproducible import exploration_settings, isolated
from kzappeals.conformance.session import CaseReply, Session, SessionEnded, shown_json
from kzappeals.conformance.strategies import case_dicts, ordinary
from kzappeals.conformance.tally import ProfileTally, Record, RunSettings
from kzappeals.conformance.tally import certificate as make_certificate
from kzappeals.conformance.vectors import load_vectors
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.errors import EXIT_FINDINGS, EXIT_OK
from kzappeals.spec.ruleset import default_ruleset

EXIT_CERTIFIED = EXIT_OK
EXIT_NOT_CERTIFIED = EXIT_FINDINGS
EXIT_NOT_RUN = 4  # the implementation could not be run at all: it did not start, or its handshake is unusable

REASK_POOL = 500  # earlier cases kept for re-asking; enough to spread re-asks over a long run


@dataclass(frozen=True)
class MustReject:
    """An error vector's expectation: the case is incoherent and must be answered with ``errored``; the clause is
    its coherence constraint's (spec/coherence.toml)."""

    reason: str
    clause: str


@dataclass(frozen=True)
class ProfileVector:
    """A committed test vector (kzappeals.conformance.vectors.Vector) under one profile, as the runner asks it."""

    id: str
    case: dict
    profile: str
    expected: Expectation | MustReject


def available_vectors() -> list[ProfileVector]:
    """The committed test vectors, one per (vector, profile).

    An error vector (an incoherent appeal) expects ``errored`` under every profile.
    """
    return list(_profile_vectors())


@functools.cache
def _profile_vectors() -> tuple[ProfileVector, ...]:
    # Made once per process: the self-check certifies hundreds of mutants on the same vectors.
    profiles = list(default_ruleset().profiles)
    out: list[ProfileVector] = []
    for family, vf in load_vectors():
        for v in vf.vectors:
            vid = f"{family}/{v.id}"
            if v.expected_error is not None:
                e = v.expected_error
                error = MustReject(f"field {e.field}: {e.reason}", e.clause)
                out += [ProfileVector(vid, v.case, p, error) for p in profiles]
            else:
                out += [ProfileVector(vid, v.case, p, exp) for p, exp in (v.expected or {}).items()]
    return tuple(out)


# --- the run's state, per profile ----------------------------------------------------


class _NewFailure(Exception):
    """Raised inside the Hypothesis test: this batch shows a failure not seen yet (Hypothesis shrinks it)."""

    def __init__(self, failure: Failure, signatures: set):
        super().__init__(failure.mismatches[0].message)
        self.failure = failure
        self.signatures = signatures


class ScriptDiverged(Exception):
    """A replayed exploration (``Options.replay_exploration``) came to a batch that now shows a new failure,
    where Hypothesis would shrink it, or ran out of recorded batches where Hypothesis would draw more:
    the certification must be made again with Hypothesis."""


@dataclass
class ExplorationScript:
    """The batches each profile's exploration asked, in order, and whether it ended stopped (by the budget).

    Hypothesis learns of a batch only whether the test passed: kept only from a run whose every batch
    passed, a script is what Hypothesis asks of any implementation whose every batch passes too, under the
    same seed and options. Replaying it runs the runner's own judging on the implementation's own replies
    and skips the drawing, which is most of a certification's time (the self-check replays the
    reference's exploration to every mutant)."""

    batches: dict[str, tuple[tuple[dict, ...], ...]] = field(default_factory=dict)
    stopped: dict[str, bool] = field(default_factory=dict)


class _Stop(BaseException):
    """Ends exploration at once. A BaseException, so Hypothesis neither catches nor shrinks it."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


@dataclass
class _Asked:
    """What a profile's run has asked so far: the first outcome of every case, the pool re-asked from,
    and the failure signatures already found (exploration looks past them)."""

    seen: dict[str, CaseReply] = field(default_factory=dict)
    pool: list[tuple[dict, str]] = field(default_factory=list)
    known: set = field(default_factory=set)
    expected: dict[str, Expectation] = field(default_factory=dict)  # by case key: Hypothesis draws most cases several times


def _received_on(case: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(case["received_on"])
    except (KeyError, TypeError, ValueError):  # an error vector may lack it or break it
        return None


def _key(case: dict) -> str:
    return json.dumps(case, sort_keys=True, default=str)


def changes(case: dict) -> dict:
    """The case's differences from the ordinary appeal (spec/ordinary-appeal.json), in field order;
    a field an (error) case lacks shows as ``"-field": "missing"``."""
    base = ordinary()
    return {k: v for k, v in case.items() if base.get(k, object()) != v} | {f"-{k}": "missing" for k in base if k not in case}


class Runner:
    """One certification: the policy over one protocol session."""

    def __init__(self, adapter: Adapter, options: Options):
        options.check()
        self.opt = options
        self.session = Session(adapter, options.total_timeout, options.case_timeout, options.start_timeout)
        self.handshake: StartResponse | None = None
        self.profiles: list[ProfileTally] = []
        self.skipped_profiles: dict[str, str] = {}
        self.interrupted = False
        self._asked: dict[str, _Asked] = {}

    @property
    def faults(self) -> dict:
        """The faults recorded so far, by kind."""
        return self.session.faults.by_kind

    # Young collections only, for the whole run: a full one, however late in it, walks all the old cycles the
    # explorations left (about 160,000 objects in certifying the Node example: 0.2 s).
    @garbage_collection.young_only()
    def certify(self, vectors: list[ProfileVector]) -> Certificate:
        """Run everything; an interruption (KeyboardInterrupt, raised for SIGTERM too by the CLI) ends the run early
        and the certificate keeps what was gathered, marked interrupted. The implementation is always ended."""
        started = time.monotonic()
        current: ProfileTally | None = None
        try:
            if self._start():
                for tally in self.profiles:
                    current = tally
                    if self.session.faults.fatal:
                        tally.stopped_by = "fault"
                        continue
                    try:
                        self._run_vectors(tally, [v for v in vectors if v.profile == tally.name])
                        self._explore(tally)
                        self._metamorphic(tally)
                    except (SessionEnded, _Stop) as stop:
                        tally.stopped_by = stop.why
                current = None
                if not self.session.faults.fatal:
                    self.session.stop()
        except KeyboardInterrupt:
            self.interrupted = True
            if current is not None:
                current.stopped_by = "interrupted"
        finally:
            self.session.close()
            self.opt.progress.close()
        seconds = time.monotonic() - started
        run = RunInfo(
            impl=self.session.adapter.target,
            seconds=round(seconds, 3),
            cases_per_second=round(self.session.sent / seconds, 1) if seconds else 0.0,
            python=platform.python_version(),
            platform=platform.platform(),
        )
        settings = RunSettings(
            seed=self.opt.seed,
            max_examples=self.opt.max_examples,
            batch_size=self.opt.batch_size,
            max_failures=self.opt.max_failures,
            metamorphic_cases=self.opt.metamorphic_cases,
            levels_requested=self.opt.levels,
        )
        return make_certificate(
            adapter_kind=self.session.adapter.kind,
            handshake=self.handshake,
            profiles=self.profiles,
            skipped_profiles=self.skipped_profiles,
            faults=self.session.faults.all(),
            settings=settings,
            interrupted=self.interrupted,
            run=run,
        )

    def _start(self) -> bool:
        known = list(default_ruleset().profiles)
        self.handshake = self.session.start(known)
        if self.handshake is None:
            return False
        claimed = [p for p in self.handshake.profiles if p in known]
        for p in self.opt.profiles or ():
            if p not in claimed:
                self.skipped_profiles[p] = "not claimed"
        levels = tuple(lv for lv in LEVELS if lv in self.handshake.levels and (self.opt.levels is None or lv in self.opt.levels))
        order = [p for p in known if p in claimed and (self.opt.profiles is None or p in self.opt.profiles)]
        self.profiles = [ProfileTally(p, levels, judging.judged_parts(levels)) for p in order]
        self._asked = {p: _Asked() for p in order}
        return True

    # --- asking, with one earlier case re-asked ----------------------------------------

    def _ask(self, tally: ProfileTally, cases: list[dict]) -> list[CaseReply]:
        """One round trip; every batch also re-asks one earlier case, which must get the same answer."""
        asked = self._asked[tally.name]
        reask = asked.pool[(self.session.batch * 7919) % len(asked.pool)] if asked.pool else None
        outcomes = self.session.ask(tally.name, [*cases, reask[0]] if reask else list(cases))
        if reask:
            self._compare(tally, reask[0], reask[1], outcomes.pop(), "re-asked")
        return outcomes

    def _compare(self, tally: ProfileTally, case: dict, key: str, outcome: CaseReply, how: str) -> None:
        first = self._asked[tally.name].seen[key]
        if "unanswered" in (first.kind, outcome.kind) or first.comparable() == outcome.comparable():
            return
        self.session.faults.record(
            faults.Inconsistent(
                f"a {how} case got a different answer the second time",
                Evidence(
                    line=shown_json(changes(case)),
                    detail=truncate(f"first: {json.dumps(first.shown())}; then: {json.dumps(outcome.shown())}", 600),
                ),
            ),
            tally.name,
        )

    # --- judging -------------------------------------------------------------

    def _judge(self, tally: ProfileTally, case: dict, exp: Expectation | MustReject, outcome: CaseReply) -> Record:
        if outcome.kind in ("skipped", "unanswered"):
            return Record(outcome)
        if isinstance(exp, MustReject):
            return Record(outcome, (), () if outcome.kind == "errored" else (judging.answered_invalid(exp.reason, exp.clause),))
        if outcome.kind == "errored":
            return Record(outcome, (), (judging.errored_on_valid(outcome.message),))
        assert outcome.answer is not None
        j = judging.judge(exp, outcome.answer, tally.levels, _received_on(case))
        return Record(outcome, j.parts, j.mismatches)

    def _record(
        self,
        tally: ProfileTally,
        store: dict[str, Record],
        sid: str | None,
        case: dict,
        exp: Expectation | MustReject,
        outcome: CaseReply,
        key: str | None = None,
    ) -> Record:
        """Judge one outcome; keep it under ``sid`` (None: the case itself) unless already kept, and check it
        against any earlier answer to the same case (``key``: the case's, if already made)."""
        asked = self._asked[tally.name]
        key = key or _key(case)
        rec = self._judge(tally, case, exp, outcome)
        if key in asked.seen:
            self._compare(tally, case, key, outcome, "repeated")
        else:
            asked.seen[key] = outcome
            if outcome.kind != "unanswered" and len(asked.pool) < REASK_POOL:
                asked.pool.append((case, key))
        store.setdefault(sid or key, rec)
        return rec

    def _failure(
        self,
        tally: ProfileTally,
        source: Literal["vector", "generated"],
        fid: str,
        case: dict,
        exp: Expectation | MustReject,
        rec: Record,
        minimal: bool,
    ) -> Failure:
        shown: dict = {}
        if isinstance(exp, MustReject):
            shown = {"outcome": {"errored": exp.reason, "provisions": [exp.clause]}}
        else:
            for part in tally.parts:
                if part == "in_force":
                    shown[part] = {"value": exp.in_force, "provisions": list(exp.in_force_clauses)}
                elif part == "forwarding_due":
                    shown[part] = {"value": None if exp.forwarding_due is None else exp.forwarding_due.isoformat()}
                else:
                    q = exp.questions[part]
                    shown[part] = {"status": q.status, "admissible": {v: list(p) for v, p in q.admissible.items()}}
        return Failure(
            source=source,
            id=fid,
            profile=tally.name,
            case=case,
            changes=changes(case),
            expected=shown,
            actual=rec.outcome.shown(),
            mismatches=list(rec.mismatches),
            minimal=minimal,
            cases=1,
        )

    # --- vectors ---------------------------------------------------------------

    def _run_vectors(self, tally: ProfileTally, vectors: list[ProfileVector]) -> None:
        self.opt.progress.phase(f"{tally.name}: test vectors", len(vectors))
        for start in range(0, len(vectors), self.opt.batch_size):
            chunk = vectors[start : start + self.opt.batch_size]
            outcomes = self._ask(tally, [v.case for v in chunk])
            self.opt.progress.advance(len(chunk))
            for v, outcome in zip(chunk, outcomes):
                rec = self._record(tally, tally.vectors, v.id, v.case, v.expected, outcome)
                if rec.mismatches:
                    tally.failures.append(self._failure(tally, "vector", v.id, v.case, v.expected, rec, minimal=True))

    # --- exploration -------------------------------------------------------------

    def _explore(self, tally: ProfileTally) -> None:
        """Hypothesis rounds; each ends at a new minimal failure (recorded) or when the search is over."""
        if not self.opt.max_examples:
            tally.stopped_by = "budget"
            return
        self.opt.progress.phase(f"{tally.name}: generated cases", self.opt.max_examples)
        rnd = 0
        while True:
            if len(tally.generated_failures) >= self.opt.max_failures:
                tally.stopped_by = "failure limit"
                return
            remaining = self.opt.max_examples - len(tally.generated)
            if remaining <= 0:
                tally.stopped_by = "budget"
                return
            best: list[_NewFailure] = []
            probe = self._probe(tally, best)
            replay, record = self.opt.replay_exploration, self.opt.record_exploration
            kept: list[tuple[dict, ...]] = []
            if rnd == 0 and record is not None:
                probe = _recording(probe, kept)
            explore = exploration_settings(remaining)(
                seed(self.opt.seed * 1000 + rnd)(given(st.lists(case_dicts(), min_size=1, max_size=self.opt.batch_size))(probe))
            )
            if rnd == 0 and replay is not None and tally.name in replay.batches:
                explore = functools.partial(_replayed, probe, replay.batches[tally.name], replay.stopped[tally.name])
            try:
                with isolated():
                    explore()
                if rnd == 0 and record is not None:
                    record.batches[tally.name], record.stopped[tally.name] = tuple(kept), False
            except _NewFailure as found:
                self._keep(tally, found, minimal=True)
            except (_Stop, SessionEnded) as stop:
                if best:
                    self._keep(tally, best[0], minimal=False)
                elif rnd == 0 and record is not None:
                    record.batches[tally.name], record.stopped[tally.name] = tuple(kept), True
                tally.stopped_by = stop.why
                return
            except Flaky as exc:
                if best:
                    self._keep(tally, best[0], minimal=False)
                self.session.faults.record(
                    faults.Nondeterministic(
                        "a failing batch passed when sent again, so it could not be shrunk", Evidence(detail=truncate(str(exc)))
                    ),
                    tally.name,
                )
                tally.stopped_by = "fault"
                return
            else:
                tally.stopped_by = "budget" if len(tally.generated) >= self.opt.max_examples else "search exhausted"
                return
            rnd += 1

    def _probe(self, tally: ProfileTally, best: list[_NewFailure]) -> Callable[[list[dict]], None]:
        asked = self._asked[tally.name]

        def probe(batch: list[dict]) -> None:
            if self.session.faults.fatal:
                raise _Stop("fault")
            # Stop on the budget only while generating: a failure being shrunk is finished first.
            if not best and len(tally.generated) >= self.opt.max_examples:
                raise _Stop("budget")
            try:
                outcomes = self._ask(tally, batch)
            except SessionEnded as ended:
                raise _Stop(ended.why) from None
            new: _NewFailure | None = None
            before = len(tally.generated)
            for case, outcome in zip(batch, outcomes):
                key = _key(case)
                exp = asked.expected.get(key)
                if exp is None:
                    exp = asked.expected[key] = expected(parse_case(case), tally.name)
                rec = self._record(tally, tally.generated, None, case, exp, outcome, key)
                sigs = {judging.signature(m) for m in rec.mismatches} - asked.known
                if sigs and new is None:
                    n = len(tally.generated_failures) + 1
                    new = _NewFailure(self._failure(tally, "generated", f"{tally.name}/{n}", case, exp, rec, minimal=True), sigs)
            self.opt.progress.advance(len(tally.generated) - before)
            if new is not None:
                # Keep the smallest failing case seen, should the run stop before shrinking ends.
                if not best or len(new.failure.changes) <= len(best[0].failure.changes):
                    best[:] = [new]
                raise new

        return probe

    def _keep(self, tally: ProfileTally, found: _NewFailure, minimal: bool) -> None:
        tally.failures.append(found.failure.model_copy(update={"minimal": minimal}))
        self._asked[tally.name].known |= found.signatures

    # --- metamorphic relation ------------------------------------------------------------

    def _metamorphic(self, tally: ProfileTally) -> None:
        """Ask variants no clause tells apart from answered cases; where the law leaves the answer open, the
        implementation must give the variant the same answer (kzappeals.conformance.metamorphic)."""
        from kzappeals.conformance import metamorphic

        asked = self._asked[tally.name]
        pairs = []
        for case, key in asked.pool[: self.opt.metamorphic_cases]:
            if asked.seen[key].answer is None:
                continue
            try:
                exp = expected(parse_case(case), tally.name)
            except ValidationError:  # an error vector the implementation answered: judged already
                continue
            open_parts = [p for p in tally.parts if p in exp.questions and exp.questions[p].status in metamorphic.OPEN]
            if open_parts:
                pairs += [
                    (case, key, open_parts, fld, value, variant)
                    for fld, value, variant in metamorphic.irrelevant_variants(case, tally.name)
                ]
        self.opt.progress.phase(f"{tally.name}: metamorphic variants", len(pairs))
        for start in range(0, len(pairs), self.opt.batch_size):
            chunk = pairs[start : start + self.opt.batch_size]
            self.opt.progress.advance(len(chunk))
            for (case, key, parts, fld, value, _variant), outcome in zip(chunk, self._ask(tally, [p[5] for p in chunk])):
                first = asked.seen[key]
                if first.answer is None or outcome.answer is None:
                    continue
                a, b = first.answer.model_dump(mode="json"), outcome.answer.model_dump(mode="json")
                differ = [p for p in parts if a[p] != b[p]]
                if differ:
                    self.session.faults.record(
                        faults.Metamorphic(
                            f"two appeals no clause tells apart (they differ only in {fld} = {value!r}) "
                            f"got different answers to {', '.join(differ)}, where the law leaves the answer open",
                            Evidence(
                                line=shown_json(changes(case)),
                                detail=truncate(
                                    f"{fld} = {value!r}; first: {json.dumps({p: a[p] for p in differ})}; "
                                    f"then: {json.dumps({p: b[p] for p in differ})}",
                                    600,
                                ),
                            ),
                        ),
                        tally.name,
                    )


def _recording(probe: Callable[[list[dict]], None], kept: list[tuple[dict, ...]]) -> Callable[[list[dict]], None]:
    """``probe``, keeping every batch it is given (a copy: what was asked, whatever the runner does with it after)."""

    def recorded(batch: list[dict]) -> None:
        kept.append(tuple(copy.deepcopy(batch)))
        probe(batch)

    return recorded


def _replayed(probe: Callable[[list[dict]], None], batches: tuple[tuple[dict, ...], ...], stopped: bool) -> None:
    """What the Hypothesis test does under a script: the recorded batches asked in order. A stop or the end of the
    session leaves it at once, as it leaves Hypothesis; a new failure, or running past a recorded stop, diverges."""
    for batch in batches:
        try:
            probe(list(batch))
        except _NewFailure:
            raise ScriptDiverged("a recorded batch shows a new failure") from None
    if stopped:
        raise ScriptDiverged("the recorded run was stopped here; this one goes on")


def certify(adapter: Adapter, options: Options) -> Certificate:
    """Run the certification; never raises for anything the implementation does."""
    vectors = options.vectors if options.vectors is not None else available_vectors()
    return Runner(adapter, options).certify(vectors)


def exit_code(cert: Certificate) -> int:
    """0 certified; 1 not certified or partial; 4 the implementation could not be run at all."""
    if not cert.ran:
        return EXIT_NOT_RUN
    return EXIT_CERTIFIED if cert.verdict == "certified" else EXIT_NOT_CERTIFIED
