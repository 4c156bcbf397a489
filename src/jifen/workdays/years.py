"""Which days are worked in a year: official arrangements, in-repo overrides, or a flagged estimate.

The sources, in order:

1. ``policy/calendar/<year>.yaml``: the State Council notice for a year, typed in here when the
   ``chinesecalendar`` package does not know the year yet (see the README beside those files);
2. the ``chinesecalendar`` package: the official arrangements it ships (2004 to its latest year);
3. otherwise an estimate, flagged ``provisional``: the statutory holidays of the
   《全国年节及纪念日放假办法》 as the ``holidays`` package computes them, arranged into breaks with days
   swapped off and weekend days worked as the notices have done since 2025 (``jifen.workdays.estimate``
   gives the method and how it compares with the 2024-2026 notices).

An estimated year also knows the days it is unsure of (``YearArrangement.uncertain``): every estimated
weekend day worked, and the weekdays worked that a notice may well give off. Counting never takes them as
working days (``YearArrangement.counts``), so a date counted over an estimate errs late. An official year
followed by an estimated one gets the few days the estimated 元旦 may take from its last week (1 January on a
Tuesday), as uncertain days.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path

import chinese_calendar

from jifen.policy.model import PolicyError
from jifen.workdays.estimate import PRINCIPLES_FILE, Principles, estimate, load_principles, new_year_spill
from jifen.yamlio import load_yaml

CALENDAR_DIR = Path(__file__).resolve().parent.parent / "policy" / "calendar"
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class YearArrangement:
    """The days of one year that differ from Monday-to-Friday work, and the days that are not sure."""

    year: int
    days_off: frozenset[date]  # weekdays not worked (holidays and days swapped off)
    make_up_days: frozenset[date]  # weekend days worked (调休上班)
    source: str  # "override", "chinesecalendar" or "estimate"
    reference: str  # the notice or package the data comes from
    # Days an estimate is unsure of: estimated make-up days, and weekdays it works that a notice may well give
    # off. Never counted as working days; empty for a year with official data but for its last days when the
    # next year is estimated.
    uncertain: frozenset[date] = frozenset()

    @property
    def provisional(self) -> bool:
        """The year as a whole is an estimate."""
        return self.source == "estimate"

    def is_provisional(self, day: date) -> bool:
        """What is known of ``day`` is an estimate."""
        return self.provisional or day in self.uncertain

    def is_workday(self, day: date) -> bool:
        """The best reading: for an estimate, whether the estimate works ``day``, sure or not."""
        if day.weekday() >= 5:
            return day in self.make_up_days
        return day not in self.days_off

    def counts(self, day: date) -> bool:
        """Whether ``day`` counts as a working day: a working day that is not uncertain."""
        return day not in self.uncertain and self.is_workday(day)

    def status(self, day: date) -> tuple[bool, bool]:
        """``(counts(day), is_provisional(day))`` in one look, for the counting loops."""
        if day in self.uncertain:
            return False, True
        if day.weekday() >= 5:
            return day in self.make_up_days, self.source == "estimate"
        return day not in self.days_off, self.source == "estimate"


def _official_years() -> range:
    """The years the installed chinesecalendar has official data for (it refuses any other)."""
    known = chinese_calendar.constants.holidays
    return range(min(known).year, max(known).year + 1)


def _from_package(year: int) -> YearArrangement:
    days_off, make_up = set(), set()
    day = date(year, 1, 1)
    while day.year == year:
        worked = chinese_calendar.is_workday(day)
        if day.weekday() < 5 and not worked:
            days_off.add(day)
        elif day.weekday() >= 5 and worked:
            make_up.add(day)
        day += _DAY
    return YearArrangement(
        year,
        frozenset(days_off),
        frozenset(make_up),
        "chinesecalendar",
        f"chinesecalendar {_version('chinesecalendar')}",
    )


def _estimate(year: int, principles: Principles) -> YearArrangement:
    found = estimate(year, principles)
    return YearArrangement(
        year,
        found.days_off,
        found.make_up_days,
        "estimate",
        f"estimate: statutory holidays from holidays {_version('holidays')}, arranged as the notices since 2025 "
        "do (jifen.workdays.estimate)",
        found.uncertain,
    )


def _with_spill(official: YearArrangement, principles: Principles) -> YearArrangement:
    """``official`` with what the next year's estimated 元旦 may do to its last days, as uncertain days."""
    spill = new_year_spill(official.year + 1, principles)
    if not spill.uncertain:
        return official
    return replace(
        official,
        days_off=official.days_off | spill.days_off,
        make_up_days=official.make_up_days | spill.make_up_days,
        uncertain=official.uncertain | spill.uncertain,
    )


