"""Chinese working days (工作日) with 调休 make-up days, honest about years with no official data.

``add_working_days(start, n)``: the n-th working day after ``start``; ``start`` itself never counts.
``working_days_between(start, end)``: working days in (start, end] (``end`` before ``start`` is refused).
Both say ``provisional`` when a day they looked at falls in a year with no official arrangement, whose
dates are then an estimate (``jifen.workdays.estimate``); days the estimate is unsure of never count as
working days, so dates err late.
"""

from jifen.workdays.counting import (
    Count,
    Day,
    WorkdayCalendar,
    add_working_days,
    default_calendar,
    latest_start_for,
    working_days_between,
)
from jifen.workdays.years import YearArrangement

__all__ = [
    "Count",
    "Day",
    "WorkdayCalendar",
    "YearArrangement",
    "add_working_days",
    "default_calendar",
    "latest_start_for",
    "working_days_between",
]
