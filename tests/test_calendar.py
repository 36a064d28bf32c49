"""The working-day calendar and the dates of p23, p56 and o165.p4, pinned against
shared/sources/facts.md (section 4 for the calendar, section 1 for entry into force)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzappeals.spec.calendar import (
    DueOnNonWorkingDay,
    InForceParameters,
    PublicationCounting,
    ReceiptCounting,
    amended_text_in_force_from,
    due_date_under,
    forwarding_due,
    in_force_status,
    is_working_day,
    quarterly_analysis_due,
    repealed_from,
    working_days_after,
)
from kzappeals.spec.errors import InputError

NEXT, MOVES = ReceiptCounting.NEXT_DAY, ReceiptCounting.NON_WORKING_RECEIPT_MOVES
CAL, FWD, BACK = (DueOnNonWorkingDay.CALENDAR_DATE, DueOnNonWorkingDay.NEXT_WORKING_DAY, DueOnNonWorkingDay.PREVIOUS_WORKING_DAY)

# facts.md section 4: (working Saturday, weekday made a day off)
TRANSFERS = [
    (date(2016, 3, 5), date(2016, 3, 7)),
    (date(2017, 3, 18), date(2017, 3, 20)),
    (date(2017, 7, 1), date(2017, 7, 7)),
    (date(2018, 3, 3), date(2018, 3, 9)),
    (date(2018, 4, 28), date(2018, 4, 30)),
    (date(2018, 5, 5), date(2018, 5, 8)),
    (date(2018, 8, 25), date(2018, 8, 31)),
    (date(2018, 12, 29), date(2018, 12, 31)),
]
KURBAN_AIT = [date(2016, 9, 12), date(2017, 9, 1), date(2018, 8, 21)]
NON_WORKING_DAYS = {2016: 121, 2017: 120, 2018: 119}


def days(first: date, last: date):
    return (first + timedelta(n) for n in range((last - first).days + 1))


# --- the calendar against facts.md ------------------------------------------


def test_pinned_package_version():
    """The calendar data is the pinned holidays 0.109; an upgrade must be deliberate."""
    assert holidays.__version__ == "0.109"


@pytest.mark.parametrize(("saturday", "day_off"), TRANSFERS)
def test_every_government_transfer_of_2016_2018(saturday, day_off):
    """Each decreed transfer: the Saturday is a working day, the weekday is a day off."""
    assert saturday.weekday() == 5 and is_working_day(saturday)
    assert day_off.weekday() < 5 and not is_working_day(day_off)


def test_the_working_saturdays_are_exactly_those_of_the_table():
    """No weekend day of 2016-2018 is a working day except the table's Saturdays."""
    working_weekend = {d for d in days(date(2016, 1, 1), date(2018, 12, 31)) if d.weekday() >= 5 and is_working_day(d)}
    assert working_weekend == {saturday for saturday, _ in TRANSFERS}


@pytest.mark.parametrize("first_day", KURBAN_AIT)
def test_first_day_of_kurban_ait_is_a_day_off(first_day):
    assert not is_working_day(first_day)


@pytest.mark.parametrize(("year", "count"), NON_WORKING_DAYS.items())
def test_yearly_count_of_non_working_days(year, count):
    """Weekends plus holidays plus transferred days, minus working Saturdays: 121, 120, 119."""
    assert sum(not is_working_day(d) for d in days(date(year, 1, 1), date(year, 12, 31))) == count


@pytest.mark.parametrize("weekend_christmas", [date(2017, 1, 7), date(2018, 1, 7)])
def test_orthodox_christmas_on_a_weekend_does_not_move(weekend_christmas):
    """7 January never moves: when it is a Saturday or Sunday the next Monday is worked."""
    monday = weekend_christmas + timedelta(days=7 - weekend_christmas.weekday())
    assert weekend_christmas.weekday() >= 5 and is_working_day(monday)


def test_kurban_ait_on_a_weekend_does_not_move():
    """Kurban Ait never moves. It fell on a weekday in 2016-2018; its one weekend
    case in the accepted years is Sunday 11.08.2019, and Monday 12.08.2019 is worked."""
    assert all(d.weekday() < 5 for d in KURBAN_AIT)
    assert date(2019, 8, 11).weekday() == 6 and is_working_day(date(2019, 8, 12))


