"""What the advice rests on (contract §5 ``warnings``): each value not published and each estimated year,
in words; a provisional value is never called an adjustment; 起 says what the rule counts.

Mechanisms, so the frozen policy copy (its 2026-07 reference wage is provisional; tests/policy/README.md)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jifen import score
from jifen.advisor import advise
from jifen.advisor.triggers import KIND_LABELS
from jifen.advisor.warnings import RecordingCalendar, dates_in
from jifen.policy.loader import load_policy_from
from jifen.policy.wording import day_words, value_words
from jifen.workdays import default_calendar
from tests.conftest import FROZEN_POLICY

pytestmark = pytest.mark.usefixtures("frozen_policy")

ON = date(2026, 11, 30)
IDS = ("si_base", "reference_wage", "advice.", "procedure.", "basic")


def d(text: str) -> date:
    return date.fromisoformat(text)


def holder(**fields: Any) -> dict[str, Any]:
    return {"schema": "jifen.facts/1", "birth_date": "1990-05-01", **fields}


YEARLY = (
    "type: int\n",
    'type: int\nyearly:\n  since: "2020-07-01"\n  source: {document: rsj-talent-reference}\n',
)
PUBLISHED = ("    provisional: true\n", "")


def copy_policy(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """The frozen policy with the reference wage's file edited (the copy has no ``yearly`` key)."""
    root = tmp_path / "policy"
    shutil.copytree(FROZEN_POLICY, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    wage = root / "parameters/si_base/reference_wage.yaml"
    text = wage.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    wage.write_text(text, encoding="utf-8")
    return root


def texts(advice: Any) -> list[str]:
    return [w[lang] for w in advice.warnings for lang in ("zh", "en")]


def test_the_unpublished_reference_wage_is_named_in_words(example: dict[str, Any]) -> None:
    advice = advise(example, on=ON)
    assert advice.warnings[0] == {
        "zh": "2026年7月起的积分参考工资尚未公布，暂按11,396元/月估算",
        "en": "The points reference wage from July 2026 has not been published; 11,396 yuan a month is assumed",
    }
    for text in texts(advice):
        assert not any(i in text for i in IDS), text
        assert "调整" not in text and "adjust" not in text


def test_a_yearly_value_carried_past_its_year_is_said_from_when(tmp_path: Path, example: dict[str, Any]) -> None:
    policy = load_policy_from(copy_policy(tmp_path, YEARLY))
    advice = advise(example, on=ON, policy=policy)
    assert advice.warnings[0] == {
        "zh": "2026年7月起的积分参考工资尚未公布，暂按11,396元/月估算，预测中2027年7月及以后各年也按此计算",
        "en": "The points reference wage from July 2026 has not been published; 11,396 yuan a month is assumed, "
        "and the projection keeps it from July 2027 on",
    }


def test_an_estimated_year_is_named_and_the_dates_over_it_say_provisional(example: dict[str, Any]) -> None:
    advice = advise(example, on=ON)
    rec = advice.recommendation
    decision = rec.expected_decision
    assert decision is not None and decision.latest.year == 2027 and decision.provisional
    assert rec.latest is not None and rec.latest.year == 2027 and rec.latest_provisional
    assert advice.to_dict()["recommendation"]["latest_provisional"] is True
    assert {
        "zh": "2027年的放假调休安排尚未公布，涉及该年的工作日按估算计算，相关日期为估算",
        "en": "The holiday arrangement for 2027 has not been published; working days in 2027 are estimated, so the "
        "dates counted over them are estimates",
    } in advice.warnings


def test_the_scheme_applied_past_its_stated_end_is_said(example: dict[str, Any]) -> None:
    advice = advise(example, on=ON)
    assert any(w["zh"].startswith("积分办法（沪府规〔2022〕21号）有效期至2027年12月31日") for w in advice.warnings)


def test_a_published_2026_value_leaves_only_the_later_years_of_the_projection(
    tmp_path: Path, example: dict[str, Any]
) -> None:
    published = advise(example, on=ON, policy=load_policy_from(copy_policy(tmp_path / "a", PUBLISHED)))
    assert not any("积分参考工资" in w["zh"] for w in published.warnings)
    yearly = advise(example, on=ON, policy=load_policy_from(copy_policy(tmp_path / "b", PUBLISHED, YEARLY)))
    assert not any("2026年7月" in w["zh"] for w in yearly.warnings)
    assert yearly.warnings[0] == {
        "zh": "2027年7月起的积分参考工资尚未公布，暂按11,396元/月估算",
        "en": "The points reference wage from July 2027 has not been published; 11,396 yuan a month is assumed",
    }
    assert len(yearly.warnings) == len({w["zh"] for w in yearly.warnings})  # no repeats


def test_no_warnings_when_everything_used_is_published_and_every_year_official() -> None:
    facts = holder(
        education=[{"level": "bachelor", "degree": True, "graduated_on": "2012-07-01", "full_time": True}],
        social_insurance=[{"from": "2015-01", "to": None, "base": 9000}],
    )
    advice = advise(facts, on=d("2022-06-01"))
    assert advice.recommendation.expected_decision is not None
    assert advice.warnings == ()
    assert advice.to_dict()["warnings"] == []


def test_the_provisional_value_used_from_july_triggers_no_adjustment() -> None:
    facts = holder(social_insurance=[{"from": "2020-01", "to": None, "base": 12000}])
    advice = advise(facts, on=d("2026-03-02"))
    trigger = next(t for t in advice.triggers if t.kind == "reference_wage")
    assert trigger.on == d("2026-07-01")
    assert trigger.explanation["zh"] == "2026年7月起的积分参考工资尚未公布，暂按11,396元/月估算。"
    assert "adjust" not in trigger.explanation["en"]
    assert KIND_LABELS["reference_wage"] == {"zh": "积分参考工资", "en": "points reference wage"}
    assert advice.warnings[0]["zh"].startswith("2026年7月起的积分参考工资尚未公布")


def test_a_published_change_is_an_adjustment_and_an_unchanged_value_is_not(tmp_path: Path) -> None:
    added = '  "2027-07-01":\n    value: 12500\n    source: {document: rsj-talent-reference}\n    confidence: C\n'
    root = copy_policy(tmp_path, PUBLISHED)
    wage = root / "parameters/si_base/reference_wage.yaml"
    wage.write_text(wage.read_text(encoding="utf-8") + added, encoding="utf-8")
    facts = holder(social_insurance=[{"from": "2020-01", "to": None, "base": 12000}])
    advice = advise(facts, on=d("2026-03-02"), policy=load_policy_from(root))
    wages = {t.on: t.explanation for t in advice.triggers if t.kind == "reference_wage"}
    assert wages[d("2026-07-01")]["zh"] == "2026年7月1日起积分参考工资仍为11,396元/月。"
    assert wages[d("2027-07-01")]["zh"] == (
        "2027年7月1日起积分参考工资由11,396元/月调整为12,500元/月，该月起的缴费基数按新的参考工资比较。"
    )


def test_losing_eligibility_is_said_with_qi_for_the_first_day_it_holds() -> None:
    facts = holder(social_insurance=[{"from": "2020-01", "to": "2027-02", "base": 12000}])
    advice = advise(facts, on=ON)
    lost = [t for t in advice.triggers if t.kind == "eligibility"]
    assert lost, advice.triggers
    for trigger in lost:
        assert trigger.explanation["zh"].startswith(
            f"自{trigger.on.year}年{trigger.on.month}月{trigger.on.day}日起不再符合积分申请条件"
        )
        assert "不再申请积分" not in trigger.explanation["zh"]


def test_a_deductions_window_starts_on_its_first_day_inside() -> None:
    facts = holder(penalties=[{"kind": "administrative_detention", "on": "2023-02-01"}])
    text = score(facts, on=ON).item("administrative_detention").explanation
    assert text is not None
    # an event on 2021-11-30 is already outside the 5 years ending 2026-11-30; the first day inside is 12-01
    assert "最近5年内（2021年12月1日起）" in text["zh"] and "(since 1 December 2021;" in text["en"]


class TestRecordingCalendar:
    def test_only_the_years_behind_the_dates_shown(self) -> None:
        calendar = RecordingCalendar(default_calendar())
        shown = calendar.add(d("2026-12-01"), 25).date  # counts into 2027
        calendar.latest_start_for(d("2029-03-01"), 25)  # counted, but its answer is not shown
        assert calendar.estimated_years_behind({shown}) == {2027}
        assert calendar.estimated_years_behind(set()) == set()

    def test_a_chain_of_answers_is_followed(self) -> None:
        calendar = RecordingCalendar(default_calendar())
        start = calendar.latest_start_for(d("2028-01-20"), 25).date
        shown = calendar.previous_workday(start)
        assert calendar.estimated_years_behind({shown}) >= {2027}

    def test_it_answers_as_the_calendar_does(self) -> None:
        plain, recording = default_calendar(), RecordingCalendar(default_calendar())
        assert recording.add(d("2027-09-20"), 10) == plain.add(d("2027-09-20"), 10)
        assert recording.between(d("2026-12-20"), d("2027-01-20")) == plain.between(d("2026-12-20"), d("2027-01-20"))


def test_dates_in_a_document() -> None:
    assert dates_in({"a": ["2027-01-05", {"b": "2026-13-01"}], "c": "note 2026-01-01", "d": 3}) == {d("2027-01-05")}


def test_words_for_values_and_days() -> None:
    wage = load_policy_from(FROZEN_POLICY).parameters["si_base.reference_wage"]
    assert value_words(wage, 11396) == {"zh": "11,396元/月", "en": "11,396 yuan a month"}
    assert day_words(d("2026-07-01")) == {"zh": "2026年7月", "en": "July 2026"}
    assert day_words(d("2026-07-15")) == {"zh": "2026年7月15日", "en": "15 July 2026"}
