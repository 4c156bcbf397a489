"""The vectorised engine gives the scalar engine's rows, holder by holder, valid or refused.

500 examples of 20 random contract-valid holders (10,000 in all) on random dates, under every
combination of readings; then rows broken in every way the layout allows, which must be refused with
the scalar path's own messages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jifen.batch.layout import INPUT_SCHEMA, holder_of, to_row, write_holders
from jifen.batch.output import OUTPUT_SCHEMA, score_row
from jifen.batch.scoring import score_file
from jifen.batch.synth import population
from jifen.batch.vectorised.checks import suspects
from jifen.batch.vectorised.engine import on_day, score_table
from jifen.batch.vectorised.holders import Holders
from jifen.facts.idcard import check_digit
from jifen.facts.parse import parse_facts
from jifen.facts.uscc import uscc_check_char
from jifen.policy.loader import default_policy
from jifen.policy.model import Policy
from jifen.rules.columns import day_number
from jifen.rules.context import Context
from jifen.rules.indicators import REGISTRY
from tests.conftest import contract_example
from tests.strategies import WORKING_AGE, facts, scoring_dates

READINGS = [
    {},
    {"points_reference_wage": "si_wage"},
    {"top_base_tier": "exactly"},
    {"family_planning_veto": "kept", "points_reference_wage": "si_wage", "top_base_tier": "exactly"},
]


def scalar_rows(rows: list[dict[str, Any]], on: date | None, policy: Policy) -> list[dict[str, Any]]:
    out = [score_row(*holder_of(row), on, policy) for row in rows]
    scored: list[dict[str, Any]] = pa.Table.from_pylist(out, schema=OUTPUT_SCHEMA).to_pylist()
    return scored


def vectorised_rows(rows: list[dict[str, Any]], on: date | None, policy: Policy) -> list[dict[str, Any]]:
    table = pa.Table.from_pylist(rows, schema=INPUT_SCHEMA)
    scored: list[dict[str, Any]] = score_table(table, on, policy).to_pylist()
    return scored


def assert_same(rows: list[dict[str, Any]], on: date | None, policy: Policy) -> None:
    expected = scalar_rows(rows, on, policy)
    got = vectorised_rows(rows, on, policy)
    for want, have in zip(expected, got, strict=True):
        assert have == want


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    holders=st.lists(facts(complete=True), min_size=20, max_size=20),
    on=st.one_of(st.none(), scoring_dates()),
    readings=st.sampled_from(READINGS),
)
def test_vectorised_equals_scalar_for_valid_holders(
    holders: list[dict[str, Any]], on: date | None, readings: dict[str, str]
) -> None:
    policy = default_policy().with_readings(**readings)
    rows = [to_row(f"H{i}", holder) for i, holder in enumerate(holders)]
    assert_same(rows, on, policy)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    holders=st.lists(facts(complete=True), min_size=10, max_size=10),
    on=scoring_dates(),
    readings=st.sampled_from(READINGS),
)
def test_each_indicators_column_rule_equals_its_scalar_rule(
    holders: list[dict[str, Any]], on: date, readings: dict[str, str]
) -> None:
    """Indicator by indicator over the registry: the column rule gives each holder the scalar rule's points."""
    policy = default_policy().with_readings(**readings)
    rows = [to_row(f"H{i}", holder) for i, holder in enumerate(holders)]
    table = pa.Table.from_pylist(rows, schema=INPUT_SCHEMA)
    days = np.full(len(rows), day_number(on), dtype=np.int64)
    valid = ~suspects(Holders.from_table(table), days, day_number(policy.versions[0].effective_from), WORKING_AGE)
    kept = [row for row, ok in zip(rows, valid, strict=True) if ok]
    scoring = on_day(Holders.from_table(table.filter(pa.array(valid))), on, policy)
    contexts = [Context(parse_facts(holder_of(row)[1], policy), on, policy, recording=False) for row in kept]
    for indicator in REGISTRY:
        column = indicator.column(scoring).tolist()
        assert column == [indicator.scalar(ctx).points for ctx in contexts], indicator.id


def _set(row: dict[str, Any], **changes: object) -> dict[str, Any]:
    row.update(changes)
    return row


def _first(row: dict[str, Any], column: str, value: object, fill: Mapping[str, object]) -> dict[str, Any]:
    """Set item 0 of ``column``, adding an item to its group (from ``fill``) when the group is empty."""
    if not row[column]:
        for name, default in fill.items():
            row[name] = [default]
    row[column][0] = value
    return row


