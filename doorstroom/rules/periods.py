"""Calendar arithmetic: periods of N months (SPEC §3 date conventions) and Belgian working days."""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

FLEMISH_HOLIDAY_NAME = "Feest van de Vlaamse Gemeenschap"


def days_in_month(year: int, month: int) -> int:
    """Return the number of days of a calendar month."""
    return calendar.monthrange(year, month)[1]


def month_end(day: date) -> date:
    """Return the last day of the month of `day`."""
    return day.replace(day=days_in_month(day.year, day.month))


def is_month_end(day: date) -> bool:
    """Tell whether `day` is the last day of its month."""
    return day == month_end(day)


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def period_end(start: date, months: int) -> date:
    """Return the last day of a period of `months` months starting on `start`.

    SPEC §3: the day before the day with the same number `months` later; when that month has no
    such day, that month's last day (2027-01-31 + 1 month ⇒ 2027-02-28).
    """
    if months < 1:
        raise ValueError(f"a period lasts at least 1 month, got {months}")
    year, month = _shift_month(start.year, start.month, months)
    if start.day > days_in_month(year, month):
        return date(year, month, days_in_month(year, month))
    return date(year, month, start.day) - timedelta(days=1)


def add_days(day: date, days: int) -> date:
    """Return the day `days` calendar days after `day` (before it when negative)."""
    return day + timedelta(days=days)


def inclusive_days(start: date, end: date) -> int:
    """Count the calendar days from `start` to `end`, both included."""
    return (end - start).days + 1


def month_ends(first: date, last: date) -> Iterator[date]:
    """Yield every month's last day `d` with `first` ≤ d ≤ `last`, in order."""
    current = month_end(first)
    while current <= last:
        yield current
        year, month = _shift_month(current.year, current.month, 1)
        current = date(year, month, days_in_month(year, month))


@functools.lru_cache(maxsize=64)
def _public_holidays(year: int) -> tuple[tuple[date, str], ...]:
    return tuple(sorted(holidays.country_holidays("BE", years=year, language="nl").items()))


@dataclass(frozen=True)
class BelgianCalendar:
    """Belgian public holidays (Dutch names), optionally with the Flemish holiday of 11 July."""

    include_flemish_holiday: bool = False

    def holidays_in(self, year: int) -> tuple[tuple[date, str], ...]:
        """Return the holidays of `year` as (date, Dutch name) pairs, in date order."""
        found = list(_public_holidays(year))
        if self.include_flemish_holiday:
            found.append((date(year, 7, 11), FLEMISH_HOLIDAY_NAME))
        return tuple(sorted(found))

    def holiday_name(self, day: date) -> str | None:
        """Return the Dutch name of the holiday on `day`, or None on an ordinary day."""
        return dict(self.holidays_in(day.year)).get(day)

    def is_working_day(self, day: date) -> bool:
        """Tell whether `day` is a weekday that is not a public holiday."""
        return day.weekday() < 5 and self.holiday_name(day) is None

    def add_working_days(self, day: date, count: int) -> date:
        """Return the `count`-th working day after `day` (before it when negative; `day` if 0)."""
        step = 1 if count >= 0 else -1
        current, remaining = day, abs(count)
        while remaining:
            current += timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Count the working days from `start` to `end`, both included (0 when end < start)."""
        total = 0
        current = start
        while current <= end:
            total += self.is_working_day(current)
            current += timedelta(days=1)
        return total
