"""A vendor that answers every case with one fixed answer, made once: what remains of a round trip
through ``serve_cmd`` is the pipe, the JSON on both sides and the adapter (bench_adapters.py).

Its answers are wrong for most cases; it measures throughput, never conformance."""

from __future__ import annotations

from functools import cache

from kzappeals.conformance.oracle import answer as reference_answer
from kzappeals.spec.vocabulary import ordinary_appeal


@cache
def _fixed(profile: str) -> dict:
    return reference_answer(dict(ordinary_appeal()), profile)


def answer(case: dict, profile: str) -> dict:
    """The ordinary appeal's reference answer under ``profile``, whatever ``case`` is."""
    return _fixed(profile)