VALID_USCC = "91310000MA1FL8TQ3" + uscc_check_char("91310000MA1FL8TQ3")
OTHER_BIRTH = "31011519800501001" + check_digit("31011519800501001")  # valid, born 1980-05-01
_SEGMENT = {
    "si_from": date(2020, 7, 1),
    "si_to": None,
    "si_base": 12000.0,
    "si_back_paid": False,
    "si_employer_matches": True,
    "si_employer_uscc": None,
}
_EDUCATION = {
    "education_level": "bachelor",
    "education_graduated_on": date(2010, 7, 1),
    "education_degree": True,
    "education_full_time": True,
    "education_foreign": None,
}
_AWARD = {"award_level": "national", "award_on": date(2020, 1, 1)}
_PENALTY = {"penalty_kind": "false_material", "penalty_on": date(2020, 1, 1)}
_VETO = {"veto_kind": "serious_criminal_record", "veto_on": None}
_PERIOD = {"public_service_from": date(2019, 3, 1), "public_service_to": None}
_AREA = {"remote_area": "lingang", "remote_from": date(2019, 3, 1), "remote_to": None}
_QUALIFICATION = {
    "qualification_kind": "skill",
    "qualification_level": "3",
    "qualification_obtained_on": date(2020, 1, 1),
    "qualification_in_shanghai": True,
    "qualification_matches_post": True,
}

