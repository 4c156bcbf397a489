"""The facts a person knows (dates, months and bases, certificates), as a form that builds
``jifen.facts/1``; errors of the engine's validation come back next to the field they concern.

``FactsForm.initial_from(facts)`` is the inverse of ``to_facts``: a change application starts from the facts
of the last approval. What the form has no field for (``id_number``, ``investment``, ``education[0].full_time``,
an insurance run's ``employer_uscc``, a second degree...) travels in the hidden field ``kept`` and is put back
as it was by ``to_facts``, so that a round trip gives the same facts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
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
# The keys of the facts the form has fields for: at the top, and in each row of a list (the form shows the first
# row of each list, and INSURANCE_ROWS runs of social_insurance).
SHOWN = {
    "schema",
    "as_of",
    "birth_date",
    "residence_permit",
    "education",
    "qualifications",
    "social_insurance",
    "hukou_spouse_married_on",
    "remote_area",
    "public_service",
    "awards",
    "penalties",
    "shortage_major_matching_post",
    "fresh_graduate",
    "last_approved",
}
ROW_KEYS = {
    "education": {"level", "degree", "graduated_on"},
    "qualifications": {"kind", "level", "obtained_on", "obtained_in_shanghai", "matches_post"},
    "social_insurance": {"from", "to", "base", "back_paid"},
    "remote_area": {"area", "from"},
    "public_service": {"from", "to"},
    "awards": {"level", "awarded_on"},
    "penalties": {"kind", "on"},
}
ROWS_SHOWN = {group: INSURANCE_ROWS if group == "social_insurance" else 1 for group in ROW_KEYS}
# Values a kept fact may have without being worth mentioning: the defaults.
QUIET: dict[str, Any] = {"employer_matches_contract": True}
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
    kept = forms.CharField(required=False, widget=forms.HiddenInput)  # JSON: see initial_from

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(INSURANCE_ROWS):
            self.fields[f"si{i}_from"] = _month(_("缴费起（年-月）"))
            self.fields[f"si{i}_to"] = _month(_("缴费至（空则为至今）"))
            self.fields[f"si{i}_base"] = forms.DecimalField(
                label=_("月缴费基数（元）"), required=False, min_value=0, decimal_places=2
            )
            self.fields[f"si{i}_back_paid"] = forms.BooleanField(label=_("补缴"), required=False)

    @classmethod
    def initial_from(cls, facts: Mapping[str, Any]) -> dict[str, Any]:
        """The form's initial data for ``facts`` (a valid ``jifen.facts/1`` document): the inverse of
        ``to_facts``. What the form has no field for goes to ``kept``, which ``to_facts`` puts back."""
        out: dict[str, Any] = {
            "as_of": facts.get("as_of"),
            "birth_date": facts.get("birth_date"),
            "married_on": facts.get("hukou_spouse_married_on"),
            "shortage_major": bool(facts.get("shortage_major_matching_post")),
            "fresh_graduate": bool(facts.get("fresh_graduate")),
        }
        permit = facts.get("residence_permit")
        if permit:
            out |= {"permit_valid_from": permit["valid_from"], "permit_valid_until": permit["valid_until"]}
        rows: dict[str, list[Mapping[str, Any]]] = {group: list(facts.get(group) or []) for group in ROW_KEYS}
        if rows["education"]:
            e = rows["education"][0]
            out |= {"edu_level": e["level"], "edu_degree": bool(e.get("degree")), "edu_graduated_on": e["graduated_on"]}
        if rows["qualifications"]:
            q = rows["qualifications"][0]
            out |= {
                "qual": f"{q['kind']}:{q['level']}",
                "qual_obtained_on": q["obtained_on"],
                "qual_in_shanghai": bool(q.get("obtained_in_shanghai")),
                "qual_matches_post": bool(q.get("matches_post")),
            }
        for i, run in enumerate(rows["social_insurance"][:INSURANCE_ROWS]):
            out |= {
                f"si{i}_from": run["from"],
                f"si{i}_to": run.get("to") or "",
                f"si{i}_base": run["base"],
                f"si{i}_back_paid": bool(run.get("back_paid")),
            }
        if rows["remote_area"]:
            out |= {"area": rows["remote_area"][0]["area"], "area_from": rows["remote_area"][0]["from"]}
        if rows["public_service"]:
            out |= {
                "service_from": rows["public_service"][0]["from"],
                "service_to": rows["public_service"][0].get("to"),
            }
        if rows["awards"]:
            out |= {"award": rows["awards"][0]["level"], "award_on": rows["awards"][0]["awarded_on"]}
        if rows["penalties"]:
            out |= {"penalty": rows["penalties"][0]["kind"], "penalty_on": rows["penalties"][0]["on"]}
        last = facts.get("last_approved")
        if last:
            out |= {"last_total": last["total"], "last_on": last["on"]}
        kept: dict[str, Any] = {
            "facts": {k: v for k, v in facts.items() if k not in SHOWN},
            "rows": {
                group: {
                    str(i): extra
                    for i, row in enumerate(found[: ROWS_SHOWN[group]])
                    if (extra := {k: v for k, v in row.items() if k not in ROW_KEYS[group]})
                }
                for group, found in rows.items()
            },
            "more": {group: found[ROWS_SHOWN[group] :] for group, found in rows.items()},
        }
        kept["rows"] = {g: r for g, r in kept["rows"].items() if r}
        kept["more"] = {g: r for g, r in kept["more"].items() if r}
        kept = {k: v for k, v in kept.items() if v}
        out["kept"] = json.dumps(kept, ensure_ascii=False, sort_keys=True) if kept else ""
        return {k: v for k, v in out.items() if v is not None}

    def clean_kept(self) -> dict[str, Any]:
        text = self.cleaned_data.get("kept") or ""
        try:
            kept = json.loads(text) if text else {}
        except ValueError:
            kept = None
        if not isinstance(kept, dict) or not _kept_shape(kept):
            # the field is hidden: say it above the form
            self.add_error(None, _("无法读取沿用的事实，请重新打开本页"))
            return {}
        return kept

    def kept_paths(self) -> list[str]:
        """The facts paths kept from the document the form started from, without defaults (for a note)."""
        try:
            kept = json.loads(self["kept"].value() or "{}")
        except (TypeError, ValueError):
            return []
        if not _kept_shape(kept):
            return []
        paths = [k for k, v in kept.get("facts", {}).items() if _worth_saying(k, v)]
        for group, extras in kept.get("rows", {}).items():
            paths += [
                f"{group}[{i}].{k}" for i, extra in extras.items() for k, v in extra.items() if _worth_saying(k, v)
            ]
        for group, more in kept.get("more", {}).items():
            paths += [f"{group}[{ROWS_SHOWN[group] + n}]" for n in range(len(more))]
        return paths

    def kept_words(self, language: str) -> list[str]:
        """:meth:`kept_paths` in words of ``language`` ("zh" or "en"), for the note above the form."""
        return [_path_in_words(path, language) for path in self.kept_paths()]

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
        segment_of: dict[str, int] = {}  # the form's row -> its index in social_insurance
        for i in range(INSURANCE_ROWS):
            if not d.get(f"si{i}_from") and d.get(f"si{i}_base") is None:
                continue
            n = segment_of[str(i)] = len(segments)
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
        _put_back(facts, d.get("kept") or {}, segment_of)
        return facts, where

    def add_facts_errors(self, error: FactsError, where: dict[str, str], lang: str = "zh") -> None:
        for item in error.errors:
            message = item.message_zh if lang == "zh" and item.message_zh else item.message
            field = where.get(item.path)
            if field is None:  # a path the form has no single field for: match the closest prefix
                field = next((f for p, f in where.items() if item.path.startswith(p.split(".")[0])), None)
            self.add_error(field, f"{item.path}: {message}")


def _kept_shape(kept: Any) -> bool:
    """Whether ``kept`` is what ``initial_from`` makes: kept facts, extra keys of shown rows, further rows."""
    if not isinstance(kept, dict) or not set(kept) <= {"facts", "rows", "more"}:
        return False
    facts, rows, more = kept.get("facts", {}), kept.get("rows", {}), kept.get("more", {})
    return (
        isinstance(facts, dict)
        and isinstance(rows, dict)
        and isinstance(more, dict)
        and set(rows) | set(more) <= set(ROW_KEYS)
        and all(
            isinstance(r, dict)
            and all(i.isdigit() and int(i) < ROWS_SHOWN[g] and isinstance(e, dict) for i, e in r.items())
            for g, r in rows.items()
        )
        and all(isinstance(m, list) for m in more.values())
    )


def _put_back(facts: dict[str, Any], kept: Mapping[str, Any], segment_of: Mapping[str, int]) -> None:
    """Put into ``facts`` (built from the form's fields) what the form kept without showing it: facts it has
    no field for, the other keys of the rows it shows (when the row is still filled in), further rows."""
    for key, value in kept.get("facts", {}).items():
        if key not in SHOWN:
            facts[key] = value
    for group, extras in kept.get("rows", {}).items():
        for i, extra in extras.items():
            n = segment_of.get(i) if group == "social_insurance" else 0
            found = facts.get(group) or []
            if n is not None and n < len(found):
                found[n].update({k: v for k, v in extra.items() if k not in ROW_KEYS[group]})
    for group, more in kept.get("more", {}).items():
        facts[group] = [*(facts.get(group) or []), *more]


def _worth_saying(key: str, value: Any) -> bool:
    """A kept value other than a default (false, empty, zero; or the default of ``QUIET``)."""
    if key in QUIET:
        return bool(value != QUIET[key])
    if isinstance(value, dict):
        return any(_worth_saying(k, v) for k, v in value.items())
    return bool(value)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


# The facts the form has no field for, named as a person reads them (kept_words); others by their path.
_KEPT_WORDS: dict[str, tuple[str, str]] = {
    "id_number": ("身份证号码", "ID number"),
    "full_time": ("全日制", "full-time study"),
    "foreign": ("境外学历学位", "degree from abroad"),
    "degree": ("学位", "degree"),
    "employer_uscc": ("缴费单位统一社会信用代码", "paying employer's credit code"),
    "employer_matches_contract": ("缴费单位与劳动合同单位一致", "paid by the contract employer"),
    "investment": ("投资纳税或带动就业", "investment and taxes paid"),
    "entrepreneur_talent": ("创业人才", "entrepreneur talent"),
    "innovation_intermediary_talent": ("创新创业中介服务人才", "innovation intermediary talent"),
    "vetoes": ("一票否决事项", "veto items"),
    "to": ("结束日期", "end date"),
    "education": ("学历", "education"),
    "qualifications": ("职称或技能等级", "title or skill level"),
    "social_insurance": ("社保缴费记录", "insurance record"),
    "remote_area": ("远郊重点区域", "remote area"),
    "public_service": ("公益服务", "public service"),
    "awards": ("表彰奖励", "awards"),
    "penalties": ("减分事项", "deductions"),
}
_ROW = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?$")


def _path_in_words(path: str, language: str) -> str:
    index = 0 if language == "zh" else 1
    row = _ROW.match(path)
    if row is None:
        return _KEPT_WORDS.get(path, (path, path))[index]
    group, number, key = row.group(1), int(row.group(2)) + 1, row.group(3)
    group_words = _KEPT_WORDS.get(group, (group, group))[index]
    where = f"{group_words}第{number}条" if language == "zh" else f"{group_words} #{number}"
    if key is None:
        return where
    key_words = _KEPT_WORDS.get(key, (key, key))[index]
    return f"{where}的{key_words}" if language == "zh" else f"{where}: {key_words}"
