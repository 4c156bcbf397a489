"""One holder never takes down the rest (issue 10, item 4).

Bad rows are put straight into the database, as an older version or a hand edit could have left them:

- a permit valid until 9999-12-31 (on the account and in the approved facts): it used to overflow the
  advisor's date arithmetic on the holder's page, the employer's list and ``jifen tick``;
- approved facts that are not an object at all: they still cannot be computed, and that holder's row says
  so (无法计算 / could not be computed) while the other holders are served; the error is logged at ERROR with
  the holder's id.

Holders: holder_a and 王五, both employees of employer A, approved on 2026-02-27: holder_a at 241 (250 on
2026-11-27, an optional rise), 王五 at 96 (149 on 2026-11-27: the standard reached, a refresh is
worthwhile); holder_b of employer B has no approved application.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from typer.testing import CliRunner

from jifen.cli.main import app as cli
from jifen.policy.loader import default_policy
from jifen.service.accounts.identity import holder_pseudonym
from jifen.service.accounts.models import Account, Role
from jifen.service.applications import workflow
from jifen.service.applications.filing import file_application
from jifen.service.applications.models import Application, Status
from jifen.service.impact.population import population_impact
from jifen.service.notifications.models import Message
from jifen.service.notifications.tick import tick
from jifen.service.web import views
from tests.service.conftest import PASSWORD, World, at, facts_a
from tests.service.test_policy_impact import evaluate

TODAY = date(2026, 11, 27)
LOGGER = "jifen.service.per_holder"


def approve(world: World, app: Application) -> Application:
    assert world.agent_a.user is not None and world.reviewer.user is not None
    workflow.submit(app, world.agent_a.user)
    with at("2026-02-27"):
        workflow.accept(app, world.reviewer.user)
        return workflow.approve(app, world.reviewer.user)


def reaching_the_standard() -> dict[str, Any]:
    """96 points on 2026-02-27; 36 months at 1x by 2026-07-01 (+50, and +3 for the third year): 149."""
    return {
        "schema": "jifen.facts/1",
        "birth_date": "1990-05-01",
        "residence_permit": {"valid_from": "2026-03-01", "valid_until": "2027-02-28"},
        "education": [{"level": "bachelor", "degree": False, "graduated_on": "2012-07-01"}],
        "social_insurance": [{"from": "2023-07", "to": None, "base": 11396}],
    }


def employee(world: World, username: str, name: str) -> Account:
    """Another employee of employer A, approved at 96 on 2026-02-27, who reaches the standard by 2026-11-27."""
    assert world.agent_a.user is not None
    user = User.objects.create_user(username, f"{username}@example.invalid", PASSWORD)
    holder = Account.objects.create(
        user=user, role=Role.HOLDER, employer=world.employer_a, display_name=name, permit_valid_until=date(2027, 2, 28)
    )
    assert (
        approve(world, file_application(world.agent_a.user, holder, "change", reaching_the_standard())[0]).points == 96
    )
    return holder


def signed_in(username: str, language: str = "zh-hans") -> Client:
    client = Client()
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    if language != "zh-hans":
        client.post("/i18n/setlang/", {"language": language, "next": "/me"})
    return client


def page(username: str, path: str = "/me", language: str = "zh-hans") -> str:
    with at(TODAY.isoformat()):
        response = signed_in(username, language).get(path)
    assert response.status_code == 200
    return str(response.content.decode())


def store_facts(app: Application, facts: Any) -> None:
    """Write the stored facts directly, past the API's checks."""
    Application.objects.filter(pk=app.pk).update(facts=facts)


def permit_until_9999(world: World, app: Application) -> None:
    Account.objects.filter(pk=world.holder_a.account.pk).update(permit_valid_until=date(9999, 12, 31))
    facts = dict(app.facts)
    facts["residence_permit"] = {"valid_from": "2026-03-01", "valid_until": "9999-12-31"}
    store_facts(app, facts)


def failures_logged(caplog: pytest.LogCaptureFixture, holder_id: int) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == LOGGER and r.levelno == logging.ERROR and f"holder {holder_id}:" in r.getMessage()
    ]


@pytest.fixture
def approved(world: World, draft: Application) -> Application:
    return approve(world, draft)


@pytest.fixture
def wang(world: World, approved: Application) -> Account:
    return employee(world, "wang", "王五")


class TestAPermitValidUntil9999:
    def test_the_holder_sees_the_page(self, world: World, approved: Application) -> None:
        permit_until_9999(world, approved)
        text = page("holder_a")
        assert "9999-12-31" in text and 'data-testid="not-computed"' not in text

    def test_the_employer_sees_every_employee(self, world: World, approved: Application, wang: Account) -> None:
        permit_until_9999(world, approved)
        text = page("hr_a")
        assert "王五" in text and "9999-12-31" in text
        assert 'data-testid="refresh-flag"' in text and 'data-testid="not-computed"' not in text

    def test_tick_reminds_everyone(self, world: World, approved: Application, wang: Account) -> None:
        permit_until_9999(world, approved)
        report = tick(TODAY)
        assert report.failed == []
        assert Message.objects.filter(kind="refresh", user=wang.user).count() == 1


