"""Calendar arithmetic shared by the rules: months as integers, anniversaries, full years.

A month is the integer ``year * 12 + (month - 1)``, so windows of months are plain ranges.

Periods counted in months or years follow 民法典 第二百零一、二百零二条: a period that starts on a
day completes on the corresponding day of the later month; where that month has no such day, on its
last day. So a year that began on 29 February completes on 28 February of a common year.

Stored facts can hold dates up to ``date.max`` (9999-12-31): arithmetic that looks ahead stops there
(:func:`next_day`, :func:`add_months_capped`) instead of overflowing.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone

Month = int

_ONE_DAY = timedelta(days=1)

# China has kept UTC+8 without daylight saving since 1991; a fixed offset needs no tz database.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def today_in_shanghai() -> date:
    """Today's calendar date in Asia/Shanghai."""
    return datetime.now(SHANGHAI).date()


def month_of(day: date) -> Month:
    return day.year * 12 + day.month - 1


def month_from_parts(year: int, month: int) -> Month:
    return year * 12 + month - 1


def first_day(month: Month) -> date:
    return date(month // 12, month % 12 + 1, 1)


def month_str(month: Month) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def add_months(day: date, months: int) -> date:
    """The corresponding day ``months`` later, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_months_capped(day: date, months: int) -> date:
    """:func:`add_months`, or ``date.max`` when that day would be past the last day a date can hold."""
    if month_of(day) + months > month_of(date.max):
        return date.max
    return add_months(day, months)


def add_days_capped(day: date, days: int) -> date:
    """``days`` later, or the last day a date can hold when that would be past it."""
    if days > 0 and (date.max - day).days < days:
        return date.max
    return day + timedelta(days=days)


def next_day(day: date) -> date | None:
    """The day after ``day``; None after ``date.max``, which has no next day a date can hold."""
    return None if day == date.max else day + _ONE_DAY


def full_months(start: date, end: date) -> int:
    """Full months from ``start`` up to ``end``: the largest m with add_months(start, m) <= end."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    # add_months(start, months) falls in end's month, on start's day or that month's last day.
    if start.day > end.day and (end + _ONE_DAY).day != 1:
        months -= 1
    return months


def full_years(start: date, end: date) -> int:
    """Full years (周岁 for a birth date) on ``end``: anniversaries reached on or before ``end``."""
    return full_months(start, end) // 12
