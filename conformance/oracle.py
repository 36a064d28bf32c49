"""The one place that says where expected answers come from.

Every expectation the runner judges a generated case by, and the bundled
implementation that ``kzappeals certify`` checks without ``--impl``, come
from ``decide`` below: the reference implementation, which
tests/test_agreement.py proves equal to the specification over the whole
finite decision domain.
"""

from __future__ import annotations

from functools import lru_cache

from kzappeals import __version__
from kzappeals.conformance.expectations import LEVELS, Expectation, VendorAnswer
from kzappeals.reference_impl import decide
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.ruleset import default_ruleset
from kzappeals.spec.vocabulary import Case


@lru_cache(maxsize=1 << 16)
def _expected(case: Case, profile: str) -> Expectation:
    return Expectation.from_decision(decide(case, profile))


def expected(case: Case, profile: str) -> Expectation:
    """What an implementation must answer for ``case`` under ``profile``.

    Cached: shrinking and re-asking send the same cases again and again.
    """
    return _expected(case, profile)


# The bundled implementation, as a vendor function for the python adapter and
# for `python -m kzappeals.conformance.serve_cmd` / `serve_http`.
KZAPPEALS_IMPLEMENTATION = {"name": "kzappeals-reference", "version": __version__, "language": "python"}
KZAPPEALS_PROFILES = list(default_ruleset().profiles)
KZAPPEALS_LEVELS = list(LEVELS)


def answer(case: dict, profile: str) -> dict:
    """The reference answer: the first admissible value of each question (VendorAnswer.from_decision)."""
    return VendorAnswer.from_decision(decide(parse_case(case), profile)).model_dump(mode="json")
