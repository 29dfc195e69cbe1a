from __future__ import annotations

from datetime import date

import pytest

from strategy_kit.errors import PeriodError
from strategy_kit.periods import latest_complete_quarter, parse_period

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-09", date(2026, 9, 1), date(2026, 9, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("2026-W36", date(2026, 8, 31), date(2026, 9, 6)),  # ISO week 36 of 2026 starts Monday 31 August
        ("2026-W01", date(2025, 12, 29), date(2026, 1, 4)),
        ("2026-07-15..2026-08-14", date(2026, 7, 15), date(2026, 8, 14)),
        ("last-month", date(2026, 10, 1), date(2026, 10, 31)),
        ("last-quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("last-year", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_calendar_periods(label, start, end):
    period = parse_period(label, today=TODAY)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        # Fiscal year starting in April, named by the calendar year in which it ends.
        ("2026", date(2025, 4, 1), date(2026, 3, 31)),
        ("2026-Q1", date(2025, 4, 1), date(2025, 6, 30)),
        ("2026-Q4", date(2026, 1, 1), date(2026, 3, 31)),
        ("last-quarter", date(2026, 7, 1), date(2026, 9, 30)),  # 27 Nov 2026 is in FY2027-Q3
        ("last-year", date(2025, 4, 1), date(2026, 3, 31)),
        ("2026-09", date(2026, 9, 1), date(2026, 9, 30)),  # months stay calendar months
    ],
)
def test_fiscal_year_starting_in_april(label, start, end):
    period = parse_period(label, fiscal_year_start_month=4, today=TODAY)
    assert (period.start, period.end) == (start, end)


def test_last_quarter_in_january_goes_to_previous_year():
    period = parse_period("last-quarter", today=date(2027, 1, 15))
    assert (period.label, period.start, period.end) == ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    "label",
    [
        "",
        "Q3",
        "2026-Q5",
        "2026-13",
        "2026-W54",
        "2026-09-31..2026-10-01",
        "2026-10-01..2026-09-01",
        "yesterday",
        "2026/09",
    ],
)
def test_bad_labels_are_rejected_with_the_accepted_forms(label):
    with pytest.raises(PeriodError) as error:
        parse_period(label, today=TODAY)
    assert str(error.value)


def test_unknown_label_lists_accepted_forms():
    with pytest.raises(PeriodError, match="2026-Q3"):
        parse_period("next-week")


def test_shift_back_one_year_keeps_month_ends():
    assert parse_period("2024-02").shifted_years(-1).end == date(2023, 2, 28)
    shifted = parse_period("2026-Q3").shifted_years(-1)
    assert (shifted.start, shifted.end) == (date(2025, 7, 1), date(2025, 9, 30))


def test_latest_complete_quarter():
    assert latest_complete_quarter(date(2026, 9, 30)).label == "2026-Q3"
    assert latest_complete_quarter(date(2026, 9, 29)).label == "2026-Q2"


# ---------------------------------------------------------------- the calendar's limits


@pytest.mark.parametrize(
    "label, start, end",
    [
        ("0001-Q1", "0001-01-01", "0001-03-31"),
        ("0001-01", "0001-01-01", "0001-01-31"),
        ("9999-Q4", "9999-10-01", "9999-12-31"),
        ("9999", "9999-01-01", "9999-12-31"),
        ("9999-12-01..9999-12-31", "9999-12-01", "9999-12-31"),
    ],
)
def test_periods_at_the_calendar_limits(label, start, end):
    period = parse_period(label)
    assert (str(period.start), str(period.end)) == (start, end)


@pytest.mark.parametrize("label, fiscal", [("9999-W52", 1), ("0001", 4), ("0001-Q1", 4), ("0000", 1)])
def test_periods_outside_the_calendar_are_refused(label, fiscal):
    # 9999-W52 runs from 9999-12-27 to 10000-01-02; with a fiscal year from April, fiscal 0001
    # starts in April of the year 0.
    with pytest.raises(PeriodError, match="calendar"):
        parse_period(label, fiscal)


def test_shifting_out_of_the_calendar_is_a_period_error():
    with pytest.raises(PeriodError, match=r"0001-Q1 moved -1 year"):
        parse_period("0001-Q1").shifted_years(-1)
    assert str(parse_period("9999-Q4").shifted_years(-1).end) == "9998-12-31"
    # A range ending on a month's last day keeps ending on one (the 29th of February, 2024).
    assert str(parse_period("2025-01-01..2025-02-28").shifted_years(-1).end) == "2024-02-29"
    assert str(parse_period("2024-02").shifted_years(1).end) == "2025-02-28"


@pytest.mark.parametrize(
    "text, french, english",
    [
        ("2026-Q3", "T3 2026", "Q3 2026"),
        ("2026-09", "septembre 2026", "September 2026"),
        ("2026", "2026", "2026"),  # a calendar year is just its number
        ("2026-W36", "semaine 36 de 2026", "week 36 of 2026"),
        ("2026-07-01..2026-08-15", "du 01/07/2026 au 15/08/2026", "1 Jul 2026 to 15 Aug 2026"),
    ],
)
def test_a_period_is_named_as_a_reader_says_it(text, french, english):
    period = parse_period(text)
    assert (period.name("fr"), period.name("en")) == (french, english)


def test_a_fiscal_year_from_april_is_an_exercice():
    assert parse_period("2026", 4).name("fr") == "exercice 2026"
    assert parse_period("2026", 4).name("en") == "fiscal year 2026"


def test_a_relative_period_is_named_by_what_it_resolved_to():
    period = parse_period("last-quarter", today=date(2026, 10, 15))
    assert period.name("fr") == "T3 2026"
    # A period moved by a year is named by its dates (its label is no longer a quarter's).
    assert period.shifted_years(-1).name("fr") == "du 01/07/2025 au 30/09/2025"


def test_a_fiscal_quarter_that_is_no_calendar_quarter_names_its_fiscal_year():
    # A fiscal year from April: its first quarter runs from April to June 2025.
    assert parse_period("2026-Q1", 4).name("fr") == "T1 exercice 2026"
    assert parse_period("2026-Q1", 4).name("en") == "Q1 FY2026"
