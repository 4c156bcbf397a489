"""Validate ``jifen.facts/1`` JSON into :class:`Facts`, refusing bad input with field paths.

Every problem found is reported, each with the path of the field it concerns
(``social_insurance[1].to``); nothing is returned from partially valid input. Facts that cannot be true
are refused the same way once every field is well formed: an event before birth, or insurance before
the month of the birthday at the legal minimum working age (``plausibility.minimum_working_age``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import pairwise
from typing import Any, TypeVar

from jifen.dates import Month, first_day, month_from_parts, month_of, month_str
from jifen.facts.idcard import id_number_problem
from jifen.facts.limits import EARLIEST_DATE, LATEST_DATE, MAX_ITEMS
from jifen.facts.model import (
    AWARD_LEVELS,
    EDUCATION_LEVELS,
    FACTS_SCHEMA,
    PENALTY_KINDS,
    QUALIFICATION_KINDS,
    REMOTE_AREAS,
    SKILL_LEVELS,
    TITLE_LEVELS,
    VETO_KINDS,
    Award,
    Education,
    Facts,
    InsuranceSegment,
    Investment,
    LastApproved,
    Penalty,
    Period,
    Qualification,
    RemoteAreaPeriod,
    ResidencePermit,
    Veto,
)
from jifen.facts.uscc import uscc_problem, uscc_problem_zh
from jifen.policy.loader import default_policy
from jifen.policy.model import Policy, Resolved

T = TypeVar("T")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, slots=True)
class FieldError:
    path: str
    message: str
    message_zh: str = ""  # the same in Chinese, for pages; "" where only the English exists

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class FactsError(ValueError):
    """Facts that cannot be scored; ``errors`` names every offending field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


class _InvalidFieldError(Exception):
    """One field is wrong; caught at the object level so the other fields are still checked."""


_ECHO = 40  # characters of a bad value (or field name) an error message repeats
_MOST_ERRORS = 100  # problems reported at the most; the last entry says how many more there were


def _short(text: str) -> str:
    return text if len(text) <= _ECHO else text[:_ECHO] + "…"


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{_short(value)}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return _short(str(value))


@lru_cache(maxsize=65536)
def _parse_date(text: str) -> date | str | None:
    """The date, or why it is not one (a text), or None when not even shaped like one."""
    if not _DATE.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return f"no such date: {text}"
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return f"{text} is outside {EARLIEST_DATE} to {LATEST_DATE}"
    return day


@lru_cache(maxsize=65536)
def _parse_month(text: str) -> Month | str | None:
    match = _MONTH.fullmatch(text)
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1:
        return f"no such month: {text}"
    if not EARLIEST_DATE.year <= year <= LATEST_DATE.year:
        return f"{text} is outside {EARLIEST_DATE:%Y-%m} to {LATEST_DATE:%Y-%m}"
    return month_from_parts(year, month)


def _date_problem_zh(problem: str, value: object, noun: str) -> str:
    if problem.startswith("no such"):
        return f"不存在的{noun}：{value}"
    return f"{noun}{value}超出可接受的范围（{EARLIEST_DATE}至{LATEST_DATE}）"