BREAKAGES: dict[str, Callable[[dict[str, Any]], object]] = {
    "no birth date": lambda r: _set(r, birth_date=None),
    "born after as_of": lambda r: _set(r, as_of=date(1950, 1, 1)),
    "born in 1899, before the accepted dates": lambda r: _set(r, birth_date=date(1899, 12, 31), id_number=None),
    "last approved after the accepted dates": lambda r: _set(
        r, last_approved_total=100, last_approved_on=date(2200, 1, 1)
    ),
    "101 penalties, one over the cap": lambda r: _set(
        r, penalty_kind=["criminal_record"] * 101, penalty_on=[date(2025, 1, 1)] * 101
    ),
    "unknown education level": lambda r: _first(r, "education_level", "phd", _EDUCATION),
    "month not on a first day": lambda r: _first(r, "si_from", date(2020, 7, 15), _SEGMENT),
    "run ending before it starts": lambda r: _first(r, "si_to", date(2000, 1, 1), _SEGMENT),
    "base with three decimals": lambda r: _first(r, "si_base", 12000.125, _SEGMENT),
    "base of zero": lambda r: _first(r, "si_base", 0.0, _SEGMENT),
    "base not a number": lambda r: _first(r, "si_base", float("nan"), _SEGMENT),
    "base null": lambda r: _first(r, "si_base", None, _SEGMENT),
    "overlapping runs": lambda r: [
        _first(r, "si_base", 12000.0, _SEGMENT),
        _set(r, **{c: [*r[c], r[c][0]] for c in _SEGMENT}),
    ],
    "list columns of unequal length": lambda r: [
        _first(r, "si_base", 12000.0, _SEGMENT),
        _set(r, si_base=[*r["si_base"], 1.0]),
    ],
    "overlapping remote periods": lambda r: [
        _first(r, "remote_area", "new_city", _AREA),
        _set(r, **{c: [*r[c], r[c][0]] for c in _AREA}),
    ],
    "public service ending before it starts": lambda r: _first(r, "public_service_to", date(1999, 1, 1), _PERIOD),
    "negative tax": lambda r: _set(r, investment_tax_yuan=-1.0),
    "infinite employees": lambda r: _set(r, investment_hukou_employees=float("inf")),
    "wrong check digit": lambda r: _set(r, id_number="31011519900501001X"),
    "identity number of another birth date": lambda r: _set(r, id_number=OTHER_BIRTH),
    "identity number too short": lambda r: _set(r, id_number="3101151990"),
    "permit without an end": lambda r: _set(r, permit_valid_from=date(2024, 1, 1), permit_valid_until=None),
    "permit ending before it starts": lambda r: _set(
        r, permit_valid_from=date(2024, 1, 1), permit_valid_until=date(2023, 1, 1)
    ),
    "last approved without a date": lambda r: _set(r, last_approved_total=100, last_approved_on=None),
    "negative last approved": lambda r: _set(r, last_approved_total=-3, last_approved_on=date(2024, 1, 1)),
    "title level given as a skill": lambda r: _first(
        r, "qualification_level", "3", {**_QUALIFICATION, "qualification_kind": "title"}
    ),
    "skill level written 05 (valid)": lambda r: [
        _first(r, "qualification_kind", "skill", _QUALIFICATION),
        _first(r, "qualification_level", "05", _QUALIFICATION),
    ],
    "skill level 6": lambda r: _first(r, "qualification_level", "6", _QUALIFICATION),
    "unknown qualification kind": lambda r: _first(r, "qualification_kind", "licence", _QUALIFICATION),
    "award without a level": lambda r: _first(
        r, "award_level", None, {"award_level": "national", "award_on": date(2020, 1, 1)}
    ),
    "penalty without a date": lambda r: _first(
        r, "penalty_on", None, {"penalty_kind": "false_material", "penalty_on": date(2020, 1, 1)}
    ),
    "unknown veto": lambda r: _first(r, "veto_kind", "parking", {"veto_kind": "parking", "veto_on": None}),
    # Facts that cannot be true (the contract example's holder is born 1990-05-01, turns 16 in 2006-05).
    "graduated before birth": lambda r: _first(r, "education_graduated_on", date(1990, 4, 30), _EDUCATION),
    "qualification before birth": lambda r: _first(r, "qualification_obtained_on", date(1989, 12, 1), _QUALIFICATION),
    "married before birth": lambda r: _set(r, hukou_spouse_married_on=date(1990, 4, 30)),
    "remote area from before birth": lambda r: _first(r, "remote_from", date(1990, 4, 1), _AREA),
    "public service from before birth": lambda r: _first(r, "public_service_from", date(1980, 1, 1), _PERIOD),
    "award before birth": lambda r: _first(r, "award_on", date(1990, 4, 30), _AWARD),
    "penalty before birth": lambda r: _first(r, "penalty_on", date(1990, 4, 30), _PENALTY),
    "veto dated before birth": lambda r: _first(r, "veto_on", date(1990, 4, 30), _VETO),
    "veto dated on the birth day (scored)": lambda r: _first(r, "veto_on", date(1990, 5, 1), _VETO),
    "permit from before birth": lambda r: _set(r, permit_valid_from=date(1990, 4, 30)),
    "insurance before the birth month": lambda r: _first(r, "si_from", date(1990, 4, 1), _SEGMENT),
    "insurance in the birth month": lambda r: _first(r, "si_from", date(1990, 5, 1), _SEGMENT),
    "insurance the month before the 16th birthday": lambda r: _first(r, "si_from", date(2006, 4, 1), _SEGMENT),
    "insurance from the month of the 16th birthday (valid)": lambda r: _first(r, "si_from", date(2006, 5, 1), _SEGMENT),
    "employer code with a wrong check character": lambda r: _first(
        r, "si_employer_uscc", "91310000MA1FL8TQ3C", _SEGMENT
    ),
    "employer code of 17 characters": lambda r: _first(r, "si_employer_uscc", "91310000MA1FL8TQ3", _SEGMENT),
    "employer code (valid)": lambda r: _first(r, "si_employer_uscc", VALID_USCC, _SEGMENT),
    "foreign degree (valid)": lambda r: _first(r, "education_foreign", True, _EDUCATION),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    holders=st.lists(facts(complete=True), min_size=4, max_size=4),
    broken=st.lists(st.sampled_from(sorted(BREAKAGES)), min_size=1, max_size=3),
    on=st.one_of(st.none(), scoring_dates()),
)
def test_vectorised_refuses_broken_rows_with_the_scalar_message(
    holders: list[dict[str, Any]], broken: list[str], on: date | None
) -> None:
    rows = [to_row(f"H{i}", holder) for i, holder in enumerate(holders)]
    for index, name in enumerate(broken):
        BREAKAGES[name](rows[index % len(rows)])
    assert_same(rows, on, default_policy())


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_each_breakage_is_refused_or_scored_as_the_scalar_path_does(name: str) -> None:
    row = to_row("A", contract_example())
    BREAKAGES[name](row)
    [got] = vectorised_rows([row], None, default_policy())
    valid = name.endswith("(valid)") or "(scored" in name
    assert (got["error"] is None) == valid, got["error"]
    assert [got] == scalar_rows([row], None, default_policy())


def test_a_file_with_broken_rows_is_scored_around_them(tmp_path: Path) -> None:
    good = to_row("good", contract_example())
    month = to_row("month", contract_example())
    month["si_from"][0] = date(2020, 7, 15)
    uneven = to_row("uneven", contract_example())
    uneven["si_base"] = [*uneven["si_base"], 1.0]
    fen = to_row("fen", contract_example())
    fen["si_base"][0] = 12000.125
    pq.write_table(pa.Table.from_pylist([good, month, uneven, fen], schema=INPUT_SCHEMA), tmp_path / "in.parquet")
    report = score_file(tmp_path / "in.parquet", tmp_path / "out.parquet", None, default_policy(), chunk=3)
    rows = {r["id"]: r for r in pq.read_table(tmp_path / "out.parquet").to_pylist()}
    assert (report.holders, report.refused) == (4, 3)
    assert (rows["good"]["total"], rows["good"]["error"]) == (250, None)
    assert rows["month"]["error"] == 'social_insurance[0].from: expected a month YYYY-MM, got "2020-07-15"'
    assert rows["uneven"]["error"] == (
        "social_insurance: the list columns differ in length "
        "(si_from 2, si_to 2, si_base 3, si_back_paid 2, si_employer_matches 2, si_employer_uscc 2)"
    )
    assert rows["fen"]["error"] == "social_insurance[0].base: at most 2 decimal places (fen), got 12000.125"
    assert rows["fen"]["total"] is None


