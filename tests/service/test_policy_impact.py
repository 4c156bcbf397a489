"""Who gains and who loses under a proposed change, for policy maintainers: the page, its CSV and the API.

The population, scored on 2027-08-01, each from the facts of the latest application still standing:

- holder_a (张三丰, born 1990): 12,000 a month since 2019-07. Age 30, 8 insurance years 24, base tier 1x 50:
  104. With a reference wage of 12,500 from 2026-07 the 13 months from 2026-07 fall below 1x, 35 of the
  last 48 stay at or above it (< 36), so the tier drops to 0.8x (10,000): 25. 79, -25.
- 王五 (born 1990): junior college 50 and 12,000 since 2023-07 (49 months, 4 years 12): 30 + 50 + 12 + 50 =
  142, and 117 under the proposal: the one who falls below 120. A later application at 20,000 was rejected
  (ignored).
- holder_b (born 1949: age 0 points): 20,000 since 2019-07, above 1x both ways and below 2x: 24 + 50 = 74.
- 赵六 (born 1990): an older application at 12,000, then one at 20,000 (used), then a withdrawn one at
  12,000 (ignored): 30 + 24 + 50 = 104 both ways.
- 钱七: facts stored without a birth date, which the engine refuses.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase

from jifen.service.accounts import services
from jifen.service.accounts.identity import holder_pseudonym
from jifen.service.accounts.models import Account, Role
from jifen.service.applications import workflow
from jifen.service.applications.filing import file_application
from jifen.service.applications.models import Application
from tests.service.conftest import PASSWORD, Persona, World, at
from tests.test_impact import PROPOSAL as REFERENCE_WAGE_12500

ON = "2027-08-01"
PROPOSAL = {"parameter": "si_base.reference_wage", "effective_from": "2026-07-01", "value": "12500", "on": ON}
PROPOSAL_FILE = REFERENCE_WAGE_12500  # the parameter file of the CLI's tests


def facts(birth: str, base: int, start: str, **more: Any) -> dict[str, Any]:
    return {
        "schema": "jifen.facts/1",
        "birth_date": birth,
        "social_insurance": [{"from": start, "to": None, "base": base}],
        **more,
    }


def new_holder(world: World, username: str, name: str) -> Account:
    user = User.objects.create_user(username, f"{username}@example.invalid")
    return Account.objects.create(user=user, role=Role.HOLDER, employer=world.employer_a, display_name=name)


def file(agent: Persona, holder: Account, filed: dict[str, Any], day: str) -> Application:
    assert agent.user is not None
    with at(day):
        return file_application(agent.user, holder, "change", filed)[0]


@pytest.fixture
def population(world: World) -> dict[str, Account]:
    wang, zhao, qian = (
        new_holder(world, "wang", "王五"),
        new_holder(world, "zhao", "赵六"),
        new_holder(world, "qian", "钱七"),
    )
    file(world.agent_a, world.holder_a.account, facts("1990-05-01", 12000, "2019-07"), "2027-01-04")
    college = [{"level": "junior_college", "graduated_on": "2010-07-01"}]
    file(world.agent_a, wang, facts("1990-05-01", 12000, "2023-07", education=college), "2027-01-04")
    file(world.agent_b, world.holder_b.account, facts("1949-12-31", 20000, "2019-07"), "2027-01-04")
    file(world.agent_a, zhao, facts("1990-05-01", 12000, "2019-07"), "2027-01-04")
    file(world.agent_a, zhao, facts("1990-05-01", 20000, "2019-07"), "2027-02-01")
    withdrawn = file(world.agent_a, zhao, facts("1990-05-01", 12000, "2019-07"), "2027-03-01")
    rejected = file(world.agent_a, wang, facts("1990-05-01", 20000, "2019-07"), "2027-03-01")
    assert world.agent_a.user is not None and world.reviewer.user is not None
    workflow.withdraw(withdrawn, world.agent_a.user)
    workflow.submit(rejected, world.agent_a.user)
    with at("2027-03-01"):
        workflow.accept(rejected, world.reviewer.user)
        workflow.reject(rejected, world.reviewer.user, ["not the facts"])
    Application.objects.create(
        holder=qian,
        employer=world.employer_a,
        kind="change",
        facts={"schema": "jifen.facts/1"},
        created_by=withdrawn.created_by,
    )
    return {"holder_a": world.holder_a.account, "wang": wang, "holder_b": world.holder_b.account, "zhao": zhao}


@pytest.fixture
def maintainer(db: None) -> Client:
    user = User.objects.create_user("maintainer", "maintainer@example.invalid", PASSWORD)
    Account.objects.create(user=user, role=Role.MAINTAINER, display_name="政策维护员")
    return signed_in("maintainer")


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def evaluate(client: Client, data: dict[str, Any]) -> str:
    """Submit the form: the run is enqueued once the request commits (the immediate backend runs it there), and
    the answer sends the maintainer to the run's page, which shows the result."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/policy/impact", data)
    assert response.status_code == 302, response.content
    assert re.fullmatch(r"/policy/impact/runs/\d+", response["Location"])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Refresh" not in page  # done: no more reloading
    return str(page.content.decode())


