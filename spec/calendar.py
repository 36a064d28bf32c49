"""Kazakhstan's working-day calendar and the dates the Instruction sets.

The calendar is the PyPI package ``holidays`` (pinned to 0.109 in
pyproject.toml): public holidays, the day off that follows a holiday falling
on a weekend, and the Government's transfers of days off (a working Saturday
and the weekday that becomes a day off). Its 2016-2018 data are pinned
against shared/sources/facts.md by tests/test_calendar.py; no correction was
needed. Only 2015-2019 is accepted; 2015 and 2019 are margins taken from the
package as they stand (not checked against a source), and nothing outside
them is used.

Where the law does not say how to count, the choice is a named reading
(:class:`ReceiptCounting`, :class:`DueOnNonWorkingDay`,
:class:`PublicationCounting`) and every function takes it as an argument.
See docs/calendar.md.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal, TypeVar

import holidays
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from kzappeals.spec.errors import InputError

FIRST_DAY = date(2015, 1, 1)
LAST_DAY = date(2019, 12, 31)

FORWARDING_WORKING_DAYS = 3  # p23.pp1.ch2, p23.pp2.ch2: "не позднее трех рабочих дней"
ANALYSIS_DAY_OF_MONTH = 5  # p56: "к 5 числу месяца, следующего за анализируемым кварталом"

E = TypeVar("E", bound=StrEnum)


class ReceiptCounting(StrEnum):
    """How the three working days of p23.pp1.ch2 / p23.pp2.ch2 (and p23.ch2) are counted.

    The Instruction says only "в срок не позднее трех рабочих дней с момента
    поступления"; it does not say whether the day of receipt counts or what a
    receipt on a non-working day means. Law No. 107-II art. 12-1, which counts
    terms in days, was found only in part: its paragraphs on days and on a
    non-working last day were not found (facts.md section 3). Both readings
    are therefore **inference**.

    Attributes:
        NEXT_DAY: Default. The term runs from the moment of receipt, so the
            first day that can count is the day after it; the due date is the
            third working day strictly after the receipt date, whatever day
            the receipt fell on.
        NON_WORKING_RECEIPT_MOVES: An appeal that arrives on a non-working day
            cannot be registered or acted on until the office opens, so it
            counts as received on the next working day; the due date is the
            third working day after that day. Never earlier than NEXT_DAY;
            one working day later exactly when the receipt day is non-working.
    """

    NEXT_DAY = "next_day"
    NON_WORKING_RECEIPT_MOVES = "non_working_receipt_moves"


class DueOnNonWorkingDay(StrEnum):
    """What p56's "к 5 числу месяца" means when the 5th is a non-working day.

    The 5th itself is taken as the last day ("by the 5th", inclusive); p56
    says nothing about a 5th that is a non-working day.

    Attributes:
        CALENDAR_DATE: Default, the literal text: due on the 5th whatever day
            it is (official text read literally: p56 names the date and says
            nothing of moving it).
        NEXT_WORKING_DAY: A term whose last day is a non-working day ends on
            the next working day, the usual rule for terms; not stated in the
            Instruction, and Law 107-II's paragraph on it was not found
            (inference).
        PREVIOUS_WORKING_DAY: The Department must be informed *by* the 5th;
            if the 5th is a day off, the last day the Department is open
            before it is the last chance (inference).
    """

    CALENDAR_DATE = "calendar_date"
    NEXT_WORKING_DAY = "next_working_day"
    PREVIOUS_WORKING_DAY = "previous_working_day"


class PublicationCounting(StrEnum):
    """How o165.p4 "по истечении десяти календарных дней после дня его первого
    официального опубликования" turns a publication day D into an entry-into-force day.

    Attributes:
        DAY_PLUS_11: Default (inference, facts.md section 1): the ten full
            days D+1..D+10 must have elapsed, so the act applies from D+11.
        DAY_PLUS_10: The act applies on the tenth day after publication, D+10,
            reading "по истечении" loosely as "once the tenth day is reached"
            (inference).
    """

    DAY_PLUS_11 = "day_plus_11"
    DAY_PLUS_10 = "day_plus_10"


@functools.cache
def _kz() -> holidays.HolidayBase:
    # Every accepted year loaded up front, default expansion kept: with
    # expand=False a working Saturday of an unloaded year reads as a day off.
    return holidays.country_holidays("KZ", years=range(FIRST_DAY.year, LAST_DAY.year + 1))


def _checked(d: object, where: str) -> date:
    if not isinstance(d, date) or isinstance(d, datetime):
        raise InputError(where, f"expected a date, got {d!r}")
    if not FIRST_DAY <= d <= LAST_DAY:
        raise InputError(
            where,
            f"{d.isoformat()} is outside {FIRST_DAY.isoformat()}..{LAST_DAY.isoformat()}, "
            "the years in which this project uses the holidays package's Kazakh calendar",
        )
    return d


def _reading(kind: type[E], value: object, clause: str) -> E:
    # A plain string is accepted (StrEnum); an unknown one must not fall back silently.
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    names = ", ".join(r.value for r in kind)
    raise InputError("reading", f"{value!r} is not a {kind.__name__} ({names})", clause)


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a working day in Kazakhstan.

    A working Saturday set by a Government transfer is a working day; a
    weekday made a day off by a transfer is not (``d in holidays`` would miss
    the first, so the package's ``is_working_day`` is asked).

    Raises:
        InputError: ``d`` is not a date or lies outside 2015-2019.
    """
    return _kz().is_working_day(_checked(d, "date"))


