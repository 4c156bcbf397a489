"""Every point is explained in Chinese and English, with the clause, value and date behind it."""

from __future__ import annotations

from typing import Any

import pytest

from jifen import score
from jifen.rules.indicators import INDICATOR_IDS
from tests.test_registry import CONTRACT_ORDER

pytestmark = pytest.mark.usefixtures("frozen_policy")  # mechanisms, not the law: tests/policy/README.md


def basis_of(result: dict[str, Any], indicator: str) -> list[dict[str, Any]]:
    item = next(i for i in result["items"] if i["indicator"] == indicator)
    basis: list[dict[str, Any]] = item["basis"]
    return basis


def test_items_list_every_indicator_once_in_contract_order(example: dict[str, Any]) -> None:
    result = score(example).to_dict()
    assert [i["indicator"] for i in result["items"]] == list(INDICATOR_IDS)
    assert list(INDICATOR_IDS) == CONTRACT_ORDER


def test_the_contract_example_age_basis(example: dict[str, Any]) -> None:
    first = basis_of(score(example).to_dict(), "age")[0]
    assert {k: first[k] for k in ("parameter", "value", "effective_from", "source")} == {
        "parameter": "age.full_points_max_age",
        "value": 43,
        "effective_from": "2018-01-01",
        "source": "沪府发〔2017〕98号 第六条",
    }
    assert first["href"].startswith("http")


def test_every_item_has_both_languages_and_every_scoring_item_a_basis(example: dict[str, Any]) -> None:
    for item in score(example).to_dict()["items"]:
        assert item["explanation"]["zh"] and item["explanation"]["en"], item["indicator"]
        if item["points"] != 0:
            assert item["basis"], item["indicator"]


def test_explanations_name_the_facts_and_values(example: dict[str, Any]) -> None:
    items = {i["indicator"]: i for i in score(example).to_dict()["items"]}
    assert items["age"]["explanation"]["zh"] == "36周岁（1990年5月1日出生），不超过43周岁，积满分30分。"
    assert items["age"]["explanation"]["en"] == "Age 36 (born 1 May 1990), at most 43: full 30 points."
    assert items["si_base"]["explanation"]["en"] == (
        "48 of the 48 months November 2022 to October 2026 at or above 1x the reference wage (36 needed): 50 points."
    )
    assert items["education"]["explanation"]["zh"].endswith("计入专业技术职称和技能等级100分，本项不计入。")
    assert items["remote_area"]["explanation"]["en"] == (
        "Working and living in Lingang New Area: 4 full years at 2 each, cap 20: 8 points."
    )


def test_the_base_tier_basis_lists_each_reference_wage_in_the_window(example: dict[str, Any]) -> None:
    basis = basis_of(score(example).to_dict(), "si_base")
    references = [(b["value"], b["effective_from"]) for b in basis if b["parameter"] == "si_base.reference_wage"]
    assert references == [
        (10338, "2022-07-01"),
        (11396, "2023-07-01"),
        (11396, "2024-07-01"),
        (11396, "2025-07-01"),
        (11396, "2026-07-01"),
    ]


def test_the_lingang_basis_is_the_2024_change(example: dict[str, Any]) -> None:
    first = basis_of(score(example).to_dict(), "remote_area")[0]
    assert (first["parameter"], first["value"], first["effective_from"]) == (
        "remote_area.counted_after_years.lingang",
        1,
        "2024-08-21",
    )


def test_a_provisional_value_used_is_flagged_and_warned(example: dict[str, Any]) -> None:
    result = score(example).to_dict()
    provisional = [b for b in basis_of(result, "si_base") if b.get("provisional")]
    assert [b["effective_from"] for b in provisional] == ["2026-07-01"]
    assert result["warnings"] == [
        {
            "zh": "2026年7月起的积分参考工资尚未公布，暂按11,396元/月估算。",
            "en": "The points reference wage from July 2026 has not been published; 11,396 yuan a month is assumed.",
        }
    ]


def test_no_warning_when_only_published_values_are_used(example: dict[str, Any]) -> None:
    from datetime import date

    assert score(example, on=date(2026, 7, 1)).to_dict()["warnings"] == []


def test_scoring_without_explanations_gives_the_same_points(example: dict[str, Any]) -> None:
    full, bare = score(example), score(example, explain=False)
    assert [(i.points, i.counted) for i in full.items] == [(i.points, i.counted) for i in bare.items]
    assert bare.total == full.total == 250
    assert all(i.explanation is None and i.basis == () for i in bare.items)


def test_scoring_with_the_basis_but_no_texts_renders_them_only_when_asked(example: dict[str, Any]) -> None:
    """The advisor's projection keeps each item's basis (for its warnings) and renders a text only for the
    items it shows: the same basis and, when asked, the same text as a full score."""
    full, lean = score(example), score(example, explain=False, basis=True)
    assert [i.basis for i in lean.items] == [i.basis for i in full.items]
    assert [c.basis for c in lean.eligibility] == [c.basis for c in full.eligibility]
    assert all(i.explanation is None for i in lean.items)
    assert [i.text() for i in lean.items] == [i.explanation for i in full.items]
    assert [c.text() for c in lean.eligibility] == [c.explanation for c in full.eligibility]
    assert lean.to_dict()["items"][0]["explanation"] is None  # nothing rendered behind the caller's back
    assert score(example, explain=False).items[0].text() is None  # no basis, no text


def test_eligibility_checks_are_explained(example: dict[str, Any]) -> None:
    checks = score(example).to_dict()["eligibility"]
    assert [(c["check"], c["met"]) for c in checks] == [
        ("minimum_age", True),
        ("filing_month", True),
        ("insurance", True),
        ("residence_permit", True),
        ("veto", True),
    ]
    assert checks[0]["explanation"] == {
        "zh": "36周岁，已满18周岁，符合申请的年龄条件。",
        "en": "Age 36: at least 18, old enough to apply.",
    }
    assert checks[1]["explanation"] == {
        "zh": "申请当月（2026年11月）在缴纳本市职工社会保险，满足申请当月缴费的条件。",
        "en": "Paying Shanghai employee insurance in the filing month (November 2026): met.",
    }
    assert checks[2]["explanation"]["en"] == (
        "12 counted insurance months in the last 12 (November 2025 to October 2026): at least 6 needed, met."
    )
