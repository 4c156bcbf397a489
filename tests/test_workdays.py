"""Working days with 调休: every holiday and make-up day of 2024-2026, the interval rules, estimates."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jifen.cli.main import app
from jifen.policy.model import PolicyError
from jifen.workdays import (
    Count,
    WorkdayCalendar,
    add_working_days,
    default_calendar,
    latest_start_for,
    working_days_between,
)
from jifen.workdays.coverage import check_coverage

DAY = timedelta(days=1)


def d(text: str) -> date:
    return date.fromisoformat(text)


def span(first: str, last: str) -> set[date]:
    out, day = set(), d(first)
    while day <= d(last):
        out.add(day)
        day += DAY
    return out


# The State Council notices, as research.md section 6 lists them.
# 2024: 国办发明电〔2023〕7号, http://www.xasb168.com/info/1001/1033.htm
# 2025: 国办发明电〔2024〕12号, https://big5.cctv.com/gate/big5/news.cctv.cn/2024/11/12/ARTIpdPD9BFgB4TnLNXKtCgc241112.shtml
# 2026: 2025-11-04, https://politics.gmw.cn/2025-11/04/content_38391083.htm
DAYS_OFF = {
    2024: span("2024-01-01", "2024-01-01")
    | span("2024-02-10", "2024-02-17")
    | span("2024-04-04", "2024-04-06")
    | span("2024-05-01", "2024-05-05")
    | span("2024-06-10", "2024-06-10")
    | span("2024-09-15", "2024-09-17")
    | span("2024-10-01", "2024-10-07"),
    2025: span("2025-01-01", "2025-01-01")
    | span("2025-01-28", "2025-02-04")
    | span("2025-04-04", "2025-04-06")
    | span("2025-05-01", "2025-05-05")
    | span("2025-05-31", "2025-06-02")
    | span("2025-10-01", "2025-10-08"),
    2026: span("2026-01-01", "2026-01-03")
    | span("2026-02-15", "2026-02-23")
    | span("2026-04-04", "2026-04-06")
    | span("2026-05-01", "2026-05-05")
    | span("2026-06-19", "2026-06-21")
    | span("2026-09-25", "2026-09-27")
    | span("2026-10-01", "2026-10-07"),
}
MAKE_UP_DAYS = {
    2024: {
        d("2024-02-04"),
        d("2024-02-18"),
        d("2024-04-07"),
        d("2024-04-28"),
        d("2024-05-11"),
        d("2024-09-14"),
        d("2024-09-29"),
        d("2024-10-12"),
    },
    2025: {d("2025-01-26"), d("2025-02-08"), d("2025-04-27"), d("2025-09-28"), d("2025-10-11")},
    2026: {d("2026-01-04"), d("2026-02-14"), d("2026-02-28"), d("2026-05-09"), d("2026-09-20"), d("2026-10-10")},
}
WORKING_DAYS_IN_YEAR = {2024: 251, 2025: 248, 2026: 248}


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_day_of_the_year_follows_the_notice(year: int) -> None:
    calendar = default_calendar()
    for day in span(f"{year}-01-01", f"{year}-12-31"):
        expected = day in MAKE_UP_DAYS[year] or (day.weekday() < 5 and day not in DAYS_OFF[year])
        assert calendar.is_workday(day) is expected, day
        assert calendar.is_provisional(day) is False


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_make_up_days_are_weekend_days(year: int) -> None:
    assert all(day.weekday() >= 5 for day in MAKE_UP_DAYS[year])


@pytest.mark.parametrize(("year", "count"), WORKING_DAYS_IN_YEAR.items())
def test_working_days_in_a_year(year: int, count: int) -> None:
    assert working_days_between(date(year - 1, 12, 31), date(year, 12, 31)).working_days == count


# Saturday 2005-12-31 was worked under the 2006 notice; chinesecalendar files that notice under 2006
# only. Long before the points scheme (2018 on), so left as it is.
KNOWN_DIFFERENCES = {d("2005-12-31")}


def test_every_official_year_agrees_with_the_holidays_package() -> None:
    calendar = default_calendar()
    years = calendar.official_years()
    assert years[0] <= 2018 and years[-1] >= 2026
    differences = set()
    for year in years:
        other = holidays.country_holidays("CN", years=year)
        for day in span(f"{year}-01-01", f"{year}-12-31"):
            theirs = (day.weekday() < 5 and day not in other) or day in other.weekend_workdays
            if calendar.is_workday(day) is not theirs:
                differences.add(day)
    assert differences == KNOWN_DIFFERENCES


@pytest.mark.parametrize(
    ("year", "statutory"),
    [(2018, 11), (2019, 11), (2021, 11), (2022, 11), (2023, 11), (2024, 11), (2025, 13), (2026, 13)],
)
def test_weekday_days_off_minus_make_up_days_equal_the_statutory_count(year: int, statutory: int) -> None:
    # 《全国年节及纪念日放假办法》: 11 days until 2024, 13 from 2025. 2020's Spring Festival was extended
    # for the epidemic, so 2020 is left out.
    arrangement = default_calendar().arrangements.year(year)
    assert len(arrangement.days_off) - len(arrangement.make_up_days) == statutory


class TestCounting:
    def test_start_never_counts(self) -> None:
        assert add_working_days(d("2026-11-23"), 1).date == d("2026-11-24")  # Monday -> Tuesday
        assert add_working_days(d("2026-11-27"), 1).date == d("2026-11-30")  # Friday -> Monday

    def test_start_on_a_holiday(self) -> None:
        # 2026-09-25 is 中秋 (a Friday off); the 15th working day after it skips National Day.
        assert add_working_days(d("2026-09-25"), 15) == add_working_days(d("2026-09-27"), 15)
        assert add_working_days(d("2026-09-25"), 15).date == d("2026-10-22")

    def test_across_national_day_with_its_make_up_saturday(self) -> None:
        # 2026-09-30 (Wed) + 1 = 2026-10-08 (Thu): 10-01..10-07 off. 10-10 (Sat) is worked.
        assert add_working_days(d("2026-09-30"), 1).date == d("2026-10-08")
        assert add_working_days(d("2026-10-09"), 1).date == d("2026-10-10")
        assert working_days_between(d("2026-09-30"), d("2026-10-10")).working_days == 3

    def test_across_the_spring_festival(self) -> None:
        # 2026-02-13 (Fri); 02-14 (Sat) worked; 02-15..02-23 off; 02-28 (Sat) worked.
        assert add_working_days(d("2026-02-13"), 1).date == d("2026-02-14")
        assert add_working_days(d("2026-02-13"), 2).date == d("2026-02-24")
        assert working_days_between(d("2026-02-13"), d("2026-02-28")).working_days == 6

    def test_the_statutory_20_days_after_acceptance_across_national_day(self) -> None:
        assert add_working_days(d("2026-09-18"), 20).date == d("2026-10-22")

    def test_between_counts_start_exclusive_end_inclusive(self) -> None:
        assert working_days_between(d("2026-11-23"), d("2026-11-23")).working_days == 0
        assert working_days_between(d("2026-11-23"), d("2026-11-24")).working_days == 1

    def test_between_refuses_an_end_before_the_start(self) -> None:
        with pytest.raises(ValueError, match=r"^end 2026-11-23 is before start 2026-11-24$"):
            working_days_between(d("2026-11-24"), d("2026-11-23"))

    def test_the_working_days_left_go_negative_past_the_deadline(self) -> None:
        # a deadline's countdown (the reviewer's queue, jifen tick, 补正): (today, deadline], then minus
        # (deadline, today]. 2026-12-25 is a Friday.
        calendar = default_calendar()
        assert calendar.working_days_left(d("2026-12-22"), d("2026-12-25")).working_days == 3
        assert calendar.working_days_left(d("2026-12-25"), d("2026-12-25")).working_days == 0
        assert calendar.working_days_left(d("2026-12-27"), d("2026-12-25")).working_days == 0  # the weekend after
        assert calendar.working_days_left(d("2026-12-29"), d("2026-12-25")).working_days == -2
        assert calendar.working_days_left(d("2027-01-05"), d("2026-12-25")) == Count(-6, provisional=True)

    def test_a_year_without_official_data_is_an_estimate(self) -> None:
        day = add_working_days(d("2026-12-25"), 10)
        assert day.provisional is True
        assert working_days_between(d("2026-12-01"), d("2026-12-31")).provisional is False
        assert working_days_between(d("2026-12-01"), d("2027-01-01")).provisional is True

    def test_the_estimate_swaps_days_off_and_counts_no_uncertain_day(self) -> None:
        # tests/test_workdays_estimate.py has the method; here what the calendar makes of it.
        calendar = default_calendar()
        assert calendar.is_workday(d("2027-01-01")) is False  # 元旦, a Friday
        assert calendar.is_workday(d("2027-02-05")) is False  # 除夕, a Friday
        assert calendar.is_workday(d("2027-02-09")) is False  # swapped off, as the notices since 2025 do
        assert calendar.is_workday(d("2027-02-13")) is False  # a Saturday
        assert calendar.is_workday(d("2027-02-14")) is True  # the Sunday estimated to be worked for it...
        assert calendar.counts(d("2027-02-14")) is False  # ...is not sure, so it never counts
        assert calendar.counts(d("2027-02-15")) is True
        assert calendar.is_provisional(d("2027-06-01")) is True

    def test_it_refuses_n_below_1(self) -> None:
        with pytest.raises(ValueError, match="N must be at least 1, got 0"):
            add_working_days(d("2026-01-05"), 0)


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2024, 1, 1), date(2026, 11, 30)), st.integers(1, 40))
def test_latest_start_is_the_latest_day_that_still_meets_the_deadline(deadline: date, n: int) -> None:
    start = latest_start_for(deadline, n).date
    assert add_working_days(start, n).date <= deadline
    assert add_working_days(start + DAY, n).date > deadline


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2024, 1, 1), date(2026, 10, 31)), st.integers(1, 40))
def test_between_counts_back_what_add_counted(start: date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n).date).working_days == n


class TestOverrides:
    NOTICE = (
        "year: 2027\n"
        "notice: {title: 国务院办公厅关于2027年部分节假日安排的通知（test）, href: 'https://example.invalid/2027',\n"
        "         published: '2026-11-01'}\n"
        "holidays:\n"
        "  - {name: 元旦, from: '2027-01-01', to: '2027-01-03'}\n"
        "  - {name: 春节, from: '2027-02-05', to: '2027-02-12'}\n"
        "make_up_days: ['2027-02-13']\n"
    )

    def calendar(self, tmp_path: Path, text: str) -> WorkdayCalendar:
        (tmp_path / "2027.yaml").write_text(text, encoding="utf-8")
        return WorkdayCalendar(tmp_path)

    def test_an_override_file_makes_a_year_official(self, tmp_path: Path) -> None:
        calendar = self.calendar(tmp_path, self.NOTICE)
        assert calendar.is_provisional(d("2027-02-09")) is False
        assert calendar.is_workday(d("2027-02-09")) is False
        assert calendar.is_workday(d("2027-02-13")) is True
        assert calendar.add(d("2026-12-31"), 1).date == d("2027-01-04")
        assert 2027 in calendar.official_years()
        assert check_coverage(calendar, d("2026-11-27")).missing_years == []

    def test_an_unknown_key_is_refused(self, tmp_path: Path) -> None:
        calendar = self.calendar(tmp_path, self.NOTICE + "extra: 1\n")
        with pytest.raises(PolicyError, match=r"^policy/calendar/2027\.yaml: extra: unknown key$"):
            calendar.is_workday(d("2027-01-04"))

    def test_a_make_up_day_on_a_weekday_is_refused(self, tmp_path: Path) -> None:
        calendar = self.calendar(tmp_path, self.NOTICE.replace("['2027-02-13']", "['2027-02-15']"))
        with pytest.raises(PolicyError, match=r"make_up_days\[0\]: 2027-02-15 is a weekday"):
            calendar.is_workday(d("2027-01-04"))

    def test_a_day_of_another_year_is_refused(self, tmp_path: Path) -> None:
        calendar = self.calendar(tmp_path, self.NOTICE.replace("'2027-01-01', to", "'2026-12-31', to"))
        with pytest.raises(PolicyError, match=r"holidays\[0\].from: 2026-12-31 is not in 2027"):
            calendar.is_workday(d("2027-01-04"))


class TestCheck:
    def test_no_warning_before_november(self) -> None:
        assert check_coverage(default_calendar(), d("2026-10-31")).missing_years == []

    def test_a_warning_from_1_november_when_next_year_is_missing(self) -> None:
        coverage = check_coverage(default_calendar(), d("2026-11-01"))
        assert coverage.missing_years == [2027]
        assert coverage.message["en"].startswith("warning: no official holiday arrangement for 2027")

    def test_a_warning_any_day_of_a_year_that_is_missing(self) -> None:
        assert check_coverage(default_calendar(), d("2027-03-01")).missing_years == [2027]


runner = CliRunner()


class TestCommand:
    def test_add_json(self) -> None:
        result = runner.invoke(app, ["workdays", "add", "2026-09-30", "1", "--json"])
        assert result.exit_code == 0
        assert json.loads(result.stdout) == {"date": "2026-10-08", "provisional": False}

    def test_between_json(self) -> None:
        result = runner.invoke(app, ["workdays", "between", "2026-12-25", "2027-01-08", "--json"])
        assert result.exit_code == 0
        assert json.loads(result.stdout) == {"working_days": 9, "provisional": True}

    def test_between_refuses_an_end_before_the_start(self) -> None:
        result = runner.invoke(app, ["workdays", "between", "2026-10-10", "2026-09-30"])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == "error: END 2026-09-30 is before START 2026-10-10\n"
        result = runner.invoke(app, ["workdays", "between", "2026-10-10", "2026-10-10", "--json"])
        assert (result.exit_code, json.loads(result.stdout)) == (0, {"working_days": 0, "provisional": False})

    def test_add_text_says_when_it_is_an_estimate(self) -> None:
        result = runner.invoke(app, ["workdays", "add", "2026-12-30", "1"])
        assert result.stdout == "2026-12-31\n"
        result = runner.invoke(app, ["workdays", "add", "2026-12-31", "1"])
        assert result.stdout.startswith("2027-01-04  (provisional")

    def test_a_bad_date_exits_2(self) -> None:
        result = runner.invoke(app, ["workdays", "add", "2026-02-30", "1"])
        assert result.exit_code == 2
        assert result.stderr == "error: START: expected a date YYYY-MM-DD, got '2026-02-30'\n"

    def test_n_below_1_exits_2(self) -> None:
        result = runner.invoke(app, ["workdays", "add", "2026-02-03", "0"])
        assert result.exit_code == 2
        assert result.stderr == "error: N: expected a whole number of at least 1, got 0\n"

    def test_check_exits_1_with_the_warning(self) -> None:
        result = runner.invoke(app, ["workdays", "check", "--today", "2026-11-27", "--json"])
        assert result.exit_code == 1
        assert json.loads(result.stdout)["missing_years"] == [2027]

    def test_check_passes_in_october(self) -> None:
        result = runner.invoke(app, ["workdays", "check", "--today", "2026-10-01"])
        assert result.exit_code == 0
        assert result.stdout.startswith("working-day calendar: official data for 2004-2026")