def working_days_after(d: date, n: int) -> date:
    """The ``n``-th working day strictly after ``d`` (``n`` >= 1).

    Raises:
        InputError: bad ``d`` or ``n``, or the result lies outside 2015-2019.
    """
    _checked(d, "date")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InputError("n", f"expected a whole number of working days >= 1, got {n!r}")
    return _checked(_kz().get_nth_working_day(d, n), f"{n} working days after {d.isoformat()}")


def forwarding_due(received_on: date, reading: ReceiptCounting | str = ReceiptCounting.NEXT_DAY) -> date:
    """Last day to forward an appeal received on ``received_on``.

    p23.pp1.ch2 (primary appeals) and p23.pp2.ch2 (repeated appeals without
    the regional prosecutor's answer), extended to other bodies by p23.ch2:
    "в срок не позднее трех рабочих дней с момента поступления".

    Args:
        received_on: Day the appeal arrived.
        reading: How the days are counted; see :class:`ReceiptCounting`.

    Raises:
        InputError: ``received_on`` or the due date lies outside 2015-2019,
            or ``reading`` is unknown.
    """
    start = _checked(received_on, "received_on")
    reading = _reading(ReceiptCounting, reading, "p23.pp1.ch2")
    if reading is ReceiptCounting.NON_WORKING_RECEIPT_MOVES and not is_working_day(start):
        start = _kz().get_nth_working_day(start, 1)
    return working_days_after(start, FORWARDING_WORKING_DAYS)


TRANSFER_DECREES = {2016: "P1600000067", 2017: "P1700000005", 2018: "P1700000864"}
"""The Government decree (register id) that moved the year's days off (shared/sources/facts.md section 4)."""


def why_not_working(d: date) -> str:
    """Why ``d`` is not a working day, in words: a weekend, the holiday it is, or the decree that moved a day off to it."""
    name = _kz().get(_checked(d, "date"))
    decree = TRANSFER_DECREES.get(d.year)
    if name and name.startswith("Day off (substituted from"):
        moved_from = datetime.strptime(name.removeprefix("Day off (substituted from ").rstrip(")"), "%m/%d/%Y").date()
        return f"day off moved from working Saturday {moved_from.strftime('%d.%m')}" + (f" by Government decree {decree}" if decree else "")
    if name:
        return name
    return d.strftime("%A")


class DayCount(BaseModel):
    """How the three working days of :func:`forwarding_due` were counted: the day they run from, each day
    counted, each day passed over with why."""

    model_config = ConfigDict(frozen=True)

    received_on: date
    runs_from: date  # the receipt day, or the next working day when a receipt on a day off moves (a reading)
    counted: tuple[date, ...]
    skipped: tuple[tuple[date, str], ...]


def forwarding_count(received_on: date, reading: ReceiptCounting = ReceiptCounting.NEXT_DAY) -> DayCount:
    """The count behind :func:`forwarding_due`, day by day."""
    due = forwarding_due(received_on, reading)
    start = received_on
    if _reading(ReceiptCounting, reading, "p23.pp1.ch2") is ReceiptCounting.NON_WORKING_RECEIPT_MOVES and not is_working_day(received_on):
        start = _kz().get_nth_working_day(received_on, 1)
    days = [start + timedelta(days=n) for n in range(1, (due - start).days + 1)]
    return DayCount(
        received_on=received_on,
        runs_from=start,
        counted=tuple(d for d in days if is_working_day(d)),
        skipped=tuple((d, why_not_working(d)) for d in days if not is_working_day(d)),
    )


