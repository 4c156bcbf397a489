"""Bad facts are refused with every offending field named, and nothing is scored from them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jifen import FactsError, parse_facts, score


def errors_of(data: object) -> list[str]:
    with pytest.raises(FactsError) as caught:
        parse_facts(data)
    return [str(e) for e in caught.value.errors]


def facts(**fields: Any) -> dict[str, Any]:
    return {"schema": "jifen.facts/1", "birth_date": "1990-05-01", **fields}


def test_it_accepts_the_minimum_and_defaults_every_list_and_flag(example: dict[str, Any]) -> None:
    parsed = parse_facts(facts())
    assert parsed.education == () and parsed.social_insurance == () and parsed.fresh_graduate is False
    assert parsed.as_of is None and parsed.residence_permit is None


def test_it_accepts_the_contract_example(example: dict[str, Any]) -> None:
    parsed = parse_facts(example)
    assert parsed.birth_date == date(1990, 5, 1)
    assert parsed.social_insurance[1].last is None
    assert parsed.social_insurance[0].base_fen == 900_000


def test_it_requires_schema_and_birth_date() -> None:
    assert errors_of({}) == ['schema: required: "jifen.facts/1"', "birth_date: required"]


def test_it_refuses_a_document_that_is_not_an_object() -> None:
    assert errors_of([]) == ["(facts): expected an object, got a list"]


def test_it_names_unknown_fields_wrong_schema_and_impossible_dates() -> None:
    assert errors_of({"schema": "jifen.facts/2", "birth_date": "1990-02-30", "colour": "red"}) == [
        "colour: unknown field",
        'schema: expected "jifen.facts/1", got "jifen.facts/2"',
        "birth_date: no such date: 1990-02-30",
    ]


def test_it_refuses_a_date_in_another_format() -> None:
    assert errors_of(facts(as_of="27/11/2026")) == ['as_of: expected a date YYYY-MM-DD, got "27/11/2026"']


def test_it_names_the_segment_whose_to_is_before_from() -> None:
    data = facts(social_insurance=[{"from": "2021-07", "to": "2021-05", "base": 9000}])
    assert errors_of(data) == ["social_insurance[0].to: 2021-05 is before from 2021-07"]


def test_it_refuses_an_impossible_month() -> None:
    assert errors_of(facts(social_insurance=[{"from": "2020-13", "base": 9000}])) == [
        "social_insurance[0].from: no such month: 2020-13"
    ]


def test_it_refuses_overlapping_insurance_months() -> None:
    data = facts(
        social_insurance=[
            {"from": "2016-07", "to": "2021-06", "base": 9000},
            {"from": "2021-06", "to": None, "base": 12000},
        ]
    )
    assert errors_of(data) == ["social_insurance[1].from: 2021-06 overlaps social_insurance[0] (2016-07 to 2021-06)"]


def test_it_refuses_a_segment_after_an_ongoing_one() -> None:
    data = facts(
        social_insurance=[
            {"from": "2016-07", "to": None, "base": 9000},
            {"from": "2020-01", "to": "2020-02", "base": 1},
        ]
    )
    assert errors_of(data) == ["social_insurance[1].from: 2020-01 overlaps social_insurance[0] (2016-07 to ongoing)"]


def test_it_refuses_overlapping_periods() -> None:
    data = facts(public_service=[{"from": "2010-01-01", "to": "2012-12-31"}, {"from": "2012-12-31", "to": None}])
    assert errors_of(data) == [
        "public_service[1].from: 2012-12-31 overlaps public_service[0] (2010-01-01 to 2012-12-31)"
    ]


@pytest.mark.parametrize(
    ("base", "message"),
    [
        (0, "must be more than 0 yuan, got 0"),
        (-1, "must be more than 0 yuan, got -1"),
        (9000.123, "at most 2 decimal places (fen), got 9000.123"),
        ("9000", 'expected an amount in yuan, got "9000"'),
        (True, "expected an amount in yuan, got true"),
    ],
)
def test_it_refuses_a_bad_base(base: object, message: str) -> None:
    assert errors_of(facts(social_insurance=[{"from": "2020-01", "base": base}])) == [
        f"social_insurance[0].base: {message}"
    ]


def test_it_keeps_a_base_with_two_decimals_exact_in_fen() -> None:
    parsed = parse_facts(facts(social_insurance=[{"from": "2020-01", "base": 9116.8}]))
    assert parsed.social_insurance[0].base_fen == 911_680


def test_it_refuses_numbers_as_flags_and_unknown_levels_in_lists() -> None:
    data = facts(fresh_graduate=1, education=[{"level": "phd", "graduated_on": "2010-07-01", "extra": 1}])
    assert errors_of(data) == [
        "education[0].extra: unknown field",
        'education[0].level: expected one of junior_college, bachelor, master, doctor; got "phd"',
        "fresh_graduate: expected true or false, got 1",
    ]


def test_it_checks_levels_by_kind_of_qualification() -> None:
    data = facts(
        qualifications=[
            {"kind": "skill", "level": 6, "obtained_on": "2010-07-01"},
            {"kind": "title", "level": 3, "obtained_on": "2010-07-01"},
        ]
    )
    assert errors_of(data) == [
        "qualifications[0].level: expected a skill level 5, 4, 3, 2 or 1; got 6",
        "qualifications[1].level: expected one of junior, intermediate, senior; got 3",
    ]


def test_it_reports_a_missing_required_field_in_a_list_item() -> None:
    assert errors_of(facts(penalties=[{"kind": "false_material"}])) == ["penalties[0].on: required"]


def test_it_refuses_a_permit_ending_before_it_starts() -> None:
    data = facts(residence_permit={"valid_from": "2026-01-01", "valid_until": "2025-12-31"})
    assert errors_of(data) == ["residence_permit.valid_until: 2025-12-31 is before valid_from 2026-01-01"]


def test_it_refuses_a_birth_date_after_as_of() -> None:
    assert errors_of(facts(as_of="1989-01-01")) == ["birth_date: 1990-05-01 is after as_of 1989-01-01"]


def test_it_refuses_an_investment_amount_that_is_not_finite() -> None:
    # json.loads reads NaN and Infinity, and Parquet floats can hold them.
    data = facts(investment={"avg_annual_tax_yuan": float("nan"), "avg_annual_hukou_employees": float("inf")})
    assert errors_of(data) == [
        "investment.avg_annual_tax_yuan: expected a finite number, got nan",
        "investment.avg_annual_hukou_employees: expected a finite number, got inf",
    ]


def test_it_refuses_a_negative_last_approved_total() -> None:
    assert errors_of(facts(last_approved={"total": -1, "on": "2020-01-01"})) == [
        "last_approved.total: must not be negative, got -1"
    ]


class TestIdNumber:
    def test_it_accepts_the_contract_example_number(self) -> None:
        assert parse_facts(facts(id_number="310115199005010018")).id_number == "310115199005010018"

    def test_it_accepts_a_county_code_created_after_the_birth(self) -> None:
        # Pudong's 310115 dates from 1993; numbers are assigned at first registration (landscape.md §5).
        parsed = parse_facts(facts(birth_date="1980-01-01", id_number="310115198001010016"))
        assert parsed.id_number == "310115198001010016"

    def test_it_accepts_a_lower_case_x_check_digit(self) -> None:
        number = "11010519491231002x"
        assert parse_facts(facts(birth_date="1949-12-31", id_number=number)).id_number == number.upper()

    def test_it_refuses_a_wrong_check_digit(self) -> None:
        assert errors_of(facts(id_number="310115199005010019")) == ["id_number: check digit is 9, expected 8"]

    def test_it_refuses_a_number_with_another_birth_date(self) -> None:
        assert errors_of(facts(birth_date="1990-05-02", id_number="310115199005010018")) == [
            "id_number: the number carries the birth date 1990-05-01, not birth_date 1990-05-02"
        ]

    def test_it_refuses_a_15_digit_number(self) -> None:
        assert errors_of(facts(id_number="310115900501001")) == [
            "id_number: expected 18 characters: 17 digits and a check digit (0-9 or X)"
        ]

    def test_it_refuses_an_unknown_province(self) -> None:
        assert errors_of(facts(id_number="990115199005010018")) == ["id_number: no province has the code 99"]


def test_scoring_refuses_a_date_before_the_scheme_naming_as_of() -> None:
    with pytest.raises(FactsError) as caught:
        score(facts(), on=date(2017, 12, 31))
    assert [str(e) for e in caught.value.errors] == ["as_of: no points scheme in the policy data before 2018-01-01"]


def test_scoring_refuses_a_birth_date_after_the_date_given_on_the_command() -> None:
    with pytest.raises(FactsError) as caught:
        score(facts(), on=date(1990, 4, 30))
    assert [str(e) for e in caught.value.errors] == ["birth_date: 1990-05-01 is after as_of 1990-04-30"]


def test_every_message_has_its_chinese_for_the_pages() -> None:
    with pytest.raises(FactsError) as caught:
        parse_facts(
            facts(
                as_of="2026-02-30",
                colour=1,
                fresh_graduate=1,
                id_number="310115199005010019",
                education=[{"level": "phd", "graduated_on": "x"}],
                social_insurance=[
                    {"from": "2021-07", "to": "2021-05", "base": 9000.123},
                    {"from": "2020-13", "base": 0},
                ],
                residence_permit={"valid_from": "2026-01-01", "valid_until": "2025-12-31"},
            )
        )
    errors = caught.value.errors
    assert len(errors) >= 8
    assert all(e.message_zh for e in errors), [str(e) for e in errors if not e.message_zh]
    zh = {e.path: e.message_zh for e in errors}
    assert zh["social_insurance[0].to"] == "截止月2021-05早于起始月2021-07"
    assert zh["colour"] == "未知字段"
