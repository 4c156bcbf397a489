"""Pages that list many holders read a stored summary of each holder's advice (issue 11, item 9): made by
``jifen tick`` or by the first page of the day, made again when the day, the latest approval or the permit
changes, and dropped by every decision."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from jifen.service.accounts.models import Account
from jifen.service.applications import refresh, workflow
from jifen.service.applications.models import AdviceSummary, Application
from jifen.service.notifications.tick import tick
from tests.service.conftest import PASSWORD, World, at


def approve(world: World, app: Application) -> None:
    assert world.agent_a.user is not None and world.reviewer.user is not None
    workflow.submit(app, world.agent_a.user)
    with at("2026-02-27"):
        workflow.accept(app, world.reviewer.user)
        workflow.approve(app, world.reviewer.user)


def employer_page(day: str) -> str:
    client = Client()
    assert client.post("/login", {"username": "hr_a", "password": PASSWORD}).status_code == 302
    with at(day):
        return str(client.get("/me").content.decode())


def no_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("advised again")

    monkeypatch.setattr(refresh, "advise", refuse)


def test_the_second_page_of_the_day_reads_the_stored_row(
    world: World, draft: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    approve(world, draft)
    assert '<td class="num">241</td>' in employer_page("2026-11-27")
    summary = AdviceSummary.objects.get(holder=world.holder_a.account)
    assert (summary.computed_on, summary.approved_points, summary.now_total, summary.refresh) == (
        date(2026, 11, 27),
        241,
        250,
        False,
    )
    no_advice(monkeypatch)
    page = employer_page("2026-11-27")
    assert '<td class="num">241</td>' in page and '<td class="num">250' in page and "无法计算" not in page
    assert "无法计算" in employer_page("2026-11-28")  # another day: advised again (and refused here)


def test_tick_stores_the_rows_for_the_day(world: World, draft: Application, monkeypatch: pytest.MonkeyPatch) -> None:
    approve(world, draft)
    tick(date(2026, 11, 27))
    assert AdviceSummary.objects.get(holder=world.holder_a.account).computed_on == date(2026, 11, 27)
    assert AdviceSummary.objects.get(holder=world.holder_b.account).approved_points is None  # nothing approved
    no_advice(monkeypatch)
    assert "无法计算" not in employer_page("2026-11-27")


def test_a_decision_or_a_new_permit_makes_the_row_again(world: World, draft: Application) -> None:
    approve(world, draft)
    employer_page("2026-11-27")
    assert world.agent_a.user is not None and world.reviewer.user is not None
    second = Application.objects.create(
        holder=world.holder_a.account,
        employer=world.employer_a,
        kind="change",
        facts=draft.facts,
        created_by=world.agent_a.user,
    )
    workflow.submit(second, world.agent_a.user)
    workflow.accept(second, world.reviewer.user)
    workflow.reject(second, world.reviewer.user, ["材料不全"])
    assert not AdviceSummary.objects.filter(holder=world.holder_a.account).exists()
    employer_page("2026-11-27")
    Account.objects.filter(pk=world.holder_a.account.pk).update(permit_valid_until=date(2028, 2, 29))
    employer_page("2026-11-27")
    summary = AdviceSummary.objects.get(holder=world.holder_a.account)
    assert summary.permit_valid_until == date(2028, 2, 29)
