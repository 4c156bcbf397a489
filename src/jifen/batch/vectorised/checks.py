"""Which rows the vectorised rules may not score: every row the facts parser would refuse, and a few more.

A flagged row goes to the scalar path, which refuses it with the parser's own field-path message (or
scores it, for the few valid rows flagged only because checking them here would cost more than it
saves, such as a skill level written "05"). So the vectorised path never scores a row the scalar path
refuses, and the error texts are the parser's.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow.compute as pc

from jifen.batch.layout import DATE_COLUMNS, REQUIRED, SKILL_TEXTS
from jifen.batch.vectorised.columns import Bools, Floats, Group, Ints, day_in_month, day_number, months_of
from jifen.batch.vectorised.holders import Holders
from jifen.facts.idcard import CHECK_CHARS, PROVINCES, WEIGHTS
from jifen.facts.limits import EARLIEST_DATE, LATEST_DATE, MAX_ITEMS
from jifen.facts.model import (
    AWARD_LEVELS,
    EDUCATION_LEVELS,
    PENALTY_KINDS,
    QUALIFICATION_KINDS,
    REMOTE_AREAS,
    TITLE_LEVELS,
    VETO_KINDS,
)
from jifen.facts.uscc import uscc_problem

# Dates outside the accepted range are left to the scalar path, which refuses them with its message.
_EARLIEST = day_number(EARLIEST_DATE)
_LATEST = day_number(LATEST_DATE)
_LARGEST_BASE = 1e9  # yuan; larger bases are exact in the scalar path, not necessarily in float64 fen
_ENUMS = {
    "education_level": EDUCATION_LEVELS,
    "remote_area": REMOTE_AREAS,
    "award_level": AWARD_LEVELS,
    "penalty_kind": PENALTY_KINDS,
    "veto_kind": VETO_KINDS,
}


def suspects(holders: Holders, scoring_day: Ints, first_scheme_day: int, working_age: int) -> Bools:
    """Rows to leave to the scalar path; ``working_age``: the highest legal minimum working age in the data."""
    bad = holders.birth_null | (holders.birth > scoring_day) | (scoring_day < first_scheme_day)
    bad |= ~holders.as_of_null & (holders.birth > holders.as_of)
    bad |= _out_of_range(holders.birth, holders.birth_null) | _out_of_range(scoring_day, np.zeros_like(bad))
    bad |= _out_of_range(holders.as_of, holders.as_of_null) | _out_of_range(holders.married, holders.married_null)
    bad |= _permit(holders)
    bad |= _amount(holders.tax, holders.tax_null) | _amount(holders.employees, holders.employees_null)
    bad |= holders.approved_total_null != holders.approved_on_null
    bad |= _out_of_range(holders.approved_on, holders.approved_on_null)
    bad |= ~holders.approved_total_null & (holders.approved_total < 0)
    bad |= _id_numbers(holders)
    for name, group in holders.named_groups():
        bad |= group.uneven | (group.lengths > MAX_ITEMS[name])
        bad[group.holder[_group_items(group)]] = True
    bad[holders.qualifications.holder[_qualification_levels(holders.qualifications)]] = True
    bad[holders.social_insurance.holder[_segments(holders.social_insurance)]] = True
    for group, start, to in (
        (holders.remote_area, "remote_from", "remote_to"),
        (holders.public_service, "public_service_from", "public_service_to"),
    ):
        bad[group.holder[_periods(group, start, to)]] = True
    bad |= _before_birth(holders, working_age)
    return bad


# Dates of events that cannot come before birth (jifen.facts.parse._check_plausibility).
_EVENTS = (
    ("education", "education_graduated_on"),
    ("qualifications", "qualification_obtained_on"),
    ("remote_area", "remote_from"),
    ("public_service", "public_service_from"),
    ("awards", "award_on"),
    ("penalties", "penalty_on"),
    ("vetoes", "veto_on"),
)


def _before_birth(h: Holders, working_age: int) -> Bools:
    """Rows with an event before birth, or an insurance month before the month of the working-age birthday."""
    bad = ~h.married_null & (h.married < h.birth)
    bad |= ~h.permit_from_null & (h.permit_from < h.birth)
    groups = dict(h.named_groups())
    for name, column in _EVENTS:
        group = groups[name]
        days, nulls = group.days(column)
        bad[group.holder[~nulls & (days < h.birth[group.holder])]] = True
    si = h.social_insurance
    first, nulls = si.days("si_from")
    allowed = months_of(h.birth) + 12 * working_age
    bad[si.holder[~nulls & (months_of(first) < allowed[si.holder])]] = True
    return np.asarray(bad, dtype=bool)


def _out_of_range(days: Ints, nulls: Bools) -> Bools:
    return ~nulls & ((days < _EARLIEST) | (days > _LATEST))


def _permit(h: Holders) -> Bools:
    bad = h.permit_from_null != h.permit_until_null
    bad |= ~h.permit_from_null & ~h.permit_until_null & (h.permit_until < h.permit_from)
    bad |= _out_of_range(h.permit_from, h.permit_from_null) | _out_of_range(h.permit_until, h.permit_until_null)
    return np.asarray(bad, dtype=bool)


def _amount(values: Floats, nulls: Bools) -> Bools:
    return ~nulls & (~np.isfinite(values) | (values < 0))


def _group_items(group: Group) -> Bools:
    """Items with a required field null, a text not among the choices, or a date out of range."""
    bad = np.zeros(len(group), dtype=bool)
    for column, (values, nulls) in group.values.items():
        if column in REQUIRED:
            bad |= nulls
        if column in _ENUMS:
            bad |= group.codes(column, _ENUMS[column]) < 0
        if column in DATE_COLUMNS:
            bad |= _out_of_range(values, nulls)
    return bad


def _qualification_levels(group: Group) -> Bools:
    kind = group.codes("qualification_kind", QUALIFICATION_KINDS)
    title_ok = (kind == 0) & (group.codes("qualification_level", TITLE_LEVELS) >= 0)
    skill_ok = (kind == 1) & (group.codes("qualification_level", SKILL_TEXTS) >= 0)
    return np.asarray(~(title_ok | skill_ok), dtype=bool)


def _segments(group: Group) -> Bools:
    """Runs whose months are not first days, end before they start, overlap, or whose base is not in fen."""
    first, first_null = group.days("si_from")
    last, last_null = group.days("si_to")
    bad = ~first_null & (day_in_month(first) != 1)
    bad |= ~last_null & ((day_in_month(last) != 1) | (last < first))
    base, _ = group.floats("si_base")
    with np.errstate(invalid="ignore", over="ignore"):
        fen = np.round(base * 100)
        bad |= ~np.isfinite(base) | (base <= 0) | (base >= _LARGEST_BASE) | (fen / 100 != base)
    bad |= _employer_codes(group)
    return np.asarray(bad | _overlaps(group.holder, first, last, last_null), dtype=bool)


def _employer_codes(group: Group) -> Bools:
    """Runs whose employer code fails :func:`jifen.facts.uscc.uscc_problem` (each distinct code checked once)."""
    codes, nulls = group.values["si_employer_uscc"]
    valid = np.array([uscc_problem(text) is None for text in group.texts["si_employer_uscc"]] + [True])
    return np.asarray(~nulls & ~valid[codes], dtype=bool)


def _periods(group: Group, start_column: str, to_column: str) -> Bools:
    start, _ = group.days(start_column)
    to, to_null = group.days(to_column)
    return (~to_null & (to < start)) | _overlaps(group.holder, start, to, to_null)


def _overlaps(holder: Ints, start: Ints, end: Ints, ongoing: Bools) -> Bools:
    """Items of one holder that start on or before the end of the item before them (ongoing: no end)."""
    bad = np.zeros(len(holder), dtype=bool)
    if len(holder) < 2:
        return bad
    in_order = (holder[1:] > holder[:-1]) | ((holder[1:] == holder[:-1]) & (start[1:] >= start[:-1]))
    order = np.arange(len(holder)) if in_order.all() else np.lexsort((np.arange(len(holder)), start, holder))
    h, s, e, o = holder[order], start[order], end[order], ongoing[order]
    same = h[1:] == h[:-1]
    clash = same & (o[:-1] | (s[1:] <= e[:-1]))
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
