"""Which rows the vectorised rules may not score: every row the facts parser would refuse, and a few more.

The checks are the parser's own, declared once in :mod:`jifen.facts.schema` (each field's kind, bounds,
whether it is required, the lists' caps, the rules across fields), applied here to whole columns. A
flagged row goes to the scalar path, which refuses it with the parser's own field-path message (or
scores it, for the few valid rows flagged only because checking them here would cost more than it
saves, such as a skill level written "05", or a base too large to be exact in float64 fen). So the
vectorised path never scores a row the scalar path refuses, and the error texts are the parser's.

What has no column form: a value of the wrong JSON type or an unknown field (the layout's typed columns
cannot hold one), the schema's name (the layout implies it), and flags (null reads as the default).
Stricter here than in the parser: a minimum working age (the highest in the policy data, not the one in
force in each month), the skill levels as texts, and bases below :data:`_LARGEST_BASE`. Not declared
in the schema, as they are not about the facts: the scoring day's own checks (a birth after it, a day
before the scheme or out of range) and the layout's (a group's list columns of different lengths).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pyarrow.compute as pc

from jifen.batch.layout import GROUPS
from jifen.batch.vectorised.columns import Bools, Group, Ints, day_in_month, day_number, months_of
from jifen.batch.vectorised.holders import Holders
from jifen.facts.idcard import CHECK_CHARS, PROVINCES, WEIGHTS
from jifen.facts.limits import EARLIEST_DATE, LATEST_DATE
from jifen.facts.schema import (
    CONSISTENCY,
    DOCUMENT,
    PLAUSIBILITY,
    DocumentRule,
    Field,
    IdNumberMatches,
    Kind,
    NoOverlap,
    NotAfter,
    NotBeforeBirth,
    NotBeforeWorkingAge,
    Record,
    field_of,
    field_path,
)
from jifen.facts.uscc import uscc_problem

Column = tuple[npt.NDArray[Any], Bools]  # values (dates as day numbers, texts as indices) and the null mask

# Dates outside the accepted range are left to the scalar path, which refuses them with its message.
_EARLIEST = day_number(EARLIEST_DATE)
_LATEST = day_number(LATEST_DATE)
_LARGEST_BASE = 1e9  # yuan; larger bases are exact in the scalar path, not necessarily in float64 fen
_LIST_COLUMNS = {key: {name: column for column, name, _ in fields} for key, fields in GROUPS}


def suspects(holders: Holders, scoring_day: Ints, first_scheme_day: int, working_age: int) -> Bools:
    """Rows to leave to the scalar path; ``working_age``: the highest legal minimum working age in the data."""
    bad = holders.birth_null | (holders.birth > scoring_day) | (scoring_day < first_scheme_day)
    bad |= _out_of_range(scoring_day, np.zeros_like(bad))
    document = _document_columns(holders)
    bad |= _record_problems(DOCUMENT, _Columns(document), np.ones(holders.n, dtype=bool))
    for key, group in holders.named_groups():
        field = field_of(DOCUMENT, key)
        bad |= group.uneven | (group.lengths > cast(int, field.cap))  # uneven: the layout's own refusal
        every_item = np.ones(len(group), dtype=bool)
        items = _record_problems(_record(field), _Columns(_group_columns(key, group), key, group), every_item)
        bad[group.holder[items]] = True
    for rule in (*CONSISTENCY, *PLAUSIBILITY):
        bad |= _rule_problems(rule, holders, document, working_age)
    return bad


def _record(field: Field) -> Record:
    assert field.record is not None  # noqa: S101 - a record or list field declares its record
    return field.record


# -- where each field's column is ------------------------------------------------------------------------
def _document_columns(h: Holders) -> dict[str, Column]:
    """The columns of the document's own fields and records, by field path."""
    return {
        "birth_date": (h.birth, h.birth_null),
        "as_of": (h.as_of, h.as_of_null),
        "hukou_spouse_married_on": (h.married, h.married_null),
        "residence_permit.valid_from": (h.permit_from, h.permit_from_null),
        "residence_permit.valid_until": (h.permit_until, h.permit_until_null),
        "investment.avg_annual_tax_yuan": (h.tax, h.tax_null),
        "investment.avg_annual_hukou_employees": (h.employees, h.employees_null),
        "last_approved.total": (h.approved_total, h.approved_total_null),
        "last_approved.on": (h.approved_on, h.approved_on_null),
    }


def _group_columns(key: str, group: Group) -> dict[str, Column]:
    """The columns of a list's items, by field key (the layout names them)."""
    return {name: group.values[column] for name, column in _LIST_COLUMNS[key].items()}


