"""The facts as labelled tables (jifen.facts.tables): every key of jifen.facts/1 with a label and its value in
words, in Chinese and English, and the rows that changed against earlier facts."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from jifen.facts.parse import parse_facts
from jifen.facts.tables import LABELS_FILE, Section, compare, default_labels, fact_tables, load_labels
from jifen.policy.loader import POLICY_DIR
from jifen.policy.model import PolicyError
from jifen.yamlio import load_yaml
from tests.conftest import contract_example

TODAY = date(2026, 11, 27)


def flat(sections: tuple[Section, ...], lang: str) -> list[tuple[str, ...]]:
    """(section, entry or "", label, value) for every row; a changed row adds its change and earlier value."""
    out: list[tuple[str, ...]] = []
    for section in sections:
        for group in section.groups:
            for row in group.rows:
                value = row.value.text[lang]
                line: tuple[str, ...] = (
                    section.title[lang],
                    group.title[lang] if group.title else "",
                    row.label[lang],
                    value,
                )
                if row.change or group.change:
                    line += (group.change or row.change,)
                if row.before is not None:
                    line += (row.before.text[lang],)
                out.append(line)
    return out


def test_the_contract_example_in_chinese() -> None:
    assert flat(fact_tables(contract_example(), TODAY), "zh") == [
        ("基本情况", "", "出生日期", "1990年5月1日"),
        ("基本情况", "", "身份证号码", "310115199005010018"),
        ("基本情况", "", "居住证有效期起", "2026年3月1日"),
        ("基本情况", "", "居住证有效期至", "2027年2月28日"),
        ("教育背景", "第1项学历", "学历", "大学本科"),
        ("教育背景", "第1项学历", "取得学位", "是"),
        ("教育背景", "第1项学历", "毕业日期", "2012年7月1日"),
        ("教育背景", "第1项学历", "全日制", "是"),
        ("专业技术职称和技能等级", "第1项职称或技能等级", "职称或技能等级", "中级职称"),
        ("专业技术职称和技能等级", "第1项职称或技能等级", "取得日期", "2019年12月1日"),
        ("专业技术职称和技能等级", "第1项职称或技能等级", "在本市工作期间取得", "是"),
        ("专业技术职称和技能等级", "第1项职称或技能等级", "与岗位相符", "是"),
        ("社会保险缴费", "第1段缴费", "缴费月份", "2016年7月至2021年6月，共60个月"),
        ("社会保险缴费", "第1段缴费", "月缴费基数", "9,000元/月"),
        ("社会保险缴费", "第2段缴费", "缴费月份", "2021年7月起至今，计至2026年11月共65个月"),
        ("社会保险缴费", "第2段缴费", "月缴费基数", "12,000元/月"),
        ("社会保险缴费", "第2段缴费", "补缴", "否"),
        ("社会保险缴费", "第2段缴费", "缴费单位与劳动合同单位一致", "是"),
        ("配偶为本市户籍人员", "", "与本市户籍人员结婚日期", "2018年5月20日"),
        ("远郊重点区域", "第1段远郊重点区域", "区域", "临港新片区"),
        ("远郊重点区域", "第1段远郊重点区域", "工作并居住起", "2022年3月1日"),
        ("远郊重点区域", "第1段远郊重点区域", "工作并居住至", "至今"),
        ("特定的公共服务领域", "第1段公共服务领域就业", "就业起", "2015年1月1日"),
        ("特定的公共服务领域", "第1段公共服务领域就业", "就业至", "2019年12月31日"),
        ("表彰奖励", "第1项表彰", "表彰级别", "市级专项性表彰"),
        ("表彰奖励", "第1项表彰", "获奖日期", "2021年4月30日"),
        ("其他加分事项", "", "紧缺急需专业且与岗位相符", "否"),
        ("其他加分事项", "", "全日制应届高校毕业生", "否"),
        ("其他加分事项", "", "创业人才", "否"),
        ("其他加分事项", "", "创新创业中介服务人才", "否"),
        ("其他加分事项", "", "年均纳税额", "0元"),
        ("其他加分事项", "", "年均带动本市户籍就业人数", "0人"),
        ("减分事项", "第1项减分记录", "减分事项", "行政拘留"),
        ("减分事项", "第1项减分记录", "记录日期", "2023年2月1日"),
        ("一票否决事项", "", "一票否决事项", "无"),
        ("申报信息", "", "事实格式", "第1版积分事实格式"),
        ("申报信息", "", "计算日期", "2026年11月27日"),
        ("申报信息", "", "上次核定积分", "118分"),
        ("申报信息", "", "上次核定日期", "2025年3月2日"),
    ]


def test_the_contract_example_in_english() -> None:
    rows = flat(fact_tables(contract_example(), TODAY), "en")
    assert rows[:5] == [
        ("Personal details", "", "Birth date", "1 May 1990"),
        ("Personal details", "", "ID number", "310115199005010018"),
        ("Personal details", "", "Permit valid from", "1 March 2026"),
        ("Personal details", "", "Permit valid until", "28 February 2027"),
        ("Education", "Education 1", "Level", "Bachelor"),
    ]
    assert ("Title or skill level", "Title or skill 1", "Title or skill level", "Intermediate title") in rows
    insurance = [r[1:] for r in rows if r[0] == "Social insurance contributions"]
    assert insurance == [
        ("Run 1", "Months paid", "July 2016 to June 2021, 60 months"),
        ("Run 1", "Monthly base", "9,000 yuan a month"),
        ("Run 2", "Months paid", "July 2021 onwards, 65 months to November 2026"),
        ("Run 2", "Monthly base", "12,000 yuan a month"),
        ("Run 2", "Back-paid", "No"),
        ("Run 2", "Paid by the contract employer", "Yes"),
    ]
    assert ("Remote key area", "Remote area 1", "Area", "Lingang New Area") in rows
    assert ("Remote key area", "Remote area 1", "Until", "ongoing") in rows
    assert ("Awards", "Award 1", "Level", "Municipal special award") in rows
    assert ("Deductions", "Deduction 1", "Deduction", "Administrative detention") in rows
    assert ("Veto items", "", "Veto items", "None") in rows
    assert ("About the filing", "", "Last approved points", "118 points") in rows


def test_dates_keep_the_day_for_the_page() -> None:
    person = fact_tables(contract_example(), TODAY)[0]
    birth = person.groups[0].rows[0]
    assert (birth.key, birth.value.day) == ("birth_date", date(1990, 5, 1))


def every_key() -> dict[str, Any]:
    """Facts with every key of the schema given (and valid)."""
    facts = contract_example()
    facts["education"][0]["foreign"] = False
    facts["education"].append({"level": "master", "degree": False, "graduated_on": "2015-07-01"})
    facts["qualifications"].append({"kind": "skill", "level": 3, "obtained_on": "2020-01-01"})
    facts["social_insurance"][0] |= {"back_paid": True, "employer_matches_contract": False}
    facts["social_insurance"][0]["employer_uscc"] = "91310115MA1H7ABCDF"
    facts["investment"] = {"avg_annual_tax_yuan": 150000.5, "avg_annual_hukou_employees": 12}
    facts["vetoes"] = [{"kind": "family_planning_violation", "on": "2010-01-01"}]
    return facts


def test_every_key_of_the_schema_has_a_label_and_every_value_words() -> None:
    facts = every_key()
    parse_facts(facts)  # the schema takes it: these are its keys
    rows = flat(fact_tables(facts, TODAY), "zh") + flat(fact_tables(facts, TODAY), "en")
    shown = [row for row in rows if row[2].startswith(("其他字段", "Other field"))]
    assert shown == []
    keys = {"level", "kind", "from", "to", "base", "on", "degree", "foreign", "employer_uscc", "total", "schema"}
    assert not [row for row in rows if row[2] in keys or row[3] in {"master", "skill", "family_planning_violation"}]
    zh = flat(fact_tables(facts, TODAY), "zh")
    assert ("教育背景", "第1项学历", "境外学历学位", "否") in zh
    assert ("教育背景", "第2项学历", "学历", "硕士研究生") in zh
    assert ("专业技术职称和技能等级", "第2项职称或技能等级", "职称或技能等级", "技能三级") in zh
    assert ("社会保险缴费", "第1段缴费", "补缴", "是") in zh
    assert ("社会保险缴费", "第1段缴费", "缴费单位与劳动合同单位一致", "否") in zh
    assert ("社会保险缴费", "第1段缴费", "缴费单位统一社会信用代码", "91310115MA1H7ABCDF") in zh
    assert ("其他加分事项", "", "年均纳税额", "150,000.50元") in zh
    assert ("其他加分事项", "", "年均带动本市户籍就业人数", "12人") in zh
    assert ("一票否决事项", "第1项一票否决事项", "一票否决事项", "违反计划生育政策") in zh


def test_keys_the_schema_does_not_know_are_still_shown() -> None:
    facts = {**contract_example(), "colour": "blue"}
    facts["education"][0]["school"] = "复旦大学"
    rows = flat(fact_tables(facts, TODAY), "zh")
    assert ("教育背景", "第1项学历", "其他字段：education[0].school", '"复旦大学"') in rows
    assert rows[-1] == ("其他", "", "其他字段：colour", '"blue"')
    assert flat(fact_tables(facts, TODAY), "en")[-1] == ("Other", "", "Other field: colour", '"blue"')


def test_sections_without_their_keys_are_left_out() -> None:
    minimal = {"schema": "jifen.facts/1", "birth_date": "1990-05-01"}
    assert [s.id for s in fact_tables(minimal, TODAY)] == ["person", "filing"]
    one_month = {**minimal, "social_insurance": [{"from": "2026-11", "to": None, "base": 8000}]}
    assert flat(fact_tables(one_month, TODAY), "en")[1][2:] == (
        "Months paid",
        "November 2026 onwards, 1 month to November 2026",
    )


class TestAgainstEarlierFacts:
    def changed(self) -> dict[str, Any]:
        facts = copy.deepcopy(contract_example())
        facts["qualifications"][0]["level"] = "senior"
        facts["social_insurance"][1]["to"] = "2026-06"  # a new base from July: the run split in two
        facts["social_insurance"].append({"from": "2026-07", "to": None, "base": 15000})
        facts["awards"] = []
        del facts["hukou_spouse_married_on"]
        return facts

    def marked(self, lang: str = "zh") -> list[tuple[str, ...]]:
        rows = flat(compare(fact_tables(self.changed(), TODAY), fact_tables(contract_example(), TODAY)), lang)
        return [row for row in rows if len(row) > 4]  # the marked ones

    def test_a_changed_value_is_marked_with_the_value_before(self) -> None:
        assert self.marked()[:2] == [
            ("专业技术职称和技能等级", "第1项职称或技能等级", "职称或技能等级", "高级职称", "changed", "中级职称"),
            (
                "社会保险缴费",
                "第2段缴费",
                "缴费月份",
                "2021年7月至2026年6月，共60个月",
                "changed",
                "2021年7月起至今，计至2026年11月共65个月",
            ),
        ]

    def test_added_and_removed_entries_are_said_where_they_stand(self) -> None:
        assert self.marked()[2:] == [
            ("社会保险缴费", "第3段缴费", "缴费月份", "2026年7月起至今，计至2026年11月共5个月", "added"),
            ("社会保险缴费", "第3段缴费", "月缴费基数", "15,000元/月", "added"),
            ("配偶为本市户籍人员", "", "与本市户籍人员结婚日期", "2018年5月20日", "removed"),
            ("表彰奖励", "第1项表彰", "表彰级别", "市级专项性表彰", "removed"),
            ("表彰奖励", "第1项表彰", "获奖日期", "2021年4月30日", "removed"),
        ]
        rows = flat(compare(fact_tables(self.changed(), TODAY), fact_tables(contract_example(), TODAY)), "zh")
        awards = [row for row in rows if row[0] == "表彰奖励"]
        assert awards[-1] == ("表彰奖励", "", "表彰奖励", "无")  # the empty list is said, not marked

    def test_the_same_facts_mark_nothing(self) -> None:
        same = compare(fact_tables(contract_example(), TODAY), fact_tables(contract_example(), TODAY))
        assert same == fact_tables(contract_example(), TODAY)
        assert not any(s.changed for s in same)


def test_the_labels_file_must_label_every_key(tmp_path: Path) -> None:
    data = load_yaml(POLICY_DIR / LABELS_FILE)
    del data["labels"]["social_insurance[].base"]
    data["values"]["awards[].level"].pop("national")
    path = tmp_path / LABELS_FILE
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"labels: no words for social_insurance\[\]\.base"):
        load_labels(path)
    data["labels"]["social_insurance[].base"] = {"zh": "月缴费基数", "en": "Monthly base"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"values\.awards\[\]\.level: no words for national"):
        load_labels(path)


def test_the_bundled_labels_load() -> None:
    assert default_labels().labels["birth_date"] == {"zh": "出生日期", "en": "Birth date"}
