"""Properties over random contract-valid holders (hypothesis)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jifen import parse_facts, score
from jifen.dates import month_from_parts, month_of, month_str
from jifen.rules.result import Score
from tests.strategies import WORKING_AGE, facts, scoring_dates


def points(result: Score) -> list[tuple[str, int, bool]]:
    return [(i.indicator, i.points, i.counted) for i in result.items]


@settings(max_examples=300, deadline=None)
@given(facts(), scoring_dates())
def test_the_total_is_the_sum_of_counted_items_floored_at_0(data: dict[str, Any], on: date) -> None:
    assume(date.fromisoformat(data["birth_date"]) <= on)
    result = score(data, on=on)
    assert result.total == max(0, sum(i.points for i in result.items if i.counted))
    assert result.meets_standard is (result.total >= 120)
    choose_one = [i for i in result.items if i.indicator in ("education", "qualification") and i.counted]
    assert sum(1 for i in choose_one if i.points != 0) <= 1


def _covered(segments: list[dict[str, Any]], last: int) -> set[int]:
    months: set[int] = set()
    for seg in segments:
        first = month_from_parts(int(seg["from"][:4]), int(seg["from"][5:]))
        end = last if seg["to"] is None else month_from_parts(int(seg["to"][:4]), int(seg["to"][5:]))
        months.update(range(first, max(end, last) + 1 if seg["to"] is None else end + 1))
    return months


@settings(max_examples=300, deadline=None)
@given(facts(), scoring_dates(), st.integers(1, 120), st.integers(3000, 40000))
def test_adding_a_counted_contribution_month_never_lowers_any_item(
    data: dict[str, Any], on: date, back: int, base: int
) -> None:
    assume(date.fromisoformat(data["birth_date"]) <= on)
    last = month_of(on) - 1
    month = last - back + 1
    assume(month not in _covered(data["social_insurance"], last))
    assume(month >= month_of(date.fromisoformat(data["birth_date"])) + 12 * WORKING_AGE)  # a plausible month
    before = score(data, on=on)
    more = {
        **data,
        "social_insurance": [
            *data["social_insurance"],
            {"from": month_str(month), "to": month_str(month), "base": base},
        ],
    }
    parse_facts(more)  # still contract-valid
    after = score(more, on=on)
    for b, a in zip(before.items, after.items, strict=True):
        assert a.points >= b.points, (b.indicator, b.points, a.points)
    assert after.eligible or not before.eligible


@settings(max_examples=300, deadline=None)
@given(facts(first_of_month=True), st.integers(2018, 2030), st.integers(1, 12), st.integers(2, 28), st.integers(2, 28))
def test_moving_the_date_within_a_month_with_no_event_changes_nothing(
    data: dict[str, Any], year: int, month: int, day_a: int, day_b: int
) -> None:
    # Every date in these facts and every effective date in the policy data is a 1st, except Lingang's
    # 2024-08-21; so between the 2nd and the 28th of another month nothing happens.
    assume((year, month) != (2024, 8))
    first, second = date(year, month, min(day_a, day_b)), date(year, month, max(day_a, day_b))
    assume(date.fromisoformat(data["birth_date"]) <= first)
    a, b = score(data, on=first), score(data, on=second)
    assert points(a) == points(b)
    assert (a.total, a.eligible, a.vetoed) == (b.total, b.eligible, b.vetoed)