def _from_override(path: Path, year: int) -> YearArrangement:
    name = f"policy/calendar/{path.name}"
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise PolicyError(f"{name}: expected a mapping")
    allowed = {"year", "notice", "holidays", "make_up_days"}
    for key in data:
        if key not in allowed:
            raise PolicyError(f"{name}: {key}: unknown key")
    for key in allowed:
        if key not in data:
            raise PolicyError(f"{name}: {key}: missing")
    if data["year"] != year:
        raise PolicyError(f"{name}: year: {data['year']!r} does not match the file name")
    notice = data["notice"]
    if not isinstance(notice, dict) or set(notice) != {"title", "href", "published"}:
        raise PolicyError(f"{name}: notice: expected title, href and published")
    days_off: set[date] = set()
    for i, block in enumerate(data["holidays"] or []):
        if not isinstance(block, dict) or set(block) != {"name", "from", "to"}:
            raise PolicyError(f"{name}: holidays[{i}]: expected name, from and to")
        start, end = (
            _date(name, f"holidays[{i}].from", block["from"], year),
            _date(name, f"holidays[{i}].to", block["to"], None),
        )
        if end < start:
            raise PolicyError(f"{name}: holidays[{i}].to: {end} is before from {start}")
        day = start
        while day <= end:
            if day.weekday() < 5:
                days_off.add(day)
            day += _DAY
    make_up: set[date] = set()
    for i, raw in enumerate(data["make_up_days"] or []):
        day = _date(name, f"make_up_days[{i}]", raw, year)
        if day.weekday() < 5:
            raise PolicyError(f"{name}: make_up_days[{i}]: {day} is a weekday, not a weekend day worked")
        make_up.add(day)
    return YearArrangement(year, frozenset(days_off), frozenset(make_up), "override", str(notice["href"]))


def _date(name: str, key: str, raw: object, year: int | None) -> date:
    try:
        day = date.fromisoformat(str(raw))
    except ValueError:
        raise PolicyError(f"{name}: {key}: expected a date YYYY-MM-DD, got {raw!r}") from None
    if year is not None and day.year != year:
        raise PolicyError(f"{name}: {key}: {day} is not in {year}")
    return day


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


class Arrangements:
    """Year arrangements from the three sources, loaded once per year."""

    def __init__(self, calendar_dir: Path = CALENDAR_DIR) -> None:
        self.calendar_dir = calendar_dir
        self._years: dict[int, YearArrangement] = {}
        self._package_years = _official_years()
        principles = calendar_dir / PRINCIPLES_FILE.name  # how this folder's policy estimates unknown years
        self._principles = load_principles(principles if principles.exists() else PRINCIPLES_FILE)

    def year(self, year: int) -> YearArrangement:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._load(year)
        return found

    def _load(self, year: int) -> YearArrangement:
        if not self._is_official(year):
            return _estimate(year, self._principles)
        path = self.calendar_dir / f"{year}.yaml"
        found = _from_override(path, year) if path.exists() else _from_package(year)
        if year < date.max.year and not self._is_official(year + 1):
            return _with_spill(found, self._principles)
        return found

    def _is_official(self, year: int) -> bool:
        return year in self._package_years or (self.calendar_dir / f"{year}.yaml").exists()

    def official_years(self) -> list[int]:
        """Years with official data, from the package or an override file."""
        overrides = {int(p.stem) for p in self.calendar_dir.glob("[0-9][0-9][0-9][0-9].yaml")}
        return sorted(set(self._package_years) | overrides)
