"""The advisor: dated triggers, projection, recommendation, backwards planning and materials."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jifen import parse_facts, score
from jifen.advisor import advise
from jifen.advisor.events import InsuranceStates
from jifen.cli.main import app
from jifen.dates import add_months, month_of
from jifen.facts.model import Facts
from jifen.policy.loader import default_policy, load_policy_from
from jifen.policy.model import Policy
from jifen.rules.context import horizon_months
from jifen.rules.contributions import REFERENCE_WAGE, Contributions
from jifen.rules.tiers import tiers_in_force
from jifen.workdays import add_working_days
from tests.conftest import FROZEN_POLICY
from tests.strategies import facts as facts_strategy

pytestmark = pytest.mark.usefixtures("frozen_policy")  # mechanisms, not the law: tests/policy/README.md


def d(text: str) -> date:
    return date.fromisoformat(text)


def holder(**fields: Any) -> dict[str, Any]:
    return {"schema": "jifen.facts/1", "birth_date": "1990-05-01", **fields}


def triggers_of(advice: Any, *kinds: str) -> list[tuple[str, str, int, int]]:
    return [(t.on.isoformat(), t.kind, t.points_delta, t.total_after) for t in advice.triggers if t.kind in kinds]


def test_a_base_tier_arrives_on_the_1st_of_the_month_after_the_36th_month() -> None:
    advice = advise(holder(social_insurance=[{"from": "2024-01", "to": None, "base": 11396}]), on=d("2026-11-27"))
    assert advice.current.total == 36
    assert triggers_of(advice, "si_base_tier", "insurance_year")[:2] == [
        ("2027-01-01", "insurance_year", 3, 89),
        ("2027-01-01", "si_base_tier", 50, 89),
    ]
    assert advice.projection[0] == (d("2027-01-01"), 89)


def test_birthdays_that_lower_age_points_are_dated() -> None:
    advice = advise(holder(birth_date="1983-03-15"), on=d("2026-11-27"))
    assert triggers_of(advice, "birthday") == [
        ("2027-03-15", "birthday", -1, 29),
        ("2028-03-15", "birthday", -2, 27),
        ("2029-03-15", "birthday", -2, 25),
    ]
    assert advice.projection == ((d("2027-03-15"), 29), (d("2028-03-15"), 27), (d("2029-03-15"), 25))


def test_a_deduction_leaves_its_window_on_the_anniversary() -> None:
    advice = advise(holder(penalties=[{"kind": "administrative_detention", "on": "2023-02-01"}]), on=d("2026-11-27"))
    assert triggers_of(advice, "deduction_expires") == [("2028-02-01", "deduction_expires", 50, 30)]
    assert advice.current.total == 0  # floored: 30 - 50


def test_the_contract_example_advice(example: dict[str, Any]) -> None:
    advice = advise(example)
    assert advice.change_since_last_approved == 250 - 118
    assert advice.reaches_standard_on == d("2026-11-27")
    rec = advice.recommendation
    # 2027 is estimated: the days around its Spring Festival that are not sure do not count (err late)
    assert (rec.refresh, rec.earliest, rec.latest) == (True, d("2026-11-27"), d("2027-01-13"))
    decision = rec.expected_decision
    assert decision is not None
    assert (decision.earliest, decision.latest, decision.working_days, decision.provisional) == (
        d("2026-12-25"),
        d("2027-01-04"),
        (20, 25),
        True,
    )
    assert triggers_of(advice, "endorsement_window", "permit_expiry") == [
        ("2027-01-29", "endorsement_window", 0, 250),
        ("2027-03-01", "permit_expiry", 0, 252),
    ]
    # latest: the decision (25 working days at most) must come before the permit ends on 2027-02-28
    assert add_working_days(d("2027-01-13"), 25).date <= d("2027-02-28")


def test_materials_for_the_indicators_claimed(example: dict[str, Any]) -> None:
    advice = advise(example)
    groups = [g["indicator"] for g in advice.materials]
    assert groups == [
        "basic",
        "qualification",
        "si_years",
        "si_base",
        "public_service",
        "remote_area",
        "awards",
        "hukou_spouse",
    ]
    basic = advice.materials[0]["items"]
    assert "无违反计划生育政策承诺" not in basic["zh"]
    assert len(basic["zh"]) == len(basic["en"]) == 7


def test_materials_before_2023_include_the_family_planning_pledge() -> None:
    advice = advise(
        holder(
            education=[{"level": "bachelor", "degree": True, "graduated_on": "2012-07-01"}],
            social_insurance=[{"from": "2021-01", "to": None, "base": 8000}],
        ),
        on=d("2022-06-01"),
    )
    assert "无违反计划生育政策承诺" in advice.materials[0]["items"]["zh"]
    assert [g["indicator"] for g in advice.materials] == ["basic", "education", "si_years"]


class TestRecommendation:
    def test_no_refresh_when_nothing_rose_since_the_last_approval(self) -> None:
        facts = holder(
            last_approved={"total": 30, "on": "2026-01-10"},
            social_insurance=[{"from": "2026-01", "to": None, "base": 8000}],
        )
        advice = advise(facts, on=d("2026-11-27"))
        rec = advice.recommendation
        # 12 counted months on 2027-01-01: +3 for the first insurance year; December's record, paid and
        # recorded in January, shows from 2027-02-01. Well below the standard: optional, nothing to push.
        assert (rec.refresh, rec.effect, rec.earliest, rec.latest) == (False, "optional", d("2027-02-01"), None)
        assert rec.reason["en"].startswith("33 points expected, 3 more than last approved (30 on 10 January 2026).")

    def test_file_before_a_birthday_lowers_the_points(self) -> None:
        facts = holder(
            birth_date="1983-03-15",
            last_approved={"total": 20, "on": "2026-01-10"},
            social_insurance=[{"from": "2015-01", "to": None, "base": 8000}],
        )
        rec = advise(facts, on=d("2026-11-27")).recommendation
        assert (rec.refresh, rec.effect) == (False, "optional")  # 63 is above 20 but below 120: nothing to push
        # the decision (25 working days at most, 2027 estimated, erring late) must land before 2027-03-15
        assert (rec.latest, rec.latest_provisional) == (d("2027-01-27"), True)
        assert add_working_days(d("2027-01-27"), 25).date == d("2027-03-12")
        assert add_working_days(d("2027-01-28"), 25).date == d("2027-03-15")

    def test_a_first_application_waits_for_the_standard(self) -> None:
        facts = holder(
            education=[{"level": "bachelor", "degree": False, "graduated_on": "2012-07-01"}],
            social_insurance=[{"from": "2024-01", "to": None, "base": 11396}],
        )
        advice = advise(facts, on=d("2026-11-27"))
        assert advice.current.total == 96  # 30 + 60 + 6
        assert advice.reaches_standard_on == d("2027-01-01")  # 30 + 60 + 9 + 50 = 149
        rec = advice.recommendation
        assert (rec.refresh, rec.earliest) == (False, d("2027-02-01"))  # December's record shows from February

    def test_new_bases_after_the_july_adjustment_wait_for_the_sync(self) -> None:
        facts = holder(
            last_approved={"total": 30, "on": "2026-01-10"},
            qualifications=[
                {
                    "kind": "title",
                    "level": "intermediate",
                    "obtained_on": "2020-01-01",
                    "obtained_in_shanghai": True,
                    "matches_post": True,
                }
            ],
            social_insurance=[
                {"from": "2025-07", "to": "2026-01", "base": 9000},
                {"from": "2026-02", "to": "2026-06", "base": 11500},
                {"from": "2026-07", "to": None, "base": 12000},
            ],
        )
        advice = advise(facts, on=d("2026-07-15"))
        assert triggers_of(advice, "qualification_condition") == [("2026-08-01", "qualification_condition", 100, 133)]
        rec = advice.recommendation
        # 2026-07-01 + 90 days (advice.base_sync_lag_days since 2020-07-01) = 2026-09-29
        assert (rec.refresh, rec.earliest) == (False, d("2026-09-29"))
        assert "29 September 2026" in rec.reason["en"]

    def test_never_within_the_horizon(self) -> None:
        rec = advise(holder(birth_date="1960-01-01"), on=d("2026-11-27")).recommendation
        assert (rec.refresh, rec.earliest, rec.latest, rec.expected_decision) == (False, None, None, None)


class TestTarget:
    def test_backwards_across_national_day(self) -> None:
        plan = advise(holder(), on=d("2026-06-01"), target=d("2026-10-20")).recommendation.target
        assert plan is not None
        assert (plan.latest_filing, plan.provisional) == (d("2026-09-09"), False)
        assert add_working_days(d("2026-09-09"), 25).date == d("2026-10-20")
        assert add_working_days(d("2026-09-10"), 25).date > d("2026-10-20")

    def test_backwards_across_the_spring_festival(self) -> None:
        plan = advise(holder(), on=d("2026-01-05"), target=d("2026-03-10")).recommendation.target
        assert plan is not None
        assert plan.latest_filing == d("2026-01-28")
        assert add_working_days(d("2026-01-28"), 25).date == d("2026-03-10")

    def test_backwards_into_a_year_without_official_data_is_provisional(self) -> None:
        plan = advise(holder(), on=d("2026-11-27"), target=d("2027-03-01")).recommendation.target
        assert plan is not None
        # 2027-02-04 and the Sundays 01-31 and 02-14 (estimated to be worked) are not sure: not counted
        assert (plan.latest_filing, plan.provisional) == (d("2027-01-14"), True)
        assert "estimate" in plan.assumption["en"]

    def test_a_target_before_the_earliest_filing_is_impossible(self) -> None:
        facts = holder(education=[{"level": "bachelor", "degree": True, "graduated_on": "2012-07-01"}])
        plan = advise(facts, on=d("2026-11-27"), target=d("2026-12-10")).recommendation.target
        assert plan is not None
        assert plan.possible is False


def test_a_new_reference_wage_in_the_window(tmp_path: Path) -> None:
    root = tmp_path / "policy"
    shutil.copytree(FROZEN_POLICY, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    wage = root / "parameters/si_base/reference_wage.yaml"
    wage.write_text(
        wage.read_text(encoding="utf-8")
        + ('  "2027-07-01":\n    value: 12500\n    source: {document: rsj-talent-reference}\n    confidence: C\n'),
        encoding="utf-8",
    )
    policy = load_policy_from(root)
    facts = holder(
        qualifications=[
            {
                "kind": "title",
                "level": "intermediate",
                "obtained_on": "2020-01-01",
                "obtained_in_shanghai": True,
                "matches_post": True,
            }
        ],
        social_insurance=[{"from": "2020-01", "to": None, "base": 12000}],
    )
    advice = advise(facts, on=d("2027-05-01"), policy=policy)
    assert advice.current.total == 201  # 30 age + 100 title + 21 (88 months) + 50 tier
    # From 2027-07 a base of 12,000 is below 1x: the title's 6-of-12 condition fails once only 5 months of
    # the last 12 meet it (window 2027-02..2028-01), the 1x tier once 35 of the last 48 do (2024-08..2028-07).
    assert triggers_of(advice, "reference_wage", "qualification_condition", "si_base_tier") == [
        ("2027-07-01", "reference_wage", 0, 201),
        ("2028-02-01", "qualification_condition", -100, 104),
        ("2028-08-01", "si_base_tier", -25, 79),
    ]


class TestCommand:
    runner = CliRunner()

    def test_json(self, tmp_path: Path, example: dict[str, Any]) -> None:
        path = tmp_path / "facts.json"
        import json

        path.write_text(json.dumps(example), encoding="utf-8")
        result = self.runner.invoke(app, ["advise", str(path), "--json", "--target", "2027-02-01"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["schema"] == "jifen.advice/1"
        assert data["recommendation"]["target"]["latest_filing"] == "2026-12-25"
        assert data["projection"][0] == {"date": "2027-03-01", "total": 252}

    def test_chart_files(self, tmp_path: Path) -> None:
        from tests.conftest import EXAMPLES

        for name in ("chart.svg", "chart.png"):
            result = self.runner.invoke(
                app, ["advise", str(EXAMPLES / "contract.json"), "--chart", str(tmp_path / name)]
            )
            assert result.exit_code == 0, result.output
        assert (tmp_path / "chart.svg").read_text(encoding="utf-8").startswith("<?xml")
        assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    def test_a_chart_of_another_format_exits_2(self, tmp_path: Path) -> None:
        from tests.conftest import EXAMPLES

        result = self.runner.invoke(
            app, ["advise", str(EXAMPLES / "contract.json"), "--chart", str(tmp_path / "c.pdf")]
        )
        assert result.exit_code == 2
        assert result.stderr == "error: --chart: the file must end in .svg or .png, got 'c.pdf'\n"

    def test_text_in_english(self) -> None:
        from tests.conftest import EXAMPLES

        result = self.runner.invoke(app, ["advise", str(EXAMPLES / "contract.json"), "--lang", "en"])
        assert result.exit_code == 0
        assert "Advice: file now." in result.stdout
        assert "Filing window: 27 November 2026 – 13 January 2027" in result.stdout


@settings(max_examples=40, deadline=None)
@given(facts_strategy(), st.dates(date(2018, 1, 1), date(2027, 12, 31)), st.lists(st.integers(1, 1095), max_size=8))
def test_the_projection_agrees_with_scoring_on_those_dates(data: dict[str, Any], on: date, offsets: list[int]) -> None:
    assume(date.fromisoformat(data["birth_date"]) <= on)
    advice = advise(data, on=on)
    for day, total in advice.projection:
        assert score(data, on=day).total == total, day
    end = add_months(on, 36)
    for offset in offsets:
        day = on + timedelta(days=offset)
        if day > end:
            continue
        expected = advice.current.total
        for point, total in advice.projection:
            if point <= day:
                expected = total
        assert score(data, on=day).total == expected, day


@settings(max_examples=60, deadline=None)
@given(facts_strategy(), st.dates(date(2018, 1, 1), date(2027, 12, 31)), st.lists(st.integers(0, 1095), max_size=12))
def test_the_states_of_a_span_are_those_of_each_day_alone(data: dict[str, Any], on: date, offsets: list[int]) -> None:
    """The projection skips a month when the contributions' state is unchanged; the span's levels, worked out
    once, give each day the state it has worked out on its own (capped bases, gaps, every multiple)."""
    facts, policy = parse_facts(data), default_policy()
    end = add_months(on, 36)
    states = InsuranceStates(facts, policy, on, end)
    for offset in offsets:
        day = on + timedelta(days=offset)
        if day <= end:
            assert states.on(day) == _state_as_the_rules_read_it(facts, policy, day), day


def _state_as_the_rules_read_it(facts: Facts, policy: Policy, day: date) -> tuple[object, ...]:
    """The same state from the rules' own reading of the contributions (capped bases, thresholds by month)."""
    last = month_of(day) - 1
    horizon = horizon_months(policy, day)
    contributions = Contributions(facts.history, last, policy, horizon)
    capped = {c.month for c in contributions.capped}
    tiers = tiers_in_force(policy.resolve("si_base.tiers", day))
    multiples = {(t.multiple, t.comparison) for t in tiers}
    condition = policy.resolve("qualification.base_condition_multiple", day).value
    if isinstance(condition, Fraction):
        multiples.add((condition, "at_least"))
    levels = []
    for i, base in enumerate(contributions.bases):
        month = last - horizon + 1 + i
        reference = policy.references_fen(REFERENCE_WAGE, month, 1)[0]
        level = (1 if base else 0) | (2 if month in capped else 0)
        for k, (multiple, comparison) in enumerate(sorted(multiples)):
            met = (
                base * multiple.denominator == reference * multiple.numerator
                if comparison == "equal"
                else (base >= multiple * reference)
            )
            level |= (4 << k) if met else 0
        levels.append(level)
    latest = facts.history.latest_until(month_of(day))
    return tuple(levels), contributions.total_months() // 12, None if latest is None else month_of(day) - latest


def test_a_degree_and_a_title_dated_in_the_future_are_triggers() -> None:
    facts = holder(
        education=[{"level": "master", "degree": True, "graduated_on": "2027-06-30"}],
        qualifications=[
            {
                "kind": "skill",
                "level": 3,
                "obtained_on": "2027-03-10",
                "obtained_in_shanghai": True,
                "matches_post": True,
            }
        ],
    )
    advice = advise(facts, on=d("2026-11-27"))
    assert triggers_of(advice, "qualification_obtained", "education_obtained", "choose_one") == [
        ("2027-03-10", "qualification_obtained", 60, 90),
        ("2027-06-30", "education_obtained", 100, 130),
        ("2027-06-30", "choose_one", -60, 130),
    ]
    assert advice.reaches_standard_on == d("2027-06-30")
