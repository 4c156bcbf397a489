"""Hypothesis strategies for contract-valid ``jifen.facts/1`` documents of plausible holders.

Every event falls on or after birth, and insurance starts no earlier than the month of the 16th birthday
(the legal minimum working age, ``plausibility.minimum_working_age``), so the parser accepts them all.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from jifen.dates import Month, add_months, month_from_parts, month_of, month_str
from jifen.facts.idcard import PROVINCES, check_digit
from jifen.facts.limits import EARLIEST_DATE, LATEST_DATE
from jifen.facts.model import AWARD_LEVELS, EDUCATION_LEVELS, PENALTY_KINDS, REMOTE_AREAS, TITLE_LEVELS, VETO_KINDS
from jifen.facts.uscc import uscc_check_char
from jifen.policy.loader import default_policy

ONE_DAY = timedelta(days=1)


def days(lo: date, hi: date, *, first_of_month: bool) -> st.SearchStrategy[date]:
    if not first_of_month:
        return st.dates(lo, hi)
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    return st.integers(0, months).map(lambda m: add_months(date(lo.year, lo.month, 1), m))


EMPLOYER_CODES = [first17 + uscc_check_char(first17) for first17 in ("91310000MA1FL8TQ3", "91310115MA1H7XQ12")]
# The legal minimum working age in the policy data (劳动法 第十五条), the same at every date.
WORKING_AGE = max(int(str(v.value)) for v in default_policy().parameters["plausibility.minimum_working_age"].values)
# Bases around the insurance ceilings (37,302 from 2025-07; 34,188 for 2022-07..2023-06) and far above them.
_HIGH_BASES = [34188, 34188.01, 37302, 37302.01, 60000, 900000]


@st.composite
def segments(draw: st.DrawFn, earliest: Month | None = None) -> list[dict[str, Any]]:
    """Non-overlapping contribution segments, oldest first; the last may be ongoing.

    ``earliest``: the first month insurance may start (the month of the 16th birthday); the first
    segment often starts right on it.
    """
    month = month_from_parts(draw(st.integers(2008, 2027)), draw(st.integers(1, 12)))
    if earliest is not None and (month < earliest or draw(st.integers(0, 9)) == 0):
        month = earliest
    out: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 4))):
        month += draw(st.integers(0, 24))
        length = draw(st.integers(1, 60))
        base = draw(
            st.one_of(
                st.integers(3000, 40000),
                st.sampled_from([9116.8, 11396, 22792, 34188, 10338]),
                st.sampled_from(_HIGH_BASES),
            )
        )
        segment: dict[str, Any] = {"from": month_str(month), "to": month_str(month + length - 1), "base": base}
        if draw(st.integers(0, 9)) == 0:
            segment["back_paid"] = True
        if draw(st.integers(0, 9)) == 0:
            segment["employer_matches_contract"] = False
        out.append(segment)
        month += length
    ongoing = draw(st.booleans())
    if out and ongoing:
        out[-1]["to"] = None
    return out


@st.composite
def periods(
    draw: st.DrawFn, *, first_of_month: bool, area: bool = False, earliest: date = date(2000, 1, 1)
) -> list[dict[str, Any]]:
    start = draw(days(earliest, max(earliest, date(2028, 12, 1)), first_of_month=first_of_month))
    out: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 2))):
        length_months = draw(st.integers(1, 150))
        end = add_months(start, length_months) - ONE_DAY  # last day inside: the day before a month boundary
        period: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat()}
        if area:
            period = {"area": draw(st.sampled_from(REMOTE_AREAS)), **period}
        out.append(period)
        start = add_months(end + ONE_DAY, draw(st.integers(0, 24)))
    ongoing = draw(st.booleans())
    if out and ongoing:
        out[-1]["to"] = None
    return out


def id_number(draw: st.DrawFn, birth: str) -> str:
    """A valid identity number for someone born on ``birth``; the check digit may come as a lower-case x."""
    region = draw(st.sampled_from(sorted(PROVINCES))) + f"{draw(st.integers(0, 9999)):04d}"
    first17 = region + birth.replace("-", "") + f"{draw(st.integers(0, 999)):03d}"
    number = first17 + check_digit(first17)
    return number.lower() if draw(st.booleans()) else number


@st.composite
def facts(draw: st.DrawFn, *, first_of_month: bool = False, complete: bool = False) -> dict[str, Any]:
    """Contract-valid facts; with ``first_of_month`` every date is a 1st (period ends a month's last day).

    ``complete`` also draws the fields most rules do not read: as_of, an identity number, dated
    vetoes, amounts with decimals, full-time flags and the last approved score.
    """

    def day(lo: date, hi: date) -> str:
        return draw(days(lo, hi, first_of_month=first_of_month)).isoformat()

    out: dict[str, Any] = {"schema": "jifen.facts/1", "birth_date": day(date(1958, 1, 1), date(2004, 12, 1))}
    birth = date.fromisoformat(out["birth_date"])

    def after_birth(lo: date, years: int) -> date:
        """``lo``, or the first day of the month after the birthday ``years`` on when that is later."""
        return max(lo, add_months(birth.replace(day=1), 12 * years + 1))

    out["education"] = [
        {
            "level": draw(st.sampled_from(EDUCATION_LEVELS)),
            "degree": draw(st.booleans()),
            "graduated_on": day(after_birth(date(1990, 1, 1), 18), date(2030, 1, 1)),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    qualifications = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["title", "skill"]))
        level = draw(st.sampled_from(TITLE_LEVELS)) if kind == "title" else draw(st.sampled_from([5, 4, 3, 2, 1]))
        qualifications.append(
            {
                "kind": kind,
                "level": level,
                "obtained_on": day(after_birth(date(2000, 1, 1), 18), date(2030, 1, 1)),
                "obtained_in_shanghai": draw(st.booleans()),
                "matches_post": draw(st.booleans()),
            }
        )
    out["qualifications"] = qualifications
    out["social_insurance"] = draw(segments(month_of(birth) + 12 * WORKING_AGE))
    if draw(st.booleans()):
        out["hukou_spouse_married_on"] = day(after_birth(date(1995, 1, 1), 20), date(2030, 1, 1))
    out["remote_area"] = draw(
        periods(first_of_month=first_of_month, area=True, earliest=after_birth(date(2000, 1, 1), 16))
    )
    out["public_service"] = draw(periods(first_of_month=first_of_month, earliest=after_birth(date(2000, 1, 1), 16)))
    out["awards"] = [
        {
            "level": draw(st.sampled_from(AWARD_LEVELS)),
            "awarded_on": day(after_birth(date(2005, 1, 1), 16), date(2030, 1, 1)),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    if draw(st.booleans()):
        out["investment"] = {
            "avg_annual_tax_yuan": draw(st.integers(0, 2_000_000)),
            "avg_annual_hukou_employees": draw(st.integers(0, 150)),
        }
    for flag in (
        "shortage_major_matching_post",
        "entrepreneur_talent",
        "innovation_intermediary_talent",
        "fresh_graduate",
    ):
        out[flag] = draw(st.integers(0, 5)) == 0
    out["penalties"] = [
        {"kind": draw(st.sampled_from(PENALTY_KINDS)), "on": day(after_birth(date(2012, 1, 1), 16), date(2030, 1, 1))}
        for _ in range(draw(st.integers(0, 2)))
    ]
    out["vetoes"] = [{"kind": draw(st.sampled_from(VETO_KINDS))} for _ in range(draw(st.integers(0, 5)) // 5)]
    if complete:
        _complete(draw, out)
    if draw(st.booleans()):
        start = draw(days(date(2017, 1, 1), date(2030, 1, 1), first_of_month=True))
        out["residence_permit"] = {
            "valid_from": start.isoformat(),
            "valid_until": (add_months(start, 12) - ONE_DAY).isoformat(),
        }
    return out


def _complete(draw: st.DrawFn, out: dict[str, Any]) -> None:
    if draw(st.booleans()):
        earliest = max(date.fromisoformat(out["birth_date"]), date(2018, 1, 1))  # the scheme's first day
        out["as_of"] = draw(st.dates(earliest, date(2030, 12, 31))).isoformat()
    if draw(st.booleans()):
        out["id_number"] = id_number(draw, out["birth_date"])
    for entry in out["education"]:
        entry["full_time"] = draw(st.booleans())
        if draw(st.booleans()):
            entry["foreign"] = draw(st.booleans())
    for segment in out["social_insurance"]:
        if draw(st.booleans()):
            segment["base"] = draw(st.integers(300_000, 4_000_000)) / 100  # yuan with fen
        if draw(st.booleans()):
            segment["employer_uscc"] = draw(st.one_of(st.none(), st.sampled_from(EMPLOYER_CODES)))
    for veto in out["vetoes"]:
        veto["on"] = draw(st.one_of(st.none(), st.dates(date(2010, 1, 1), date(2030, 1, 1)).map(date.isoformat)))
    if draw(st.booleans()):
        amounts = st.one_of(st.integers(0, 3_000_000), st.floats(0, 3e6, allow_nan=False), st.just(99_999.99))
        out["investment"] = {
            "avg_annual_tax_yuan": draw(amounts),
            "avg_annual_hukou_employees": draw(st.one_of(st.floats(0, 200, allow_nan=False), st.just(9.999))),
        }
    if draw(st.booleans()):
        out["last_approved"] = {
            "total": draw(st.integers(0, 300)),
            "on": draw(st.dates(EARLIEST_DATE, LATEST_DATE)).isoformat(),
        }


def scoring_dates() -> st.SearchStrategy[date]:
    return st.dates(date(2018, 1, 1), date(2030, 12, 31))
