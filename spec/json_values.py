"""How a case's dates and sets are read from JSON: strictly, as a vendor's system writes them.

Kept apart from the attributes (:mod:`kzappeals.spec.attributes`, generated from data) because these
are the two validators every case model uses, the shipped one and a draft's alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Annotated

from pydantic import BeforeValidator

_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: object) -> object:
    """A date in JSON is a ``YYYY-MM-DD`` string and nothing else: pydantic alone would read
    ``"0"`` or ``"1464739200"`` as seconds since 1970, and ``"2016-06-01T00:00"`` as a date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE_RE.fullmatch(value):
        raise ValueError("a date is a string YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a day of the calendar") from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
"""A calendar day, written ``YYYY-MM-DD`` in JSON."""


def no_duplicates(value: object) -> object:
    """A set written as a JSON array names each member once: a repeated one is a typo, not an emphasis."""
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, str) for v in value):
            raise ValueError("its members are strings")
        twice = [v for v, n in Counter(value).items() if n > 1]
        if twice:
            raise ValueError(f"{twice[0][:40]!r} is given twice")
        return frozenset(value)  # the array checked, the set is what strict validation expects
    return value  # not an array: strict validation refuses it with its own message
