"""The holiday arrangement of a year with no State Council notice yet: an estimate, and what it is unsure of.

Each year the State Council's notice (国务院办公厅关于YYYY年部分节假日安排的通知) turns the statutory
holidays of the 《全国年节及纪念日放假办法》 into breaks, with weekdays swapped off (调休) against weekend
days worked (上班). Until it is out, jifen estimates it in three steps.

1. **The statutory days** come from the ``holidays`` package (``holidays.China(observed=False)``): 元旦,
   春节 (除夕 and 初一 to 初三 since 2025), 清明, 劳动节 (1-2 May since 2025), 端午, 中秋, 国庆 (1-3 October),
   with the lunar dates computed for the year. For a year without a notice the package knows no days
   swapped off, no weekend days worked (``weekend_workdays``) and no Golden Week spans: with
   ``observed=True`` it only moves a statutory day that falls on a weekend to the next weekday, so 国庆 2027
   would be 1 and 4-5 October off and 6-8 October worked, where the notices' pattern gives 1-7 October off.
   Its observed days serve as a cross-check (step 3).
2. **The breaks** follow the principles the notices state since 2025 (国办发明电〔2024〕12号: "春节自农历除夕
   起放假调休8天，国庆节自10月1日起放假调休7天，劳动节放假调休5天，元旦、清明节、端午节、中秋节分别放假
   调休或连休3天（如逢周三则只在当日放假），国庆节放假如逢中秋节则合并放假8天"), as the 2024-2026 notices
   applied them:

   - 春节: 8 days from the first statutory day (除夕);
   - 国庆: 7 days from 1 October; 8 when 中秋 falls between 29 September and 8 October, from the earlier of
     the two;
   - 劳动节: the 5 days around 1-2 May with the fewest weekdays, the one starting nearest 1 May on a tie;
   - 元旦, 清明, 端午, 中秋 (one day): on a Monday Saturday-Monday, Tuesday Sunday-Tuesday, Wednesday the day
     only, Thursday Thursday-Saturday, Friday Friday-Sunday, on a weekend Saturday-Monday.

   Every weekday in a break is off. The weekdays off beyond the statutory days (a statutory day on a weekend
   counts too: it is made up by a weekday off) are worked on weekend days: one on the last weekend before
   the break and one on the first weekend after it; a single one goes to the side whose run of working
   weekdays next to the break is shorter (before on a tie). On each side the weekend day next to a working
   weekday is taken (the Sunday before a break starting on a Tuesday, the Saturday before one starting on
   a Monday, the Saturday after one ending on a Wednesday, the Sunday after one ending on a Saturday); a
   weekend inside another break is passed over, and so is a day that would make someone work more than six
   days in a row ("法定节假日前后连续工作一般不超过6天").
3. **The uncertain days**: a day the notice could well arrange otherwise. They are

   - every estimated weekend day worked (the notice may put it elsewhere);
   - the working weekday just before and just after 春节, 劳动节 and 国庆 (a notice may make the break a day
     longer, as 2026's 春节 ran 9 days);
   - a weekday the ``holidays`` package's observed reading has off and the estimate works.

   The calendar never counts an uncertain day as a working day: a date counted forwards comes out later and
   a latest start counted backwards comes out earlier, never the other way (see ``counting``).

Measured against the official data, run for years that have a notice as if they had none
(``tests/test_workdays_estimate.py``):

- 2024, 2025, 2026: 0 days differ from the notices. The principles were read off these notices, so this
  is a regression check, not an independent test. Erring late costs 11-13 of their 248-251 working days
  a year, which are not counted (the make-up days and the days next to the long breaks).
- 2016-2023, arranged under the earlier law (春节 3 days, 劳动节 1) and without the six-day principle:
  2-12 days differ a year (10, 8, 12, 8, 2, 6, 8, 6), mostly where make-up weekends were put.
- 2016-2026: no day the calendar counts was off under the notice, so no counted date came out early.

The lunar festivals are only known for the years the ``holidays`` package computes (to 2100); beyond that the
estimate knows weekends and 元旦 only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import holidays

from jifen.policy.model import PolicyError
from jifen.yamlio import load_yaml

_DAY = timedelta(days=1)

# The holidays package's English names of the statutory festivals (its "Day off (substituted from …)" entries
# come from notices and are ignored here: an estimate must not depend on them).
_FESTIVALS = {
    "New Year's Day": "元旦",
    "Chinese New Year's Eve": "春节",
    "Chinese New Year (Spring Festival)": "春节",
    "Tomb-Sweeping Day": "清明",
    "Labor Day": "劳动节",
    "Dragon Boat Festival": "端午",
    "Mid-Autumn Festival": "中秋",
    "National Day": "国庆",
}
_ESTIMATED = " (estimated)"  # how the package labels a lunar date it computes rather than looks up
PRINCIPLES_FILE = Path(__file__).resolve().parent.parent / "policy" / "calendar" / "estimate.yaml"
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Principles:
    """How the notices turn statutory days into breaks (policy/calendar/estimate.yaml, with its source)."""

    long_breaks: dict[str, int]  # festival: days of its break
    merged_national_day: int  # 国庆 with 中秋
    merge_from: tuple[int, int]  # (month, day): 中秋 from here to merge_to joins 国庆
    merge_to: tuple[int, int]
    most_in_a_row: int  # working days in a row next to a break
    short_breaks: dict[int, tuple[int, int]]  # weekday (Monday = 0): (first, last) days from the festival


def load_principles(path: Path = PRINCIPLES_FILE) -> Principles:
    """Read and check the estimate's principles; raises PolicyError naming the key."""
    name = f"policy/calendar/{path.name}"
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise PolicyError(f"{name}: expected a mapping")
    expected = {"source", "long_breaks", "merged_national_day", "merge_window", "most_in_a_row", "short_breaks"}
    if set(data) != expected:
        raise PolicyError(f"{name}: expected the keys {', '.join(sorted(expected))}")
    try:
        window = data["merge_window"]
        merge = [tuple(int(part) for part in str(window[key]).split("-")) for key in ("from", "to")]
        short = {
            i: (int(data["short_breaks"][day][0]), int(data["short_breaks"][day][1])) for i, day in enumerate(_WEEKDAYS)
        }
        principles = Principles(
            long_breaks={str(k): int(v) for k, v in data["long_breaks"].items()},
            merged_national_day=int(data["merged_national_day"]),
            merge_from=(merge[0][0], merge[0][1]),
            merge_to=(merge[1][0], merge[1][1]),
            most_in_a_row=int(data["most_in_a_row"]),
            short_breaks=short,
        )
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise PolicyError(f"{name}: {exc!r}") from None
    if set(principles.long_breaks) != {"春节", "劳动节", "国庆"}:
        raise PolicyError(f"{name}: long_breaks: expected 春节, 劳动节 and 国庆")
    return principles