@dataclass(frozen=True, slots=True)
class _Columns:
    """The columns of one record's fields, by key; a list's items also have their texts' codes."""

    by_key: Mapping[str, Column]
    list_key: str = ""
    group: Group | None = None

    def codes(self, key: str, options: tuple[object, ...]) -> Ints:
        """Each item's index in ``options`` (compared as texts); -1 for null or a text not among them."""
        assert self.group is not None  # noqa: S101 - texts (choices) are only in the lists' columns
        return self.group.codes(_LIST_COLUMNS[self.list_key][key], tuple(str(option) for option in options))

    def distinct_texts(self, key: str) -> tuple[str, ...]:
        assert self.group is not None  # noqa: S101 - as for codes
        return self.group.texts[_LIST_COLUMNS[self.list_key][key]]

    def within(self, key: str) -> _Columns:
        """The columns of the document's record ``key`` (paths ``key.field``)."""
        prefix = f"{key}."
        return _Columns({path.removeprefix(prefix): c for path, c in self.by_key.items() if path.startswith(prefix)})


# -- each record's fields and rules -----------------------------------------------------------------------
def _record_problems(record: Record, columns: _Columns, present: Bools) -> Bools:
    """Where ``present``: a required field null, a value its declaration refuses, or ``last`` before ``first``."""
    bad = np.zeros(len(present), dtype=bool)
    for field in record.fields:
        if field.kind is Kind.RECORD:
            inner = columns.within(field.key)
            somewhere = np.zeros_like(present)
            for _, nulls in inner.by_key.values():
                somewhere |= ~nulls
            bad |= _record_problems(_record(field), inner, present & somewhere)
        if field.key not in columns.by_key:
            continue  # a list (checked item by item), or a field without a column form (see above)
        if field.required:
            bad |= present & columns.by_key[field.key][1]
        bad |= _value_problems(record, field, columns)
    for rule in record.rules:
        (first, first_null), (last, last_null) = columns.by_key[rule.first], columns.by_key[rule.last]
        bad |= ~first_null & ~last_null & (last < first)
    return bad


def _value_problems(record: Record, field: Field, columns: _Columns) -> Bools:
    """Values of ``record``'s ``field`` that are there and that the field's kind or bounds refuse."""
    values, nulls = columns.by_key[field.key]
    if field.kind is Kind.VARIANT:
        return ~nulls & ~_variant_accepted(field, field_of(record, field.by), columns)
    if field.kind in (Kind.CHOICE, Kind.SKILL_LEVEL):
        return ~nulls & (columns.codes(field.key, field.choices) < 0)
    if field.kind is Kind.USCC:
        valid = np.array([uscc_problem(text) is None for text in columns.distinct_texts(field.key)] + [True])
        return np.asarray(~nulls & ~valid[values], dtype=bool)
    check = _VALUE_CHECKS.get(field.kind)
    return np.zeros(len(nulls), dtype=bool) if check is None else ~nulls & check(field, values)


def _variant_accepted(field: Field, decider: Field, columns: _Columns) -> Bools:
    """Items whose value is accepted by the variant that their ``decider`` (``field.by``) decides."""
    decided = columns.codes(field.by, decider.choices)
    accepted = np.zeros(len(decided), dtype=bool)
    for value, variant in field.variants:
        index = decider.choices.index(value)
        accepted |= (decided == index) & (columns.codes(field.key, variant.choices) >= 0)
    return accepted


def _out_of_range(days: Ints, nulls: Bools) -> Bools:
    return ~nulls & ((days < _EARLIEST) | (days > _LATEST))


def _dates(field: Field, days: Ints) -> Bools:
    return (days < _EARLIEST) | (days > _LATEST)


def _months(field: Field, first_days: Ints) -> Bools:
    """A month is the first day of the month in the layout."""
    return np.asarray(_dates(field, first_days) | (day_in_month(first_days) != 1), dtype=bool)


def _below_minimum(field: Field, values: npt.NDArray[Any]) -> Bools:
    too_low = values < field.minimum if field.minimum is not None else np.zeros(len(values), dtype=bool)
    return np.asarray(too_low, dtype=bool)


def _amounts(field: Field, values: npt.NDArray[Any]) -> Bools:
    return np.asarray(~np.isfinite(values) | _below_minimum(field, values), dtype=bool)


def _fen(field: Field, yuan: npt.NDArray[Any]) -> Bools:
    above = 0.0 if field.above is None else field.above
    with np.errstate(invalid="ignore", over="ignore"):
        fen = np.round(yuan * 100)
        return np.asarray(
            ~np.isfinite(yuan) | (yuan <= above) | (yuan >= _LARGEST_BASE) | (fen / 100 != yuan), dtype=bool
        )


_VALUE_CHECKS: dict[Kind, Callable[[Field, npt.NDArray[Any]], Bools]] = {
    Kind.DATE: _dates,
    Kind.MONTH: _months,
    Kind.INTEGER: _below_minimum,
    Kind.AMOUNT: _amounts,
    Kind.FEN: _fen,
}


# -- the rules across the document ------------------------------------------------------------------------
def _rule_problems(rule: DocumentRule, h: Holders, document: Mapping[str, Column], working_age: int) -> Bools:
    match rule:
        case NotAfter():
            (value, value_null), (limit, limit_null) = document[rule.key], document[rule.limit]
            return np.asarray(~value_null & ~limit_null & (value > limit), dtype=bool)
        case IdNumberMatches():
            return _id_numbers(h)
        case NoOverlap():
            return _per_holder(h, rule.key, lambda columns, group: _overlaps_in(columns, group, rule))
        case NotBeforeBirth():
            return _before_birth(h, document, rule)
        case NotBeforeWorkingAge():
            return _before_working_age(h, rule, working_age)
    raise AssertionError(rule)