def explain_forwarding(received_on: date, reading: ReceiptCounting = ReceiptCounting.NEXT_DAY) -> str:
    """:func:`forwarding_count` in words. E.g. received Friday 04.03.2016: "counted 05.03 (working Saturday by
    Government decree P1600000067), 09.03, 10.03; not counted 06.03 (Sunday), 07.03 (day off moved ...), 08.03 (...)"."""
    count = forwarding_count(received_on, reading)
    text = f"received {received_on.strftime('%a %d.%m.%Y')}; "
    if count.runs_from != received_on:
        text += (
            f"received on a non-working day ({why_not_working(received_on)}), so counted as received {count.runs_from.strftime('%d.%m')}; "
        )
    counted = [
        d.strftime("%d.%m")
        + (
            f" (working Saturday by Government decree {TRANSFER_DECREES[d.year]})"
            if d.weekday() == 5 and d.year in TRANSFER_DECREES
            else ""
        )
        for d in count.counted
    ]
    text += f"counted {', '.join(counted)}"
    skipped = [f"{d.strftime('%d.%m')} ({why})" for d, why in count.skipped]
    return text + (f"; not counted {', '.join(skipped)}" if skipped else "")


def due_date_under(nominal: date, reading: DueOnNonWorkingDay) -> date:
    """``nominal`` itself if it is a working day, else moved as ``reading`` says.

    Raises:
        InputError: ``nominal`` or the moved date lies outside 2015-2019,
            or ``reading`` is unknown.
    """
    d = _checked(nominal, "due date")
    reading = _reading(DueOnNonWorkingDay, reading, "p56")
    if reading is DueOnNonWorkingDay.CALENDAR_DATE or is_working_day(d):
        return d
    step = 1 if reading is DueOnNonWorkingDay.NEXT_WORKING_DAY else -1
    return _checked(_kz().get_nth_working_day(d, step), f"due date moved from {d.isoformat()}")


def quarterly_analysis_due(year: int, quarter: int, reading: DueOnNonWorkingDay = DueOnNonWorkingDay.CALENDAR_DATE) -> date:
    """Day by which the Department is informed of a quarter's analysis (p56).

    "к 5 числу месяца, следующего за анализируемым кварталом": the 5th of the
    month after the quarter; the fourth quarter's is 5 January of the next year.

    Args:
        year: Year of the analysed quarter.
        quarter: 1..4.
        reading: What happens when the 5th is a non-working day; see
            :class:`DueOnNonWorkingDay`.

    Raises:
        InputError: ``quarter`` not in 1..4, or the date lies outside 2015-2019.
    """
    if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
        raise InputError("quarter", f"expected 1, 2, 3 or 4, got {quarter!r}", "p56")
    if isinstance(year, bool) or not isinstance(year, int):
        raise InputError("year", f"expected a year, got {year!r}", "p56")
    due_year, due_month = (year + 1, 1) if quarter == 4 else (year, 3 * quarter + 1)
    # Whole years are accepted, so checking the year is checking the date.
    if not FIRST_DAY.year <= due_year <= LAST_DAY.year:
        raise InputError(
            f"year={year}, quarter={quarter}",
            f"the analysis would be due on the 5th of month {due_month} of {due_year}, outside "
            f"{FIRST_DAY.isoformat()}..{LAST_DAY.isoformat()}, the years this project's calendar covers",
            "p56",
        )
    return due_date_under(date(due_year, due_month, ANALYSIS_DAY_OF_MONTH), reading)