@cache
def default_principles() -> Principles:
    return load_principles()


@dataclass(frozen=True, slots=True)
class Estimate:
    """Days of one year that differ from Monday-to-Friday work, as estimated, and the days it is unsure of."""

    days_off: frozenset[date]  # weekdays off
    make_up_days: frozenset[date]  # weekend days worked
    uncertain: frozenset[date]  # make-up days and weekdays worked that a notice may well give off


@dataclass(frozen=True, slots=True)
class _Break:
    festival: str
    first: date
    last: date
    statutory: int  # statutory days, each a weekday off (on a weekend it is made up by one)

    def days(self) -> list[date]:
        return [self.first + _DAY * i for i in range((self.last - self.first).days + 1)]

    @property
    def weekdays(self) -> int:
        return sum(day.weekday() < 5 for day in self.days())


def statutory_days(year: int) -> dict[str, list[date]]:
    """The statutory holidays of ``year`` by festival, as the ``holidays`` package computes them."""
    table = holidays.country_holidays("CN", years=year, observed=False, language="en_US")
    found: dict[str, list[date]] = {}
    for day, names in sorted(table.items()):
        for name in names.split("; "):
            festival = _FESTIVALS.get(name.removesuffix(_ESTIMATED))
            if festival is not None:
                found.setdefault(festival, []).append(day)
    if not found:  # beyond the package's lunar calendar: 元旦 is still 1 January
        found["元旦"] = [date(year, 1, 1)]
    return found


def observed_days_off(year: int) -> frozenset[date]:
    """Weekdays off in the ``holidays`` package's observed reading (weekend statutory days moved on)."""
    table = holidays.country_holidays("CN", years=year, observed=True, language="en_US")
    return frozenset(day for day, name in table.items() if day.weekday() < 5 and not name.startswith("Day off"))


def estimate(year: int, principles: Principles | None = None) -> Estimate:
    """The arrangement of ``year`` by the method of this module's docstring; days of other years left out."""
    rules = principles or default_principles()
    return _restricted(_arrange(_breaks(year, rules), observed_days_off(year), rules), year)


def new_year_spill(year: int, principles: Principles | None = None) -> Estimate:
    """What the estimated 元旦 of ``year`` does to the days of the year before (a Tuesday 1 January takes the
    Monday before it off, made up on the Saturday before): for a year before it that has official data."""
    if year <= date.min.year:
        return Estimate(frozenset(), frozenset(), frozenset())
    rules = principles or default_principles()
    spill = _restricted(_arrange([_short("元旦", date(year, 1, 1), rules)], frozenset(), rules), year - 1)
    every = spill.days_off | spill.make_up_days
    return Estimate(spill.days_off, spill.make_up_days, spill.uncertain | every)


def _restricted(found: Estimate, year: int) -> Estimate:
    def keep(days: frozenset[date]) -> frozenset[date]:
        return frozenset(day for day in days if day.year == year)

    return Estimate(keep(found.days_off), keep(found.make_up_days), keep(found.uncertain))


