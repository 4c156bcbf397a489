"""Validate ``jifen.facts/1`` JSON into :class:`Facts`, refusing bad input with field paths.

Every problem found is reported, each with the path of the field it concerns
(``social_insurance[1].to``); nothing is returned from partially valid input. One reader, driven by the
declarations of :mod:`jifen.facts.schema`, reads every record of the document: a record's first
refused required field refuses the record (an item of a list is then left out), while at the top of the
document every field is still checked. Facts that cannot be true are refused the same way once every
field is well formed: an event before birth, or insurance before the month of the birthday at the legal
minimum working age (``plausibility.minimum_working_age``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any, cast

from jifen.dates import Month, first_day, month_from_parts, month_of, month_str
from jifen.facts.idcard import id_number_problem
from jifen.facts.limits import EARLIEST_DATE, LATEST_DATE
from jifen.facts.model import Facts, FactsDocument, LastApproved
from jifen.facts.schema import (
    CONSISTENCY,
    DOCUMENT,
    LAST_APPROVED,
    PLAUSIBILITY,
    WORKING_AGE,
    DocumentRule,
    Field,
    IdNumberMatches,
    Kind,
    NoOverlap,
    NotAfter,
    NotBeforeBirth,
    NotBeforeWorkingAge,
    Ordered,
    Record,
    field_of,
    field_path,
)
from jifen.facts.uscc import uscc_problem, uscc_problem_zh
from jifen.policy.loader import default_policy
from jifen.policy.model import Policy, Resolved

__all__ = ["WORKING_AGE", "FactsError", "FieldError", "parse_document", "parse_facts", "working_age_at"]

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
    """A field or record is refused; caught where the reading of the others goes on."""


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


def _shown(field: Field, value: object) -> str:
    """A value read from ``field`` as a message repeats it: a month as YYYY-MM, a date as YYYY-MM-DD."""
    return month_str(cast(Month, value)) if field.kind is Kind.MONTH else str(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


Read = dict[str, Any]  # a record as read: each field's value by its key (a record: a Read; a list: a tuple)


class _Reader:
    """Reads values by their declared kind, collecting every problem in ``errors``."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, path: str, message: str, message_zh: str = "") -> _InvalidFieldError:
        self.errors.append(FieldError(path, message, message_zh))
        return _InvalidFieldError()

    def expected(self, path: str, what: str, what_zh: str, value: object) -> _InvalidFieldError:
        return self.fail(path, f"expected {what}, got {_describe(value)}", f"应为{what_zh}，实际为{_describe(value)}")

    # -- records -----------------------------------------------------------------------------------
    def obj(self, value: object, path: str, allowed: frozenset[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.expected(path or "(facts)", "an object", "对象", value)
        for key in value:
            if key not in allowed:
                self.errors.append(FieldError(_join(path, _short(str(key))), "unknown field", "未知字段"))
        return value

    def record(self, value: object, path: str, record: Record, *, keep_going: bool = False) -> Read:
        """The record's values by key. Unless ``keep_going``, a refused required field (or one a rule of
        the record reads) refuses the record; every other refused field takes its default."""
        data = self.obj(value, path, record.keys)
        prefix = f"{path}." if path else ""
        read: Read = {}
        for key, field, reader, refuses, rules in _steps(record):
            raw = data.get(key)
            try:
                if raw is None:
                    if field.required:
                        raise self.missing(field, prefix + key)
                    if field.nullable or key not in data:
                        read[key] = field.default  # absent, or null where null means absent
                        continue
                read[key] = reader(self, field, raw, prefix + key, read)
            except _InvalidFieldError:
                if keep_going or not refuses:
                    read[key] = field.default
                    continue
                raise
            for rule in rules:
                self.order(rule, field, read, prefix)
        return read

    def order(self, rule: Ordered, field: Field, read: Read, prefix: str) -> None:
        """Refuses the record when its ``rule.last`` comes before its ``rule.first``."""
        first, last = read[rule.first], read[rule.last]
        if first is not None and last is not None and last < first:
            shown = {"first": _shown(field, first), "last": _shown(field, last)}
            raise self.fail(prefix + rule.last, *rule.message.format(**shown))

    def missing(self, field: Field, path: str) -> _InvalidFieldError:
        if field.kind is Kind.CONSTANT:
            return self.fail(path, f'required: "{field.choices[0]}"', f'必填："{field.choices[0]}"')
        return self.fail(path, "required", "必填")

    def items(self, field: Field, value: object, path: str, before: Read) -> tuple[Read, ...]:
        if not isinstance(value, list):
            raise self.expected(path, "a list", "列表", value)
        if not value:
            return ()
        cap = cast(int, field.cap)
        if len(value) > cap:
            raise self.fail(path, f"at most {cap} items, got {len(value)}", f"最多{cap}项，实际为{len(value)}项")
        record = cast(Record, field.record)
        out: list[Read] = []
        for index, item in enumerate(value):
            try:
                out.append(self.record(item, f"{path}[{index}]", record))
            except _InvalidFieldError:
                continue
        return tuple(out)

    def nested(self, field: Field, value: object, path: str, before: Read) -> Read:
        return self.record(value, path, cast(Record, field.record))

    def variant(self, field: Field, value: object, path: str, before: Read) -> Any:
        """Read as the variant that the field ``field.by``, read before it, decides."""
        chosen = field.variant(before[field.by])
        return _READERS[chosen.kind](self, chosen, value, path, before)

    # -- values ------------------------------------------------------------------------------------
    def constant(self, field: Field, value: object, path: str, before: Read) -> object:
        expected = field.choices[0]
        if value != expected:
            raise self.fail(
                path, f'expected "{expected}", got {_describe(value)}', f'应为"{expected}"，实际为{_describe(value)}'
            )
        return value

    def iso_date(self, field: Field, value: object, path: str, before: Read) -> date:
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

    def month(self, field: Field, value: object, path: str, before: Read) -> Month:
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

    def flag(self, field: Field, value: object, path: str, before: Read) -> bool:
        if not isinstance(value, bool):
            raise self.expected(path, "true or false", "是或否", value)
        return value

    def integer(self, field: Field, value: object, path: str, before: Read) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.expected(path, "a whole number", "整数", value)
        self.at_least(field, value, path)
        return value

    def amount(self, field: Field, value: object, path: str, before: Read) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.expected(path, "a number", "数字", value)
        if isinstance(value, float) and not math.isfinite(value):
            raise self.expected(path, "a finite number", "有限的数字", value)
        self.at_least(field, value, path)
        return float(value)

    def at_least(self, field: Field, value: float, path: str) -> None:
        """Refuses a value below the field's ``minimum``."""
        if field.minimum is None or value >= field.minimum:
            return
        if field.minimum == 0:
            raise self.fail(
                path, f"must not be negative, got {_describe(value)}", f"不能为负数，实际为{_describe(value)}"
            )
        raise self.fail(
            path,
            f"must be at least {field.minimum:g}, got {_describe(value)}",
            f"不能小于{field.minimum:g}，实际为{_describe(value)}",
        )

    def fen(self, field: Field, value: object, path: str, before: Read) -> int:
        """An amount of yuan above the field's ``above``, with at most two decimals, as an exact number of fen."""
        above = 0.0 if field.above is None else field.above
        if type(value) is int and value > above:
            return value * 100
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.expected(path, "an amount in yuan", "金额（元）", value)
        try:
            exact = Decimal(str(value))
        except InvalidOperation:
            raise self.expected(path, "an amount in yuan", "金额（元）", value) from None
        if not exact.is_finite() or exact <= above:
            raise self.fail(
                path,
                f"must be more than {above:g} yuan, got {_describe(value)}",
                f"应大于{above:g}元，实际为{_describe(value)}",
            )
        fen = exact * 100
        if fen != fen.to_integral_value():
            raise self.fail(
                path,
                f"at most 2 decimal places (fen), got {_describe(value)}",
                f"最多两位小数（分），实际为{_describe(value)}",
            )
        return int(fen)

    def choice(self, field: Field, value: object, path: str, before: Read) -> str:
        if not isinstance(value, str) or value not in field.choices:
            options = cast(tuple[str, ...], field.choices)
            raise self.fail(
                path,
                f"expected one of {', '.join(options)}; got {_describe(value)}",
                f"应为{'、'.join(options)}之一，实际为{_describe(value)}",
            )
        return value

    def skill_level(self, field: Field, value: object, path: str, before: Read) -> int:
        # 5.0 == 5: a float is refused before the membership test, as a whole number elsewhere is
        if isinstance(value, bool) or not isinstance(value, int) or value not in field.choices:
            *most, last = (str(level) for level in field.choices)
            raise self.fail(
                path,
                f"expected a skill level {', '.join(most)} or {last}; got {_describe(value)}",
                f"技能等级应为{'、'.join(most)}或{last}，实际为{_describe(value)}",
            )
        return value

    def text(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            raise self.expected(path, "a text", "文本", value)
        return value

    def id_text(self, field: Field, value: object, path: str, before: Read) -> str:
        return self.text(value, path).upper()

    def uscc(self, field: Field, value: object, path: str, before: Read) -> str:
        problem = uscc_problem(self.text(value, path))
        if problem is not None:
            raise self.fail(
                path,
                f"not a unified social credit code: {problem}",
                f"统一社会信用代码无效：{uscc_problem_zh(cast(str, value))}",
            )
        return cast(str, value)


ValueReader = Callable[[_Reader, Field, object, str, Read], Any]  # (reader, field, value, path, record so far)
_READERS: dict[Kind, ValueReader] = {
    Kind.CONSTANT: _Reader.constant,
    Kind.DATE: _Reader.iso_date,
    Kind.MONTH: _Reader.month,
    Kind.FLAG: _Reader.flag,
    Kind.INTEGER: _Reader.integer,
    Kind.AMOUNT: _Reader.amount,
    Kind.FEN: _Reader.fen,
    Kind.CHOICE: _Reader.choice,
    Kind.SKILL_LEVEL: _Reader.skill_level,
    Kind.ID_NUMBER: _Reader.id_text,
    Kind.USCC: _Reader.uscc,
    Kind.VARIANT: _Reader.variant,
    Kind.RECORD: _Reader.nested,
    Kind.LIST: _Reader.items,
}
Step = tuple[str, Field, ValueReader, bool, tuple[Ordered, ...]]  # key, field, its reader, refuses, rules


@cache
def _steps(record: Record) -> tuple[Step, ...]:
    """How to read each field of ``record``: its key, declaration, reader, whether a refusal of it refuses
    the record, and the record's rules to check once it is read (worked out once per record)."""
    return tuple(
        (f.key, f, _READERS[f.kind], f.key in record.refusing, record.rules_after[f.key]) for f in record.fields
    )


def parse_facts(data: object, policy: Policy | None = None) -> Facts:
    """Validate a decoded ``jifen.facts/1`` document: the legal facts it holds. Raises :class:`FactsError`.

    ``policy`` (default: the policy data in use) gives the legal minimum working age that insurance
    months are checked against (``plausibility.minimum_working_age``).
    """
    return parse_document(data, policy).facts


def parse_document(data: object, policy: Policy | None = None) -> FactsDocument:
    """Validate a decoded ``jifen.facts/1`` document: its facts, and the last approval the advice compares
    against (checked as the rest, kept out of the facts). Raises :class:`FactsError`."""
    r = _Reader()
    try:
        read = _read_document(r, data, policy or default_policy())
    except _InvalidFieldError:
        read = None
    if r.errors or read is None:
        errors = r.errors
        if len(errors) > _MOST_ERRORS:
            more = len(errors) - _MOST_ERRORS
            errors = [
                *errors[:_MOST_ERRORS],
                FieldError("(facts)", f"and {more} more problems", f"另有{more}处问题"),
            ]
        raise FactsError(errors)
    approved = read["last_approved"]
    return FactsDocument(
        cast(Facts, _build(DOCUMENT, read)),
        None if approved is None else cast(LastApproved, _build(LAST_APPROVED, approved)),
    )


@cache
def _record_of(key: str) -> Record:
    return cast(Record, field_of(DOCUMENT, key).record)


_NEEDED = tuple(f.key for f in DOCUMENT.fields if f.required and f.in_model)  # the facts cannot do without


def _read_document(r: _Reader, data: object, policy: Policy) -> Read:
    """Every field of the document read and checked, then the rules across them."""
    read = r.record(data, "", DOCUMENT, keep_going=True)
    if any(read[key] is None for key in _NEEDED):
        raise _InvalidFieldError  # nothing to check the rules against
    _check(r, read, CONSISTENCY, policy)
    if not r.errors:  # with an item refused, the items' indices are no longer their paths
        _check(r, read, PLAUSIBILITY, policy)
    return read


def _build(record: Record, read: Read) -> Any:
    """The model of a record read without a problem."""
    if record.flat:
        return record.model(**read)
    values: dict[str, Any] = {}
    for field in record.in_model:
        value = read[field.key]
        inner = field.record
        if inner is not None and value is not None:
            value = _build(inner, value) if field.kind is Kind.RECORD else tuple([_build(inner, i) for i in value])
        values[field.key] = value
    return record.model(**values)


# -- the rules across the document ----------------------------------------------------------------------
def _check(r: _Reader, read: Read, rules: tuple[DocumentRule, ...], policy: Policy) -> None:
    for rule in rules:
        match rule:
            case NotAfter():
                _check_not_after(r, read, rule)
            case IdNumberMatches():
                _check_id_number(r, read, rule)
            case NoOverlap():
                _check_overlaps(r, read, rule)
            case NotBeforeBirth():
                _check_not_before_birth(r, read, rule)
            case NotBeforeWorkingAge():
                _check_working_age(r, read, rule, policy)


def _check_not_after(r: _Reader, read: Read, rule: NotAfter) -> None:
    value, limit = read[rule.key], read[rule.limit]
    if value is not None and limit is not None and value > limit:
        r.fail(rule.key, *rule.message.format(value=value, limit=limit))


def _check_id_number(r: _Reader, read: Read, rule: IdNumberMatches) -> None:
    number = read[rule.key]
    if number is not None:
        problem = id_number_problem(number, read[rule.birth])
        if problem:
            r.fail(rule.key, problem, rule.prefix_zh + problem)


def _check_overlaps(r: _Reader, read: Read, rule: NoOverlap) -> None:
    items = enumerate(read[rule.key])
    spans = sorted(((item[rule.start], item[rule.end], i) for i, item in items), key=lambda s: (s[0], s[2]))
    for (start_a, end_a, a), (start_b, _, b) in pairwise(spans):
        if end_a is None or start_b <= end_a:
            start = field_of(_record_of(rule.key), rule.start)
            shown = {
                "start": _shown(start, start_b),
                "key": rule.key,
                "other": a,
                "number": a + 1,
                "noun": rule.noun_zh,
                "other_start": _shown(start, start_a),
            }
            end = None if end_a is None else _shown(start, end_a)
            r.fail(
                f"{rule.key}[{b}].{rule.start}",
                rule.message.en.format(**shown, other_end=end or rule.ongoing.en),
                rule.message.zh.format(**shown, other_end=end or rule.ongoing.zh),
            )


def _values_at(read: Read, path: str) -> Iterator[tuple[str, Any]]:
    """(field path, value) of every value at a declared ``path`` in the document as read; none in an absent
    record."""
    outer, inner, in_list = field_path(path)
    value = read[outer]
    if inner is None:
        yield outer, value
    elif in_list:
        for index, item in enumerate(value):
            yield f"{outer}[{index}].{inner}", item[inner]
    elif value is not None:
        yield path, value[inner]


def _check_not_before_birth(r: _Reader, read: Read, rule: NotBeforeBirth) -> None:
    birth = read[rule.birth]
    for path in rule.paths:
        for where, day in _values_at(read, path):
            if day is not None and day < birth:
                r.fail(where, *rule.message.format(day=day, birth=birth))


def working_age_at(policy: Policy, month: Month, parameter: str = WORKING_AGE) -> Resolved:
    """The legal minimum working age in force in ``month``; months before its first value take that value."""
    earliest = policy.parameters[parameter].starts[0]
    day = first_day(month)
    return policy.resolve(parameter, day if day >= earliest else earliest)


def _check_working_age(r: _Reader, read: Read, rule: NotBeforeWorkingAge, policy: Policy) -> None:
    """Insurance months before the month of birth, or before the month of the working-age birthday."""
    birth = read[rule.birth]
    born = month_of(birth)
    for where, first in _values_at(read, rule.path):
        if first < born:
            r.fail(where, *rule.before_birth.format(first=month_str(first), birth=birth))
            continue
        resolved = working_age_at(policy, first, rule.parameter)
        age = resolved.value
        assert isinstance(age, int)  # noqa: S101 - the loader checks declared types
        allowed = born + 12 * age  # the month of the birthday on which the holder reaches the age
        if first < allowed:
            law = resolved.entry.source.cite()
            shown = {"first": month_str(first), "allowed": month_str(allowed), "age": age, "law": law}
            r.fail(where, *rule.too_young.format(**shown))
