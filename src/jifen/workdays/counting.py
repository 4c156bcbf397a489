"""Counting working days forwards and backwards, with the interval ends written down and tested.

- ``add(start, n)``: the n-th working day after ``start`` (n >= 1); ``start`` never counts, as a
  deadline "within 20 working days after acceptance" starts counting the day after (受理次日起算).
- ``between(start, end)``: working days in (start, end]; ``end`` before ``start`` is refused.
- ``working_days_left(today, deadline)``: ``between(today, deadline)``, or minus the working days in
  (deadline, today] once the deadline has passed: for a deadline's countdown.
- ``latest_start_for(deadline, n)``: the latest day from which the n-th working day after it is on or
  before ``deadline``: for planning backwards from a target date.

Over an estimated year, only days that are sure to be worked count (``YearArrangement.counts``): an
uncertain day (an estimated make-up weekend day, or a weekday the notice may well give off) never counts.
So ``add`` errs late, ``latest_start_for`` errs early, and ``between`` gives the working days one can be
sure of (a lower bound), which keeps ``between(start, add(start, n).date) == n``. ``next_workday`` and
``previous_workday`` skip uncertain days too. ``is_workday`` alone gives the estimate's best reading.
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
        """The best reading of ``day``: for an estimated year, whether the estimate works it, sure or not."""
        return self.arrangements.year(day.year).is_workday(day)

    def counts(self, day: date) -> bool:
        """Whether counting takes ``day`` as a working day: a working day that is not uncertain."""
        return self.arrangements.year(day.year).counts(day)

    def is_provisional(self, day: date) -> bool:
        return self.arrangements.year(day.year).is_provisional(day)

    def add(self, start: date, n: int) -> Day:
        """The n-th working day after ``start`` (``start`` itself never counts); ``date.max``, as an
        estimate, when that day would be past the last day a date can hold."""
        if n < 1:
            raise ValueError(f"N must be at least 1, got {n}")
        day, left, provisional, year = start, n, False, self.arrangements.year(start.year)
        while left:
            if day == date.max:
                return Day(day, provisional=True)
            day += _DAY
            if day.year != year.year:
                year = self.arrangements.year(day.year)
            counts, unsure = year.status(day)
            left -= counts
            provisional = provisional or unsure
        return Day(day, provisional)

    def between(self, start: date, end: date) -> Count:
        """Working days in (start, end]; ``end`` before ``start`` is refused (``working_days_left`` counts
        past a deadline)."""
        if end < start:
            raise ValueError(f"end {end} is before start {start}")
        count, provisional, day, year = 0, False, start, self.arrangements.year(start.year)
        while day < end:
            day += _DAY
            if day.year != year.year:
                year = self.arrangements.year(day.year)
            counts, unsure = year.status(day)
            count += counts
            provisional = provisional or unsure
        return Count(count, provisional)

    def working_days_left(self, today: date, deadline: date) -> Count:
        """The working days left before ``deadline``: ``between(today, deadline)``; once it has passed, minus
        the working days in (deadline, today] (-1 the working day after a deadline)."""
        if deadline < today:
            past = self.between(deadline, today)
            return Count(-past.working_days, past.provisional)
        return self.between(today, deadline)

    def latest_start_for(self, deadline: date, n: int) -> Day:
        """The latest day D with add(D, n) <= deadline: the day before the n-th working day counted
        back from ``deadline`` (itself included)."""
        if n < 1:
            raise ValueError(f"N must be at least 1, got {n}")
        day, left, provisional, year = deadline, n, False, self.arrangements.year(deadline.year)
        while True:
            if day.year != year.year:
                year = self.arrangements.year(day.year)
            counts, unsure = year.status(day)
            left -= counts
            provisional = provisional or unsure
            if not left:
                return Day(day - _DAY, provisional)
            day -= _DAY

    def next_workday(self, day: date) -> date:
        """``day`` if it counts as a working day, else the next one that does (at most ``date.max``)."""
        while not self.counts(day) and day < date.max:
            day += _DAY
        return day

    def previous_workday(self, day: date) -> date:
        """``day`` if it counts as a working day, else the one before that does."""
        while not self.counts(day):
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
