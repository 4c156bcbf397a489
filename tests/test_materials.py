"""Materials from the facts: only what the claimed indicators and the facts need, in words."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jifen.advisor import advise
from jifen.advisor.materials import load_checklist
from jifen.cli.main import app
from jifen.policy.model import PolicyError
from tests.conftest import FROZEN_POLICY

pytestmark = pytest.mark.usefixtures("frozen_policy")

ON = date(2026, 11, 30)
SI = [{"from": "2020-01", "to": None, "base": 9000}]


def holder(**fields: Any) -> dict[str, Any]:
    return {"schema": "jifen.facts/1", "birth_date": "1990-05-01", "social_insurance": SI, **fields}


def groups(facts: dict[str, Any]) -> dict[str, list[str]]:
    return {g["indicator"]: g["items"]["zh"] for g in advise(facts, on=ON).materials}


def education(**entry: Any) -> list[dict[str, Any]]:
    return [{"level": "bachelor", "graduated_on": "2012-07-01", **entry}]


def test_no_degree_certificate_without_a_degree() -> None:
    items = groups(holder(education=[{"level": "junior_college", "graduated_on": "2010-07-01", "full_time": True}]))
    assert items["education"] == ["毕业证书（学历证书）", "教育部学历证书电子注册备案表"]


def test_a_domestic_full_time_degree() -> None:
    items = groups(holder(education=education(degree=True, full_time=True)))["education"]
    assert items == [
        "毕业证书（学历证书）",
        "学位证书",
        "教育部学历证书电子注册备案表",
        "中国高等教育学位在线验证报告",
    ]


def test_a_foreign_degree_needs_its_certification_and_no_domestic_records() -> None:
    items = groups(holder(education=education(degree=True, full_time=True, foreign=True)))["education"]
    assert items == ["毕业证书（学历证书）", "学位证书", "教育部留学服务中心出具的国（境）外学历学位认证书"]
    domestic = groups(holder(education=education(degree=True, full_time=True)))["education"]
    assert not any("留学服务中心" in i for i in domestic)


def test_part_time_and_top_up_degrees_bring_their_extra_papers() -> None:
    entries = [
        {"level": "junior_college", "graduated_on": "2009-07-01", "full_time": True},
        {"level": "bachelor", "degree": True, "graduated_on": "2012-07-01"},  # full_time not said: part-time
    ]
    items = groups(holder(education=entries))["education"]
    assert "非全日制学历（自考、成教、网教）另附学籍在线验证报告，以及毕业生登记表或成绩单" in items
    assert "专升本的，另附专科毕业证书" in items


def test_title_or_skill_papers_only_for_the_qualification_claimed() -> None:
    title = {"kind": "title", "level": "senior", "obtained_on": "2020-01-01", "obtained_in_shanghai": True}
    skill = {"kind": "skill", "level": 3, "obtained_on": "2020-01-01", "obtained_in_shanghai": True}
    above_1x = [{"from": "2020-01", "to": None, "base": 12000}]  # a senior title needs 6 of 12 months at 1x
    as_title = groups(holder(qualifications=[{**title, "matches_post": True}], social_insurance=above_1x))
    as_skill = groups(holder(qualifications=[{**skill, "matches_post": True}]))
    assert "专业技术职务任职资格证书（职称证书）" in as_title["qualification"]
    assert not any("职业资格证书或职业技能等级证书" in i for i in as_title["qualification"])
    assert "国家职业资格证书或职业技能等级证书" in as_skill["qualification"]
    assert not any("职称证书" in i for i in as_skill["qualification"])
    assert "qualification" not in groups(holder())


def test_a_marriage_certificate_only_with_a_hukou_spouse() -> None:
    assert groups(holder(hukou_spouse_married_on="2015-05-20"))["hukou_spouse"] == ["结婚证", "配偶的本市户籍证明"]
    assert "hukou_spouse" not in groups(holder())
    assert not any("结婚证" in i for items in groups(holder()).values() for i in items)


def test_groups_are_labelled_in_words(example: dict[str, Any]) -> None:
    for group in advise(example, on=ON).materials:
        assert set(group) == {"indicator", "label", "items"}
        for lang in ("zh", "en"):
            assert group["label"][lang] and "_" not in group["label"][lang]
            for item in group["items"][lang]:
                assert "_" not in item and "basic" not in item
    labels = {g["indicator"]: g["label"]["zh"] for g in advise(example, on=ON).materials}
    assert labels["basic"] == "基本材料" and labels["si_base"] == "缴纳社保费基数"


def test_the_text_command_shows_labels_not_ids(tmp_path: Path, example: dict[str, Any]) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(example), encoding="utf-8")
    out = CliRunner().invoke(app, ["advise", str(path), "--on", "2026-11-30"]).stdout
    assert "基本材料" in out and "缴纳社保费基数" in out
    assert "\n  basic\n" not in out and "\n  si_base\n" not in out


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("when: degree}", "indicators.education[1].when: expected one or more of degree"),
        ("when: married}", "indicators.hukou_spouse[0].when: expected one or more of degree"),
    ],
)
def test_an_unknown_condition_names_the_item(tmp_path: Path, edit: str, message: str) -> None:
    path = tmp_path / "materials.yaml"
    shutil.copy(FROZEN_POLICY / "materials.yaml", path)
    text = path.read_text(encoding="utf-8")
    assert edit in text
    path.write_text(text.replace(edit, "when: nowhere}", 1), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_checklist(path)
    assert message in str(caught.value)
