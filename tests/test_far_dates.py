"""Dates up to ``date.max`` (9999-12-31), as a database may still hold them: scoring and advice look ahead
only as far as a date can go, and never overflow (issue 10, item 4).

The facts are built as objects, past the parser, so that these tests stay about the arithmetic whatever
range the parser accepts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from jifen.advisor import advise
from jifen.advisor.chart import chart_svg
from jifen.dates import add_months, add_months_capped, next_day
from jifen.facts.model import Facts, Penalty, Period, ResidencePermit
from jifen.facts.parse import parse_facts
from jifen.rules.engine import score
from jifen.workdays import default_calendar
from tests.conftest import contract_example

ON = date(2026, 11, 27)
LAST = date.max


def example() -> Facts:
    facts = contract_example()
    facts.pop("as_of")
    return parse_facts(facts)


def test_looking_ahead_stops_at_the_last_day_a_date_can_hold() -> None:
    assert add_months_capped(date(2026, 1, 31), 1) == add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months_capped(date(9999, 12, 1), 0) == date(9999, 12, 1)
    assert add_months_capped(date(9997, 6, 30), 36) == LAST
    assert add_months_capped(LAST, 120) == LAST
    assert next_day(date(9999, 12, 30)) == LAST
    assert next_day(LAST) is None


@pytest.mark.parametrize("until", [LAST, date(9999, 12, 30), date(9999, 1, 31)])
def test_a_permit_valid_until_the_end_of_dates_is_advised_like_a_long_one(until: date) -> None:
    facts = example()
    far = advise(replace(facts, residence_permit=ResidencePermit(date(2026, 3, 1), until)), on=ON)
    long = advise(replace(facts, residence_permit=ResidencePermit(date(2026, 3, 1), date(2099, 12, 31))), on=ON)
    assert far.current.total == long.current.total
    assert far.projection == long.projection
    assert far.recommendation.refresh == long.recommendation.refresh
    assert "permit_expiry" not in {t.kind for t in far.triggers}


def test_periods_and_penalties_reaching_the_end_of_dates_are_scored() -> None:
    facts = replace(
        example(),
        public_service=(Period(date(2015, 1, 1), LAST),),
        penalties=(Penalty("administrative_detention", date(9999, 6, 1)),),
    )
    ongoing = replace(facts, public_service=(Period(date(2015, 1, 1), None),))
    assert score(facts, on=ON).total == score(ongoing, on=ON).total
    assert advise(facts, on=ON).current.total == score(facts, on=ON).total


@pytest.mark.parametrize("on", [LAST, LAST - timedelta(days=1), date(9999, 1, 1), date(9997, 6, 30)])
def test_advice_on_the_last_days_a_date_can_hold(on: date) -> None:
    facts = replace(example(), residence_permit=ResidencePermit(date(2026, 3, 1), LAST))
    advice = advise(facts, on=on, target=LAST)
    assert all(on < day <= LAST for day, _ in advice.projection)
    assert all(on < t.on <= LAST for t in advice.triggers)
    decision = advice.recommendation.expected_decision
    assert decision is None or decision.latest <= LAST


def test_the_chart_of_a_permit_valid_until_the_end_of_dates() -> None:
    facts = replace(example(), residence_permit=ResidencePermit(date(2026, 3, 1), LAST))
    assert chart_svg(advise(facts, on=ON), language="zh").lstrip().startswith("<")


def test_working_days_at_the_end_of_dates() -> None:
    calendar = default_calendar()
    day = calendar.add(date(9999, 12, 30), 5)
    assert day.date == LAST and day.provisional
    assert calendar.next_workday(LAST) == LAST
    before = calendar.latest_start_for(LAST, 1)
    assert before.date < LAST and before.provisional
    assert calendar.add(before.date, 1).date <= LAST
