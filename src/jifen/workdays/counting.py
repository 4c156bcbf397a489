"""Counting working days forwards and backwards, with the interval ends written down and tested.

- ``add(start, n)``: the n-th working day after ``start`` (n >= 1); ``start`` never counts, as a
  deadline "within 20 working days after acceptance" starts counting the day after (受理次日起算).
- ``between(start, end)``: working days in (start, end]; negative when ``end`` is before ``start``.
- ``latest_start_for(deadline, n)``: the latest day from which the n-th working day after it is on or
  before ``deadline``: for planning backwards from a target date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from jifen.policy.loader import policy_dir
from jifen.workdays.years import CALENDAR_DIR, Arrangements

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Day:
    date: date
    provisional: bool


@dataclass(frozen=True, slots=True)
class Count:
    working_days: int
    provisional: bool


class WorkdayCalendar:
    def __init__(self, calendar_dir: Path = CALENDAR_DIR) -> None:
        self.arrangements = Arrangements(calendar_dir)

    def is_workday(self, day: date) -> bool:
        return self.arrangements.year(day.year).is_workday(day)

    def is_provisional(self, day: date) -> bool:
        return self.arrangements.year(day.year).provisional

    def add(self, start: date, n: int) -> Day:
        """The n-th working day after ``start`` (``start`` itself never counts); ``date.max``, as an
        estimate, when that day would be past the last day a date can hold."""
        if n < 1:
            raise ValueError(f"N must be at least 1, got {n}")
        day, left, provisional = start, n, False
        while left:
            if day == date.max:
                return Day(day, provisional=True)
            day += _DAY
            year = self.arrangements.year(day.year)
            provisional = provisional or year.provisional
            if year.is_workday(day):
                left -= 1
        return Day(day, provisional)

    def between(self, start: date, end: date) -> Count:
        """Working days in (start, end]; the negative of (end, start] when ``end`` is earlier."""
        if end < start:
            back = self.between(end, start)
            return Count(-back.working_days, back.provisional)
        count, provisional, day = 0, False, start
        while day < end:
            day += _DAY
            year = self.arrangements.year(day.year)
            provisional = provisional or year.provisional
            count += year.is_workday(day)
        return Count(count, provisional)

    def latest_start_for(self, deadline: date, n: int) -> Day:
        """The latest day D with add(D, n) <= deadline: the day before the n-th working day counted
        back from ``deadline`` (itself included)."""
        if n < 1:
            raise ValueError(f"N must be at least 1, got {n}")
        day, left, provisional = deadline, n, False
        while True:
            year = self.arrangements.year(day.year)
            provisional = provisional or year.provisional
            left -= year.is_workday(day)
            if not left:
                return Day(day - _DAY, provisional)
            day -= _DAY

    def next_workday(self, day: date) -> date:
        """``day`` if it is a working day, else the next one (at most ``date.max``)."""
        while not self.is_workday(day) and day < date.max:
            day += _DAY
        return day

    def previous_workday(self, day: date) -> date:
        """``day`` if it is a working day, else the one before."""
        while not self.is_workday(day):
            day -= _DAY
        return day

    def official_years(self) -> list[int]:
        return self.arrangements.official_years()


def default_calendar() -> WorkdayCalendar:
    """Working days from the calendar files of the policy data in use (see ``policy_dir``)."""
    return _calendar_in(policy_dir() / "calendar")


@cache
def _calendar_in(folder: Path) -> WorkdayCalendar:
    return WorkdayCalendar(folder)


def add_working_days(start: date, n: int) -> Day:
    return default_calendar().add(start, n)


def working_days_between(start: date, end: date) -> Count:
    return default_calendar().between(start, end)


def latest_start_for(deadline: date, n: int) -> Day:
    return default_calendar().latest_start_for(deadline, n)