def test_holiday_on_a_weekend_moves_to_the_next_working_day():
    """The general rule (Law No. 267 art. 5): 1 December 2018, a Saturday, gives Monday 3 December off."""
    assert not is_working_day(date(2018, 12, 3))


@pytest.mark.parametrize("outside", [date(2014, 12, 31), date(2020, 1, 1)])
def test_dates_outside_the_checked_years_are_refused(outside):
    with pytest.raises(InputError, match=outside.isoformat()):
        is_working_day(outside)


@pytest.mark.parametrize("bad", ["2016-01-04", None, 20160104])
def test_a_non_date_is_refused(bad):
    with pytest.raises(InputError, match="expected a date"):
        is_working_day(bad)


def test_working_days_after_counts_strictly_after_and_refuses_n_below_one():
    assert working_days_after(date(2016, 1, 4), 1) == date(2016, 1, 5)
    with pytest.raises(InputError):
        working_days_after(date(2016, 1, 4), 0)


# --- p23: three working days (p23.pp1.ch2, p23.pp2.ch2, p23.ch2) -------------


@pytest.mark.parametrize(
    ("received_on", "next_day", "moves", "what"),
    [
        (date(2016, 4, 1), date(2016, 4, 6), date(2016, 4, 6), "Friday receipt: the weekend does not count"),
        (date(2016, 4, 2), date(2016, 4, 6), date(2016, 4, 7), "Saturday receipt: the readings differ by a day"),
        (date(2016, 3, 18), date(2016, 3, 28), date(2016, 3, 28), "before Nauryz 21-23.03 and a weekend"),
        (date(2016, 3, 21), date(2016, 3, 28), date(2016, 3, 29), "receipt on Nauryz, a holiday"),
        (date(2018, 3, 2), date(2018, 3, 6), date(2018, 3, 6), "working Saturday 03.03.2018 is day one"),
        (date(2018, 3, 3), date(2018, 3, 7), date(2018, 3, 7), "receipt on a working Saturday is a working receipt"),
        (date(2018, 3, 7), date(2018, 3, 14), date(2018, 3, 14), "8.03 holiday and 9.03 transferred day off"),
        (date(2018, 3, 10), date(2018, 3, 14), date(2018, 3, 15), "an ordinary Saturday receipt"),
        (date(2017, 12, 29), date(2018, 1, 5), date(2018, 1, 5), "year end: weekend, then 1-2 January"),
        (date(2018, 12, 28), date(2019, 1, 4), date(2019, 1, 4), "year end: 29.12 worked, 31.12 and 1-2.01 off"),
        (date(2018, 12, 31), date(2019, 1, 8), date(2019, 1, 9), "receipt on the 31.12.2018 day off; 7.01 off"),
    ],
)
def test_forwarding_due_under_both_readings(received_on, next_day, moves, what):
    """p23.pp1.ch2 / p23.pp2.ch2: "не позднее трех рабочих дней с момента поступления"."""
    assert forwarding_due(received_on) == next_day, what
    assert forwarding_due(received_on, NEXT) == next_day, what
    assert forwarding_due(received_on, MOVES) == moves, what


def test_readings_are_accepted_by_value_and_unknown_ones_refused():
    """A reading given as its string value is that reading; a misspelt one is never
    silently replaced by the default."""
    assert forwarding_due(date(2016, 4, 2), "non_working_receipt_moves") == date(2016, 4, 7)
    assert quarterly_analysis_due(2018, 4, "next_working_day") == date(2019, 1, 8)
    with pytest.raises(InputError, match="ReceiptCounting"):
        forwarding_due(date(2016, 4, 2), "moves")
    with pytest.raises(InputError, match="DueOnNonWorkingDay"):
        quarterly_analysis_due(2018, 4, "next")


def test_forwarding_due_refuses_a_due_date_beyond_the_checked_years():
    """Receipt 30.12.2019 would be due in 2020, where the package's data is not checked."""
    with pytest.raises(InputError, match="2020"):
        forwarding_due(date(2019, 12, 30))


def working_days_in(after: date, upto: date) -> int:
    return sum(is_working_day(d) for d in days(after + timedelta(1), upto))


