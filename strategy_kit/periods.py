"""Reporting periods: parse labels such as ``2026-Q3`` into closed day ranges.

Accepted labels (see docs/periods.md):

- ``2026`` — a (fiscal) year; ``2026-Q3`` — a (fiscal) quarter;
- ``2026-09`` — a calendar month; ``2026-W36`` — an ISO week;
- ``2026-07-01..2026-09-30`` — any range of days (both ends included);
- ``last-month``, ``last-quarter``, ``last-year`` — the last complete month,
  (fiscal) quarter or (fiscal) year before a reference day (today by default).

When the fiscal year starts in month ``m`` other than January, a fiscal year is
named after the calendar year in which it *ends* (Salesforce's default): with
``m = 4``, ``2026`` runs from 2025-04-01 to 2026-03-31 and ``2026-Q1`` from
2025-04-01 to 2025-06-30.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from strategy_kit.errors import PeriodError
from strategy_kit.i18n import format_date, format_long_month, label

_LIMITS = "years 0001 to 9999"
_FORMS = (
    "2026 (year), 2026-Q3 (quarter), 2026-09 (month), 2026-W36 (ISO week), "
    "2026-07-01..2026-09-30 (range), last-month, last-quarter, last-year"
)


@dataclass(frozen=True)
class Period:
    """A closed range of calendar days ``[start, end]`` with its label."""

    label: str
    start: date
    end: date
    kind: str  # year | quarter | month | week | range

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def shifted_years(self, years: int) -> Period:
        """The same period ``years`` years later (negative: earlier); ISO weeks move by 52 weeks.

        :class:`PeriodError` when the shifted period leaves the calendar (years 0001 to 9999).
        """
        try:
            if self.kind == "week":
                delta = timedelta(weeks=52 * years)
                return Period(f"{self.label} {years:+d}y", self.start + delta, self.end + delta, self.kind)
            start = add_months(self.start, 12 * years)
            if self.end.day == calendar.monthrange(self.end.year, self.end.month)[1]:  # a month's last day
                end = month_end(add_months(self.end.replace(day=1), 12 * years))
            else:
                end = add_months(self.end + timedelta(days=1), 12 * years) - timedelta(days=1)
        except (ValueError, OverflowError):
            raise PeriodError(f"{self.label} moved {years:+d} year(s) falls outside the calendar ({_LIMITS})") from None
        return Period(f"{self.label} {years:+d}y", start, end, self.kind)

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}

    def name(self, language: str) -> str:
        """The period as a reader says it: ``T3 2026`` (``T1 exercice 2026`` for a fiscal quarter
        that is no calendar quarter), ``septembre 2026``, ``2026`` (``exercice 2026`` when the fiscal year does not start
        in January), ``semaine 36 de 2026`` in French; ``Q3 2026``, ``September 2026``, ``fiscal
        year 2026``... in English; a range or a shifted period by its dates."""
        quarter = re.fullmatch(r"(\d{4})-Q([1-4])", self.label)
        week = re.fullmatch(r"(\d{4})-W(\d{2})", self.label)
        if self.kind == "quarter" and quarter:  # a fiscal quarter that is no calendar quarter: "T1 exercice 2026"
            calendar = self.start.month % 3 == 1 and (self.start.year, (self.start.month - 1) // 3 + 1) == (
                int(quarter[1]),
                int(quarter[2]),
            )
            key = "period.quarter" if calendar else "period.fiscal_quarter"
            return label(key, language, year=quarter[1], quarter=quarter[2])
        if self.kind == "year" and re.fullmatch(r"\d{4}", self.label):  # a fiscal year from another month: "exercice"
            return self.label if self.start.month == 1 else label("period.fiscal_year", language, year=self.label)
        if self.kind == "month" and re.fullmatch(r"\d{4}-\d{2}", self.label):
            return format_long_month(self.start, language)
        if self.kind == "week" and week:
            return label("period.week", language, year=week[1], week=int(week[2]))
        return label(
            "report.period_dates",
            language,
            start=format_date(self.start, language),
            end=format_date(self.end, language),
        )


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, its day clamped to the target month's length."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_start(day: date, months: int = 0) -> date:
    """The first day of the month ``months`` months after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date, months: int = 0) -> date:
    """The last day of the month ``months`` months after ``day``'s (no step past 9999-12-31)."""
    first = month_start(day, months)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def fiscal_year_bounds(fiscal_year: int, start_month: int = 1) -> tuple[date, date]:
    """First and last day of fiscal year ``fiscal_year`` (named by its ending calendar year)."""
    start_year = fiscal_year if start_month == 1 else fiscal_year - 1
    start = date(start_year, start_month, 1)
    return start, month_end(start, 11)


