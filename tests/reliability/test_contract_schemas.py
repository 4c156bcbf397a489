"""The OpenAPI document describes the contract's documents and every error an operation answers with.

The schemas of ``jifen.service.api.contract_schemas`` are checked against the contract's own example and
what the engine makes of it (the Schemathesis suite checks them against fuzzed answers too), and against
what the parser refuses, so that the document and the code cannot drift apart silently.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator, FormatChecker

from jifen.advisor import advise
from jifen.facts.limits import MAX_ITEMS
from jifen.facts.parse import FactsError, parse_facts
from jifen.rules.engine import score
from jifen.service.api.contract_schemas import COMPONENTS
from tests.conftest import contract_example

AS_OF = date(2026, 11, 27)


def validator(component: str) -> Draft202012Validator:
    root = {"$ref": f"#/components/schemas/{component}", "components": {"schemas": COMPONENTS}}
    Draft202012Validator.check_schema(root)
    return Draft202012Validator(root, format_checker=FormatChecker())


def problems(component: str, instance: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(component).iter_errors(instance)]


def test_the_contract_example_is_valid_facts() -> None:
    assert problems("JifenFacts", contract_example()) == []


def test_the_second_versions_fields_are_valid_facts() -> None:
    facts = contract_example()
    facts["education"][0]["foreign"] = True
    facts["social_insurance"][1]["employer_uscc"] = "91310115MA1H7ABCDF"
    assert problems("JifenFacts", facts) == []
    parse_facts(facts)


def test_the_score_and_the_advice_of_the_example_match_their_schemas() -> None:
    facts = contract_example()
    assert problems("JifenScore", score(facts, on=AS_OF).to_dict()) == []
    advice = advise(facts, on=AS_OF, target=date(2027, 6, 1)).to_dict()
    assert advice["recommendation"]["target"] is not None
    assert problems("JifenAdvice", advice) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"unknown": 1}, ""),
        ({"schema": "jifen.facts/2"}, "schema"),
        ({"birth_date": "1899-12-31"}, "birth_date"),
        ({"birth_date": "1990-5-1"}, "birth_date"),
        ({"qualifications": [{"kind": "skill", "level": "senior", "obtained_on": "2019-12-01"}]}, "qualifications/0"),
        ({"social_insurance": [{"from": "2016-07", "base": 0}]}, "social_insurance/0/base"),
        ({"penalties": [{"kind": "false_material", "on": "2023-02-01"}] * (MAX_ITEMS["penalties"] + 1)}, "penalties"),
    ],
)
def test_what_the_schema_refuses_the_parser_refuses(change: dict[str, Any], where: str) -> None:
    facts = {**contract_example(), **change}
    found = problems("JifenFacts", facts)
    assert any(p.startswith(f"{where}:") for p in found), found
    with pytest.raises(FactsError):
        parse_facts(facts)


def document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


def operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{method.upper()} {path}", op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def test_score_and_advise_are_described_by_the_contract(db: None) -> None:
    spec = document()
    for path, facts_in, answer in (
        ("/api/v1/score", "JifenFacts", "JifenScore"),
        ("/api/v1/advise", "JifenFacts", "JifenAdvice"),
    ):
        operation = spec["paths"][path]["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{facts_in}"}
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok == {"$ref": f"#/components/schemas/{answer}"}
        assert not any(key.startswith("x-jifen") for key in operation)
    assert {"JifenFacts", "JifenScore", "JifenAdvice"} <= set(spec["components"]["schemas"])


def test_every_operation_lists_its_error_answers_with_a_detail(db: None) -> None:
    spec = document()
    for name, operation in operations(spec):
        statuses = set(operation["responses"])
        assert {"413", "422"} <= statuses, name
        if operation.get("security"):
            assert "401" in statuses, name
        if "requestBody" in operation and "json" in json.dumps(operation["requestBody"]):
            assert "400" in statuses, name
        # 202: RegistrationReceived (POST /employers); 204: no body (DELETE /auth/token)
        for status in statuses - {"200", "201", "202", "204"}:
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Detail"}, (name, status)


def test_a_bad_body_is_still_answered_by_the_parser_with_field_paths(db: None) -> None:
    """The documented schema does not make the API refuse bodies before the engine's parser sees them."""
    facts = {**contract_example(), "social_insurance": [{"from": "2016-07", "to": "2016-01", "base": 9000}]}
    response = Client().post("/api/v1/score", data=json.dumps(facts), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == "social_insurance[0].to"