def _breaks(year: int, rules: Principles) -> list[_Break]:
    festivals = statutory_days(year)
    mid_autumn = festivals.get("中秋", [])
    national = festivals.get("国庆", [])
    window = date(year, *rules.merge_from), date(year, *rules.merge_to)
    merged = bool(national and mid_autumn) and window[0] <= mid_autumn[0] <= window[1]
    found: list[_Break] = []
    for festival, days in festivals.items():
        if festival == "中秋" and merged:
            continue
        if festival == "国庆" and merged:
            days = sorted(days + mid_autumn)
            found.append(_from_first(festival, days, rules.merged_national_day))
        elif festival in ("春节", "国庆"):
            found.append(_from_first(festival, days, rules.long_breaks[festival]))
        elif festival == "劳动节":
            found.append(_fewest_weekdays(festival, days, rules.long_breaks[festival]))
        elif len(days) == 1:
            found.append(_short(festival, days[0], rules))
        else:
            found.append(_Break(festival, days[0], days[-1], len(days)))
    if year < date.max.year:
        found.append(_short("元旦", date(year + 1, 1, 1), rules))  # it may take days of this year off
    return sorted(found, key=lambda b: b.first)


def _from_first(festival: str, days: list[date], length: int) -> _Break:
    return _Break(festival, days[0], max(days[0] + _DAY * (length - 1), days[-1]), len(days))


def _fewest_weekdays(festival: str, days: list[date], length: int) -> _Break:
    spans = [
        _Break(festival, first, first + _DAY * (length - 1), len(days))
        for first in (days[-1] - _DAY * (length - 1 - i) for i in range(length - (days[-1] - days[0]).days))
    ]
    return min(spans, key=lambda b: (b.weekdays, abs((b.first - days[0]).days)))


def _short(festival: str, day: date, rules: Principles) -> _Break:
    before, after = rules.short_breaks[day.weekday()]
    try:
        return _Break(festival, day + _DAY * before, day + _DAY * after, 1)
    except OverflowError:  # the first or last days a date can hold
        return _Break(festival, day, day, 1)


def _arrange(breaks: list[_Break], observed: frozenset[date], rules: Principles) -> Estimate:
    off = {day for b in breaks for day in b.days()}
    make_up: set[date] = set()
    uncertain: set[date] = set()

    def worked(day: date) -> bool:
        return day.weekday() < 5 and day not in off

    for b in breaks:
        weekdays = b.weekdays
        while weekdays < b.statutory:  # not met by the usual break: carry the break on (never seen in a notice)
            b = _Break(b.festival, b.first, b.last + _DAY, b.statutory)
            off.add(b.last)
            weekdays = b.weekdays
        needed = weekdays - b.statutory
        if b.festival in rules.long_breaks:
            uncertain.update(day for day in (b.first - _DAY, b.last + _DAY) if worked(day))
        if not needed:
            continue
        before, after = _side(b.first, -_DAY, worked, off | make_up), _side(b.last, _DAY, worked, off | make_up)
        if needed == 1:
            sides = [before if before[0] <= after[0] else after]
        else:
            shorter = before if before[0] <= after[0] else after
            sides = [before, after] + [shorter] * (needed - 2)
        for _, candidates in sides:
            free = [c for c in candidates if c not in make_up]
            make_up.add(next((c for c in free if _run(c, worked, make_up) <= rules.most_in_a_row), free[0]))
    uncertain |= make_up
    uncertain.update(day for day in observed if worked(day))
    weekdays_off = frozenset(day for day in off if day.weekday() < 5)
    return Estimate(weekdays_off, frozenset(make_up), frozenset(uncertain))


def _run(day: date, worked: Callable[[date], bool], make_up: set[date]) -> int:
    """How many days in a row would be worked around ``day`` if it were worked too."""
    count = 1
    for step in (-_DAY, _DAY):
        other = day + step
        while other in make_up or worked(other):
            count += 1
            other += step
    return count


def _side(edge: date, step: timedelta, worked: Callable[[date], bool], taken: set[date]) -> tuple[int, list[date]]:
    """The run of working weekdays next to a break on one side, and the weekend days to work on that side,
    best first: of the first free weekend, the day next to a working weekday; then the rest, outwards."""
    run, day = 0, edge + step
    while worked(day):
        run += 1
        day += step
    candidates: list[date] = []
    while len(candidates) < 4:
        while day.weekday() < 5 or day in taken:  # past working weekdays and other breaks
            day += step
        block = [day]
        if (day + step).weekday() >= 5 and day + step not in taken:
            block.append(day + step)
        far = block[-1]
        if not worked(day - step):
            block.reverse()  # nothing worked on the break's side: the far day touches the next working week
        candidates.extend(block)
        day = far + step
    return run, candidates
