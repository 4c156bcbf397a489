"""Check that the OpenFisca model (benchmarks/openfisca_jifen) scores like jifen, holder by holder.

Usage: python benchmarks/check_openfisca.py [--n 3000] [--rich 2000] [--one 50]

Compares every indicator's points (and whether it is counted) and the total of
``openfisca_jifen.batch_totals`` (through a batch Parquet file) with
``jifen.rules.engine.score(facts, on=day, explain=False)``, on:

- synthetic populations (``jifen.batch.synth.population``) of N holders, for several seeds and dates;
- hand-built holders: each indicator's edge cases (investment, public service, every remote area,
  several awards, every kind of penalty at its window's edges, titles and skill levels with and without
  the base condition, choose-one ties, the floor);
- the golden cases of tests/golden (those under the default readings);
- "rich" random holders whose facts touch every indicator, on dates around each policy change;

and ``openfisca_jifen.one_holder`` against ``score(...).total`` on some holders of each. Prints the
mismatches per population and exits 1 if there are any. Needs OpenFisca (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from jifen.batch.layout import write_holders
from jifen.batch.synth import population
from jifen.facts.model import AWARD_LEVELS, EDUCATION_LEVELS, PENALTY_KINDS, REMOTE_AREAS, SKILL_LEVELS, TITLE_LEVELS
from jifen.facts.parse import FactsError, parse_facts
from jifen.policy.loader import default_policy
from jifen.rules.engine import score
from jifen.yamlio import load_yaml
from openfisca_jifen import INDICATORS, batch_totals, one_holder
from openfisca_jifen.dates import add_months

Holder = tuple[str, dict[str, Any]]
GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden"
EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "jifen" / "examples"
SYNTHETIC_RUNS = (
    (7, date(2026, 11, 27)),
    (7, date(2024, 3, 15)),
    (7, date(2025, 7, 1)),
    (8, date(2026, 11, 27)),
    (9, date(2021, 6, 30)),
)
# Before and after 2023, a leap day, the 28th of February of a common year (leap-day anniversaries), a 30-day
# month's end.
HAND_BUILT_DATES = (date(2019, 6, 30), date(2024, 2, 29), date(2025, 2, 28), date(2026, 4, 30), date(2026, 11, 27))
# Around each change in the policy data: the scheme, the reference wage, the 2023 text, Lingang's rule.
RICH_DATES = (
    date(2018, 1, 1),
    date(2019, 11, 1),
    date(2020, 2, 29),
    date(2022, 12, 31),
    date(2023, 1, 1),
    date(2024, 8, 20),
    date(2024, 8, 21),
    date(2025, 7, 1),
    date(2026, 11, 27),
    date(2028, 3, 31),
)


def compare(
    label: str, holders: Sequence[Holder], on: date, folder: Path, one: int, *, quiet: bool = False
) -> tuple[int, set[str]]:
    """Mismatches of the batch model (every indicator's points and counted flag, the total) and of
    ``one_holder`` (on the first ``one`` holders),
    and the indicators that scored other than 0 for some holder. ``quiet``: print only mismatches."""
    path = folder / f"{label.replace(' ', '_')}_{on}.parquet"
    write_holders(path, holders)
    got = batch_totals(path, on, counted=True)
    mismatches: dict[str, list[str]] = {}
    for index, (holder_id, facts) in enumerate(holders):
        expected = score(facts, on=on, explain=False)
        wanted: dict[str, int | bool] = {item.indicator: item.points for item in expected.items}
        wanted.update({f"{item.indicator}_counted": item.counted for item in expected.items})
        wanted["total"] = expected.total
        for name, value in wanted.items():
            if got[name][index].item() != value:
                mismatches.setdefault(name, []).append(f"{holder_id}: jifen {value}, openfisca {got[name][index]}")
        if index < one and one_holder(facts, on) != expected.total:
            mismatches.setdefault("one_holder", []).append(f"{holder_id}: jifen {expected.total}")
    count = sum(len(found) for found in mismatches.values())
    exercised = {name for name in INDICATORS if np.any(got[name] != 0)}
    if count or not quiet:
        print(
            f"{label:<20} on {on}: {len(holders):5d} holders, {min(one, len(holders)):4d} one-holder, "
            f"{count} mismatches"
        )
    for name, found in mismatches.items():
        print(f"    {name}: {len(found)}, e.g. {'; '.join(found[:3])}")
    return count, exercised


# -- hand-built holders ---------------------------------------------------------------------------------
def _holder(birth: str = "1990-05-01", **facts: Any) -> dict[str, Any]:
    return {"schema": "jifen.facts/1", "birth_date": birth, **facts}


def _runs(first: str, base: float, to: str | None = None, **flags: bool) -> list[dict[str, Any]]:
    return [{"from": first, "to": to, "base": base, **flags}]


def hand_built(on: date) -> list[Holder]:
    """Holders exercising the rules the synthetic population barely touches, scored on ``on``."""
    policy = default_policy()
    reference = policy.resolve("si_base.reference_wage", on).value
    assert isinstance(reference, int)
    shanghai_title = {"obtained_in_shanghai": True, "matches_post": True}
    cases: list[dict[str, Any]] = [
        _holder(investment={"avg_annual_tax_yuan": 99_999.99}),
        _holder(investment={"avg_annual_tax_yuan": 100_000}),
        _holder(investment={"avg_annual_tax_yuan": 350_000.5, "avg_annual_hukou_employees": 45.5}),
        _holder(investment={"avg_annual_hukou_employees": 20}),
        _holder(investment={"avg_annual_tax_yuan": 5_000_000}),
        _holder(investment={}),
        _holder(public_service=[{"from": "2010-01-01", "to": "2012-06-30"}, {"from": "2014-01-01", "to": None}]),
        _holder(public_service=[{"from": str(add_months(on, -60)), "to": None}]),
        _holder(public_service=[{"from": str(add_months(on, -60) + timedelta(days=1)), "to": None}]),
        *(
            _holder(remote_area=[{"area": area, "from": str(add_months(on, -m)), "to": None}])
            for area in REMOTE_AREAS
            for m in (11, 12, 36, 60, 150)
        ),
        _holder(
            remote_area=[
                {"area": "lingang", "from": "2015-01-01", "to": "2016-12-31"},
                {"area": "other", "from": "2017-01-01", "to": "2020-06-30"},
                {"area": "lingang", "from": "2021-01-01", "to": None},
            ]
        ),
        _holder(remote_area=[{"area": "new_city", "from": "2012-03-01", "to": "2019-02-28"}]),
        _holder(awards=[{"level": level, "awarded_on": "2019-01-01"} for level in AWARD_LEVELS]),
        _holder(
            awards=[
                {"level": "national", "awarded_on": str(on + timedelta(days=1))},
                {"level": "municipal_special", "awarded_on": str(on)},
            ]
        ),
        _holder(
            awards=[
                {"level": "municipal_comprehensive", "awarded_on": "2017-05-01"},
                {"level": "municipal_special", "awarded_on": "2018-05-01"},
            ]
        ),
        *(
            _holder(
                education=[{"level": "doctor", "degree": True, "graduated_on": "2015-07-01"}],
                penalties=[{"kind": kind, "on": str(when)}],
            )
            for kind in PENALTY_KINDS
            for years in (3, 5)
            for when in (
                add_months(on, -12 * years),
                add_months(on, -12 * years) + timedelta(days=1),
                on,
                on + timedelta(days=1),
            )
        ),
        _holder(
            penalties=[
                {"kind": kind, "on": str(on - timedelta(days=30 * i))} for kind in PENALTY_KINDS for i in range(6)
            ]
        ),
        _holder(penalties=[{"kind": "false_material", "on": str(on - timedelta(days=i))} for i in range(9)]),
        *(
            _holder(
                qualifications=[{"kind": "skill", "level": level, "obtained_on": "2020-01-01", **shanghai_title}],
                social_insurance=_runs("2015-01", round(reference * factor, 2)),
            )
            for level in SKILL_LEVELS
            for factor in (0.5, 1)
        ),
        *(
            _holder(
                qualifications=[{"kind": "title", "level": level, "obtained_on": "2020-01-01", **shanghai_title}],
                social_insurance=_runs("2015-01", round(reference * factor, 2)),
            )
            for level in TITLE_LEVELS
            for factor in (0.99, 1)
        ),
        _holder(
            qualifications=[
                {"kind": "title", "level": "senior", "obtained_on": "2020-01-01", "obtained_in_shanghai": True}
            ]
        ),
        _holder(
            qualifications=[
                {"kind": "title", "level": "senior", "obtained_on": "2020-01-01", "matches_post": True},
                {"kind": "skill", "level": 4, "obtained_on": "2019-01-01", **shanghai_title},
                {"kind": "skill", "level": 1, "obtained_on": str(on + timedelta(days=1)), **shanghai_title},
            ],
            social_insurance=_runs("2015-01", reference * 3),
        ),
        # choose-one: a tie (bachelor with degree 90 against ...), a title above the education, both 0.
        _holder(
            education=[{"level": "master", "degree": False, "graduated_on": "2016-07-01"}],
            qualifications=[{"kind": "title", "level": "junior", "obtained_on": "2018-01-01", **shanghai_title}],
        ),
        _holder(
            education=[
                {"level": "master", "degree": False, "graduated_on": "2016-07-01"},
                {"level": "bachelor", "degree": True, "graduated_on": "2013-07-01"},
                {"level": "doctor", "degree": True, "graduated_on": str(on + timedelta(days=1))},
            ],
            qualifications=[{"kind": "skill", "level": 2, "obtained_on": "2018-01-01", **shanghai_title}],
            social_insurance=_runs("2015-01", reference * 2),
        ),
        _holder(
            education=[{"level": "doctor", "degree": True, "graduated_on": "2016-07-01"}],
            qualifications=[{"kind": "title", "level": "senior", "obtained_on": "2018-01-01", **shanghai_title}],
            social_insurance=_runs("2015-01", reference),
        ),
        _holder(education=[{"level": "junior_college", "degree": True, "graduated_on": "2010-07-01"}]),
        # Base tiers at the exact multiples, back-paid and other-employer months in the window.
        *(_holder(social_insurance=_runs("2014-01", round(reference * factor, 2))) for factor in (0.8, 1, 2, 3, 3.5)),
        _holder(social_insurance=_runs("2014-01", round(reference * 3 - 0.01, 2))),
        _holder(
            social_insurance=[
                {"from": "2015-01", "to": "2019-12", "base": 30_000},
                {"from": "2020-01", "to": "2020-12", "base": 40_000, "back_paid": True},
                {"from": "2021-01", "to": "2022-06", "base": 40_000, "employer_matches_contract": False},
                {"from": "2022-07", "to": None, "base": 50_000},
            ]
        ),
        _holder(social_insurance=_runs("2000-01", 5_000, to="2099-12")),
        _holder(hukou_spouse_married_on="2016-02-29"),
        _holder(hukou_spouse_married_on="2021-02-28"),
        _holder(hukou_spouse_married_on=str(add_months(on, -12 * 9))),
        # Month ends: 31 January to 29 April is 3 full months (the end, 30 April, is its month's last day).
        _holder(
            public_service=[{"from": "2010-01-31", "to": "2010-04-29"}, {"from": "2011-01-01", "to": "2015-09-30"}]
        ),
        _holder(
            public_service=[{"from": "2010-01-31", "to": "2010-04-28"}, {"from": "2011-01-01", "to": "2015-09-30"}]
        ),
        _holder(public_service=[{"from": "2016-02-29", "to": None}]),
        _holder(remote_area=[{"area": "other", "from": "2016-02-29", "to": None}]),
        _holder(
            remote_area=[
                {"area": "lingang", "from": "2008-10-31", "to": "2009-02-27"},
                {"area": "lingang", "from": "2021-03-01", "to": None},
            ]
        ),
        _holder(hukou_spouse_married_on=str(on)),
        _holder(hukou_spouse_married_on=str(on + timedelta(days=1))),
        _holder(birth=str(add_months(on, -12 * 61))),
        _holder(birth=str(add_months(on, -12 * 56) + timedelta(days=1))),
        _holder(birth=str(add_months(on, -12 * 44))),
        _holder(birth="1964-02-29"),
        _holder(birth="1982-02-28"),
        _holder(birth="1983-02-28"),
        _holder(
            fresh_graduate=True,
            shortage_major_matching_post=True,
            entrepreneur_talent=True,
            innovation_intermediary_talent=True,
        ),
    ]
    return [(f"hand{index:03d}", facts) for index, facts in enumerate(cases) if _valid(facts, on)]


def _valid(facts: dict[str, Any], on: date) -> bool:
    """Whether jifen accepts the facts on ``on`` (the generators should make only valid ones)."""
    try:
        parse_facts(facts)
    except FactsError as exc:
        print(f"    invalid facts skipped: {exc}")
        return False
    return date.fromisoformat(facts["birth_date"]) <= on


def golden() -> Iterator[tuple[date, Holder]]:
    """The golden cases under the default readings, each with its scoring date."""
    for path in sorted(GOLDEN.glob("*.yaml")):
        for case in load_yaml(path):
            if case.get("readings"):
                continue
            base: dict[str, Any] = {"schema": "jifen.facts/1", "birth_date": "1990-05-01"}
            if case.get("example"):
                base = load_yaml(EXAMPLES / case["example"])
            facts = {**base, **case.get("facts", {})}
            on = case.get("on") or facts.get("as_of")
            if on is not None:
                name = case.get("name") or f"{path.stem}/{case['id']}"  # whole-person or per-indicator cases
                yield date.fromisoformat(on), (name[:40], facts)


# -- rich random holders --------------------------------------------------------------------------------
def _day(rng: np.random.Generator, start: date, end: date) -> date:
    return start + timedelta(days=int(rng.integers(0, max((end - start).days, 1))))


def _periods(rng: np.random.Generator, on: date, count: int) -> list[tuple[date, date | None]]:
    """``count`` non-overlapping periods before ``on`` (some ending after it), the last maybe ongoing."""
    cuts = sorted({_day(rng, add_months(on, -12 * 16), add_months(on, 6)) for _ in range(2 * count)})
    out: list[tuple[date, date | None]] = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        out.append((start, end))
    if out and rng.random() < 0.5:
        out[-1] = (out[-1][0], None)
    return out


def rich_holder(rng: np.random.Generator, on: date) -> dict[str, Any]:
    """Random facts touching every indicator, with dates and amounts near the rules' edges."""
    reference = default_policy().resolve("si_base.reference_wage", on).value
    assert isinstance(reference, int)
    facts = _holder(birth=str(_day(rng, add_months(on, -12 * 66), add_months(on, -12 * 18))))
    born = date.fromisoformat(facts["birth_date"])
    facts["education"] = [
        {
            "level": EDUCATION_LEVELS[int(rng.integers(0, len(EDUCATION_LEVELS)))],
            "degree": bool(rng.random() < 0.6),
            "graduated_on": str(_day(rng, add_months(born, 12 * 18), add_months(on, 24))),
        }
        for _ in range(int(rng.integers(0, 4)))
    ]
    facts["qualifications"] = []
    for _ in range(int(rng.integers(0, 4))):
        kind = "title" if rng.random() < 0.5 else "skill"
        levels: tuple[Any, ...] = TITLE_LEVELS if kind == "title" else SKILL_LEVELS
        facts["qualifications"].append(
            {
                "kind": kind,
                "level": levels[int(rng.integers(0, len(levels)))],
                "obtained_on": str(_day(rng, add_months(on, -12 * 12), add_months(on, 12))),
                "obtained_in_shanghai": bool(rng.random() < 0.8),
                "matches_post": bool(rng.random() < 0.8),
            }
        )
    facts["social_insurance"] = _contribution_runs(rng, on, reference)
    if rng.random() < 0.4:
        facts["hukou_spouse_married_on"] = str(_day(rng, add_months(on, -12 * 14), add_months(on, 3)))
    facts["remote_area"] = [
        {
            "area": REMOTE_AREAS[int(rng.integers(0, len(REMOTE_AREAS)))],
            "from": str(start),
            "to": None if end is None else str(end),
        }
        for start, end in _periods(rng, on, int(rng.integers(0, 4)))
    ]
    facts["public_service"] = [
        {"from": str(start), "to": None if end is None else str(end)}
        for start, end in _periods(rng, on, int(rng.integers(0, 3)))
    ]
    facts["awards"] = [
        {
            "level": AWARD_LEVELS[int(rng.integers(0, len(AWARD_LEVELS)))],
            "awarded_on": str(_day(rng, add_months(on, -12 * 10), add_months(on, 6))),
        }
        for _ in range(int(rng.integers(0, 4)))
    ]
    if rng.random() < 0.3:
        steps = [0.0, 99_999.99, 100_000.0, 250_000.5, 1_200_000.0, 3e6, float(rng.uniform(0, 2e6))]
        facts["investment"] = {
            "avg_annual_tax_yuan": steps[int(rng.integers(0, len(steps)))],
            "avg_annual_hukou_employees": float(
                rng.choice([0, 9.99, 10, 35.5, 200, round(float(rng.uniform(0, 150)), 1)])
            ),
        }
    for flag in (
        "shortage_major_matching_post",
        "entrepreneur_talent",
        "innovation_intermediary_talent",
        "fresh_graduate",
    ):
        facts[flag] = bool(rng.random() < 0.1)
    facts["penalties"] = []
    for _ in range(int(rng.integers(0, 7)) if rng.random() < 0.5 else 0):
        kind = PENALTY_KINDS[int(rng.integers(0, len(PENALTY_KINDS)))]
        edge = add_months(on, -12 * int(rng.choice([3, 5])))
        when = rng.choice([0, 1, 2, 3])
        on_day = {0: edge, 1: edge + timedelta(days=1), 2: _day(rng, add_months(on, -12 * 7), add_months(on, 3))}.get(
            int(when), on
        )
        facts["penalties"].append({"kind": kind, "on": str(on_day)})
    return facts


def _contribution_runs(rng: np.random.Generator, on: date, reference: int) -> list[dict[str, Any]]:
    month = on.year * 12 + on.month - 1 - int(rng.integers(0, 12 * 14))
    end = on.year * 12 + on.month - 1 + 6
    runs: list[dict[str, Any]] = []
    while month < end and len(runs) < 40:
        length = int(rng.integers(1, 30))
        factor = float(rng.choice([0.5, 0.8, 1, 2, 3, 3.2, float(rng.uniform(0.6, 3.5))]))
        base = round(reference * factor - (0.01 if rng.random() < 0.2 else 0), 2)
        run: dict[str, Any] = {
            "from": f"{month // 12:04d}-{month % 12 + 1:02d}",
            "to": f"{(month + length - 1) // 12:04d}-{(month + length - 1) % 12 + 1:02d}",
            "base": base,
        }
        if rng.random() < 0.05:
            run["back_paid"] = True
        if rng.random() < 0.05:
            run["employer_matches_contract"] = False
        runs.append(run)
        month += length + (int(rng.integers(1, 8)) if rng.random() < 0.2 else 0)
    if runs and rng.random() < 0.5:
        runs[-1]["to"] = None
    return runs


def rich(n: int, on: date, seed: int) -> list[Holder]:
    rng = np.random.default_rng(seed)
    out = []
    for index in range(n):
        facts = rich_holder(rng, on)
        if _valid(facts, on):
            out.append((f"R{index:06d}", facts))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="holders per synthetic population")
    parser.add_argument("--rich", type=int, default=2000, help="rich random holders per date")
    parser.add_argument("--one", type=int, default=50, help="holders checked through one_holder per population")
    args = parser.parse_args()
    total = 0
    exercised: dict[str, set[str]] = {}

    def run(kind: str, holders: Sequence[Holder], on: date, one: int, *, quiet: bool = False) -> None:
        nonlocal total
        count, nonzero = compare(kind, holders, on, tmp, one, quiet=quiet)
        total += count
        exercised.setdefault(kind, set()).update(nonzero)

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for seed, on in SYNTHETIC_RUNS:
            run(f"synthetic seed {seed}", list(population(args.n, on, seed=seed)), on, args.one)
        for on in HAND_BUILT_DATES:
            run("hand-built", hand_built(on), on, 10_000)
        by_date: dict[date, list[Holder]] = {}
        for on, holder in golden():
            by_date.setdefault(on, []).append(holder)
        before = total
        for on, holders in sorted(by_date.items()):
            run("golden", holders, on, 10_000, quiet=True)
        cases = sum(len(holders) for holders in by_date.values())
        print(
            f"golden cases         {cases} cases on {len(by_date)} dates, all through one_holder: "
            f"{total - before} mismatches"
        )
        for index, on in enumerate(RICH_DATES):
            run("rich random", rich(args.rich, on, seed=100 + index), on, args.one)
    for kind, nonzero in exercised.items():
        missing = [name for name in INDICATORS if name not in nonzero]
        print(f"{kind}: indicators never other than 0: {', '.join(missing) or 'none'}")
    print(f"total mismatches: {total}")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
