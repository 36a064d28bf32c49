"""Public Hypothesis strategies for valid appeal cases.

    from kzappeals.conformance.strategies import cases
    @given(cases())
    def test_my_system(case): ...

Every drawn case is coherent: fields are drawn one by one, each from the
values that break none of the coherence constraints (``spec/coherence.toml``)
whose attributes are already drawn, so no case is filtered away. Each field
lists the ordinary appeal's value (``spec/ordinary-appeal.json``) first and
dates shrink towards its date, so Hypothesis shrinks a failing case towards
the ordinary appeal: the minimal failing case is the one with the fewest
changes, as the verifier's witnesses are.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

from hypothesis import strategies as st

from kzappeals.spec.case_json import parse_case
from kzappeals.spec.coherence import constraints
from kzappeals.spec.conditions import CASE_FIELDS, UNKNOWN_PROVISIONS, build, field_values, fields_of
from kzappeals.spec.vocabulary import Case, ordinary_appeal

EARLIEST = dt.date(2015, 3, 1)
LATEST = dt.date(2019, 10, 31)
"""The span drawn by default: before the amended text took effect to after its repeal,
inside the calendar's checked range (kzappeals.spec.calendar)."""


ordinary = ordinary_appeal


class _Unassigned(Exception):
    pass


class _PartialOps:
    """Truth of a coherence condition over the fields drawn so far."""

    def __init__(self, values: dict):
        self.values = values

    def _get(self, field):
        if field not in self.values:
            raise _Unassigned
        return self.values[field]

    def const(self, value):
        return value

    def field_in(self, field, values):
        return self._get(field) in values

    def flag(self, field):
        return self._get(field)

    def not_(self, arg):
        return not arg

    def and_(self, args):
        return all(args)

    def or_(self, args):
        return any(args)

    # Coherence constraints name case fields only.
    def unknown(self, provision):
        raise _Unassigned

    def provided_by(self, prefixes):
        raise _Unassigned

    def output_in(self, output, values):
        raise _Unassigned


def _breaks_none_of(chosen, values: dict) -> bool:
    """None of the constraints ``chosen`` is broken by ``values`` (those it cannot decide yet are passed over)."""
    ops = _PartialOps(values)
    for c in chosen:
        try:
            if build(c.when, ops) and not build(c.then, ops):
                return False
        except _Unassigned:
            continue
    return True


@cache
def _naming(field: str) -> tuple:
    """The constraints whose truth can change when ``field`` is added: those naming it (and any
    naming no field at all). Fields are drawn in order onto values that break none, so checking
    these alone answers what checking every constraint would, without re-reading them all per draw."""
    return tuple(c for c in constraints() if field in (named := fields_of(c.when) | fields_of(c.then)) or not named)


@cache
def field_choices(field: str) -> list:
    """Every value of the case field ``field``, the ordinary appeal's first (what draws shrink towards)."""
    all_values = field_values(field)
    first = ordinary()[field]
    return [first, *(v for v in all_values if v != first)]


def _coherent_pick(values: dict, field: str, picked, chosen) -> object:
    """``picked`` if it breaks none of ``chosen`` once added to ``values``, else the first value that does."""
    if _breaks_none_of(chosen, {**values, field: picked}):
        return picked
    return next(v for v in field_choices(field) if _breaks_none_of(chosen, {**values, field: v}))


@cache
def _read_with(field: str) -> tuple[str, ...]:
    """The other fields that the constraints of :func:`_naming` read: all a coherent pick of ``field`` depends on."""
    return tuple(sorted({f for c in _naming(field) for f in fields_of(c.when) | fields_of(c.then)} - {field}))


_ABSENT = object()  # a field of _read_with not drawn yet


@lru_cache(maxsize=1 << 16)
def _coherent_in(field: str, picked: object, context: tuple) -> object:
    # Thousands of cases are drawn per run over a few distinct contexts: each pick is worked out once.
    values = {f: v for f, v in zip(_read_with(field), context) if v is not _ABSENT}
    return _coherent_pick(values, field, picked, _naming(field))


def coherent_value(values: dict, field: str, picked: object) -> object:
    """The value ``field`` takes when ``picked`` is drawn for it after ``values``: ``picked`` if it breaks no
    coherence constraint once added, else the first value of :func:`field_choices` that breaks none.

    ``values`` must itself break none (the fields before ``field`` in ``CASE_FIELDS`` order, each drawn
    this way): then only the constraints naming ``field`` can change their truth, and only they are read."""
    return _coherent_in(field, picked, tuple(values.get(f, _ABSENT) for f in _read_with(field)))


@cache
def received_dates(earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> st.SearchStrategy[dt.date]:
    """Receipt dates, shrinking towards the ordinary appeal's date. (One strategy object per span, as
    for each field below: a fresh one per case made Hypothesis work out its properties again.)"""
    base = dt.date.fromisoformat(ordinary()["received_on"])
    return st.integers((earliest - base).days, (latest - base).days).map(lambda k: base + dt.timedelta(days=k))


@cache
def _pick(field: str) -> st.SearchStrategy:
    # One strategy object per field: Hypothesis works out a strategy's properties
    # once per object, and a fresh sampled_from per draw made that most of the cost.
    return st.sampled_from(field_choices(field))


@cache
def _unknown_provisions() -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(UNKNOWN_PROVISIONS))


@st.composite
def case_dicts(draw, received_on: st.SearchStrategy[dt.date] | None = None, **fixed) -> dict:
    """Case JSON objects (what a vendor receives). ``fixed`` pins fields, e.g. handled_at="district"."""
    values: dict = {}
    # Pinned fields are not checked when pinned; once they break a constraint, every later
    # check must see it, so the whole set is read again from there.
    coherent = True
    for field in CASE_FIELDS:
        if field in fixed:
            values[field] = fixed[field]
            coherent = coherent and _breaks_none_of(_naming(field), values)
            continue
        # Always one draw over every value, so each field costs Hypothesis the same
        # choice whatever came before (shrinking then moves each field to index 0,
        # the ordinary appeal's value); an incoherent pick falls back to the first
        # coherent value.
        picked = draw(_pick(field))
        values[field] = coherent_value(values, field, picked) if coherent else _coherent_pick(values, field, picked, constraints())
    date = fixed.get("received_on") or draw(received_on or received_dates())
    unknown = fixed.get("unknown_provisions") or draw(_unknown_provisions())
    return {"received_on": date.isoformat() if isinstance(date, dt.date) else date, **values, "unknown_provisions": sorted(unknown)}


def cases(received_on: st.SearchStrategy[dt.date] | None = None, **fixed) -> st.SearchStrategy[Case]:
    """Valid :class:`Case` objects (see :func:`case_dicts`)."""
    return case_dicts(received_on, **fixed).map(parse_case)
