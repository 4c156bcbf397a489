"""Estimated years (no State Council notice yet): the arrangement, the uncertain days, and how the estimate
compares with the notices when run as if they were not out (jifen.workdays.estimate)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jifen.workdays import Day, WorkdayCalendar, default_calendar
from jifen.workdays.estimate import estimate, observed_days_off

DAY = timedelta(days=1)


def d(text: str) -> date:
    return date.fromisoformat(text)


def days(*texts: str) -> frozenset[date]:
    return frozenset(d(text) for text in texts)


def span(first: str, last: str) -> set[date]:
    out, day = set(), d(first)
    while day <= d(last):
        out.add(day)
        day += DAY
    return out


def weekdays(first: str, last: str) -> set[date]:
    return {day for day in span(first, last) if day.weekday() < 5}


class TestThe2027Estimate:
    """chinesecalendar 1.11 knows 2004-2026; 2027 is estimated."""

    arrangement = default_calendar().arrangements.year(2027)

    def test_it_is_an_estimate(self) -> None:
        assert (self.arrangement.source, self.arrangement.provisional) == ("estimate", True)

    def test_the_breaks(self) -> None:
        assert self.arrangement.days_off == frozenset(
            weekdays("2027-01-01", "2027-01-03")  # 元旦, Friday-Sunday
            | weekdays("2027-02-05", "2027-02-12")  # 春节: 8 days from 除夕 (Friday 02-05)
            | weekdays("2027-04-03", "2027-04-05")  # 清明 on a Monday: Saturday-Monday
            | weekdays("2027-05-01", "2027-05-05")  # 劳动节: 5 days from Saturday 05-01
            | {d("2027-06-09"), d("2027-09-15")}  # 端午 and 中秋 on a Wednesday: the day only
            | weekdays("2027-10-01", "2027-10-07")  # 国庆: 7 days from 10-01 (a Friday)
        )

    def test_the_weekend_days_worked(self) -> None:
        # 春节: Sunday before, Sunday after (the break ends on a Friday); 劳动节: one, on the side with the
        # shorter run of working days (after: Thursday-Friday); 国庆: Sunday before, Saturday after.
        assert self.arrangement.make_up_days == days(
            "2027-01-31", "2027-02-14", "2027-05-08", "2027-09-26", "2027-10-09"
        )

    def test_the_uncertain_days(self) -> None:
        # the make-up days, and the working weekday on either side of 春节, 劳动节 and 国庆
        assert self.arrangement.uncertain == self.arrangement.make_up_days | days(
            "2027-02-04", "2027-04-30", "2027-05-06", "2027-09-30", "2027-10-08"
        )

    def test_the_statutory_13_days(self) -> None:
        assert len(self.arrangement.days_off) - len(self.arrangement.make_up_days) == 13


class TestCountingOverAnEstimate:
    calendar = default_calendar()

    def test_20_working_days_across_national_day_2027(self) -> None:
        # Counted: 09-21..24, 09-27..29, 10-11..15, 10-18..22, 10-25..27. Not counted: 09-26 (Sunday) and
        # 10-09 (Saturday), estimated to be worked, and 09-30 and 10-08, which a notice may give off. The
        # estimate's best reading gives 2027-10-21; without days swapped off it was 2027-10-19.
        assert self.calendar.add(d("2027-09-20"), 20) == Day(d("2027-10-27"), provisional=True)

    def test_20_working_days_across_the_spring_festival_2027(self) -> None:
        # Counted: 01-26..29, 02-01..03, 02-15..19, 02-22..26, 03-01..03. Not counted: 01-31 and 02-14
        # (Sundays estimated to be worked) and 02-04, the day before 除夕.
        assert self.calendar.add(d("2027-01-25"), 20) == Day(d("2027-03-03"), provisional=True)

    def test_national_day_2027_counts_no_working_day(self) -> None:
        # (09-29, 10-08]: 09-30 and 10-08 are uncertain, 10-01..10-07 off. The estimate without swapped days
        # counted 5 here (10-04..10-08).
        assert self.calendar.between(d("2027-09-29"), d("2027-10-08")).working_days == 0
        assert self.calendar.add(d("2027-09-29"), 1).date == d("2027-10-11")

    def test_add_errs_late(self) -> None:
        # 2027-01-29 (Friday) + 1: Sunday 01-31 is estimated to be worked, but the date comes out Monday.
        assert self.calendar.is_workday(d("2027-01-31")) is True
        assert self.calendar.add(d("2027-01-29"), 1).date == d("2027-02-01")
        # 2027-02-03 + 1: Thursday 02-04 may be given off: the next sure working day is Monday 02-15.
        assert self.calendar.is_workday(d("2027-02-04")) is True
        assert self.calendar.add(d("2027-02-03"), 1).date == d("2027-02-15")

    def test_latest_start_errs_early(self) -> None:
        # One working day before 2027-10-08: Friday 10-08 and Thursday 09-30 are uncertain, so the last sure
        # working day is 09-29 and the latest start 09-28 (the best reading would say 10-07).
        assert self.calendar.latest_start_for(d("2027-10-08"), 1) == Day(d("2027-09-28"), provisional=True)
        assert self.calendar.latest_start_for(d("2027-03-05"), 20) == Day(d("2027-01-27"), provisional=True)

    def test_next_and_previous_working_day_skip_uncertain_days(self) -> None:
        assert self.calendar.next_workday(d("2027-10-08")) == d("2027-10-11")
        assert self.calendar.previous_workday(d("2027-10-09")) == d("2027-09-29")


def best_reading_add(calendar: WorkdayCalendar, start: date, n: int) -> date:
    """``add`` counting every day the estimate works, sure or not."""
    day = start
    while n:
        day += DAY
        n -= calendar.is_workday(day)
    return day


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2026, 12, 1), date(2030, 12, 31)), st.integers(1, 40))
def test_the_conservative_way_is_never_earlier_than_the_best_reading(start: date, n: int) -> None:
    calendar = default_calendar()
    found = calendar.add(start, n).date
    assert found >= best_reading_add(calendar, start, n)
    assert calendar.between(start, found).working_days == n
    latest = calendar.latest_start_for(found, n).date
    assert latest >= start and calendar.add(latest, n).date <= found
    assert calendar.add(latest + DAY, n).date > found


# The estimate run for years that have a notice, as if they had none, against the notice (chinesecalendar).
# The method's principles are those the notices have stated since 2025, read off the 2024-2026 notices: a
# regression check there, not an independent one. 2016-2023 were arranged under the earlier law (春节 3
# days, 劳动节 1) and without the six-day principle; they are here for scale.
DIFFERING_DAYS = {2024: 0, 2025: 0, 2026: 0}
DIFFERING_DAYS_BOUND = 2  # for the years the current principles apply to
EARLIER_LAW_BOUND = 12  # 2016-2023 differ on 2-12 days, mostly where the make-up weekends were put


def compared(year: int) -> tuple[set[date], set[date], int]:
    """Days the estimate's best reading gets wrong; days counted that the notice did not work; working days
    of the notice not counted (the cost of erring late)."""
    found = estimate(year)
    wrong, counted_off, not_counted = set(), set(), 0
    for day in span(f"{year}-01-01", f"{year}-12-31"):
        best = day in found.make_up_days if day.weekday() >= 5 else day not in found.days_off
        counts = best and day not in found.uncertain
        worked = chinese_calendar.is_workday(day)
        if best is not worked:
            wrong.add(day)
        if counts and not worked:
            counted_off.add(day)
        not_counted += worked and not counts
    return wrong, counted_off, not_counted


@pytest.mark.parametrize(("year", "differing"), DIFFERING_DAYS.items())
def test_the_estimate_against_the_notices_of_2024_to_2026(year: int, differing: int) -> None:
    wrong, counted_off, not_counted = compared(year)
    assert len(wrong) == differing <= DIFFERING_DAYS_BOUND, sorted(wrong)
    assert counted_off == set()  # erring late: no day counted that the notice gave off
    assert not_counted <= 13  # the price: make-up days and the days next to the long breaks (11-13 a year)


@pytest.mark.parametrize("year", range(2016, 2024))
def test_the_estimate_against_the_notices_under_the_earlier_law(year: int) -> None:
    wrong, counted_off, _ = compared(year)
    assert len(wrong) <= EARLIER_LAW_BOUND, sorted(wrong)
    assert counted_off == set(), sorted(counted_off)


@pytest.mark.parametrize("year", range(2027, 2041))
def test_every_estimated_year_keeps_the_law(year: int) -> None:
    found = estimate(year)
    assert all(day.weekday() < 5 for day in found.days_off)
    assert all(day.weekday() >= 5 for day in found.make_up_days)
    assert found.make_up_days <= found.uncertain
    assert not found.uncertain & found.days_off
    # 13 statutory days since 2025 (a 元旦 on a Tuesday swaps a day of the year before: it nets out)
    assert len(found.days_off) - len(found.make_up_days) == 13
    # the holidays package's observed days off are off, or uncertain
    assert observed_days_off(year) <= found.days_off | found.uncertain
    # no one works more than six days in a row, counting the estimated make-up days
    run = 0
    for day in sorted(span(f"{year}-01-01", f"{year}-12-31")):
        worked = day in found.make_up_days if day.weekday() >= 5 else day not in found.days_off
        run = run + 1 if worked else 0
        assert run <= 6, day


class TestTheLastDaysOfAnOfficialYear:
    """1 January 2030 is a Tuesday: the estimate takes Monday 2029-12-31 off, worked on Saturday 12-29."""

    def calendar(self, tmp_path: Path) -> WorkdayCalendar:
        (tmp_path / "2029.yaml").write_text(
            "year: 2029\n"
            "notice: {title: 国务院办公厅关于2029年部分节假日安排的通知（test）, href: 'https://example.invalid/2029',\n"
            "         published: '2028-11-01'}\n"
            "holidays: []\n"
            "make_up_days: []\n",
            encoding="utf-8",
        )
        return WorkdayCalendar(tmp_path)

    def test_they_are_uncertain_when_the_next_year_is_estimated(self, tmp_path: Path) -> None:
        calendar = self.calendar(tmp_path)
        assert calendar.arrangements.year(2029).source == "override"
        assert (calendar.is_workday(d("2029-12-31")), calendar.is_provisional(d("2029-12-31"))) == (False, True)
        assert (calendar.is_workday(d("2029-12-29")), calendar.counts(d("2029-12-29"))) == (True, False)
        assert calendar.is_provisional(d("2029-12-28")) is False
        assert calendar.add(d("2029-12-27"), 1) == Day(d("2029-12-28"), provisional=False)
        assert calendar.add(d("2029-12-28"), 1) == Day(d("2030-01-02"), provisional=True)

    def test_an_estimated_year_takes_them_from_the_next_one(self) -> None:
        assert d("2029-12-31") in estimate(2029).days_off
        assert d("2029-12-29") in estimate(2029).make_up_days
        assert d("2030-01-01") in estimate(2030).days_off


class TestThePrinciplesAreData:
    """The break lengths and the rest live in policy/calendar/estimate.yaml, with their source."""

    def test_a_longer_spring_festival_in_the_data_takes_the_next_monday_off(self, tmp_path: Path) -> None:
        from dataclasses import replace as changed

        from jifen.workdays.estimate import default_principles

        usual = default_principles()
        # 除夕 2027 is Friday 5 February: 8 days end on Friday the 12th, 11 days on Monday the 15th
        longer = changed(usual, long_breaks={**usual.long_breaks, "春节": 11})
        assert d("2027-02-12") in estimate(2027, usual).days_off
        assert d("2027-02-15") not in estimate(2027, usual).days_off
        assert d("2027-02-15") in estimate(2027, longer).days_off

    def test_an_unknown_key_is_refused_by_name(self, tmp_path: Path) -> None:
        from jifen.policy.model import PolicyError
        from jifen.workdays.estimate import PRINCIPLES_FILE, load_principles

        path = tmp_path / "estimate.yaml"
        path.write_text(PRINCIPLES_FILE.read_text(encoding="utf-8") + "extra: 1\n", encoding="utf-8")
        with pytest.raises(PolicyError, match=r"policy/calendar/estimate\.yaml: expected the keys"):
            load_principles(path)
