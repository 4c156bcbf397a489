"""The facts a person knows (dates, months and bases, certificates), as a form that builds
``jifen.facts/1``; errors of the engine's validation come back next to the field they concern."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jifen.facts.parse import FactsError

EDUCATION = [
    ("", "—"),
    ("junior_college", _("大专（高职）")),
    ("bachelor", _("大学本科")),
    ("master", _("硕士研究生")),
    ("doctor", _("博士研究生")),
]
QUALIFICATION = [
    ("", "—"),
    ("title:junior", _("初级职称")),
    ("title:intermediate", _("中级职称")),
    ("title:senior", _("高级职称")),
    ("skill:5", _("技能五级")),
    ("skill:4", _("技能四级")),
    ("skill:3", _("技能三级")),
    ("skill:2", _("技能二级")),
    ("skill:1", _("技能一级")),
]
AREAS = [
    ("", "—"),
    ("lingang", _("临港新片区")),
    ("new_city", _("五个新城")),
    ("transition_area", _("南北转型地区")),
    ("other", _("其他远郊重点区域")),
]
AWARDS = [
    ("", "—"),
    ("municipal_special", _("市级专项性表彰")),
    ("municipal_comprehensive", _("市级综合性表彰")),
    ("national", _("省部级及以上表彰")),
]
PENALTIES = [
    ("", "—"),
    ("false_material", _("提供虚假材料")),
    ("administrative_detention", _("行政拘留")),
    ("criminal_record", _("一般刑事犯罪")),
]
INSURANCE_ROWS = 8  # bases change every July: 8 runs cover the 4-year window and the history before it
DATE = {"type": "date"}
MONTH = {"type": "month"}


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


def _month(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs=MONTH), max_length=7)


class FactsForm(forms.Form):
    as_of = _date(_("计算日期"))
    birth_date = _date(_("出生日期"), required=True)
    permit_valid_from = _date(_("居住证有效期起"))
    permit_valid_until = _date(_("居住证有效期至"))
    edu_level = forms.ChoiceField(label=_("最高学历"), choices=EDUCATION, required=False)
    edu_degree = forms.BooleanField(label=_("取得学位"), required=False)
    edu_graduated_on = _date(_("毕业日期"))
    qual = forms.ChoiceField(label=_("职称或技能等级"), choices=QUALIFICATION, required=False)
    qual_obtained_on = _date(_("取得日期"))
    qual_in_shanghai = forms.BooleanField(label=_("在本市工作期间取得"), required=False)
    qual_matches_post = forms.BooleanField(label=_("与岗位相符"), required=False)
    married_on = _date(_("与本市户籍人员结婚日期"))
    area = forms.ChoiceField(label=_("远郊重点区域"), choices=AREAS, required=False)
    area_from = _date(_("工作并居住起"))
    service_from = _date(_("特定公共服务领域就业起"))
    service_to = _date(_("至（空则为至今）"))
    award = forms.ChoiceField(label=_("表彰奖励"), choices=AWARDS, required=False)
    award_on = _date(_("获奖日期"))
    shortage_major = forms.BooleanField(label=_("紧缺急需专业且与岗位相符"), required=False)
    fresh_graduate = forms.BooleanField(label=_("全日制应届高校毕业生"), required=False)
    penalty = forms.ChoiceField(label=_("减分记录"), choices=PENALTIES, required=False)
    penalty_on = _date(_("记录日期"))
    last_total = forms.IntegerField(label=_("上次核定积分"), required=False, min_value=0)
    last_on = _date(_("上次核定日期"))
    target = _date(_("需要积分的日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(INSURANCE_ROWS):
            self.fields[f"si{i}_from"] = _month(_("缴费起（年-月）"))
            self.fields[f"si{i}_to"] = _month(_("缴费至（空则为至今）"))
            self.fields[f"si{i}_base"] = forms.DecimalField(
                label=_("月缴费基数（元）"), required=False, min_value=0, decimal_places=2
            )
            self.fields[f"si{i}_back_paid"] = forms.BooleanField(label=_("补缴"), required=False)

    def insurance_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"si{i}_{k}"] for k in ("from", "to", "base", "back_paid")] for i in range(INSURANCE_ROWS)]

    def to_facts(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The facts document, and for each facts path the form field it came from."""
        d = self.cleaned_data
        facts: dict[str, Any] = {"schema": "jifen.facts/1", "birth_date": _iso(d["birth_date"])}
        where: dict[str, str] = {"birth_date": "birth_date", "as_of": "as_of"}
        if d.get("as_of"):
            facts["as_of"] = _iso(d["as_of"])
        if d.get("permit_valid_from") and d.get("permit_valid_until"):
            facts["residence_permit"] = {
                "valid_from": _iso(d["permit_valid_from"]),
                "valid_until": _iso(d["permit_valid_until"]),
            }
            where["residence_permit.valid_until"] = "permit_valid_until"
        if d.get("edu_level"):
            facts["education"] = [
                {"level": d["edu_level"], "degree": d["edu_degree"], "graduated_on": _iso(d.get("edu_graduated_on"))}
            ]
            where["education[0].graduated_on"] = "edu_graduated_on"
        if d.get("qual"):
            kind, level = d["qual"].split(":")
            facts["qualifications"] = [
                {
                    "kind": kind,
                    "level": int(level) if kind == "skill" else level,
                    "obtained_on": _iso(d.get("qual_obtained_on")),
                    "obtained_in_shanghai": d["qual_in_shanghai"],
                    "matches_post": d["qual_matches_post"],
                }
            ]
            where["qualifications[0].obtained_on"] = "qual_obtained_on"
        segments: list[dict[str, Any]] = []
        for i in range(INSURANCE_ROWS):
            if not d.get(f"si{i}_from") and d.get(f"si{i}_base") is None:
                continue
            n = len(segments)
            segments.append(
                {
                    "from": d.get(f"si{i}_from") or None,
                    "to": d.get(f"si{i}_to") or None,
                    "base": _number(d.get(f"si{i}_base")),
                    "back_paid": d[f"si{i}_back_paid"],
                }
            )
            for key in ("from", "to", "base"):
                where[f"social_insurance[{n}].{key}"] = f"si{i}_{key}"
        if segments:
            facts["social_insurance"] = segments
        if d.get("married_on"):
            facts["hukou_spouse_married_on"] = _iso(d["married_on"])
            where["hukou_spouse_married_on"] = "married_on"
        if d.get("area"):
            facts["remote_area"] = [{"area": d["area"], "from": _iso(d.get("area_from")), "to": None}]
            where["remote_area[0].from"] = "area_from"
        if d.get("service_from"):
            facts["public_service"] = [{"from": _iso(d["service_from"]), "to": _iso(d.get("service_to"))}]
            where["public_service[0].to"] = "service_to"
        if d.get("award"):
            facts["awards"] = [{"level": d["award"], "awarded_on": _iso(d.get("award_on"))}]
            where["awards[0].awarded_on"] = "award_on"
        if d.get("penalty"):
            facts["penalties"] = [{"kind": d["penalty"], "on": _iso(d.get("penalty_on"))}]
            where["penalties[0].on"] = "penalty_on"
        facts["shortage_major_matching_post"] = d["shortage_major"]
        facts["fresh_graduate"] = d["fresh_graduate"]
        if d.get("last_total") is not None and d.get("last_on"):
            facts["last_approved"] = {"total": d["last_total"], "on": _iso(d["last_on"])}
            where["last_approved.on"] = "last_on"
        return facts, where

    def add_facts_errors(self, error: FactsError, where: dict[str, str], lang: str = "zh") -> None:
        for item in error.errors:
            message = item.message_zh if lang == "zh" and item.message_zh else item.message
            field = where.get(item.path)
            if field is None:  # a path the form has no single field for: match the closest prefix
                field = next((f for p, f in where.items() if item.path.startswith(p.split(".")[0])), None)
            self.add_error(field, f"{item.path}: {message}")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)
