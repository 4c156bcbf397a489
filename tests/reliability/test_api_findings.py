"""Server errors found while fuzzing the API and writing its schemas, each pinned by a test.

Schemathesis generates only text that UTF-8 can encode, so the lone surrogates below are sent by hand.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jifen.facts.parse import FactsError, parse_facts
from jifen.rules.engine import score
from tests.conftest import contract_example

LONE = "\\ud800"  # half a surrogate pair, as JSON escapes it: valid JSON, not Unicode text


def post(path: str, body: str) -> tuple[int, object]:
    response = Client(raise_request_exception=False).post(path, data=body.encode(), content_type="application/json")
    return response.status_code, response.json()


def test_a_float_skill_level_is_refused_not_a_server_error() -> None:
    """5.0 == 5 passed the membership test, then failed an assertion: 500 on /score and /advise."""
    facts = {**contract_example(), "qualifications": [{"kind": "skill", "level": 5.0, "obtained_on": "2019-12-01"}]}
    with pytest.raises(FactsError, match=r"qualifications\[0\]\.level"):
        parse_facts(facts)
    facts["qualifications"][0]["level"] = 5
    assert score(facts).item("qualification").points >= 0


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/token", f'{{"username": "{LONE}", "password": "x"}}'),
        ("/api/v1/auth/login", f'{{"username": "a", "password": "{LONE}"}}'),
        (
            "/api/v1/employers",
            f'{{"uscc": "91310115MA1H7ABCDF", "name": "{LONE}", "agent_username": "u1", '
            '"agent_password": "correct horse battery"}',
        ),
        ("/api/v1/score", f'{{"schema": "jifen.facts/1", "birth_date": "1990-01-01", "{LONE}": 1}}'),
    ],
)
def test_half_a_surrogate_pair_is_refused_not_a_server_error(db: None, path: str, body: str) -> None:
    """It reached the database or the password hasher, which cannot encode it: 500."""
    assert post(path, body) == (400, {"detail": "Cannot parse request body"})


def test_a_pair_written_as_two_escapes_is_one_character_and_accepted(db: None) -> None:
    facts = json.dumps(contract_example())[:-1] + ', "id_number": "\\ud83d\\ude00"}'
    status, answer = post("/api/v1/score", facts)
    assert status == 422
    assert isinstance(answer, dict)
    assert answer["detail"][0]["loc"] == "id_number"