def test_both_engines_write_the_same_file(tmp_path: Path) -> None:
    write_holders(tmp_path / "in.parquet", population(3000, date(2026, 11, 27), seed=5))
    for engine in ("vectorised", "scalar"):
        score_file(tmp_path / "in.parquet", tmp_path / f"{engine}.parquet", None, default_policy(), engine=engine)
    assert pq.read_table(tmp_path / "vectorised.parquet").equals(pq.read_table(tmp_path / "scalar.parquet"))


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="engine: expected one of vectorised, scalar; got 'gpu'"):
        score_file(tmp_path / "in.parquet", tmp_path / "out.parquet", None, default_policy(), engine="gpu")


def test_the_largest_deduction_the_caps_allow_is_kept_by_both_engines() -> None:
    row = to_row("A", contract_example())
    row["penalty_kind"] = ["criminal_record"] * 100  # 100 records (the cap) a day apart: -15,000 points
    row["penalty_on"] = [date(2025, 1, 1) + timedelta(days=i) for i in range(100)]
    [got] = vectorised_rows([row], None, default_policy())
    assert (got["criminal_record"], got["total"]) == (-15_000, 0)
    assert [got] == scalar_rows([row], None, default_policy())


def _holder(birth: str, *runs: tuple[str, str | None, float]) -> dict[str, Any]:
    return {
        "schema": "jifen.facts/1",
        "birth_date": birth,
        "social_insurance": [{"from": first, "to": last, "base": base} for first, last, base in runs],
    }


ISSUE_11 = [
    _holder("1990-05-01", ("2020-07", "2026-06", 12000)),  # stopped in June
    _holder("1990-05-01", ("2020-07", "2026-10", 12000)),  # ends with the month before November
    _holder("1990-05-01", ("2020-07", "2026-11", 12000)),  # covers November
    _holder("1990-05-01", ("2020-07", "2026-09", 12000), ("2026-10", None, 12000)),
    _holder("2008-12-01", ("2024-12", None, 8000)),  # 18 on 2026-12-01, insured from the 16th birthday's month
    _holder("2008-02-29", ("2024-02", None, 8000)),
    _holder("1990-05-01", ("2022-07", None, 900000)),  # far above every ceiling
    _holder(
        "1990-05-01", ("2023-07", "2024-06", 36549.01), ("2024-07", "2025-06", 36921.01), ("2025-07", None, 37302.01)
    ),
    _holder(
        "1990-05-01", ("2023-07", "2024-06", 36548.99), ("2024-07", "2025-06", 36920.99), ("2025-07", None, 37301.99)
    ),
]


@pytest.mark.parametrize(
    "on", [date(2026, 2, 27), date(2026, 2, 28), date(2026, 7, 1), date(2026, 11, 30), date(2026, 12, 1)]
)
@pytest.mark.parametrize("readings", READINGS)
def test_both_engines_apply_the_filing_month_the_minimum_age_and_the_ceiling(
    on: date, readings: dict[str, str]
) -> None:
    policy = default_policy().with_readings(**readings)
    rows = [to_row(f"H{i}", holder) for i, holder in enumerate(ISSUE_11)]
    table = pa.Table.from_pylist(rows, schema=INPUT_SCHEMA)
    holders = Holders.from_table(table)
    day = np.full(len(rows), day_number(on), dtype=np.int64)
    assert not suspects(
        holders, day, day_number(policy.versions[0].effective_from), WORKING_AGE
    ).any()  # all vectorised
    assert_same(rows, on, policy)


def test_the_vectorised_engine_gives_the_issue_11_answers() -> None:
    rows = [to_row(f"H{i}", holder) for i, holder in enumerate(ISSUE_11)]
    november = vectorised_rows(rows, date(2026, 11, 30), default_policy())
    assert [r["eligible"] for r in november[:5]] == [False, True, True, True, False]
    december = vectorised_rows(rows, date(2026, 12, 1), default_policy())
    assert [r["eligible"] for r in december[:5]] == [False, False, True, True, True]
    exactly = default_policy().with_readings(points_reference_wage="si_wage", top_base_tier="exactly")
    july = vectorised_rows(rows, date(2026, 7, 1), exactly)
    assert [r["si_base"] for r in july[6:]] == [120, 120, 100]
