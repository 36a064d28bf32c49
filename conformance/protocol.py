"""The conformance protocol and the certificate, as pydantic models and JSON Schemas.

An implementation under test speaks JSON Lines: one JSON object per line,
UTF-8, on its stdin and stdout (the ``cmd`` adapter), or the same objects as
HTTP POST bodies (the ``http`` adapter), or the same dicts in process (the
``python`` adapter). stderr is free for logs: it is never parsed, only kept
as evidence when something goes wrong.

1. runner -> ``StartRequest``;  implementation -> ``StartResponse``
2. runner -> ``DecideRequest``; implementation -> ``DecideResponse`` (one line per batch)
3. runner -> ``StopRequest``;   implementation exits with status 0

The schemas in ``conformance/schemas/`` are generated from these models
(``PROTOCOL_SCHEMAS``, written by ``kzappeals schemas --write``); a test
fails when a committed one is stale. The models are the runner's own
parser too, so the schemas cannot drift from what is enforced.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kzappeals.conformance.expectations import VendorAnswer
from kzappeals.conformance.faults import FAULT_KINDS, Evidence

PROTOCOL_VERSION = 1
SCHEMA_DIR = Path(__file__).parent / "schemas"

Level = Literal["routing", "signature", "deadlines", "in-force"]

_MESSAGE = ConfigDict(frozen=True, extra="forbid", strict=True)


class StartRequest(BaseModel):
    """runner -> implementation: the first line of a session."""

    model_config = _MESSAGE

    cmd: Literal["start"]
    protocol: int = Field(description="The protocol version the runner speaks (1).")


class ImplementationInfo(BaseModel):
    """Who the implementation is; copied into the certificate as given."""

    model_config = _MESSAGE

    name: str = Field(min_length=1, max_length=100)
    version: str = Field(min_length=1, max_length=100)
    language: str = Field(min_length=1, max_length=100)
    homepage: str | None = Field(default=None, max_length=500)


class StartResponse(BaseModel):
    """implementation -> runner: the handshake. It claims profiles and levels; only those are judged."""

    model_config = _MESSAGE

    protocol: int = Field(description="Must equal the runner's protocol version, or the runner stops.")
    implementation: ImplementationInfo
    profiles: list[str] = Field(description="Profiles of spec/profiles.toml the implementation answers under.")
    levels: list[Level] = Field(description="Conformance levels claimed: routing, signature, deadlines, in-force.")


class CaseItem(BaseModel):
    model_config = _MESSAGE

    seq: int = Field(description="Unique in the session; the answer carries it back.")
    case: dict[str, Any] = Field(
        description="A case as in spec/schemas/case.schema.json. Error vectors break it on purpose: answer them with `errored`."
    )


class DecideRequest(BaseModel):
    """runner -> implementation: a batch of cases under one profile."""

    model_config = _MESSAGE

    cmd: Literal["decide"]
    batch: int
    profile: str
    cases: list[CaseItem]


class SkipReason(BaseModel):
    model_config = _MESSAGE

    reason: str


class ErrorReport(BaseModel):
    model_config = _MESSAGE

    message: str
    field: str | None = Field(default=None, description="The case field found invalid, when there is one.")


class Answered(BaseModel):
    """The implementation's answer to one case (see expectations.VendorAnswer)."""

    model_config = _MESSAGE

    seq: int
    answer: VendorAnswer


class Skipped(BaseModel):
    """The implementation does not handle this case: counted, never a failure."""

    model_config = _MESSAGE

    seq: int
    skipped: SkipReason


class Errored(BaseModel):
    """The implementation rejects the case as invalid: right for error vectors, a failure for valid cases."""

    model_config = _MESSAGE

    seq: int
    errored: ErrorReport


class ReplyEnvelope(BaseModel):
    """A reply's outer shape, read first: each result is then read on its own (Answered, Skipped, Errored), so one
    bad result costs that case only."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    batch: Any
    results: list[Any]


class DecideResponse(BaseModel):
    """implementation -> runner: one line per batch, results in the order of the request's cases, one per seq."""

    model_config = _MESSAGE

    batch: int = Field(description="The batch number of the request answered.")
    results: list[Answered | Skipped | Errored]


class StopRequest(BaseModel):
    """runner -> implementation: the last line; the implementation exits with status 0."""

    model_config = _MESSAGE

    cmd: Literal["stop"]


# --- the certificate -------------------------------------------------------

_DOC = ConfigDict(frozen=True, extra="forbid")

Verdict = Literal["certified", "partial", "not certified"]


class Mismatch(BaseModel):
    """One part of one answer that the expectation does not admit."""

    model_config = _DOC

    part: str = Field(
        description="A question (procedure ... signatory), in_force, forwarding_due, or `outcome` for an error or missing error."
    )
    level: str
    expected: list[str | None] = Field(description="The admissible values (null: no answer is admissible).")
    provisions: list[str] = Field(description="The clauses that give the admissible values.")
    actual: str | None
    message: str