def fiscal_quarter_bounds(fiscal_year: int, quarter: int, start_month: int = 1) -> tuple[date, date]:
    year_start, _ = fiscal_year_bounds(fiscal_year, start_month)
    start = add_months(year_start, 3 * (quarter - 1))
    return start, month_end(start, 2)


def fiscal_year_of(day: date, start_month: int = 1) -> int:
    """The fiscal year (named by its ending calendar year) that contains ``day``."""
    if start_month == 1:
        return day.year
    return day.year + 1 if day.month >= start_month else day.year


def fiscal_quarter_of(day: date, start_month: int = 1) -> tuple[int, int]:
    year = fiscal_year_of(day, start_month)
    offset = (day.month - start_month) % 12
    return year, offset // 3 + 1


def parse_period(text: str, fiscal_year_start_month: int = 1, today: date | None = None) -> Period:
    """Parse a period label into a :class:`Period`.

    ``today`` is the reference day for ``last-*`` labels (defaults to the real today).
    Raises :class:`PeriodError` with the accepted forms for anything else, and for a period that
    does not fit in the calendar (``9999-Q4`` with a fiscal year starting in April, ``9999-W52``
    ending in the year 10000, ``0001`` with a fiscal year starting before January 0001...).
    """
    try:
        return _parse_period(text, fiscal_year_start_month, today)
    except (ValueError, OverflowError):
        raise PeriodError(
            f"'{(text or '').strip()}' does not fit in the calendar ({_LIMITS}). Accepted: {_FORMS}"
        ) from None


def _parse_period(text: str, fiscal_year_start_month: int, today: date | None) -> Period:
    label = (text or "").strip()
    fy = fiscal_year_start_month
    if not 1 <= fy <= 12:
        raise PeriodError(f"fiscal-year start month must be 1..12, got {fy}")
    today = today or date.today()

    if m := re.fullmatch(r"(\d{4})", label):
        start, end = fiscal_year_bounds(int(m[1]), fy)
        return Period(label, start, end, "year")
    if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", label):
        start, end = fiscal_quarter_bounds(int(m[1]), int(m[2]), fy)
        return Period(f"{m[1]}-Q{m[2]}", start, end, "quarter")
    if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
        month = int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"'{label}': month {month} does not exist. Accepted: {_FORMS}")
        start = date(int(m[1]), month, 1)
        return Period(label, start, month_end(start), "month")
    if m := re.fullmatch(r"(\d{4})-[Ww](\d{1,2})", label):
        try:
            start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            raise PeriodError(f"'{label}': week {int(m[2])} does not exist in {m[1]}. Accepted: {_FORMS}") from None
        return Period(f"{m[1]}-W{int(m[2]):02d}", start, start + timedelta(days=6), "week")
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", label):
        try:
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError as exc:
            raise PeriodError(f"'{label}': {exc}. Dates are ISO, e.g. 2026-07-01..2026-09-30") from None
        if end < start:
            raise PeriodError(f"'{label}': the end {end} is before the start {start}")
        return Period(label, start, end, "range")
    if label == "last-month":
        end = today.replace(day=1) - timedelta(days=1)
        return parse_period(f"{end.year}-{end.month:02d}", fy, today)
    if label == "last-quarter":
        year, quarter = fiscal_quarter_of(today, fy)
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        return parse_period(f"{year}-Q{quarter}", fy, today)
    if label == "last-year":
        return parse_period(str(fiscal_year_of(today, fy) - 1), fy, today)
    raise PeriodError(f"'{label}' is not a period. Accepted: {_FORMS}")


def latest_complete_quarter(last_day_with_data: date, fiscal_year_start_month: int = 1) -> Period:
    """The last (fiscal) quarter that ends on or before ``last_day_with_data``."""
    return parse_period("last-quarter", fiscal_year_start_month, last_day_with_data + timedelta(days=1))