class TestFactsThatCannotBeComputed:
    """holder_a's approved facts are a list: that row cannot be computed; 王五's is served."""

    @pytest.fixture(autouse=True)
    def _broken(self, approved: Application, wang: Account) -> None:
        store_facts(approved, ["not", "an", "object"])

    def test_the_employer_sees_the_others(self, world: World, wang: Account, caplog: pytest.LogCaptureFixture) -> None:
        text = page("hr_a")
        assert text.count('data-testid="not-computed"') == 1
        assert text.count("无法计算") == 1
        assert text.count('data-testid="refresh-flag"') == 1  # 王五's
        assert '<td class="num">96</td>' in text  # 王五's approved points
        record = failures_logged(caplog, world.holder_a.account.pk)[0]
        assert record.exc_info is not None and "employee row" in record.getMessage()

    def test_the_row_is_in_english_after_the_switch(self, world: World) -> None:
        text = page("hr_a", language="en")
        assert "could not be computed" in text and "无法计算" not in text

    def test_the_holder_sees_the_rest_of_the_page(self, world: World, caplog: pytest.LogCaptureFixture) -> None:
        text = page("holder_a")
        assert 'data-testid="not-computed"' in text and "无法计算" in text
        assert "积分通知书" in text and "我的申请" in text
        assert failures_logged(caplog, world.holder_a.account.pk)

    def test_tick_goes_on_and_names_the_holder(
        self, world: World, wang: Account, caplog: pytest.LogCaptureFixture
    ) -> None:
        report = tick(TODAY)
        assert report.failed == [world.holder_a.account.pk]
        assert report.refreshes == 1
        assert Message.objects.filter(kind="refresh", user=wang.user).count() == 1
        assert failures_logged(caplog, world.holder_a.account.pk)[0].exc_info is not None

    def test_jifen_tick_exits_1_after_finishing_naming_the_holder(self, world: World, wang: Account) -> None:
        result = CliRunner().invoke(cli, ["tick", "--today", TODAY.isoformat()])
        assert result.exit_code == 1, result.output
        assert "reminders sent" in result.stdout
        assert f"(ids: {world.holder_a.account.pk})" in result.stderr
        assert Message.objects.filter(kind="refresh", user=wang.user).count() == 1

    def test_the_impact_counts_the_holder_as_failed(self, world: World, wang: Account) -> None:
        result = population_impact(default_policy(), TODAY)
        assert (result.report.holders, result.report.failed, result.report.refused) == (2, 1, 0)
        assert [f.holder_id for f in result.failed] == [world.holder_a.account.pk]

    def test_the_maintainer_sees_the_count_and_the_holder(self, world: World, wang: Account) -> None:
        user = User.objects.create_user("maintainer", "maintainer@example.invalid", PASSWORD)
        Account.objects.create(user=user, role=Role.MAINTAINER, display_name="政策维护员")
        proposal = {"parameter": "si_base.reference_wage", "effective_from": "2026-07-01", "value": "12500"}
        with at(TODAY.isoformat()):
            text = evaluate(signed_in("maintainer"), {**proposal, "on": TODAY.isoformat()})  # the run's page
        assert 'data-testid="holders">2</td>' in text and 'data-testid="failed">1</td>' in text
        assert text.count('data-testid="failed-row"') == 1 and "张三丰" not in text
        assert f"持证人 #{holder_pseudonym(world.holder_a.account.pk)} · " in text  # a pseudonym, not the name


class TestTheReviewersQueue:
    def test_a_row_that_cannot_be_computed_leaves_the_others(
        self, world: World, draft: Application, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        assert world.agent_a.user is not None and world.agent_b.user is not None and world.reviewer.user is not None
        other = file_application(world.agent_b.user, world.holder_b.account, "change", facts_a())[0]
        workflow.submit(draft, world.agent_a.user)
        workflow.submit(other, world.agent_b.user)
        workflow.accept(draft, world.reviewer.user)  # has a deadline; ``other`` has none yet
        real = views._left

        def broken(calendar: Any, today: date, deadline: date | None) -> int | None:
            if deadline is not None:
                raise OverflowError("date value out of range")
            return real(calendar, today, deadline)

        monkeypatch.setattr(views, "_left", broken)
        text = page("reviewer")
        assert text.count('data-testid="queue-row"') == 2
        assert text.count('data-testid="not-computed"') == 1
        assert Application.objects.get(pk=other.pk).status == Status.SUBMITTED
        assert failures_logged(caplog, world.holder_a.account.pk)
