"""One protocol session with an implementation: the handshake, round trips, the faults they show.

The session owns the adapter and the wire: it numbers batches and cases,
sends a batch, and reads the reply with the protocol models
(:mod:`kzappeals.conformance.protocol`) into one :class:`CaseReply` per case.
Every breach is recorded in the :class:`FaultLog` as its kind
(:mod:`kzappeals.conformance.faults`); one that ends the session closes the
adapter and stops the run (:class:`SessionEnded`). It judges nothing: what
to ask, and what the answers mean, is the runner's policy.

Time limits measure the implementation, never the harness: the total
timeout is charged with the time spent waiting for replies only, so a slow
or busy machine generating cases cannot stop a run early or change its
certificate.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import ClassVar

from pydantic import BaseModel, ValidationError

from kzappeals.conformance import faults
from kzappeals.conformance.adapters import Adapter, truncate
from kzappeals.conformance.expectations import VendorAnswer
from kzappeals.conformance.faults import Evidence, ImplementationFault
from kzappeals.conformance.protocol import PROTOCOL_VERSION, Answered, Errored, Fault, ReplyEnvelope, Skipped, StartResponse
from kzappeals.conformance.serving import to_json

STOP_TIMEOUT = 2.0


@dataclass(frozen=True)
class CaseReply:
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


UNANSWERED = CaseReply("unanswered")


class SessionEnded(Exception):
    """The session cannot go on: a fault that ends it was recorded (or the run's time is up)."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


class FaultLog:
    """The faults of a run, one entry per kind: repeats are counted, the first evidence is kept."""

    def __init__(self) -> None:
        self.by_kind: dict[str, Fault] = {}

    def record(self, fault: ImplementationFault, profile: str | None = None) -> None:
        kind = fault.kind
        if kind in self.by_kind:
            f = self.by_kind[kind]
            self.by_kind[kind] = f.model_copy(update={"occurrences": f.occurrences + 1})
        else:
            self.by_kind[kind] = Fault(
                kind=kind, fatal=fault.ends_session, profile=profile, message=fault.message, occurrences=1, evidence=fault.evidence
            )

    @property
    def fatal(self) -> bool:
        return any(f.fatal for f in self.by_kind.values())

    def __bool__(self) -> bool:
        return bool(self.by_kind)

    def all(self) -> list[Fault]:
        return list(self.by_kind.values())


def shown_json(obj: object) -> str:
    """An object as evidence: one line of JSON, truncated."""
    return truncate(json.dumps(obj, default=to_json, ensure_ascii=False) if not isinstance(obj, str) else obj)


def _evidence(batch: int, seq: int | None, item: object) -> Evidence:
    """A result as evidence: made only for a result that is a fault (made for every result, it cost as much as reading it)."""
    return Evidence(batch=batch, seq=seq, line=shown_json(item))


def first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else err["msg"]


class Session:
    """The wire: handshake, numbered batches, replies read into outcomes, stop."""

    def __init__(self, adapter: Adapter, total_timeout: float, case_timeout: float, start_timeout: float):
        self.adapter = adapter
        self.total_timeout = total_timeout
        self.case_timeout = case_timeout
        self.start_timeout = start_timeout
        self.faults = FaultLog()
        self.seq = 0
        self.batch = 0
        self.sent = 0
        self.waited = 0.0  # seconds spent waiting for the implementation's replies: what the total timeout measures

    def end(self, fault: ImplementationFault, profile: str | None) -> SessionEnded:
        """Record a fault that ends the session, close the adapter; the caller raises what this returns."""
        self.faults.record(fault, profile)
        self.adapter.close()
        return SessionEnded("total timeout" if isinstance(fault, faults.TotalTimeout) else "fault")

    # --- handshake ------------------------------------------------------------

    def start(self, known_profiles: list[str]) -> StartResponse | None:
        """The handshake, or None when the implementation cannot be run (it did not start or its claims are unusable)."""
        try:
            raw = self.adapter.start(self.start_timeout)
        except ImplementationFault as exc:
            self.end(exc, None)
            return None
        if isinstance(raw, dict) and "protocol" in raw and raw.get("protocol") != PROTOCOL_VERSION:
            self.end(
                faults.VersionMismatch(
                    f"the implementation speaks protocol {raw['protocol']!r}; the runner speaks {PROTOCOL_VERSION}",
                    Evidence(line=shown_json(raw)),
                ),
                None,
            )
            return None
        try:
            handshake = StartResponse.model_validate_json(json.dumps(raw, default=to_json))
        except ValidationError as exc:
            self.end(
                faults.InvalidHandshake(
                    f"the handshake does not match start-response.schema.json: {first_error(exc)}", Evidence(line=shown_json(raw))
                ),
                None,
            )
            return None
        unknown = [p for p in handshake.profiles if p not in known_profiles]
        if unknown:
            self.faults.record(
                faults.UnknownProfile(
                    f"the handshake claims profiles that do not exist: {', '.join(unknown)}", Evidence(line=shown_json(raw))
                )
            )
        return handshake

    # --- one round trip ---------------------------------------------------------

    def ask(self, profile: str, cases: list[dict]) -> list[CaseReply]:
        """Send one batch and read back one CaseReply per case, in order. Raises SessionEnded."""
        remaining = self.total_timeout - self.waited
        if remaining <= 0:
            raise self.end(
                faults.TotalTimeout(
                    f"the implementation's replies took its total time ({self.total_timeout:g} s)",
                    Evidence(detail=f"{self.sent} cases sent"),
                ),
                profile,
            )
        seqs = [self.seq + i + 1 for i in range(len(cases))]
        self.seq += len(cases)
        self.batch += 1
        request = {"cmd": "decide", "batch": self.batch, "profile": profile, "cases": [{"seq": s, "case": c} for s, c in zip(seqs, cases)]}
        budget = self.case_timeout * len(cases)
        timeout = min(budget, remaining)
        self.sent += len(cases)
        began = time.monotonic()
        try:
            reply = self.adapter.decide(request, timeout)
        except faults.Hang as exc:
            fault: ImplementationFault = exc
            if timeout < budget:  # it was the run's time that ran out, not the batch's
                fault = faults.TotalTimeout(
                    f"the implementation's replies took its total time ({self.total_timeout:g} s) waiting for batch {self.batch}",
                    exc.evidence,
                )
            raise self.end(fault, profile) from None
        except ImplementationFault as exc:
            raise self.end(exc, profile) from None
        finally:
            self.waited += time.monotonic() - began
        return self._read_reply(profile, self.batch, seqs, reply)

    def _read_reply(self, profile: str, batch: int, seqs: list[int], reply: object) -> list[CaseReply]:
        try:
            envelope = ReplyEnvelope.model_validate_json(json.dumps(reply, default=to_json))
        except ValidationError:
            raise self.end(
                faults.MalformedReply('the reply is not {"batch": ..., "results": [...]}', Evidence(batch=batch, line=shown_json(reply))),
                profile,
            ) from None
        if envelope.batch != batch:
            raise self.end(
                faults.WrongBatch(
                    f"reply to batch {envelope.batch!r} while batch {batch} was asked", Evidence(batch=batch, line=shown_json(reply))
                ),
                profile,
            )
        asked = set(seqs)
        got: dict[int, CaseReply] = {}
        order: list[int] = []
        for item in envelope.results:
            shape = self._shape(item)
            if shape is None:
                self.faults.record(
                    faults.MalformedResult(
                        'a result is not {"seq": N, and one of "answer", "skipped", "errored"}', _evidence(batch, None, item)
                    ),
                    profile,
                )
            elif shape[0] not in asked:
                self.faults.record(
                    faults.ExtraResult(f"a result for seq {shape[0]}, which batch {batch} did not ask", _evidence(batch, shape[0], item)),
                    profile,
                )
            elif shape[0] in got:
                self.faults.record(
                    faults.DuplicateResult(
                        f"seq {shape[0]} answered twice in batch {batch} (the first result is kept)", _evidence(batch, shape[0], item)
                    ),
                    profile,
                )
            else:
                order.append(shape[0])
                got[shape[0]] = self._outcome(profile, shape[1], item, batch, shape[0])
        if order != sorted(order):
            self.faults.record(
                faults.OutOfOrder(
                    f"results of batch {batch} are not in the order of its cases",
                    Evidence(batch=batch, detail=f"asked {seqs}, answered {order}"),
                ),
                profile,
            )
        outcomes = []
        for seq in seqs:
            if seq not in got:
                self.faults.record(
                    faults.MissingResult(
                        f"no result for seq {seq} of batch {batch}",
                        Evidence(batch=batch, seq=seq, detail=f"asked {len(seqs)} cases, got {len(envelope.results)} results"),
                    ),
                    profile,
                )
            outcomes.append(got.get(seq, UNANSWERED))
        return outcomes

    _RESULTS: ClassVar[dict[str, tuple[type[BaseModel], type[ImplementationFault]]]] = {
        "answer": (Answered, faults.InvalidAnswer),
        "skipped": (Skipped, faults.InvalidSkipped),
        "errored": (Errored, faults.InvalidErrored),
    }

    def _shape(self, item: object) -> tuple[int, str] | None:
        """(seq, kind) of a result shaped as {"seq": N, and exactly one of answer | skipped | errored}, else None."""
        if not isinstance(item, dict):
            return None
        seq = item.get("seq")
        kinds = [k for k in self._RESULTS if k in item]
        if not isinstance(seq, int) or isinstance(seq, bool) or len(kinds) != 1 or set(item) != {"seq", kinds[0]}:
            return None
        return seq, kinds[0]

    def _outcome(self, profile: str, kind: str, item: dict, batch: int, seq: int) -> CaseReply:
        """A well-shaped result read with its protocol model; a payload the model refuses is a fault and no outcome."""
        model, fault = self._RESULTS[kind]
        try:
            value = model.model_validate_json(json.dumps(item, default=to_json))
        except (ValidationError, TypeError, ValueError) as exc:
            reason = first_error(exc) if isinstance(exc, ValidationError) else str(exc)
            self.faults.record(
                fault(
                    f"a result's {kind!r} does not match decide-response.schema.json: {reason.removeprefix(kind + '.')}",
                    _evidence(batch, seq, item),
                ),
                profile,
            )
            return UNANSWERED
        if isinstance(value, Answered):
            return CaseReply("answer", answer=value.answer)
        if isinstance(value, Skipped):
            return CaseReply("skipped", message=value.skipped.reason)
        assert isinstance(value, Errored)
        report = value.errored
        return CaseReply("errored", message=report.message + (f" (field {report.field})" if report.field else ""))

    # --- the end ------------------------------------------------------------------

    def stop(self) -> None:
        try:
            self.adapter.stop(STOP_TIMEOUT)
        except ImplementationFault as exc:
            self.faults.record(exc)

    def close(self) -> None:
        self.adapter.close()
