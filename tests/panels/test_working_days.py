"""Working-day deadlines across Christmas, New Year and Easter 2026-27 (England and Wales)."""

from __future__ import annotations

from datetime import date

import pytest

from openiom.panels.workingdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 24), True),  # Thursday, Christmas Eve is not a bank holiday
        (date(2026, 12, 25), False),  # Christmas Day, Friday
        (date(2026, 12, 26), False),  # Boxing Day, Saturday
        (date(2026, 12, 28), False),  # Boxing Day substitute, Monday
        (date(2026, 12, 29), True),
        (date(2027, 1, 1), False),  # New Year's Day, Friday
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2027, 12, 27), False),  # Christmas Day substitute
        (date(2027, 12, 28), False),  # Boxing Day substitute
        (date(2026, 11, 28), False),  # Saturday
    ],
)
def test_bank_holidays_and_substitutes_are_not_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("meeting", "days", "deadline"),
    [
        # An ordinary week: 5 working days before a Tuesday is the Tuesday before.
        (date(2026, 11, 10), -5, date(2026, 11, 3)),
        (date(2026, 11, 10), -10, date(2026, 10, 27)),
        # Tuesday 12 January 2027: back over New Year's Day and the Christmas and Boxing Day holidays.
        (date(2027, 1, 12), -5, date(2027, 1, 5)),
        (date(2027, 1, 12), -10, date(2026, 12, 24)),  # skips 1 Jan, 28 Dec, 25 Dec
        # Minutes 5 working days after Tuesday 22 December 2026: 23, 24, 29, 30, 31.
        (date(2026, 12, 22), 5, date(2026, 12, 31)),
        # Easter 2027: a meeting on Tuesday 30 March; papers 5 working days before.
        (date(2027, 3, 30), -5, date(2027, 3, 19)),  # 25, 24, 23, 22, 19: skips 29 and 26 March
        # Minutes 5 working days after Tuesday 23 March 2027: 24, 25, 30, 31 March and 1 April.
        (date(2027, 3, 23), 5, date(2027, 4, 1)),
    ],
)
def test_deadlines_count_working_days(meeting: date, days: int, deadline: date) -> None:
    assert add_working_days(meeting, days) == deadline
    assert working_days_between(meeting, deadline) == days
