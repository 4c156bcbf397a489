"""A deadline already past: ``WorkdayCalendar.between`` refuses an end before its start, so the callers that
count past a deadline (the reviewer's queue, the application's page, ``jifen tick``, 补正) use
``working_days_left``, which goes negative."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from jifen.service.applications import workflow
from jifen.service.applications.models import Application, Status
from jifen.service.notifications.models import Message
from jifen.service.notifications.tick import tick
from jifen.service.web import views
from jifen.workdays import default_calendar
from tests.service.conftest import PASSWORD, World, at

# Accepted on the pinned day 2026-11-27: deadline Friday 2026-12-25. On Tuesday 2026-12-29 it is two working
# days past (12-28 and 12-29).
DEADLINE, LATE = date(2026, 12, 25), "2026-12-29"


def accepted(world: World, draft: Application) -> Application:
    assert world.agent_a.user is not None and world.reviewer.user is not None
    workflow.submit(draft, world.agent_a.user)
    app = workflow.accept(draft, world.reviewer.user)
    assert app.deadline == DEADLINE
    return app


def test_the_queue_counts_past_the_deadline(world: World, draft: Application) -> None:
    accepted(world, draft)
    assert views._left(default_calendar(), date(2026, 12, 29), DEADLINE) == -2
    client = Client()
    assert client.post("/login", {"username": "reviewer", "password": PASSWORD}).status_code == 302
    with at(LATE):
        queue = client.get("/me").content.decode()
        page = client.get(f"/applications/{draft.pk}").content.decode()
    assert "-2 已超期" in queue
    assert '<span class="bad">-2</span>' in page


def test_tick_warns_past_the_deadline(world: World, draft: Application) -> None:
    app = accepted(world, draft)
    assert tick(date(2026, 12, 29)).deadlines == 1
    message = Message.objects.get(kind="deadline", application_id=app.pk)
    assert "剩余-2个工作日" in message.body


def test_a_return_after_the_deadline_keeps_one_working_day(
    world: World, draft: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert world.reviewer.user is not None
    app = accepted(world, draft)
    monkeypatch.setattr(workflow, "_pauses_on_return", lambda day: True)  # the reading return_clock=pause
    with at(LATE):
        app = workflow.request_correction(app, world.reviewer.user, [{"indicator": "basic", "reason": "不清晰"}])
    assert (app.status, app.remaining_working_days) == (Status.CORRECTION_REQUESTED, 1)
