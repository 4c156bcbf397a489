"""A synthetic population of holders for benchmarks and tests: plausible, not real, and reproducible.

Distributions (documented in docs/batch.md) are rough shapes of Shanghai's permit holders, chosen to
exercise every indicator: ages 23 to 60; education mostly bachelor; a third with a title or skill; a
contribution history of ``years`` years in yearly runs from July (the base adjustment), the base drawn
around the reference wage and raised a few per cent a year; a fifth married to a Shanghai-hukou spouse;
a tenth in a remote area; a few awards, penalties and vetoes. Nothing happens before the holder could
have done it: insurance starts no earlier than the July after the 16th birthday (the legal minimum
working age), qualifications, remote areas and awards come after 18, a marriage after 20.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import numpy as np

from jifen.facts.parse import WORKING_AGE
from jifen.policy.loader import default_policy

EDUCATION = (("bachelor", 0.50), ("junior_college", 0.25), ("master", 0.17), ("doctor", 0.03), (None, 0.05))
QUALIFICATION = (
    (None, 0.66),
    ("title:intermediate", 0.14),
    ("title:junior", 0.06),
    ("title:senior", 0.03),
    ("skill:3", 0.05),
    ("skill:2", 0.03),
    ("skill:4", 0.02),
    ("skill:1", 0.01),
)
AREAS = ("lingang", "new_city", "transition_area", "other")


def _pick(rng: np.random.Generator, table: tuple[tuple[Any, float], ...]) -> Any:
    values, weights = zip(*table, strict=True)
    return values[int(rng.choice(len(values), p=np.array(weights) / sum(weights)))]


_ADULT_YEARS = 18  # a shape, not a rule: qualifications and remote-area jobs come after this age
_MARRIAGE_YEARS = 20  # a shape, not a rule: no marriage before this age


def _not_before(day: date, birth: date, years: int) -> date:
    """``day``, or the first of the month after the birthday ``years`` on when that is later."""
    earliest = date(birth.year + years + (birth.month == 12), birth.month % 12 + 1, 1)
    return max(day, earliest)


def holder(rng: np.random.Generator, on: date, years: int, working_age: int) -> dict[str, Any]:
    """One holder; insurance starts no earlier than the July after the ``working_age`` birthday."""
    birth = date(int(rng.integers(on.year - 60, on.year - 22)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
    facts: dict[str, Any] = {"schema": "jifen.facts/1", "birth_date": birth.isoformat()}
    level = _pick(rng, EDUCATION)
    if level is not None:
        graduated = date(min(birth.year + 22 + int(rng.integers(0, 6)), on.year), 7, 1)
        facts["education"] = [
            {
                "level": level,
                "degree": bool(rng.random() < 0.85),
                "graduated_on": graduated.isoformat(),
                "full_time": bool(rng.random() < 0.8),
            }
        ]
    qualification = _pick(rng, QUALIFICATION)
    if qualification is not None:
        kind, level_text = qualification.split(":")
        facts["qualifications"] = [
            {
                "kind": kind,
                "level": int(level_text) if kind == "skill" else level_text,
                "obtained_on": _not_before(
                    date(on.year - int(rng.integers(1, 10)), int(rng.integers(1, 13)), 1), birth, _ADULT_YEARS
                ).isoformat(),
                "obtained_in_shanghai": bool(rng.random() < 0.8),
                "matches_post": bool(rng.random() < 0.85),
            }
        ]
    facts["social_insurance"] = _history(rng, on, years, _not_before(date(1, 1, 1), birth, working_age))
    if rng.random() < 0.2:
        facts["hukou_spouse_married_on"] = _not_before(
            date(on.year - int(rng.integers(0, 15)), int(rng.integers(1, 13)), 1), birth, _MARRIAGE_YEARS
        ).isoformat()
    if rng.random() < 0.1:
        start = _not_before(date(on.year - int(rng.integers(0, 12)), int(rng.integers(1, 13)), 1), birth, _ADULT_YEARS)
        facts["remote_area"] = [{"area": AREAS[int(rng.integers(0, 4))], "from": start.isoformat(), "to": None}]
    if rng.random() < 0.03:
        facts["awards"] = [{"level": "municipal_special", "awarded_on": f"{on.year - int(rng.integers(1, 8))}-05-01"}]
    if rng.random() < 0.01:
        facts["penalties"] = [{"kind": "administrative_detention", "on": f"{on.year - int(rng.integers(0, 7))}-03-01"}]
    if rng.random() < 0.02:
        facts["fresh_graduate"] = True
    if rng.random() < 0.002:
        facts["vetoes"] = [{"kind": "serious_criminal_record"}]
    return facts


def _history(rng: np.random.Generator, on: date, years: int, earliest: date) -> list[dict[str, Any]]:
    """Yearly runs from July, the last one ongoing; now and then a gap, a back-paid or mismatched run.

    The first July is ``years`` before ``on``, or the first July on or after ``earliest`` when later.
    """
    start_year = max(on.year - years, earliest.year + (earliest.month > 7))
    base = float(np.clip(rng.lognormal(mean=np.log(11_000), sigma=0.45), 7_000, 37_000))
    out: list[dict[str, Any]] = []
    year = start_year
    while year < on.year:
        first, last = f"{year}-07", f"{year + 1}-06"
        segment: dict[str, Any] = {"from": first, "to": last, "base": round(base)}
        if rng.random() < 0.02:
            segment["back_paid"] = True
        elif rng.random() < 0.01:
            segment["employer_matches_contract"] = False
        out.append(segment)
        base = float(np.clip(base * (1 + rng.normal(0.05, 0.03)), 7_000, 37_000))
        year += 2 if rng.random() < 0.03 else 1  # a year's gap now and then
    if out and out[-1]["to"] >= f"{on.year}-{on.month:02d}":
        out[-1]["to"] = None
    elif out:
        out.append(
            {"from": f"{year}-07" if f"{year}-07" > out[-1]["to"] else f"{on.year}-01", "to": None, "base": round(base)}
        )
    return out


def population(n: int, on: date, *, seed: int = 2026, years: int = 10) -> Iterator[tuple[str, dict[str, Any]]]:
    rng = np.random.default_rng(seed)
    working_age = default_policy().resolve(WORKING_AGE, on).value
    assert isinstance(working_age, int)  # noqa: S101 - the loader checks declared types
    for i in range(n):
        yield f"H{i:08d}", holder(rng, on, years, working_age)