class _Reader:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, path: str, message: str, message_zh: str = "") -> _InvalidFieldError:
        self.errors.append(FieldError(path, message, message_zh))
        return _InvalidFieldError()

    # -- objects ---------------------------------------------------------------------------------
    def obj(self, value: object, path: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(
                path or "(facts)", f"expected an object, got {_describe(value)}", f"应为对象，实际为{_describe(value)}"
            )
        for key in value:
            if key not in allowed:
                where = f"{path}.{_short(str(key))}" if path else _short(str(key))
                self.errors.append(FieldError(where, "unknown field", "未知字段"))
        return value

    def field(self, data: Mapping[str, Any], key: str, path: str, read: Callable[[object, str], T], default: T) -> T:
        where = f"{path}.{key}" if path else key
        if key not in data:
            return default
        try:
            return read(data[key], where)
        except _InvalidFieldError:
            return default

    def required(self, data: Mapping[str, Any], key: str, path: str, read: Callable[[object, str], T]) -> T:
        where = f"{path}.{key}" if path else key
        if key not in data or data[key] is None:
            raise self.fail(where, "required", "必填")
        return read(data[key], where)

    def items(self, value: object, path: str, read: Callable[[object, str], T]) -> tuple[T, ...]:
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list, got {_describe(value)}", f"应为列表，实际为{_describe(value)}")
        cap = MAX_ITEMS[path]
        if len(value) > cap:
            raise self.fail(path, f"at most {cap} items, got {len(value)}", f"最多{cap}项，实际为{len(value)}项")
        out: list[T] = []
        for index, item in enumerate(value):
            try:
                out.append(read(item, f"{path}[{index}]"))
            except _InvalidFieldError:
                continue
        return tuple(out)

    # -- scalars ---------------------------------------------------------------------------------
    def iso_date(self, value: object, path: str) -> date:
        parsed = _parse_date(value) if isinstance(value, str) else None
        if parsed is None:
            raise self.fail(
                path,
                f"expected a date YYYY-MM-DD, got {_describe(value)}",
                f"日期格式应为YYYY-MM-DD，实际为{_describe(value)}",
            )
        if isinstance(parsed, str):
            raise self.fail(path, parsed, _date_problem_zh(parsed, value, "日期"))
        return parsed

    def optional_iso_date(self, value: object, path: str) -> date | None:
        return None if value is None else self.iso_date(value, path)

    def month(self, value: object, path: str) -> Month:
        parsed = _parse_month(value) if isinstance(value, str) else None
        if parsed is None:
            raise self.fail(
                path,
                f"expected a month YYYY-MM, got {_describe(value)}",
                f"月份格式应为YYYY-MM，实际为{_describe(value)}",
            )
        if isinstance(parsed, str):
            raise self.fail(path, parsed, _date_problem_zh(parsed, value, "月份"))
        return parsed

    def optional_month(self, value: object, path: str) -> Month | None:
        return None if value is None else self.month(value, path)

    def flag(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(
                path, f"expected true or false, got {_describe(value)}", f"应为是或否，实际为{_describe(value)}"
            )
        return value

    def integer(self, value: object, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(
                path, f"expected a whole number, got {_describe(value)}", f"应为整数，实际为{_describe(value)}"
            )
        return value

    def amount(self, value: object, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(path, f"expected a number, got {_describe(value)}", f"应为数字，实际为{_describe(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(
                path, f"expected a finite number, got {_describe(value)}", f"应为有限的数字，实际为{_describe(value)}"
            )
        if value < 0:
            raise self.fail(
                path, f"must not be negative, got {_describe(value)}", f"不能为负数，实际为{_describe(value)}"
            )
        return float(value)

    def fen(self, value: object, path: str) -> int:
        """A positive amount of yuan with at most two decimals, as an exact number of fen."""
        if type(value) is int and value > 0:
            return value * 100
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(
                path, f"expected an amount in yuan, got {_describe(value)}", f"应为金额（元），实际为{_describe(value)}"
            )
        try:
            exact = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(
                path, f"expected an amount in yuan, got {_describe(value)}", f"应为金额（元），实际为{_describe(value)}"
            ) from None
        if not exact.is_finite() or exact <= 0:
            raise self.fail(
                path, f"must be more than 0 yuan, got {_describe(value)}", f"应大于0元，实际为{_describe(value)}"
            )
        fen = exact * 100
        if fen != fen.to_integral_value():
            raise self.fail(
                path,
                f"at most 2 decimal places (fen), got {_describe(value)}",
                f"最多两位小数（分），实际为{_describe(value)}",
            )
        return int(fen)

    def choice(self, options: tuple[str, ...]) -> Callable[[object, str], str]:
        def read(value: object, path: str) -> str:
            if not isinstance(value, str) or value not in options:
                raise self.fail(
                    path,
                    f"expected one of {', '.join(options)}; got {_describe(value)}",
                    f"应为{'、'.join(options)}之一，实际为{_describe(value)}",
                )
            return value

        return read


def parse_facts(data: object, policy: Policy | None = None) -> Facts:
    """Validate a decoded ``jifen.facts/1`` document. Raises :class:`FactsError`.

    ``policy`` (default: the policy data in use) gives the legal minimum working age that insurance
    months are checked against (``plausibility.minimum_working_age``).
    """
    r = _Reader()
    try:
        facts = _facts(r, data, policy or default_policy())
    except _InvalidFieldError:
        facts = None
    if r.errors or facts is None:
        errors = r.errors
        if len(errors) > _MOST_ERRORS:
            more = len(errors) - _MOST_ERRORS
            errors = [
                *errors[:_MOST_ERRORS],
                FieldError("(facts)", f"and {more} more problems", f"另有{more}处问题"),
            ]
        raise FactsError(errors)
    return facts


_TOP = (
    "schema",
    "as_of",
    "birth_date",
    "id_number",
    "residence_permit",
    "education",
    "qualifications",
    "social_insurance",
    "hukou_spouse_married_on",
    "remote_area",
    "public_service",
    "awards",
    "investment",
    "shortage_major_matching_post",
    "entrepreneur_talent",
    "innovation_intermediary_talent",
    "fresh_graduate",
    "penalties",
    "vetoes",
    "last_approved",
)


def _facts(r: _Reader, data: object, policy: Policy) -> Facts:
    d = r.obj(data, "", _TOP)
    schema = d.get("schema")
    if schema is None:
        r.fail("schema", f'required: "{FACTS_SCHEMA}"', f'必填："{FACTS_SCHEMA}"')
    elif schema != FACTS_SCHEMA:
        r.fail(
            "schema",
            f'expected "{FACTS_SCHEMA}", got {_describe(schema)}',
            f'应为"{FACTS_SCHEMA}"，实际为{_describe(schema)}',
        )
    birth_date: date | None
    try:
        birth_date = r.required(d, "birth_date", "", r.iso_date)
    except _InvalidFieldError:
        birth_date = None
    as_of = r.field(d, "as_of", "", r.optional_iso_date, None)
    id_number = r.field(d, "id_number", "", _id_text(r), None)

    facts = Facts(
        birth_date=birth_date or date.min,
        as_of=as_of,
        id_number=id_number,
        residence_permit=r.field(d, "residence_permit", "", _permit(r), None),
        education=r.field(d, "education", "", lambda v, p: r.items(v, p, _education(r)), ()),
        qualifications=r.field(d, "qualifications", "", lambda v, p: r.items(v, p, _qualification(r)), ()),
        social_insurance=r.field(d, "social_insurance", "", lambda v, p: r.items(v, p, _segment(r)), ()),
        hukou_spouse_married_on=r.field(d, "hukou_spouse_married_on", "", r.optional_iso_date, None),
        remote_area=r.field(d, "remote_area", "", lambda v, p: r.items(v, p, _remote(r)), ()),
        public_service=r.field(d, "public_service", "", lambda v, p: r.items(v, p, _period(r)), ()),
        awards=r.field(d, "awards", "", lambda v, p: r.items(v, p, _award(r)), ()),
        investment=r.field(d, "investment", "", _investment(r), None),
        shortage_major_matching_post=r.field(d, "shortage_major_matching_post", "", r.flag, False),  # noqa: FBT003
        entrepreneur_talent=r.field(d, "entrepreneur_talent", "", r.flag, False),  # noqa: FBT003
        innovation_intermediary_talent=r.field(d, "innovation_intermediary_talent", "", r.flag, False),  # noqa: FBT003
        fresh_graduate=r.field(d, "fresh_graduate", "", r.flag, False),  # noqa: FBT003
        penalties=r.field(d, "penalties", "", lambda v, p: r.items(v, p, _penalty(r)), ()),
        vetoes=r.field(d, "vetoes", "", lambda v, p: r.items(v, p, _veto(r)), ()),
        last_approved=r.field(d, "last_approved", "", _last_approved(r), None),
    )
    if birth_date is None:
        raise _InvalidFieldError
    _check_consistency(r, facts)
    if not r.errors:  # with an item refused, the items' indices are no longer their paths
        _check_plausibility(r, facts, policy)
    return facts


def _id_text(r: _Reader) -> Callable[[object, str], str | None]:
    def read(value: object, path: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise r.fail(path, f"expected a text, got {_describe(value)}", f"应为文本，实际为{_describe(value)}")
        return value.upper()

    return read


def _permit(r: _Reader) -> Callable[[object, str], ResidencePermit | None]:
    def read(value: object, path: str) -> ResidencePermit | None:
        if value is None:
            return None
        d = r.obj(value, path, ("valid_from", "valid_until"))
        valid_from = r.required(d, "valid_from", path, r.iso_date)
        valid_until = r.required(d, "valid_until", path, r.iso_date)
        if valid_until < valid_from:
            raise r.fail(
                f"{path}.valid_until",
                f"{valid_until} is before valid_from {valid_from}",
                f"{valid_until}早于有效期起始日{valid_from}",
            )
        return ResidencePermit(valid_from, valid_until)

    return read


def _education(r: _Reader) -> Callable[[object, str], Education]:
    level = r.choice(EDUCATION_LEVELS)

    def read(value: object, path: str) -> Education:
        d = r.obj(value, path, ("level", "degree", "graduated_on", "full_time", "foreign"))
        return Education(
            level=r.required(d, "level", path, level),
            graduated_on=r.required(d, "graduated_on", path, r.iso_date),
            degree=r.field(d, "degree", path, r.flag, False),  # noqa: FBT003
            full_time=r.field(d, "full_time", path, r.flag, False),  # noqa: FBT003
            foreign=r.field(d, "foreign", path, r.flag, False),  # noqa: FBT003
        )

    return read


def _qualification(r: _Reader) -> Callable[[object, str], Qualification]:
    kind = r.choice(QUALIFICATION_KINDS)
    title = r.choice(TITLE_LEVELS)

    def skill(value: object, path: str) -> int:
        # 5.0 == 5: a float is refused before the membership test, as a whole number elsewhere is
        if isinstance(value, bool) or not isinstance(value, int) or value not in SKILL_LEVELS:
            raise r.fail(
                path,
                f"expected a skill level 5, 4, 3, 2 or 1; got {_describe(value)}",
                f"技能等级应为5、4、3、2或1，实际为{_describe(value)}",
            )
        return value

    def read(value: object, path: str) -> Qualification:
        d = r.obj(value, path, ("kind", "level", "obtained_on", "obtained_in_shanghai", "matches_post"))
        k = r.required(d, "kind", path, kind)
        level: str | int = r.required(d, "level", path, title) if k == "title" else r.required(d, "level", path, skill)
        return Qualification(
            kind=k,
            level=level,
            obtained_on=r.required(d, "obtained_on", path, r.iso_date),
            obtained_in_shanghai=r.field(d, "obtained_in_shanghai", path, r.flag, False),  # noqa: FBT003
            matches_post=r.field(d, "matches_post", path, r.flag, False),  # noqa: FBT003
        )

    return read


def _segment(r: _Reader) -> Callable[[object, str], InsuranceSegment]:
    def read(value: object, path: str) -> InsuranceSegment:
        d = r.obj(value, path, ("from", "to", "base", "back_paid", "employer_matches_contract", "employer_uscc"))
        first = r.required(d, "from", path, r.month)
        last = r.field(d, "to", path, r.optional_month, None)
        if "to" in d and d["to"] is not None and last is None:
            raise _InvalidFieldError
        if last is not None and last < first:
            raise r.fail(
                f"{path}.to",
                f"{month_str(last)} is before from {month_str(first)}",
                f"截止月{month_str(last)}早于起始月{month_str(first)}",
            )
        return InsuranceSegment(
            first=first,
            last=last,
            base_fen=r.required(d, "base", path, r.fen),
            back_paid=r.field(d, "back_paid", path, r.flag, False),  # noqa: FBT003
            employer_matches_contract=r.field(d, "employer_matches_contract", path, r.flag, True),  # noqa: FBT003
            employer_uscc=r.field(d, "employer_uscc", path, _uscc(r), None),
        )

    return read


def _uscc(r: _Reader) -> Callable[[object, str], str | None]:
    def read(value: object, path: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise r.fail(path, f"expected a text, got {_describe(value)}", f"应为文本，实际为{_describe(value)}")
        problem = uscc_problem(value)
        if problem is not None:
            raise r.fail(
                path,
                f"not a unified social credit code: {problem}",
                f"统一社会信用代码无效：{uscc_problem_zh(value)}",
            )
        return value

    return read


def _period_fields(r: _Reader, d: Mapping[str, Any], path: str) -> Period:
    start = r.required(d, "from", path, r.iso_date)
    to = r.field(d, "to", path, r.optional_iso_date, None)
    if "to" in d and d["to"] is not None and to is None:
        raise _InvalidFieldError
    if to is not None and to < start:
        raise r.fail(f"{path}.to", f"{to} is before from {start}", f"截止日{to}早于起始日{start}")
    return Period(start, to)


def _period(r: _Reader) -> Callable[[object, str], Period]:
    def read(value: object, path: str) -> Period:
        return _period_fields(r, r.obj(value, path, ("from", "to")), path)

    return read


def _remote(r: _Reader) -> Callable[[object, str], RemoteAreaPeriod]:
    area = r.choice(REMOTE_AREAS)

    def read(value: object, path: str) -> RemoteAreaPeriod:
        d = r.obj(value, path, ("area", "from", "to"))
        return RemoteAreaPeriod(r.required(d, "area", path, area), _period_fields(r, d, path))

    return read


def _award(r: _Reader) -> Callable[[object, str], Award]:
    level = r.choice(AWARD_LEVELS)

    def read(value: object, path: str) -> Award:
        d = r.obj(value, path, ("level", "awarded_on"))
        return Award(r.required(d, "level", path, level), r.required(d, "awarded_on", path, r.iso_date))

    return read


def _investment(r: _Reader) -> Callable[[object, str], Investment | None]:
    def read(value: object, path: str) -> Investment | None:
        if value is None:
            return None
        d = r.obj(value, path, ("avg_annual_tax_yuan", "avg_annual_hukou_employees"))
        return Investment(
            avg_annual_tax_yuan=r.field(d, "avg_annual_tax_yuan", path, r.amount, 0.0),
            avg_annual_hukou_employees=r.field(d, "avg_annual_hukou_employees", path, r.amount, 0.0),
        )

    return read


def _penalty(r: _Reader) -> Callable[[object, str], Penalty]:
    kind = r.choice(PENALTY_KINDS)

    def read(value: object, path: str) -> Penalty:
        d = r.obj(value, path, ("kind", "on"))
        return Penalty(r.required(d, "kind", path, kind), r.required(d, "on", path, r.iso_date))

    return read


def _veto(r: _Reader) -> Callable[[object, str], Veto]:
    kind = r.choice(VETO_KINDS)

    def read(value: object, path: str) -> Veto:
        d = r.obj(value, path, ("kind", "on"))
        return Veto(r.required(d, "kind", path, kind), r.field(d, "on", path, r.optional_iso_date, None))

    return read


def _last_approved(r: _Reader) -> Callable[[object, str], LastApproved | None]:
    def read(value: object, path: str) -> LastApproved | None:
        if value is None:
            return None
        d = r.obj(value, path, ("total", "on"))
        total = r.required(d, "total", path, r.integer)
        if total < 0:
            raise r.fail(f"{path}.total", f"must not be negative, got {total}", f"不能为负数，实际为{total}")
        return LastApproved(total, r.required(d, "on", path, r.iso_date))

    return read


def _check_consistency(r: _Reader, facts: Facts) -> None:
    """Checks across fields: identity number, order of dates, overlapping months and periods."""
    if facts.as_of is not None and facts.birth_date > facts.as_of:
        r.fail(
            "birth_date",
            f"{facts.birth_date} is after as_of {facts.as_of}",
            f"出生日期{facts.birth_date}晚于计算日期{facts.as_of}",
        )
    if facts.id_number is not None:
        problem = id_number_problem(facts.id_number, facts.birth_date)
        if problem:
            r.fail("id_number", problem, "身份证号码无效：" + problem)
    _check_overlaps(r, facts)


def _check_overlaps(r: _Reader, facts: Facts) -> None:
    spans = sorted(
        ((seg.first, seg.last, i) for i, seg in enumerate(facts.social_insurance)), key=lambda s: (s[0], s[2])
    )
    for (first_a, last_a, a), (first_b, _, b) in pairwise(spans):
        if last_a is None or first_b <= last_a:
            until = "ongoing" if last_a is None else month_str(last_a)
            r.fail(
                f"social_insurance[{b}].from",
                f"{month_str(first_b)} overlaps social_insurance[{a}] ({month_str(first_a)} to {until})",
                f"{month_str(first_b)}与第{a + 1}段社保（{month_str(first_a)}至{'今' if last_a is None else until}）重叠",
            )
    _check_period_overlaps(r, "public_service", list(facts.public_service))
    _check_period_overlaps(r, "remote_area", [p.period for p in facts.remote_area])


def _check_period_overlaps(r: _Reader, name: str, periods: list[Period]) -> None:
    spans = sorted(((p.start, p.to, i) for i, p in enumerate(periods)), key=lambda s: (s[0], s[2]))
    for (start_a, to_a, a), (start_b, _, b) in pairwise(spans):
        if to_a is None or start_b <= to_a:
            r.fail(
                f"{name}[{b}].from",
                f"{start_b} overlaps {name}[{a}] ({start_a} to {'ongoing' if to_a is None else to_a})",
                f"{start_b}与第{a + 1}段（{start_a}至{'今' if to_a is None else to_a}）重叠",
            )


WORKING_AGE = "plausibility.minimum_working_age"


def working_age_at(policy: Policy, month: Month) -> Resolved:
    """The legal minimum working age in force in ``month``; months before its first value take that value."""
    earliest = policy.parameters[WORKING_AGE].starts[0]
    day = first_day(month)
    return policy.resolve(WORKING_AGE, day if day >= earliest else earliest)


def _check_plausibility(r: _Reader, facts: Facts, policy: Policy) -> None:
    """Facts that cannot be true: an event before birth, insurance before the legal minimum working age."""
    birth = facts.birth_date
    dated: list[tuple[str, date | None]] = [
        ("residence_permit.valid_from", facts.residence_permit.valid_from if facts.residence_permit else None),
        *((f"education[{i}].graduated_on", e.graduated_on) for i, e in enumerate(facts.education)),
        *((f"qualifications[{i}].obtained_on", q.obtained_on) for i, q in enumerate(facts.qualifications)),
        ("hukou_spouse_married_on", facts.hukou_spouse_married_on),
        *((f"remote_area[{i}].from", a.period.start) for i, a in enumerate(facts.remote_area)),
        *((f"public_service[{i}].from", p.start) for i, p in enumerate(facts.public_service)),
        *((f"awards[{i}].awarded_on", a.awarded_on) for i, a in enumerate(facts.awards)),
        *((f"penalties[{i}].on", p.on) for i, p in enumerate(facts.penalties)),
        *((f"vetoes[{i}].on", v.on) for i, v in enumerate(facts.vetoes)),
    ]
    for path, day in dated:
        if day is not None and day < birth:
            r.fail(path, f"{day} is before birth_date {birth}", f"{day}早于出生日期{birth}")
    born = month_of(birth)
    for i, segment in enumerate(facts.social_insurance):
        path, first = f"social_insurance[{i}].from", month_str(segment.first)
        if segment.first < born:
            r.fail(path, f"{first} is before the month of birth_date {birth}", f"{first}早于出生日期{birth}所在的月份")
            continue
        resolved = working_age_at(policy, segment.first)
        age = resolved.value
        assert isinstance(age, int)  # noqa: S101 - the loader checks declared types
        allowed = born + 12 * age  # the month of the birthday on which the holder reaches the age
        if segment.first < allowed:
            law = resolved.entry.source.cite()
            r.fail(
                path,
                f"{first} is before {month_str(allowed)}, the month the holder turned {age}: "
                f"no one under {age} may be employed ({law})",
                f"{first}早于年满{age}周岁的月份{month_str(allowed)}：不得招用未满{age}周岁的未成年人（{law}）",
            )
