"""Fault kinds are types, defined once (kzappeals.conformance.faults), and everything else follows from them."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from kzappeals import generated
from kzappeals.conformance.faults import FAULT_KINDS, FAULTS, Evidence, ImplementationFault
from kzappeals.conformance.protocol import SCHEMA_DIR, Fault


def test_every_kind_is_a_documented_class_with_a_unique_name():
    assert len(set(FAULT_KINDS)) == len(FAULTS) > 20
    for kind, cls in FAULTS.items():
        assert issubclass(cls, ImplementationFault) and cls.kind == kind and (cls.__doc__ or "").strip()
        assert not cls.not_run or cls.ends_session  # an implementation that cannot be run has no session to go on with


def test_the_certificate_schema_lists_the_kinds_and_refuses_any_other():
    schema = json.loads((SCHEMA_DIR / "certificate.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["Fault"]["properties"]["kind"]["enum"] == list(FAULT_KINDS)
    with pytest.raises(ValidationError):
        Fault(kind="gremlins", fatal=False, profile=None, message="", occurrences=1, evidence=Evidence())


def test_the_guides_table_of_faults_is_made_from_the_classes():
    assert generated.stale(generated.KINDS["docs"]()) == [], "run `kzappeals generate`"
    guide = next(iter(generated.KINDS["docs"]().values()))
    for kind in FAULT_KINDS:
        assert f"| `{kind}` |" in guide