@given(st.dates(min_value=date(2016, 1, 1), max_value=date(2018, 12, 31)))
def test_forwarding_due_is_the_third_working_day_after_receipt(received_on):
    """For any receipt in 2016-2018: the due date is a working day, strictly after
    receipt, with exactly three working days in (received_on, due]; the reading
    that moves a non-working receipt never gives an earlier date, and gives a
    later one exactly when the receipt day is non-working."""
    due = forwarding_due(received_on, NEXT)
    assert due > received_on and is_working_day(due)
    assert working_days_in(received_on, due) == 3
    moved = forwarding_due(received_on, MOVES)
    assert moved >= due
    assert (moved > due) == (not is_working_day(received_on))


# --- p56: quarterly analysis "к 5 числу месяца, следующего за кварталом" ------


@pytest.mark.parametrize(
    ("year", "quarter", "nominal"),
    [(2016, 1, date(2016, 4, 5)), (2016, 2, date(2016, 7, 5)), (2016, 3, date(2016, 10, 5)), (2016, 4, date(2017, 1, 5))],
)
def test_analysis_is_due_on_the_5th_of_the_month_after_the_quarter(year, quarter, nominal):
    """p56; the fourth quarter's analysis is due on 5 January of the next year."""
    assert quarterly_analysis_due(year, quarter) == nominal


def test_every_quarter_of_2016_2018_is_due_on_a_working_day_so_the_readings_agree():
    """Every 5 January/April/July/October of 2016-2018 was a working day: while the
    amended text was in force the three readings of p56 never differ."""
    quarters = [(2015, 4)] + [(y, q) for y in (2016, 2017) for q in (1, 2, 3, 4)] + [(2018, q) for q in (1, 2, 3)]
    for year, quarter in quarters:
        due = quarterly_analysis_due(year, quarter, CAL)
        assert is_working_day(due)
        assert quarterly_analysis_due(year, quarter, FWD) == quarterly_analysis_due(year, quarter, BACK) == due


@pytest.mark.parametrize(
    ("year", "quarter", "calendar", "forward", "back", "what"),
    [
        (2018, 4, date(2019, 1, 5), date(2019, 1, 8), date(2019, 1, 4), "Saturday; Monday 7.01 is Christmas"),
        (2015, 1, date(2015, 4, 5), date(2015, 4, 6), date(2015, 4, 3), "Sunday"),
        (2015, 2, date(2015, 7, 5), date(2015, 7, 7), date(2015, 7, 3), "Sunday; Monday 6.07 is Capital Day"),
        (2019, 3, date(2019, 10, 5), date(2019, 10, 7), date(2019, 10, 4), "Saturday"),
    ],
)
def test_analysis_due_on_a_non_working_5th_under_each_reading(year, quarter, calendar, forward, back, what):
    """The 5th on a weekend (the only real cases in 2015-2019 are outside the amended
    text's life): the literal reading keeps it, the others move to a working day."""
    assert quarterly_analysis_due(year, quarter) == calendar, what
    assert quarterly_analysis_due(year, quarter, FWD) == forward, what
    assert quarterly_analysis_due(year, quarter, BACK) == back, what


def test_no_p56_date_falls_on_a_holiday_weekday_or_a_working_saturday():
    """In 2015-2019 no 5 January/April/July/October is a weekday holiday or a working
    Saturday, so those cases are checked on the rule itself (next two tests)."""
    fifths = [date(y, m, 5) for y in range(2015, 2020) for m in (1, 4, 7, 10)]
    assert all(is_working_day(d) == (d.weekday() < 5) for d in fifths)


def test_a_due_date_on_a_weekday_holiday_moves_under_the_moving_readings():
    """8 March 2016 (Tuesday, a holiday): forward goes to Wednesday 9 March; backward
    passes the transferred 7 March and Sunday 6 March and lands on working Saturday 5 March."""
    assert due_date_under(date(2016, 3, 8), CAL) == date(2016, 3, 8)
    assert due_date_under(date(2016, 3, 8), FWD) == date(2016, 3, 9)
    assert due_date_under(date(2016, 3, 8), BACK) == date(2016, 3, 5)


def test_a_due_date_on_a_working_saturday_stays_under_every_reading():
    """5 March 2016 was a working Saturday: it is a working day, so no reading moves it."""
    assert {due_date_under(date(2016, 3, 5), r) for r in DueOnNonWorkingDay} == {date(2016, 3, 5)}


@pytest.mark.parametrize("quarter", [0, 5, "1", None, True])
def test_quarter_must_be_1_to_4(quarter):
    with pytest.raises(InputError) as e:
        quarterly_analysis_due(2016, quarter)
    assert e.value.clause == "p56" and e.value.where == "quarter"