def _per_holder(h: Holders, key: str, items: Callable[[Mapping[str, Column], Group], Bools]) -> Bools:
    """Holders with at least one item of the list ``key`` that ``items`` flags."""
    group = dict(h.named_groups())[key]
    bad = np.zeros(h.n, dtype=bool)
    bad[group.holder[items(_group_columns(key, group), group)]] = True
    return bad


def _overlaps_in(columns: Mapping[str, Column], group: Group, rule: NoOverlap) -> Bools:
    (start, _), (end, ongoing) = columns[rule.start], columns[rule.end]
    return _overlaps(group.holder, start, end, ongoing)


def _before_birth(h: Holders, document: Mapping[str, Column], rule: NotBeforeBirth) -> Bools:
    birth, _ = document[rule.birth]
    bad = np.zeros(h.n, dtype=bool)
    for path in rule.paths:
        outer, inner, in_list = field_path(path)
        if in_list:
            bad |= _per_holder(h, outer, _items_before(birth, cast(str, inner)))
        else:
            bad |= _earlier(document[path], birth)
    return bad


def _items_before(birth: Ints, key: str) -> Callable[[Mapping[str, Column], Group], Bools]:
    """Items whose ``key`` is before their holder's birth."""
    return lambda columns, group: _earlier(columns[key], birth[group.holder])


def _earlier(column: Column, limit: Ints) -> Bools:
    days, nulls = column
    return np.asarray(~nulls & (days < limit), dtype=bool)


def _before_working_age(h: Holders, rule: NotBeforeWorkingAge, working_age: int) -> Bools:
    """Insurance months before the month of the birthday at ``working_age`` (so also before birth)."""
    outer, inner, _ = field_path(rule.path)
    allowed = months_of(h.birth) + 12 * working_age

    def too_early(columns: Mapping[str, Column], group: Group) -> Bools:
        first, nulls = columns[cast(str, inner)]
        return np.asarray(~nulls & (months_of(first) < allowed[group.holder]), dtype=bool)

    return _per_holder(h, outer, too_early)


def _overlaps(holder: Ints, start: Ints, end: Ints, ongoing: Bools) -> Bools:
    """Items of one holder that start on or before the end of the item before them (ongoing: no end)."""
    bad = np.zeros(len(holder), dtype=bool)
    if len(holder) < 2:
        return bad
    in_order = (holder[1:] > holder[:-1]) | ((holder[1:] == holder[:-1]) & (start[1:] >= start[:-1]))
    order = np.arange(len(holder)) if in_order.all() else np.lexsort((np.arange(len(holder)), start, holder))
    owner, starts, ends, open_ended = holder[order], start[order], end[order], ongoing[order]
    same = owner[1:] == owner[:-1]
    clash = same & (open_ended[:-1] | (starts[1:] <= ends[:-1]))
    bad[order[1:][clash]] = True
    return bad


def _id_numbers(h: Holders) -> Bools:
    """Identity numbers that fail the check of :func:`jifen.facts.idcard.id_number_problem`."""
    numbers = h.id_number
    present = np.asarray(numbers.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    if not present.any():
        return np.zeros(h.n, dtype=bool)
    upper = pc.utf8_upper(pc.fill_null(numbers, ""))
    shaped = np.asarray(
        pc.fill_null(pc.match_substring_regex(upper, r"^\d{17}[\dX]$"), fill_value=False).to_numpy(
            zero_copy_only=False
        ),
        dtype=bool,
    )
    good = present & shaped
    if not good.any():
        return present
    texts = np.asarray(upper.to_numpy(zero_copy_only=False), dtype=object)[good].astype("U18")
    chars = texts.view(np.uint32).reshape(-1, 18)
    digits = chars[:, :17].astype(np.int64) - ord("0")
    expected = np.array([ord(c) for c in CHECK_CHARS], dtype=np.uint32)[(digits @ np.array(WEIGHTS)) % 11]
    province = np.isin(_cut(texts, 0, 2), list(PROVINCES))
    births = np.asarray(h.birth[good].astype("datetime64[D]").astype(str), dtype="U10")
    dashed = np.char.add(_cut(texts, 6, 10), "-")
    carried = np.char.add(np.char.add(dashed, _cut(texts, 10, 12)), np.char.add("-", _cut(texts, 12, 14)))
    ok = (chars[:, 17] == expected) & province & (carried == births) & ~h.birth_null[good]
    bad = present.copy()
    bad[np.flatnonzero(good)[ok]] = False
    return bad


def _cut(texts: npt.NDArray[np.str_], start: int, stop: int) -> npt.NDArray[np.str_]:
    width = stop - start
    return texts.view(np.uint32).reshape(-1, 18)[:, start:stop].copy().view(f"U{width}").reshape(-1)