class Failure(BaseModel):
    """A wrong answer: every failing test vector, and each distinct failure exploration found, shrunk to a minimal case."""

    model_config = _DOC

    source: Literal["vector", "generated"]
    id: str
    profile: str
    case: dict[str, Any]
    changes: dict[str, Any] = Field(description="The case's differences from the ordinary appeal (spec/ordinary-appeal.json).")
    expected: dict[str, Any] = Field(
        description="Per judged part: status and admissible values with their provisions; or the expected error."
    )
    actual: dict[str, Any] = Field(description="What the implementation sent for this case.")
    mismatches: list[Mismatch]
    minimal: bool = Field(description="Shrunk to completion (false: the run stopped while shrinking).")
    cases: int = Field(
        description="How many judged cases (test vectors and generated) showed this failure: the same part, "
        "clauses and kind of mismatch (kzappeals.conformance.judge.signature)."
    )


class Fault(BaseModel):
    """A breach of the protocol. Repeated breaches of one kind are counted; the first one's evidence is kept."""

    model_config = _DOC

    kind: str = Field(description="One of the fault kinds (kzappeals.conformance.faults).", json_schema_extra={"enum": list(FAULT_KINDS)})
    fatal: bool = Field(description="The session could not go on; results gathered before it are kept.")
    profile: str | None
    message: str
    occurrences: int
    evidence: Evidence

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in FAULT_KINDS:
            raise ValueError(f"not a fault kind: {kind!r}")
        return kind


class ClauseTally(BaseModel):
    model_config = _DOC

    clause: str
    right: int
    wrong: int
    passed: bool = Field(description="Every judged answer resting on the clause was right.")


class PartTally(BaseModel):
    model_config = _DOC

    part: str
    level: str
    judged: int
    wrong: int
    not_judged: int = Field(description="Undetermined: the amended text gives no answer (outside the amended text).")
    depends_on_unknown: list[str] = Field(description="Provisions not in the sources that would answer the undetermined cases.")


class CaseCounts(BaseModel):
    model_config = _DOC

    run: int
    right: int
    wrong: int
    skipped: int
    unanswered: int = Field(description="No usable result (missing, malformed or invalid).")


class ProfileResult(BaseModel):
    model_config = _DOC

    profile: str
    status: Literal["run", "not claimed", "not run"]
    levels_judged: list[str]
    levels_certified: list[str]
    vectors: CaseCounts
    generated: CaseCounts
    stopped_by: str | None = Field(description="Why exploration ended: budget, search exhausted, failure limit, total timeout, fault.")
    parts: list[PartTally]
    clauses: list[ClauseTally]
    failures: list[Failure]


class RunInfo(BaseModel):
    """How this run went; not certified (it varies from run to run)."""

    model_config = _DOC

    impl: str
    seconds: float
    cases_per_second: float
    python: str
    platform: str


class GenerationStack(BaseModel):
    """The versions a certificate's cases and expectations depend on (kzappeals.conformance.reproducible.STACK_PACKAGES).
    An auditor with these versions, the seed and the options recomputes the same digest."""

    model_config = _DOC

    kzappeals: str
    hypothesis: str = Field(description="Draws and shrinks the generated cases.")
    holidays: str = Field(description="The working-day calendar behind every deadline.")


class Certificate(BaseModel):
    """The outcome of `kzappeals certify`. Everything but `run` is the certified content, which `digest` seals:
    the same implementation, seed and options give the same digest."""

    model_config = _DOC

    certificate_format: Literal[2] = 2
    verdict: Verdict
    ran: bool = Field(description="False: the implementation could not be run at all (exit code 4).")
    interrupted: bool = Field(description="The run was interrupted (Ctrl-C, SIGTERM): what it gathered before is here; never certified.")
    stack: GenerationStack
    spec_sha256: str = Field(
        description="The specification's data, the modules that give it meaning and the calendar version "
        "(kzappeals.spec.ruleset.spec_files and spec_sha256)."
    )
    suite_sha256: str = Field(
        description="The files the judging depends on beyond the spec: the reference implementation, "
        "the test vectors and the conformance modules (kzappeals.conformance.reproducible.suite_files)."
    )
    protocol: int
    adapter: Literal["python", "cmd", "http"]
    implementation: ImplementationInfo | None
    profiles_claimed: list[str]
    levels_claimed: list[str]
    levels_requested: list[str]
    levels_certified: list[str] = Field(description="Claimed and requested levels passed under every profile run.")
    seed: int
    max_examples: int
    batch_size: int
    max_failures: int
    metamorphic_cases: int
    results: list[ProfileResult]
    faults: list[Fault]
    digest: str = Field(description="SHA-256 of the canonical JSON of every field but `digest` and `run`.")
    run: RunInfo | None = None


def certified_digest(fields: dict) -> str:
    content = {k: v for k, v in fields.items() if k not in ("digest", "run")}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


PROTOCOL_SCHEMAS: dict[str, tuple[type[BaseModel], Path]] = {
    "protocol-start-request": (StartRequest, SCHEMA_DIR / "start-request.schema.json"),
    "protocol-start-response": (StartResponse, SCHEMA_DIR / "start-response.schema.json"),
    "protocol-decide-request": (DecideRequest, SCHEMA_DIR / "decide-request.schema.json"),
    "protocol-decide-response": (DecideResponse, SCHEMA_DIR / "decide-response.schema.json"),
    "protocol-stop-request": (StopRequest, SCHEMA_DIR / "stop-request.schema.json"),
    "certificate": (Certificate, SCHEMA_DIR / "certificate.schema.json"),
}
"""Name -> (model, committed schema file), for `kzappeals schemas --write`.

Each model's validation and serialization schemas are the same (a test
checks it), so whichever mode kzappeals.schemas uses gives the same file."""
