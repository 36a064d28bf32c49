"""The tally of a certification run, and the certificate made from it.

The runner (:mod:`kzappeals.conformance.runner`) fills one
:class:`ProfileTally` per profile with the judged records and failures; the
session (:mod:`kzappeals.conformance.session`) keeps the faults. Here they
become the :class:`~kzappeals.conformance.protocol.Certificate`: counts,
answers by part, a pass/fail line per clause, the verdict, and the digest
that seals everything but the run's own timing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kzappeals.conformance import judge as judging
from kzappeals.conformance.expectations import LEVELS
from kzappeals.conformance.protocol import (
    PROTOCOL_VERSION,
    CaseCounts,
    Certificate,
    ClauseTally,
    Failure,
    Fault,
    GenerationStack,
    Mismatch,
    PartTally,
    ProfileResult,
    RunInfo,
    StartResponse,
    certified_digest,
)
from kzappeals.conformance.reproducible import stack, suite_sha256
from kzappeals.conformance.session import CaseReply
from kzappeals.spec.ruleset import default_ruleset


@dataclass
class Record:
    """One distinct case, judged on its first answer."""

    outcome: CaseReply
    parts: tuple[judging.PartResult, ...] = ()
    mismatches: tuple[Mismatch, ...] = ()


@dataclass
class ProfileTally:
    """What one profile's run found."""

    name: str
    levels: tuple[str, ...]
    parts: tuple[str, ...]
    vectors: dict[str, Record] = field(default_factory=dict)  # by vector id
    generated: dict[str, Record] = field(default_factory=dict)  # by case: distinct generated cases
    failures: list[Failure] = field(default_factory=list)
    stopped_by: str | None = None

    @property
    def generated_failures(self) -> list[Failure]:
        return [f for f in self.failures if f.source == "generated"]


@dataclass
class RunSettings:
    """The options that decide which cases are asked: all of them are in the certificate (and its digest)."""

    seed: int
    max_examples: int
    batch_size: int
    max_failures: int
    metamorphic_cases: int
    levels_requested: tuple[str, ...] | None


def profile_result(tally: ProfileTally, any_fault: bool) -> ProfileResult:
    records = [*tally.vectors.values(), *tally.generated.values()]
    parts: dict[str, list[int]] = {p: [0, 0, 0] for p in tally.parts}  # judged, wrong, not judged
    unknown: dict[str, set[str]] = {p: set() for p in tally.parts}
    clauses: dict[str, list[int]] = {}
    wrong_levels: set[str] = set()
    judged_levels: set[str] = set()
    for rec in records:
        for pr in rec.parts:
            part_counts = parts[pr.part]
            if not pr.judged:
                part_counts[2] += 1
                unknown[pr.part] |= set(pr.depends_on_unknown)
                continue
            judged_levels.add(pr.level)
            part_counts[0] += 1
            part_counts[1] += not pr.right
            for c in pr.clauses:
                clauses.setdefault(c, [0, 0])[0 if pr.right else 1] += 1
        for m in rec.mismatches:
            wrong_levels |= set(tally.levels) if m.level == judging.EVERY_LEVEL else {m.level}
    # Each wrong record's signatures, made once: a mutant rejected by its vectors has hundreds of failures.
    shown = [{judging.signature(m) for m in rec.mismatches} for rec in records if rec.mismatches] if tally.failures else []
    certified = [] if any_fault else [lv for lv in tally.levels if lv in judged_levels and lv not in wrong_levels]
    return ProfileResult(
        profile=tally.name,
        status="run",
        levels_judged=list(tally.levels),
        levels_certified=certified,
        vectors=counts(tally.vectors.values()),
        generated=counts(tally.generated.values()),
        stopped_by=tally.stopped_by,
        parts=[
            PartTally(part=p, level=judging.LEVEL_OF[p], judged=t[0], wrong=t[1], not_judged=t[2], depends_on_unknown=sorted(unknown[p]))
            for p, t in parts.items()
        ],
        clauses=[
            ClauseTally(clause=c, right=r, wrong=w, passed=not w)
            for c, (r, w) in sorted(clauses.items(), key=lambda kv: clause_order(kv[0]))
        ],
        failures=[f.model_copy(update={"cases": _showing(f, shown)}) for f in tally.failures],
    )


def _showing(failure: Failure, shown: list[set[tuple]]) -> int:
    """The judged cases that show ``failure``: one of its mismatches, by signature (``shown``: each wrong record's signatures)."""
    wanted = {judging.signature(m) for m in failure.mismatches}
    return sum(1 for sigs in shown if not wanted.isdisjoint(sigs))


def certificate(
    *,
    adapter_kind: str,
    handshake: StartResponse | None,
    profiles: list[ProfileTally],
    skipped_profiles: dict[str, str],
    faults: list[Fault],
    settings: RunSettings,
    interrupted: bool,
    run: RunInfo,
) -> Certificate:
    results = [profile_result(p, bool(faults)) for p in profiles]
    results += [
        ProfileResult.model_validate(
            dict(
                profile=p,
                status=why,
                levels_judged=[],
                levels_certified=[],
                vectors=counts(()),
                generated=counts(()),
                stopped_by=None,
                parts=[],
                clauses=[],
                failures=[],
            )
        )
        for p, why in skipped_profiles.items()
    ]
    ran = handshake is not None
    judged = {lv for r in results for lv in r.levels_judged}
    certified = [lv for lv in LEVELS if lv in judged and all(lv in r.levels_certified for r in results if r.status == "run")]
    requested = set(settings.levels_requested) if settings.levels_requested else set(handshake.levels if handshake else ())
    # Certified means everything asked for: every requested profile run, every requested level passed, the run finished.
    complete = ran and not interrupted and bool(certified) and not skipped_profiles and requested <= set(certified)
    verdict = "certified" if complete else "partial" if any(r.levels_certified for r in results) else "not certified"
    draft = Certificate.model_validate(
        dict(
            verdict=verdict,
            ran=ran,
            interrupted=interrupted,
            stack=GenerationStack(**stack()),
            spec_sha256=default_ruleset().sha256,
            suite_sha256=suite_sha256(),
            protocol=PROTOCOL_VERSION,
            adapter=adapter_kind,
            implementation=handshake.implementation if handshake else None,
            profiles_claimed=list(handshake.profiles) if handshake else [],
            levels_claimed=list(handshake.levels) if handshake else [],
            levels_requested=[lv for lv in LEVELS if lv in requested],
            levels_certified=certified,
            seed=settings.seed,
            max_examples=settings.max_examples,
            batch_size=settings.batch_size,
            max_failures=settings.max_failures,
            metamorphic_cases=settings.metamorphic_cases,
            results=results,
            faults=faults,
            digest="",
            run=run,
        )
    )
    return draft.model_copy(update={"digest": certified_digest(draft.model_dump(mode="json"))})


def counts(records: Iterable[Record]) -> CaseCounts:
    c = {"run": 0, "right": 0, "wrong": 0, "skipped": 0, "unanswered": 0}
    for rec in records:
        c["run"] += 1
        kind = rec.outcome.kind
        c["skipped" if kind == "skipped" else "unanswered" if kind == "unanswered" else "wrong" if rec.mismatches else "right"] += 1
    return CaseCounts(**c)


def clause_order(clause: str) -> tuple:
    """p2.pp1 < p15 < p23.pp1.ch2 < p54.pp5.a5: numbers compared as numbers."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|[^\d.]+", clause))