class InForceParameters(BaseModel):
    """Publication dates of orders No. 165 and No. 72, and how o165.p4 is counted.

    Neither publication date was found (facts.md section 1). The defaults are
    the registration dates, the earliest publication possible (publication
    cannot precede registration): order No. 165 registered 11.02.2016
    (o165.header), order No. 72 registered 18.06.2018 (register footnote;
    o165.footnote names the order). They are **assumptions, not facts**;
    results resting on them carry ``assumed=True``. A user who knows a
    publication date sets it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    order165_published: date = date(2016, 2, 11)
    order72_published: date = date(2018, 6, 18)
    counting: PublicationCounting = PublicationCounting.DAY_PLUS_11

    def __init__(self, **data: object) -> None:
        # Bad input ends as one InputError line, never a pydantic traceback.
        try:
            super().__init__(**data)
        except ValidationError as e:
            err = e.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "parameters"
            raise InputError(f"InForceParameters.{field}", err["msg"], "o165.p4") from None

    @model_validator(mode="after")
    def _published_after_registration(self) -> InForceParameters:
        if self.order165_published < date(2016, 2, 11):
            raise InputError(
                "InForceParameters.order165_published",
                f"{self.order165_published.isoformat()} precedes the registration of order No. 165 "
                "on 2016-02-11; publication cannot precede registration",
                "o165.header",
            )
        if self.order72_published < date(2018, 6, 18):
            raise InputError(
                "InForceParameters.order72_published",
                f"{self.order72_published.isoformat()} precedes the registration of order No. 72 "
                "on 2018-06-18; publication cannot precede registration",
                "o165.footnote",
            )
        if self.order165_published >= self.order72_published:
            raise InputError(
                "InForceParameters.order165_published",
                f"{self.order165_published.isoformat()} is not before order No. 72's publication "
                f"{self.order72_published.isoformat()}, which repealed the Instruction",
                "o165.footnote",
            )
        return self


class InForceStatus(BaseModel):
    """Whether the Instruction, as amended by order No. 165, applies on a day."""

    model_config = ConfigDict(frozen=True)

    state: Literal["before", "in_force", "repealed"]
    clauses: tuple[str, ...]
    reason_en: str
    reason_ru: str
    assumed: bool  # True when the answer rests on a default (not user-set) publication date


def _effective(published: date, counting: PublicationCounting) -> date:
    return published + timedelta(days=11 if counting is PublicationCounting.DAY_PLUS_11 else 10)


DEFAULT_IN_FORCE = InForceParameters()
"""The default readings of the in-force window (the parameters are frozen, so one object serves every call)."""


def amended_text_in_force_from(params: InForceParameters = DEFAULT_IN_FORCE) -> date:
    """First day the amendments of order No. 165 apply (o165.p4)."""
    return _effective(params.order165_published, params.counting)


def repealed_from(params: InForceParameters = DEFAULT_IN_FORCE) -> date:
    """First day the Instruction no longer applies: order No. 72 takes effect (o165.footnote)."""
    return _effective(params.order72_published, params.counting)


def _published(params: InForceParameters, field: str) -> str:
    day = getattr(params, field).isoformat()
    if field in params.model_fields_set:
        return f"published {day} (set by the user)"
    return f"published {day} (assumed: the registration date; the actual date was not found)"


def in_force_status(d: date, params: InForceParameters = DEFAULT_IN_FORCE) -> InForceStatus:
    """Whether the amended Instruction applies on ``d`` (o165.p4, o165.footnote).

    ``assumed`` is True when the answer depends on a publication date the user
    did not set: "before" depends on order No. 165's date, "repealed" on
    order No. 72's, "in_force" on both.

    Raises:
        InputError: ``d`` is not a date.
    """
    if not isinstance(d, date) or isinstance(d, datetime):
        raise InputError("date", f"expected a date, got {d!r}", "o165.p4")
    start, end = amended_text_in_force_from(params), repealed_from(params)
    user_set = params.model_fields_set
    counting = f"counting {params.counting.value}"
    if d < start:
        return InForceStatus(
            state="before",
            clauses=("o165.p4",),
            reason_en=f"{d.isoformat()} precedes {start.isoformat()}, when order No. 165 takes effect "
            f"(order No. 165 {_published(params, 'order165_published')}; {counting})",
            reason_ru="поправки ещё не вступили в силу (пункт 4 приказа № 165)",
            assumed="order165_published" not in user_set,
        )
    if d >= end:
        return InForceStatus(
            state="repealed",
            clauses=("o165.footnote",),
            reason_en=f"from {end.isoformat()} the Instruction is repealed by order No. 72 "
            f"(order No. 72 {_published(params, 'order72_published')}; {counting})",
            reason_ru="утратил силу приказом Генерального Прокурора РК от 01.06.2018 № 72 (сноска)",
            assumed="order72_published" not in user_set,
        )
    return InForceStatus(
        state="in_force",
        clauses=("o165.p4", "o165.footnote"),
        reason_en=f"the amended text applies from {start.isoformat()}; order No. 72 repeals the "
        f"Instruction from {end.isoformat()} (order No. 165 {_published(params, 'order165_published')}; "
        f"order No. 72 {_published(params, 'order72_published')}; {counting})",
        reason_ru="поправки вступили в силу (пункт 4 приказа № 165); приказ № 72 ещё не введён в действие",
        assumed=not {"order165_published", "order72_published"} <= user_set,
    )
