"""Which days are worked in a year: official arrangements, in-repo overrides, or a flagged estimate.

The sources, in order:

1. ``policy/calendar/<year>.yaml``: the State Council notice for a year, typed in here when the
   ``chinesecalendar`` package does not know the year yet (see the README beside those files);
2. the ``chinesecalendar`` package: the official arrangements it ships (2004 to its latest year);
3. otherwise an estimate, flagged ``provisional``: weekends plus the statutory holidays of the
   《全国年节及纪念日放假办法》 as the ``holidays`` package computes them, with no make-up working days,
   since those are only known from the year's notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path

import chinese_calendar
import holidays

from jifen.policy.model import PolicyError
from jifen.yamlio import load_yaml

CALENDAR_DIR = Path(__file__).resolve().parent.parent / "policy" / "calendar"
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class YearArrangement:
    """The days of one year that differ from Monday-to-Friday work."""

    year: int
    days_off: frozenset[date]  # weekdays not worked (holidays and days swapped off)
    make_up_days: frozenset[date]  # weekend days worked (调休上班)
    source: str  # "override", "chinesecalendar" or "estimate"
    reference: str  # the notice or package the data comes from

    @property
    def provisional(self) -> bool:
        return self.source == "estimate"

    def is_workday(self, day: date) -> bool:
        if day.weekday() >= 5:
            return day in self.make_up_days
        return day not in self.days_off


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


def _estimate(year: int) -> YearArrangement:
    statutory = holidays.country_holidays("CN", years=year, observed=False)
    days_off = frozenset(d for d in statutory if d.weekday() < 5)
    return YearArrangement(
        year,
        days_off,
        frozenset(),
        "estimate",
        f"estimate: statutory holidays from holidays {_version('holidays')}, no make-up days",
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

    def year(self, year: int) -> YearArrangement:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._load(year)
        return found

    def _load(self, year: int) -> YearArrangement:
        path = self.calendar_dir / f"{year}.yaml"
        if path.exists():
            return _from_override(path, year)
        if year in self._package_years:
            return _from_package(year)
        return _estimate(year)

    def official_years(self) -> list[int]:
        """Years with official data, from the package or an override file."""
        overrides = {int(p.stem) for p in self.calendar_dir.glob("[0-9][0-9][0-9][0-9].yaml")}
        return sorted(set(self._package_years) | overrides)
