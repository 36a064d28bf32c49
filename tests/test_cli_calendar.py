"""`kzappeals calendar p56`: the date point 56 fixes, asked from the command line."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kzappeals.cli import main
from kzappeals.spec.calendar import is_working_day


@pytest.mark.parametrize(
    ("year", "quarter", "due"),
    # "к 5 числу месяца, следующего за анализируемым кварталом": the 5th of April, July, October, and of the
    # next January for the fourth quarter.
    [("2016", "1", "2016-04-05"), ("2016", "2", "2016-07-05"), ("2017", "3", "2017-10-05"), ("2016", "4", "2017-01-05")],
)
def test_p56_the_5th_of_the_month_after_the_quarter(year, quarter, due, capsys):
    assert main(["calendar", "p56", "--year", year, "--quarter", quarter, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"clause": "p56", "year": int(year), "quarter": int(quarter), "reading": "calendar_date", "due": due}


def test_p56_a_5th_that_is_a_day_off_moves_only_under_the_reading_asked_for(capsys):
    """The fourth quarter of 2018 is due on Saturday 5 January 2019: as written, that day; read as a term, the
    nearest working day after it, or before it."""

    def due(reading: str) -> dt.date:
        assert main(["calendar", "p56", "--year", "2018", "--quarter", "4", "--reading", reading, "--format", "json"]) == 0
        return dt.date.fromisoformat(json.loads(capsys.readouterr().out)["due"])

    fifth = dt.date(2019, 1, 5)
    assert fifth.weekday() == 5 and due("calendar_date") == fifth
    later, earlier = due("next_working_day"), due("previous_working_day")
    assert earlier < fifth < later and is_working_day(later) and is_working_day(earlier)
    between = [earlier + dt.timedelta(days=n) for n in range(1, (later - earlier).days)]
    assert not any(is_working_day(d) for d in between)
    assert main(["calendar", "p56", "--year", "2018", "--quarter", "4"]) == 0
    assert capsys.readouterr().out.startswith("2019-01-05 (Saturday): ")


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["--year", "2016", "--quarter", "5"], "quarter"),
        (["--year", "2016", "--quarter", "0"], "quarter"),
        (["--year", "2030", "--quarter", "1"], "year=2030"),
        (["--year", "twenty", "--quarter", "1"], "--year"),
        (["--year", "2016", "--quarter", "1.5"], "--quarter"),
    ],
)
def test_bad_input_is_one_line_citing_p56_and_exit_2(args, where, capsys):
    assert main(["calendar", "p56", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"kzappeals: error: {where}") and "(clause p56)" in err
