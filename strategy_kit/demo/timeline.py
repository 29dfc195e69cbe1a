"""Working time: the demo's events happen on weekdays between 08:00 and 19:00.

Internally, times are *business seconds*: seconds of working time counted from Monday
1970-01-05 08:00, so a business day lasts :data:`DAY` seconds and business day ``b // DAY``
falls on weekday ``(b // DAY) % 5`` (0 = Monday). Adding a duration in business seconds never
lands on a night or a weekend. Calendar times are naive seconds since 1970-01-01 00:00 in the
client's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

DAY = 11 * 3600  # business seconds in a business day (08:00-19:00)
OPENING_SECONDS = 8 * 3600
BDAYS_PER_YEAR = 261
_FIRST_MONDAY = 4  # 1970-01-05, in days since 1970-01-01
_EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    """Calendar day as days since 1970-01-01."""
    return (day - _EPOCH).days


def bday_from_calendar(days: np.ndarray | int) -> np.ndarray:
    """Business-day index of calendar days; a weekend day maps to the next Monday."""
    offset = np.asarray(days, dtype=np.int64) - _FIRST_MONDAY
    week, weekday = np.divmod(offset, 7)
    return week * 5 + np.minimum(weekday, 5)


def last_bday_on_or_before(days: np.ndarray | int) -> np.ndarray:
    """Business-day index of the last weekday on or before each calendar day."""
    offset = np.asarray(days, dtype=np.int64) - _FIRST_MONDAY
    week, weekday = np.divmod(offset, 7)
    return week * 5 + np.minimum(weekday, 4)


def calendar_day(bdays: np.ndarray) -> np.ndarray:
    """Calendar day (days since 1970-01-01) of business-day indices."""
    week, weekday = np.divmod(np.asarray(bdays, dtype=np.int64), 5)
    return _FIRST_MONDAY + week * 7 + weekday


def to_calendar(seconds: np.ndarray) -> np.ndarray:
    """Business seconds -> calendar seconds since 1970-01-01 (naive local time)."""
    bdays, within = np.divmod(np.asarray(seconds, dtype=np.int64), DAY)
    return calendar_day(bdays) * 86400 + OPENING_SECONDS + within


def months_of_days(days: np.ndarray) -> np.ndarray:
    """Month number 1..12 of calendar days."""
    months = np.asarray(days, dtype="datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months % 12 + 1


@dataclass(frozen=True)
class Timeline:
    """The span of the history: three years ending on (and including) ``end``."""

    end: date
    years: int = 3

    @property
    def end_day(self) -> int:
        return day_number(self.end)

    @property
    def start_day(self) -> int:
        """The day after the same date ``years`` earlier (28 February standing for the 29th)."""
        day = min(self.end.day, 28) if self.end.month == 2 else self.end.day
        return day_number(self.end.replace(year=self.end.year - self.years, day=day)) + 1

    @property
    def start_b(self) -> int:
        return int(bday_from_calendar(self.start_day)) * DAY

    @property
    def end_b(self) -> int:
        """The last business second on or before the end day."""
        return (int(last_bday_on_or_before(self.end_day)) + 1) * DAY - 1

    def bday_range(self) -> np.ndarray:
        return np.arange(self.start_b // DAY, self.end_b // DAY + 1)

    def years_since_start(self, seconds: np.ndarray) -> np.ndarray:
        return (np.asarray(seconds, dtype=np.float64) - self.start_b) / (BDAYS_PER_YEAR * DAY)

    def calendar_days_before_end(self, days: int) -> int:
        """Business second at which the calendar day ``days`` before the end begins."""
        return int(bday_from_calendar(self.end_day - days)) * DAY
