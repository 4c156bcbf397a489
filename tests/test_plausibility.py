"""Issue 11, item 1: facts that cannot be true are refused with their field paths; eligibility at the
filing month and the minimum age say which condition failed; a base above the insurance ceiling is
scored as the ceiling with a warning; the two optional fields ``education[].foreign`` and
``social_insurance[].employer_uscc``. These are about the law, so they read the real policy data.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from jifen import score
from jifen.facts.parse import FactsError, parse_facts
from jifen.facts.uscc import uscc_check_char
from jifen.policy.loader import default_policy, load_policy_from
from jifen.policy.model import Policy, Yearly
from tests.conftest import FROZEN_POLICY

BORN = "1990-05-01"  # turns 16 in 2006-05, 18 on 2008-05-01
VALID_USCC = "91310000MA1FL8TQ3" + uscc_check_char("91310000MA1FL8TQ3")
LAW = "中华人民共和国劳动法 第十五条"


def facts(**fields: Any) -> dict[str, Any]:
    return {"schema": "jifen.facts/1", "birth_date": BORN, **fields}


def refusals(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(FactsError) as caught:
        parse_facts(data)
    return [(e.path, e.message, e.message_zh) for e in caught.value.errors]


def dated_events(day: str) -> list[tuple[str, dict[str, Any]]]:
    """Each kind of dated event on ``day``, with the path of its date."""
    return [
        ("residence_permit.valid_from", {"residence_permit": {"valid_from": day, "valid_until": "2027-02-28"}}),
        ("education[0].graduated_on", {"education": [{"level": "bachelor", "graduated_on": day}]}),
        ("qualifications[0].obtained_on", {"qualifications": [{"kind": "skill", "level": 3, "obtained_on": day}]}),
        ("hukou_spouse_married_on", {"hukou_spouse_married_on": day}),
        ("remote_area[0].from", {"remote_area": [{"area": "lingang", "from": day, "to": None}]}),
        ("public_service[0].from", {"public_service": [{"from": day, "to": "2019-12-31"}]}),
        ("awards[0].awarded_on", {"awards": [{"level": "national", "awarded_on": day}]}),
        ("penalties[0].on", {"penalties": [{"kind": "false_material", "on": day}]}),
        ("vetoes[0].on", {"vetoes": [{"kind": "serious_criminal_record", "on": day}]}),
    ]


BEFORE_BIRTH = dated_events("1990-04-30")


@pytest.mark.parametrize(("path", "fields"), BEFORE_BIRTH, ids=[p for p, _ in BEFORE_BIRTH])
def test_an_event_the_day_before_birth_is_refused_with_its_path(path: str, fields: dict[str, Any]) -> None:
    assert refusals(facts(**fields)) == [
        (path, "1990-04-30 is before birth_date 1990-05-01", "1990-04-30早于出生日期1990-05-01")
    ]


@pytest.mark.parametrize(("path", "fields"), dated_events(BORN), ids=[p for p, _ in BEFORE_BIRTH])
def test_an_event_on_the_birth_day_is_accepted(path: str, fields: dict[str, Any]) -> None:
    parse_facts(facts(**fields))


def test_an_undated_veto_is_not_checked_against_birth() -> None:
    parse_facts(facts(vetoes=[{"kind": "serious_criminal_record"}]))


def test_every_implausible_field_is_reported_at_once() -> None:
    data = facts(**{k: v for _, fields in BEFORE_BIRTH for k, v in fields.items()})
    assert [path for path, _, _ in refusals(data)] == [path for path, _ in BEFORE_BIRTH]


def test_insurance_before_the_birth_month_is_refused() -> None:
    assert refusals(facts(social_insurance=[{"from": "1990-04", "to": None, "base": 5000}])) == [
        (
            "social_insurance[0].from",
            "1990-04 is before the month of birth_date 1990-05-01",
            "1990-04早于出生日期1990-05-01所在的月份",
        )
    ]


def test_insurance_the_month_before_the_16th_birthday_is_refused() -> None:
    data = facts(
        social_insurance=[
            {"from": "2006-05", "to": "2010-12", "base": 5000},
            {"from": "2006-04", "to": "2006-04", "base": 5000},  # listed second: the path is its own index
        ]
    )
    assert refusals(data) == [
        (
            "social_insurance[1].from",
            f"2006-04 is before 2006-05, the month the holder turned 16: no one under 16 may be employed ({LAW})",
            f"2006-04早于年满16周岁的月份2006-05：不得招用未满16周岁的未成年人（{LAW}）",
        )
    ]


def test_insurance_from_the_month_of_the_16th_birthday_is_accepted() -> None:
    # born on the last day of a month: the whole month of the birthday counts, before the birthday too
    parsed = parse_facts(
        facts(birth_date="1990-05-31", social_insurance=[{"from": "2006-05", "to": None, "base": 5000}])
    )
    assert parsed.social_insurance[0].first == 2006 * 12 + 4


def test_insurance_before_1995_is_held_to_the_earliest_working_age_in_the_data() -> None:
    # 劳动法 is in force from 1995-01-01; earlier months take its value (see the parameter's note)
    assert default_policy().parameters["plausibility.minimum_working_age"].starts[0] == date(1995, 1, 1)
    young = facts(birth_date="1970-01-15", social_insurance=[{"from": "1985-12", "to": "1990-12", "base": 500}])
    assert [path for path, _, _ in refusals(young)] == ["social_insurance[0].from"]
    parse_facts(facts(birth_date="1970-01-15", social_insurance=[{"from": "1986-01", "to": "1990-12", "base": 500}]))


def test_the_plausibility_checks_wait_for_the_items_to_be_valid() -> None:
    # an item refused on its own shifts the indices, so the checks across fields are not run
    data = facts(
        education=[{"level": "phd", "graduated_on": "2012-07-01"}, {"level": "bachelor", "graduated_on": "1980-01-01"}]
    )
    assert [path for path, _, _ in refusals(data)] == ["education[0].level"]


def test_scoring_refuses_the_same_facts() -> None:
    with pytest.raises(FactsError, match=r"^hukou_spouse_married_on: 1990-04-30 is before birth_date 1990-05-01$"):
        score(facts(hukou_spouse_married_on="1990-04-30"), on=date(2026, 11, 30))


# -- the two optional fields --------------------------------------------------------------------------


def test_education_foreign_defaults_to_false_and_is_read() -> None:
    parsed = parse_facts(
        facts(
            education=[
                {"level": "bachelor", "graduated_on": "2012-07-01"},
                {"level": "master", "graduated_on": "2014-07-01", "degree": True, "foreign": True},
            ]
        )
    )
    assert [e.foreign for e in parsed.education] == [False, True]


def test_education_foreign_must_be_a_flag() -> None:
    data = facts(education=[{"level": "bachelor", "graduated_on": "2012-07-01", "foreign": "yes"}])
    assert refusals(data) == [("education[0].foreign", 'expected true or false, got "yes"', '应为是或否，实际为"yes"')]


def test_employer_uscc_is_optional_and_read() -> None:
    parsed = parse_facts(
        facts(
            social_insurance=[
                {"from": "2016-07", "to": "2021-06", "base": 9000},
                {"from": "2021-07", "to": None, "base": 12000, "employer_uscc": VALID_USCC},
                {"from": "2010-01", "to": "2010-12", "base": 3000, "employer_uscc": None},
            ]
        )
    )
    assert [s.employer_uscc for s in parsed.social_insurance] == [None, VALID_USCC, None]


@pytest.mark.parametrize(
    ("code", "message", "message_zh"),
    [
        (
            VALID_USCC[:17] + "C",
            f"not a unified social credit code: check character is C, expected {VALID_USCC[17]}",
            f"统一社会信用代码无效：校验码为C，应为{VALID_USCC[17]}",
        ),
        (
            VALID_USCC[:17],
            "not a unified social credit code: expected 18 characters: digits and capital letters other than "
            "I, O, S, V and Z",
            "统一社会信用代码无效：应为18位：数字和除I、O、S、V、Z以外的大写字母",
        ),
        (
            VALID_USCC.lower(),
            "not a unified social credit code: expected 18 characters: digits and capital letters other than "
            "I, O, S, V and Z",
            "统一社会信用代码无效：应为18位：数字和除I、O、S、V、Z以外的大写字母",
        ),
        (91310000, "expected a text, got 91310000", "应为文本，实际为91310000"),
    ],
)
def test_a_bad_employer_uscc_is_refused_with_its_path(code: object, message: str, message_zh: str) -> None:
    data = facts(social_insurance=[{"from": "2021-07", "to": None, "base": 12000, "employer_uscc": code}])
    assert refusals(data) == [("social_insurance[0].employer_uscc", message, message_zh)]


def test_the_service_checks_employer_codes_with_the_same_function() -> None:
    from jifen.service.accounts import uscc as service_uscc

    assert service_uscc.uscc_problem(VALID_USCC) is None
    assert service_uscc.uscc_check_char is uscc_check_char


# -- eligibility: which condition failed ---------------------------------------------------------------


def _checks(data: dict[str, Any], on: date) -> dict[str, tuple[bool, dict[str, str]]]:
    result = score(data, on=on)
    return {c.check: (c.met, c.explanation or {}) for c in result.eligibility}


def test_insurance_that_stopped_in_june_fails_the_filing_month_in_november() -> None:
    checks = _checks(facts(social_insurance=[{"from": "2020-07", "to": "2026-06", "base": 12000}]), date(2026, 11, 30))
    assert [name for name, (met, _) in checks.items() if not met] == ["filing_month"]
    assert checks["filing_month"][1] == {
        "zh": "申请当月（2026年11月）及此前1个月均无计入的本市职工社会保险缴费（最近为2026年6月），"
        "不符合申请当月应处于就业及缴纳本市职工社会保险状态的条件。",
        "en": "No counted Shanghai employee insurance in the filing month (November 2026) or the 1 month before it "
        "(latest June 2026): the holder must be employed and paying it in the filing month; not eligible.",
    }


def test_no_insurance_at_all_fails_the_filing_month_and_the_six_months() -> None:
    checks = _checks(facts(), date(2026, 11, 30))
    assert [name for name, (met, _) in checks.items() if not met] == ["filing_month", "insurance"]
    assert checks["filing_month"][1]["en"] == (
        "No counted Shanghai employee insurance in the filing month (November 2026) or the 1 month before it "
        "(none counted): the holder must be employed and paying it in the filing month; not eligible."
    )


def test_the_record_lag_is_said_to_be_an_estimate() -> None:
    checks = _checks(facts(social_insurance=[{"from": "2020-07", "to": "2026-10", "base": 12000}]), date(2026, 11, 30))
    assert checks["filing_month"] == (
        True,
        {
            "zh": "最近计入的社保缴费月份为2026年10月，在申请当月（2026年11月）前1个月的记录滞后范围内，"
            "按申请当月仍在缴费计（估计）。",
            "en": "The latest counted insurance month is October 2026, within the record lag of 1 month before the "
            "filing month (November 2026): taken as still paying in the filing month (an estimate).",
        },
    )


def test_a_holder_under_18_is_told_when_they_turn_18() -> None:
    data = facts(birth_date="2008-12-01", social_insurance=[{"from": "2024-12", "to": None, "base": 8000}])
    checks = _checks(data, date(2026, 11, 30))
    assert [name for name, (met, _) in checks.items() if not met] == ["minimum_age"]
    assert checks["minimum_age"][1] == {
        "zh": "17周岁，未满18周岁，不能申请积分（2026年12月1日满18周岁）。",
        "en": "Age 17: under 18, too young to apply (turns 18 on 1 December 2026).",
    }
    assert _checks(data, date(2026, 12, 1))["minimum_age"][0] is True


def test_the_eligibility_basis_cites_the_new_parameters() -> None:
    result = score(facts(social_insurance=[{"from": "2020-07", "to": None, "base": 12000}]), on=date(2026, 11, 30))
    basis = {c.check: [b.parameter for b in c.basis] for c in result.eligibility}
    assert basis["minimum_age"] == ["eligibility.minimum_age"]
    assert basis["filing_month"] == ["eligibility.record_lag_months"]
    lag = next(b for c in result.eligibility for b in c.basis if b.parameter == "eligibility.record_lag_months")
    assert (lag.value, lag.confidence) == (1, "D")


# -- the insurance ceiling ----------------------------------------------------------------------------

CEILING_2025 = 37302  # social_insurance.wage base_upper from 2025-07-01


def _run(base: float) -> dict[str, Any]:
    return facts(social_insurance=[{"from": "2025-07", "to": "2026-05", "base": base}])


def test_a_base_at_the_ceiling_has_no_warning() -> None:
    assert score(_run(CEILING_2025), on=date(2026, 7, 1)).warnings == ()


def test_a_base_a_fen_above_the_ceiling_is_scored_as_the_ceiling_with_a_warning() -> None:
    result = score(_run(CEILING_2025 + 0.01), on=date(2026, 7, 1))
    assert result.warnings == (
        {
            "zh": "2025年7月至2026年5月的社保缴费基数（最高37,302.01元/月）高于该社保年度的缴费基数上限37,302元/月，"
            "实际缴费不会超过上限，按上限计分。",
            "en": "The insurance base of July 2025 to May 2026 (up to 37,302.01 yuan a month) is above that insurance "
            "year's ceiling of 37,302 yuan a month; no contribution is paid above the ceiling, so it is scored as "
            "the ceiling.",
        },
    )
    assert [(i.indicator, i.points) for i in result.items if i.points] == [("age", 30)]
    ceilings = [b for b in result.item("si_base").basis if b.parameter == "social_insurance.wage"]
    assert [b.effective_from for b in ceilings] == [date(2025, 7, 1)]


def test_runs_over_several_insurance_years_give_one_warning_with_the_range_of_ceilings() -> None:
    data = facts(social_insurance=[{"from": "2023-06", "to": None, "base": 900000}])
    [warning] = score(data, on=date(2026, 7, 1)).warnings
    assert warning["en"] == (
        "The insurance base of June 2023 to June 2026 (up to 900,000 yuan a month) is above the ceilings of those "
        "insurance years (34,188 to 37,302 yuan a month); no contribution is paid above the ceiling, so it is "
        "scored as the ceiling."
    )


def test_a_ceiling_not_yet_published_is_said_to_be_carried_forward() -> None:
    # A mechanism, so on the frozen copy, given the real data's yearly due date (1 July since 2020): it
    # has no ceiling from 2026-07-01, so the 2025 one is used for 2026-07 on, and the warning says so.
    frozen = load_policy_from(FROZEN_POLICY)
    wage = frozen.parameters["social_insurance.wage"]
    yearly = Yearly(date(2020, 7, 1), wage.values[-1].source)
    policy = Policy({**frozen.parameters, wage.name: replace(wage, yearly=yearly)}, frozen.versions, frozen.readings)
    assert policy.resolve("social_insurance.wage", date(2026, 8, 1)).entry.effective_from == date(2025, 7, 1)
    data = facts(social_insurance=[{"from": "2026-07", "to": None, "base": 40000}])
    warnings = score(data, on=date(2026, 9, 1), policy=policy).warnings
    assert warnings[0]["en"].endswith(
        "The ceiling from July 2026 is not yet published; the one from July 2025 is used."
    )
    assert warnings[0]["zh"].endswith("2026年7月起的缴费基数上限尚未公布，暂按2025年7月起的上限计算。")
    assert score(data, on=date(2026, 9, 1), policy=frozen).warnings[0]["en"].endswith("scored as the ceiling.")
