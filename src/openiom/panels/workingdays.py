"""England and Wales working days: Monday to Friday, less bank holidays and their substitute days.

Panel deadlines are counted in working days ("referrals at least 10 working days before the
meeting", "minutes 5 working days after"). The bank holidays come from the `holidays`
package (England subdivision of GB, which is also Wales's list); it names both the day a
holiday falls on (which may be a weekend) and its substitute "(observed)" Monday, and both
are skipped. One-off bank holidays arrive with new releases of the package: keep it updated.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

__all__ = ["add_working_days", "bank_holidays", "is_working_day", "working_days_between"]


@cache
def _calendar(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]))


def bank_holidays(year: int) -> dict[date, str]:
    return dict(sorted(holidays.country_holidays("GB", subdiv="ENG", years=[year]).items()))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _calendar(day.year)


def add_working_days(day: date, n: int) -> date:
    """The working day `n` working days after `day` (before it when `n` is negative).

    `day` itself is not counted: 5 working days after a Tuesday meeting is the next Tuesday
    in an ordinary week; 10 working days before it is the Tuesday two weeks earlier.
    """
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    current = day
    while remaining:
        current += step
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for i in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=i)))