def counts(page: str) -> dict[str, int]:
    found = re.findall(r'data-testid="([a-z-]+)">(-?\d+)</td>', page)
    return {name: int(n) for name, n in found}


def affected_rows(page: str) -> list[list[str]]:
    rows = re.findall(r'<tr data-testid="affected-row">(.*?)</tr>', page)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]


def shown(holder: Account) -> str:
    """A holder as the maintainer's page shows them: a pseudonym."""
    return f"持证人 #{holder_pseudonym(holder.pk)}"


def field_error(page: str, field: str) -> str:
    """The error shown next to a field of the form (the field's label and input come first)."""
    match = re.search(rf'id="id_{field}".*?<span class="error" role="alert">(.*?)</span>', page, re.S)
    assert match is not None, f"no error next to {field}"
    return html.unescape(match.group(1))


EXPECTED = {"holders": 5, "refused": 1, "gainers": 0, "losers": 2, "crossing-up": 0, "crossing-down": 1}


class TestPage:
    def test_the_maintainer_sees_who_gains_and_who_loses(
        self, population: dict[str, Account], maintainer: Client
    ) -> None:
        page = evaluate(maintainer, PROPOSAL)
        assert counts(page) == EXPECTED
        rows = [[shown(population["holder_a"]), "104", "79", "-25"], [shown(population["wang"]), "142", "117", "-25"]]
        assert affected_rows(page) == sorted(rows, key=lambda r: (r[3], r[0]))
        assert "张三丰" not in page and "王五" not in page  # the maintainer sees no one
        assert '<div class="chart" role="img"' in page and "<svg" in page

    def test_a_proposal_can_be_uploaded_as_parameter_files(
        self, population: dict[str, Account], maintainer: Client
    ) -> None:
        upload = SimpleUploadedFile("si_base.reference_wage.yaml", PROPOSAL_FILE.encode())
        page = evaluate(maintainer, {"on": ON, "uploads": [upload]})
        assert counts(page) == EXPECTED

    def test_the_csv_lists_every_affected_holder(self, population: dict[str, Account], maintainer: Client) -> None:
        page = evaluate(maintainer, PROPOSAL)
        link = re.search(r'<a href="(/policy/impact/runs/\d+\.csv)" data-testid="impact-csv">下载CSV</a>', page)
        assert link is not None
        response = maintainer.get(link.group(1))  # from the run's stored result
        assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="jifen-impact-{ON}.csv"'
        a, wang = holder_pseudonym(population["holder_a"].pk), holder_pseudonym(population["wang"].pk)
        assert response.content.decode("utf-8-sig").splitlines() == [
            "holder,before,after,change",
            *sorted([f"{a},104,79,-25", f"{wang},142,117,-25"], key=lambda r: r.split(",")[0]),
        ]

    def test_the_form_starts_today_and_offers_the_parameters(self, maintainer: Client) -> None:
        with at("2027-08-01"):
            page = signed_in("maintainer").get("/policy/impact").content.decode()
        assert 'name="on" value="2027-08-01"' in page
        assert '<option value="si_base.reference_wage">积分参考工资</option>'  # by its name in words in page
        assert 'href="/policy/impact"' in page  # in the navigation


