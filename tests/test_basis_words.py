"""Basis lines and parameter values in words (policy/basis_words.py, policy/vocabulary.yaml)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jifen.policy.basis_words import UnknownTermError, basis_lines, confidence_words, term, value_in_words
from jifen.policy.loader import default_policy
from jifen.rules.engine import score

pytestmark = pytest.mark.usefixtures("frozen_policy")  # wording, not the law: tests/policy/README.md


def lines_of(result: dict[str, Any], indicator: str, language: str) -> list[str]:
    item = next(i for i in result["items"] if i["indicator"] == indicator)
    return [line.text[language] for line in basis_lines(item["basis"], default_policy())]


@pytest.fixture
def result(example: dict[str, Any]) -> dict[str, Any]:
    return score(example).to_dict()


def test_a_basis_line_reads_as_a_sentence(result: dict[str, Any]) -> None:
    assert lines_of(result, "age", "zh") == [
        "获得年龄满分的最高周岁 43周岁 · 沪府发〔2017〕98号 第六条 · 2018年1月起",
        "年龄指标满分 30分 · 沪府发〔2017〕98号 第六条 · 2018年1月起",
    ]
    assert (
        lines_of(result, "age", "en")[1] == "full age points 30 points · 沪府发〔2017〕98号 第六条 · from January 2018"
    )


def test_a_table_entry_is_named_by_its_key_in_words(result: dict[str, Any]) -> None:
    assert lines_of(result, "education", "zh")[0] == (
        "教育背景积分（硕士、博士须学历学位齐全）：本科及学士学位 90分 · 沪府发〔2017〕98号 第六条 · 2018年1月起"
    )


def test_identical_consecutive_values_fold_into_one_line_with_their_range(result: dict[str, Any]) -> None:
    wage = [line for line in lines_of(result, "si_base", "zh") if line.startswith("积分参考工资")]
    # 2022-07 (10,338) stands alone; 2023-07 to 2026-07 (11,396, one source) fold, the last provisional
    assert wage == [
        "积分参考工资 10,338元/月 · 沪人社力〔2022〕103号 · 2022年7月起",
        "积分参考工资 11,396元/月 · 上海市人社局 人才引进平均工资参考水平（年度口径，含居住证积分） · "
        "2023年7月至2026年7月各期（最近一期暂定）",
    ]


def test_lines_differing_in_value_or_source_do_not_fold() -> None:
    row = {"parameter": "si_base.reference_wage", "value": 11396, "effective_from": "2023-07-01", "source": "甲"}
    policy = default_policy()
    assert len(basis_lines([row, {**row, "effective_from": "2024-07-01"}], policy)) == 1
    assert len(basis_lines([row, {**row, "effective_from": "2024-07-01", "value": 12000}], policy)) == 2
    assert len(basis_lines([row, {**row, "effective_from": "2024-07-01", "source": "乙"}], policy)) == 2


def test_records_and_lists_read_as_words() -> None:
    policy = default_policy()
    tiers = policy.parameters["si_base.tiers"]
    words = value_in_words(tiers, tiers.values[-1].value)
    assert words["zh"].startswith("48个月内有36个月基数达到或高于参考工资的0.8倍：25分；")
    assert words["en"].endswith("24 of 36 months with a base at or above 3 times the reference wage: 120 points")
    choose = policy.parameters["scheme.choose_one"]
    assert value_in_words(choose, choose.values[-1].value) == {
        "zh": "教育背景、专业技术职称和技能等级",
        "en": "education, professional title or skill level",
    }
    assert value_in_words(policy.parameters["public_service.cap"], None) == {"zh": "无", "en": "none"}


def test_every_value_of_the_policy_data_has_words() -> None:
    """A new id in a parameter value without words in vocabulary.yaml fails here, naming it."""
    for parameter in default_policy().parameters.values():
        for dated in parameter.values:
            words = value_in_words(parameter, dated.value)
            assert words["zh"] and words["en"], parameter.name


def test_an_id_without_words_is_refused_by_name() -> None:
    with pytest.raises(UnknownTermError, match=re.escape("vocabulary.yaml has no words for 'phd' in education.points")):
        term("education.points", "phd")


def test_confidence_tags_in_words() -> None:
    assert confidence_words("C") == {
        "zh": "C 机构报道，未见官方原文",
        "en": "C: reported by agencies, no official text retrieved",
    }
