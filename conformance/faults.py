"""Every way an implementation can break the protocol: one class per fault kind.

A fault is a breach of the protocol (not a wrong answer: those are failures).
Each kind is a class here, with what happened (its docstring, quoted in the
implementer's guide) and whether it ends the session. Adapters and the
protocol session raise the kinds that end a session and record the others;
the certificate names the kind (``Fault.kind``, one of :data:`FAULT_KINDS`).
The guide's table of faults is generated from these classes
(``kzappeals generate``), so the two cannot drift.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field


class Evidence(BaseModel):
    """What the runner saw of a fault, as the certificate keeps it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    batch: int | None = None
    seq: int | None = None
    line: str | None = Field(default=None, description="The offending line or object, truncated.")
    detail: str | None = None
    exit_status: int | None = None
    stderr_tail: list[str] = Field(default_factory=list, description="The implementation's last stderr lines.")


class ImplementationFault(Exception):
    """A breach of the protocol by the implementation, with evidence."""

    kind: ClassVar[str]
    ends_session: ClassVar[bool] = False
    not_run: ClassVar[bool] = False  # the implementation could not be run at all: exit code 4
    consequence: ClassVar[str] = ""  # what the runner does besides recording it, for the guide

    def __init__(self, message: str, evidence: Evidence | None = None):
        super().__init__(message)
        self.message = message
        self.evidence = evidence or Evidence()


class _EndsSession(ImplementationFault):
    ends_session = True


class _NotRun(_EndsSession):
    not_run = True


class CrashAtStart(_NotRun):
    """no handshake: the implementation exited (or its module failed to import) before it"""

    kind = "crash-at-start"


class StartTimeout(_NotRun):
    """no handshake within `--start-timeout`"""

    kind = "start-timeout"


class VersionMismatch(_NotRun):
    """the handshake speaks another protocol version"""

    kind = "version-mismatch"


class InvalidHandshake(_NotRun):
    """a handshake that does not match start-response.schema.json"""

    kind = "invalid-handshake"


class Crash(_EndsSession):
    """stdout closed (the implementation exited) before it replied to a batch"""

    kind = "crash"


class Hang(_EndsSession):
    """no reply within the batch's time; the implementation (its whole process group) is ended"""

    kind = "hang"


class TotalTimeout(_EndsSession):
    """the implementation's own response time reached `--total-timeout`"""

    kind = "total-timeout"


class InvalidJson(_EndsSession):
    """a reply line that is not JSON"""

    kind = "invalid-json"


class MalformedReply(_EndsSession):
    """a reply that is not `{"batch": N, "results": [...]}`"""

    kind = "malformed-reply"


class WrongBatch(_EndsSession):
    """a reply for another batch than the one asked"""

    kind = "wrong-batch"


class ReplyTooLarge(_EndsSession):
    """a reply larger than the runner reads (a line or an HTTP body over the size cap)"""

    kind = "reply-too-large"


class HttpStatus(_EndsSession):
    """(http) a reply that is not HTTP 200"""

    kind = "http-status"


class InvalidAnswer(ImplementationFault):
    """an `answer` that does not match decide-response.schema.json (its case counts as unanswered)"""

    kind = "invalid-answer"


class InvalidSkipped(ImplementationFault):
    """a `skipped` that does not match decide-response.schema.json (its case counts as unanswered)"""

    kind = "invalid-skipped"


class InvalidErrored(ImplementationFault):
    """an `errored` that does not match decide-response.schema.json (its case counts as unanswered)"""

    kind = "invalid-errored"


class MalformedResult(ImplementationFault):
    """a result that is not `{"seq": N}` with exactly one of `answer`, `skipped`, `errored` (its case counts as unanswered)"""

    kind = "malformed-result"


class MissingResult(ImplementationFault):
    """no result for a `seq` of the batch (its case counts as unanswered)"""

    kind = "missing-result"


class ExtraResult(ImplementationFault):
    """a result for a `seq` the batch did not ask"""

    kind = "extra-result"


class DuplicateResult(ImplementationFault):
    """a `seq` answered twice in one batch (the first result is kept)"""

    kind = "duplicate-result"


class OutOfOrder(ImplementationFault):
    """results not in the order of the batch's cases"""

    kind = "out-of-order"


class Inconsistent(ImplementationFault):
    """a case asked twice got two different answers"""

    kind = "inconsistent"


class Metamorphic(ImplementationFault):
    """two appeals no clause tells apart got different answers where the law leaves the answer open"""

    kind = "metamorphic"


class Nondeterministic(ImplementationFault):
    """a failing batch passed when sent again, so it could not be shrunk"""

    kind = "nondeterministic"
    consequence = "exploration of that profile stops"


class UnknownProfile(ImplementationFault):
    """the handshake claims a profile that does not exist"""

    kind = "unknown-profile"


class ExitStatus(ImplementationFault):
    """after `stop`, a non-zero exit status"""

    kind = "exit-status"


class NoExit(ImplementationFault):
    """after `stop`, no exit within 2 s; the implementation is ended"""

    kind = "no-exit"


FAULTS: dict[str, type[ImplementationFault]] = {
    cls.kind: cls
    for cls in (
        CrashAtStart,
        StartTimeout,
        VersionMismatch,
        InvalidHandshake,
        Crash,
        Hang,
        TotalTimeout,
        InvalidJson,
        MalformedReply,
        WrongBatch,
        ReplyTooLarge,
        HttpStatus,
        InvalidAnswer,
        InvalidSkipped,
        InvalidErrored,
        MalformedResult,
        MissingResult,
        ExtraResult,
        DuplicateResult,
        OutOfOrder,
        Inconsistent,
        Metamorphic,
        Nondeterministic,
        UnknownProfile,
        ExitStatus,
        NoExit,
    )
}
"""Every fault kind by name, in the order the guide lists them."""

FAULT_KINDS: tuple[str, ...] = tuple(FAULTS)


def guide_table() -> str:
    """The implementer's guide's table of faults (docs/implementers-guide.md), made from the classes above."""
    rows = ["| fault | what happened | ends the session |", "| --- | --- | --- |"]
    for cls in FAULTS.values():
        ends = "yes: exit code 4" if cls.not_run else "yes" if cls.ends_session else "no"
        if cls.consequence:
            ends += f" ({cls.consequence})"
        rows.append(f"| `{cls.kind}` | {(cls.__doc__ or '').strip()} | {ends} |")
    return "\n".join(rows) + "\n"