class TestBadInput:
    def post(self, client: Client, **changes: Any) -> tuple[int, str]:
        response = client.post("/policy/impact", {**PROPOSAL, **changes})
        return response.status_code, response.content.decode()

    def test_an_unknown_parameter(self, maintainer: Client) -> None:
        status, page = self.post(maintainer, parameter="si_base.reference_wages")
        assert status == 400
        assert field_error(page, "parameter") == "没有名为 si_base.reference_wages 的参数"

    def test_an_impossible_date(self, maintainer: Client) -> None:
        status, page = self.post(maintainer, effective_from="2026-02-30")
        assert (status, field_error(page, "effective_from")) == (400, "输入一个有效的日期。")

    def test_a_value_of_the_wrong_type(self, maintainer: Client) -> None:
        status, page = self.post(maintainer, value="abc")
        assert status == 400
        assert field_error(page, "value") == "不符合参数文件格式：values.2026-07-01.value: expected int, got 'abc'"

    def test_a_missing_value_and_nothing_proposed(self, maintainer: Client) -> None:
        status, page = self.post(maintainer, value="")
        assert (status, field_error(page, "value")) == (400, "请填写取值")
        status, page = self.post(maintainer, parameter="")
        assert (status, field_error(page, "parameter")) == (400, "请选择参数，或上传参数文件")

    def test_a_file_the_loader_refuses(self, maintainer: Client) -> None:
        bad = SimpleUploadedFile("si_base.reference_wage.yaml", PROPOSAL_FILE.replace("unit:", "units:").encode())
        status, page = self.post(maintainer, parameter="", uploads=[bad])
        assert status == 400
        assert field_error(page, "uploads") == "不符合参数文件格式：si_base.reference_wage.yaml: units: unknown key"

    def test_a_file_named_after_no_parameter(self, maintainer: Client) -> None:
        bad = SimpleUploadedFile("wage.yaml", PROPOSAL_FILE.encode())
        status, page = self.post(maintainer, parameter="", uploads=[bad])
        assert status == 400
        assert field_error(page, "uploads").startswith("wage.yaml：文件名应为“参数组.参数名.yaml”")

    def test_errors_in_english_after_the_switch(self, maintainer: Client) -> None:
        maintainer.post("/i18n/setlang/", {"language": "en", "next": "/policy/impact"})
        status, page = self.post(maintainer, parameter="si_base.reference_wages")
        assert (status, field_error(page, "parameter")) == (400, "There is no parameter named si_base.reference_wages")
        status, page = self.post(maintainer, value="abc")
        assert field_error(page, "value") == "values.2026-07-01.value: expected int, got 'abc'"


class TestAccess:
    @pytest.mark.parametrize("username", ["holder_a", "hr_a", "reviewer"])
    def test_others_get_not_found(self, world: World, username: str) -> None:
        client = signed_in(username)
        assert client.get("/policy/impact").status_code == 404
        assert client.post("/policy/impact", PROPOSAL).status_code == 404
        assert 'href="/policy/impact"' not in client.get("/policy").content.decode()

    def test_anonymous_people_are_sent_to_sign_in(self, db: None) -> None:
        response = Client().get("/policy/impact")
        assert (response.status_code, response["Location"]) == (302, "/login")
        assert Client().get("/policy/impact/runs/1").status_code == 302


@pytest.fixture
def api_maintainer(db: None) -> Persona:
    user = User.objects.create_user("api_maintainer", "m@example.invalid", PASSWORD)
    Account.objects.create(user=user, role=Role.MAINTAINER, display_name="政策维护员")
    return Persona("maintainer", user, services.issue_token(user))


def reference_wage(*days: str, value: object) -> list[dict[str, object]]:
    return [{"parameter": "si_base.reference_wage", "effective_from": d, "value": value} for d in days]