@pytest.mark.parametrize(("year", "quarter"), [(2013, 4), (2019, 4), (99999, 1)])
def test_analysis_due_outside_the_checked_years_is_refused(year, quarter):
    with pytest.raises(InputError) as e:
        quarterly_analysis_due(year, quarter)
    assert e.value.clause == "p56"


# --- o165.p4 and the repeal footnote -----------------------------------------


def test_default_dates_are_the_earliest_possible_and_marked_assumed():
    """facts.md: publication cannot precede registration (11.02.2016, 18.06.2018);
    ten full days elapse after publication day D, in force on D+11."""
    params = InForceParameters()
    assert amended_text_in_force_from(params) == date(2016, 2, 22)
    assert repealed_from(params) == date(2018, 6, 29)
    assert in_force_status(date(2017, 1, 1)).assumed


@pytest.mark.parametrize(
    ("day", "state"),
    [(date(2016, 2, 21), "before"), (date(2016, 2, 22), "in_force"), (date(2018, 6, 28), "in_force"), (date(2018, 6, 29), "repealed")],
)
def test_in_force_boundaries_with_default_dates(day, state):
    """Day before / first day / last day / repeal day, all resting on assumed dates."""
    status = in_force_status(day, InForceParameters())
    assert status.state == state and status.assumed
    assert "assumed" in status.reason_en


def test_clauses_and_russian_reason_per_state():
    before = in_force_status(date(2016, 1, 1))
    in_force = in_force_status(date(2017, 1, 1))
    repealed = in_force_status(date(2019, 1, 1))
    assert before.clauses == ("o165.p4",) and "пункт 4 приказа № 165" in before.reason_ru
    assert in_force.clauses == ("o165.p4", "o165.footnote")
    assert repealed.clauses == ("o165.footnote",) and "№ 72" in repealed.reason_ru


def test_day_plus_10_reading_is_one_day_earlier():
    """The alternative counting of "по истечении десяти календарных дней": in force on D+10."""
    params = InForceParameters(counting=PublicationCounting.DAY_PLUS_10)
    assert amended_text_in_force_from(params) == date(2016, 2, 21)
    assert repealed_from(params) == date(2018, 6, 28)
    assert in_force_status(date(2016, 2, 21), params).state == "in_force"


def test_user_set_publication_dates_move_the_boundaries_and_are_not_assumed():
    params = InForceParameters(order165_published=date(2016, 2, 20), order72_published=date(2018, 6, 20))
    assert [in_force_status(d, params).state for d in (date(2016, 3, 1), date(2016, 3, 2))] == ["before", "in_force"]
    assert [in_force_status(d, params).state for d in (date(2018, 6, 30), date(2018, 7, 1))] == ["in_force", "repealed"]
    assert not any(in_force_status(d, params).assumed for d in (date(2016, 3, 1), date(2017, 1, 1), date(2018, 7, 1)))


def test_assumed_follows_the_date_the_answer_depends_on():
    """Only order No. 165's date set: "before" is not assumed, "in_force" and "repealed" still are."""
    params = InForceParameters(order165_published=date(2016, 2, 11))
    assert not in_force_status(date(2016, 2, 21), params).assumed
    assert in_force_status(date(2017, 1, 1), params).assumed
    assert in_force_status(date(2019, 1, 1), params).assumed


@pytest.mark.parametrize(
    ("fields", "clause"),
    [
        ({"order165_published": date(2016, 2, 10)}, "o165.header"),
        ({"order72_published": date(2018, 6, 17)}, "o165.footnote"),
        ({"order165_published": date(2018, 7, 1)}, "o165.footnote"),
        ({"order165_published": "not a date"}, "o165.p4"),
        ({"counting": "day_plus_12"}, "o165.p4"),
        ({"published": date(2016, 2, 11)}, "o165.p4"),
    ],
)
def test_impossible_publication_parameters_are_refused(fields, clause):
    """Publication cannot precede registration, and order No. 165 precedes its repeal."""
    with pytest.raises(InputError) as e:
        InForceParameters(**fields)
    assert e.value.clause == clause and e.value.where.startswith("InForceParameters.")


def test_in_force_status_refuses_a_non_date():
    with pytest.raises(InputError):
        in_force_status("2017-01-01")
