"""The advisor page, the holder's page, the API and the CLI show the same steps, options, warnings and
after-filing text (issue 11, item 11)."""

from __future__ import annotations

import json
from datetime import date

from django.test import Client
from typer.testing import CliRunner

from jifen.advisor import advise
from jifen.cli.main import app
from jifen.service.applications import workflow
from jifen.service.applications.models import Application
from tests.conftest import EXAMPLES, contract_example
from tests.service.conftest import PASSWORD, World, at

ON = "2026-11-27"


def test_the_api_answers_the_fields_the_contract_adds(db: None) -> None:
    response = Client().post(f"/api/v1/advise?on={ON}", json.dumps(contract_example()), content_type="application/json")
    body = response.json()
    rec = body["recommendation"]
    assert [s["kind"] for s in rec["steps"]] == ["check_records", "file_change", "endorse", "renew"]
    assert rec["effect"] == "entitlement" and rec["options"] == [] and rec["latest_provisional"] is True
    engine = advise(contract_example(), on=date.fromisoformat(ON)).to_dict()
    assert (body["after_filing"], body["warnings"]) == (engine["after_filing"], engine["warnings"])
    assert any("积分参考工资尚未公布" in w["zh"] for w in body["warnings"])


def test_the_cli_prints_the_steps_in_both_languages() -> None:
    runner = CliRunner()
    zh = runner.invoke(app, ["advise", str(EXAMPLES / "contract.json")]).stdout
    en = runner.invoke(app, ["advise", str(EXAMPLES / "contract.json"), "--lang", "en"]).stdout
    assert "办理步骤:" in zh and "1. 核对社保记录 2026年11月27日 – 2027年1月13日" in zh and "递交之后:" in zh
    assert "Steps:" in en and "3. Endorse the permit 29 January 2027 – 28 February 2027" in en and "After filing:" in en
    assert "What this advice rests on:" in en


def test_the_advisor_page_shows_what_the_api_says(db: None) -> None:
    form = {
        "as_of": ON,
        "birth_date": "1990-05-01",
        "permit_valid_from": "2026-03-01",
        "permit_valid_until": "2027-02-28",
        "edu_level": "bachelor",
        "edu_degree": "on",
        "edu_graduated_on": "2012-07-01",
        "si0_from": "2016-07",
        "si0_base": "12000",
        "last_total": "118",
        "last_on": "2025-03-02",
    }
    with at(ON):
        response = Client().post("/advisor", form)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="advice-steps"' in page and 'data-testid="advice-after-filing"' in page
    assert 'data-kind="endorse"' in page and "居住证签注" in page and "行政复议" in page


def test_the_holders_page_shows_the_steps(world: World, draft: Application) -> None:
    assert world.agent_a.user is not None and world.reviewer.user is not None
    workflow.submit(draft, world.agent_a.user)
    workflow.accept(draft, world.reviewer.user)
    workflow.approve(draft, world.reviewer.user)
    client = Client()
    assert client.post("/login", {"username": "holder_a", "password": PASSWORD}).status_code == 302
    page = client.get("/me").content.decode()
    assert 'data-testid="advice-steps"' in page and 'data-kind="renew"' in page and "积分续办" in page