class TestApi:
    path = "/api/v1/policy/impact"

    def test_counts_distribution_and_affected_holders(
        self, population: dict[str, Account], api_maintainer: Persona
    ) -> None:
        response = api_maintainer.post(self.path, {"on": ON, "overlay": reference_wage("2026-07-01", value=12500)})
        assert response.status_code == 200, response.content
        body = response.json()
        assert {k: body[k] for k in ("on", "standard", "holders", "refused", "gainers", "losers")} == {
            "on": ON,
            "standard": 120,
            "holders": 5,
            "refused": 1,
            "gainers": 0,
            "losers": 2,
        }
        assert (body["crossing_up"], body["crossing_down"]) == (0, 1)
        assert body["distribution"] == [{"change": -25, "holders": 2}, {"change": 0, "holders": 2}]
        a, wang = holder_pseudonym(population["holder_a"].pk), holder_pseudonym(population["wang"].pk)
        expected = [
            {"holder": a, "before": 104, "after": 79, "change": -25},
            {"holder": wang, "before": 142, "after": 117, "change": -25},
        ]
        assert body["affected"] == sorted(expected, key=lambda r: str(r["holder"]))

    def test_several_dated_values_at_once(self, population: dict[str, Account], api_maintainer: Persona) -> None:
        """A reference wage of 9,000 over the whole window: 20,000 is now at or above 2x (18,000) in all 48
        months, so holder_b (74) and 赵六 (104) gain 50 and reach 124 and 154; 12,000 stays below 2x."""
        days = ("2023-07-01", "2024-07-01", "2025-07-01", "2026-07-01")
        body = api_maintainer.post(self.path, {"on": ON, "overlay": reference_wage(*days, value=9000)}).json()
        assert (body["gainers"], body["losers"], body["crossing_up"], body["crossing_down"]) == (2, 0, 2, 0)
        b, zhao = holder_pseudonym(population["holder_b"].pk), holder_pseudonym(population["zhao"].pk)
        changes = sorted([(b, 74, 124), (zhao, 104, 154)])
        assert [(r["holder"], r["before"], r["after"]) for r in body["affected"]] == changes

    @pytest.mark.parametrize(
        ("overlay", "loc", "msg"),
        [
            (
                reference_wage("2026-07-01", value="abc"),
                "overlay[0].value",
                "values.2026-07-01.value: expected int, got 'abc'",
            ),
            (
                [{"parameter": "si_base.nope", "effective_from": "2026-07-01", "value": 1}],
                "overlay[0].parameter",
                "no parameter named 'si_base.nope'",
            ),
            (
                reference_wage("2026-07-01", "2026-07-01", value=1),
                "overlay[1].effective_from",
                "si_base.reference_wage is proposed twice from 2026-07-01",
            ),
            ([], "overlay", "propose at least one value"),
        ],
    )
    def test_bad_proposals_name_the_field(self, api_maintainer: Persona, overlay: Any, loc: str, msg: str) -> None:
        response = api_maintainer.post(self.path, {"on": ON, "overlay": overlay})
        assert (response.status_code, response.json()) == (422, {"detail": [{"loc": loc, "msg": msg}]})

    def test_an_impossible_date(self, api_maintainer: Persona) -> None:
        response = api_maintainer.post(self.path, {"overlay": reference_wage("2026-02-30", value=1)})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-3:] == ["overlay", 0, "effective_from"]

    def test_maintainers_only(self, world: World) -> None:
        body = {"overlay": reference_wage("2026-07-01", value=12500)}
        for persona in world.all():
            expected = 401 if persona.name == "anonymous" else 403
            assert persona.post(self.path, body).status_code == expected, persona.name

    def test_it_is_documented(self, db: None) -> None:
        spec = Client().get("/api/v1/openapi.json").json()
        operation = spec["paths"]["/api/v1/policy/impact"]["post"]
        assert operation["tags"] == ["policy"]
        assert "ImpactOut" in str(operation["responses"]["200"])


def test_the_demo_has_a_maintainer(db: None) -> None:
    from jifen.service.demo import seed

    assert "maintainer" in [login.username for login in seed()]
    assert Account.objects.get(user__username="maintainer").role == Role.MAINTAINER
