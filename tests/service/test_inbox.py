"""The inbox (issue 14, item 3): each message kept in both languages and shown in the reader's (the page's),
e-mailed in the account's; unread ones marked in words; a message opened, or followed to its application,
is marked read, by its owner only; "mark all read"; the API gives both languages. And the favicon."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core import mail
from django.test import Client

from jifen.service import clock
from jifen.service.accounts.models import Account
from jifen.service.applications import workflow
from jifen.service.applications.models import Application
from jifen.service.notifications.models import Message
from jifen.service.notifications.tick import tick
from tests.service.conftest import PASSWORD, World, at

Capture = Callable[..., AbstractContextManager[Any]]
LEGACY = importlib.import_module("jifen.service.notifications.migrations.0002_message_languages")


def submitted(world: World, draft: Application, capture: Capture) -> Message:
    """Submit ``draft``: the holder is told once the step commits."""
    assert world.agent_a.user is not None
    with capture(execute=True):
        workflow.submit(draft, world.agent_a.user)
    return Message.objects.get(user=world.holder_a.user, kind="application_submit")


def signed_in(username: str, language: str = "") -> Client:
    client = Client()
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    if language:  # the page's language only: the account keeps its own (the e-mails')
        client.cookies["django_language"] = language
    return client


def entries(page: str) -> list[str]:
    """The inbox's entries as read: tags dropped, dates in words."""
    found = re.findall(r'<li data-testid="message"[^>]*>(.*?)</li>', page, re.S)
    return [re.sub(r"<[^>]+>", "", entry) for entry in found]


def test_the_inbox_speaks_the_pages_language_and_the_email_the_accounts(
    world: World, draft: Application, django_capture_on_commit_callbacks: Capture
) -> None:
    message = submitted(world, draft, django_capture_on_commit_callbacks)
    assert (message.subject_zh, message.subject_en) == ("积分申请已提交：张三丰", "Application submitted: 张三丰")
    assert message.body_zh.startswith("张三丰的积分申请（变更（刷新））当前状态：已提交。")
    assert message.body_en.startswith("The points application of 张三丰 (Change (refresh)) is now: Submitted.")
    (sent,) = [m for m in mail.outbox if m.to == ["holder_a@example.invalid"]]
    assert (sent.subject, message.subject) == ("积分申请已提交：张三丰", "积分申请已提交：张三丰")  # the account: zh

    zh = signed_in("holder_a").get("/me").content.decode()
    assert entries(zh) == ["未读 · 2026年11月27日 · 积分申请已提交：张三丰 · 查看申请"]
    assert f'href="/messages/{message.pk}"' in zh and f'href="/messages/{message.pk}/application"' in zh
    en = signed_in("holder_a", "en").get("/me").content.decode()
    assert entries(en) == ["unread · 27 November 2026 · Application submitted: 张三丰 · Open the application"]
    assert Account.objects.get(user=world.holder_a.user).language == "zh"


def test_opening_a_message_shows_it_and_marks_it_read_once(
    world: World, draft: Application, django_capture_on_commit_callbacks: Capture
) -> None:
    message = submitted(world, draft, django_capture_on_commit_callbacks)
    client = signed_in("holder_a", "en")
    page = client.get(f"/messages/{message.pk}").content.decode()
    assert '<h1 data-testid="message-subject">Application submitted: 张三丰</h1>' in page
    assert "The points application of 张三丰 (Change (refresh)) is now: Submitted.<br>" in page
    assert f'href="/applications/{draft.pk}"' in page
    message.refresh_from_db()
    assert message.read_at == clock.now()
    assert entries(client.get("/me").content.decode()) == [
        "27 November 2026 · Application submitted: 张三丰 · Open the application"
    ]
    with at("2026-11-30"):  # opened again: the first reading stands
        assert client.get(f"/messages/{message.pk}").status_code == 200
    message.refresh_from_db()
    assert message.read_at is not None and message.read_at.date() == date(2026, 11, 27)


def test_following_a_message_to_its_application_marks_it_read(
    world: World, draft: Application, django_capture_on_commit_callbacks: Capture
) -> None:
    message = submitted(world, draft, django_capture_on_commit_callbacks)
    response = signed_in("holder_a").get(f"/messages/{message.pk}/application")
    assert (response.status_code, response["Location"]) == (302, f"/applications/{draft.pk}")
    message.refresh_from_db()
    assert message.read_at is not None


def test_only_the_owner_opens_a_message(
    world: World, draft: Application, django_capture_on_commit_callbacks: Capture
) -> None:
    message = submitted(world, draft, django_capture_on_commit_callbacks)
    other = signed_in("holder_b")
    assert other.get(f"/messages/{message.pk}").status_code == 404
    assert other.get(f"/messages/{message.pk}/application").status_code == 404
    assert other.get("/messages/999999").status_code == 404
    anonymous = Client().get(f"/messages/{message.pk}")
    assert (anonymous.status_code, anonymous["Location"]) == (302, f"/login?next=/messages/{message.pk}")
    message.refresh_from_db()
    assert message.read_at is None
    assert other.post("/messages/read-all").status_code == 302  # only one's own
    message.refresh_from_db()
    assert message.read_at is None


def test_mark_all_read(world: World, draft: Application, django_capture_on_commit_callbacks: Capture) -> None:
    assert world.reviewer.user is not None
    submitted(world, draft, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.accept(draft, world.reviewer.user)
    client = signed_in("holder_a")
    page = client.get("/me").content.decode()
    assert [e.split(" · ")[0] for e in entries(page)] == ["未读", "未读"]
    assert '<button type="submit">全部标为已读</button>' in page
    response = client.post("/messages/read-all", {"next": "/me"})
    assert (response.status_code, response["Location"]) == (302, "/me")
    assert not Message.objects.filter(user=world.holder_a.user, read_at=None).exists()
    page = client.get("/me").content.decode()
    assert "未读" not in page and "全部标为已读" not in page
    response = client.post("/messages/read-all", {"next": "https://elsewhere.example/"})
    assert response["Location"] == "/messages"  # not off the site


def test_every_signed_in_person_has_an_inbox_page(world: World, draft: Application) -> None:
    assert world.agent_a.user is not None and world.reviewer.user is not None
    workflow.submit(draft, world.agent_a.user)
    workflow.accept(draft, world.reviewer.user)  # on 2026-11-27: deadline 2026-12-25
    assert tick(date(2026, 12, 22)).deadlines == 1
    zh = signed_in("reviewer").get("/messages").content.decode()
    assert entries(zh) == ["未读 · 2026年11月27日 · 核定期限临近：剩余3个工作日 · 查看申请"]
    en = signed_in("reviewer", "en").get("/messages").content.decode()
    assert entries(en) == ["unread · 27 November 2026 · Deadline in 3 working days · Open the application"]
    assert Client().get("/messages").status_code == 302


def test_a_reminder_is_emailed_in_the_accounts_language_and_kept_in_both(world: World) -> None:
    Account.objects.filter(user=world.holder_a.user).update(language="en")
    assert tick(date(2027, 2, 1)).endorsements == 2
    message = Message.objects.get(kind="endorsement", user=world.holder_a.user)
    assert (message.subject, message.subject_zh, message.subject_en) == (
        "Permit endorsement due",
        "居住证可以签注",
        "Permit endorsement due",
    )
    assert message.body_zh == "居住证有效期至2027-02-28，请在到期前办理签注，签注时确认积分。"
    assert (
        message.body
        == message.body_en
        == ("Your permit ends on 2027-02-28: endorse it before then; the points are confirmed then.")
    )
    other = Message.objects.get(kind="endorsement", user=world.holder_b.user)
    assert (other.subject, other.body) == (other.subject_zh, other.body_zh)  # holder B reads Chinese


def test_the_api_gives_both_languages_and_the_application(
    world: World, draft: Application, django_capture_on_commit_callbacks: Capture
) -> None:
    message = submitted(world, draft, django_capture_on_commit_callbacks)
    (shown,) = world.holder_a.get("/api/v1/inbox").json()
    assert shown["id"] == message.pk and shown["read_at"] is None
    assert (shown["subject"], shown["subject_zh"], shown["subject_en"]) == (
        "积分申请已提交：张三丰",
        "积分申请已提交：张三丰",
        "Application submitted: 张三丰",
    )
    assert shown["body"] == shown["body_zh"] and shown["body_en"].startswith("The points application of 张三丰")
    assert shown["application_id"] == str(draft.pk)


class TestEarlierMessages:
    """Messages written before both languages were kept, as the data migration splits them."""

    def test_a_reminder_in_both_languages_is_split(self) -> None:
        assert LEGACY.split_subject("核定期限临近 / deadline in 3 working days") == (
            "核定期限临近",
            "Deadline in 3 working days",
        )
        assert LEGACY.split_subject("政策数据待更新 / policy data overdue: si_base.reference_wage 2026-07-01") == (
            "政策数据待更新：si_base.reference_wage 2026-07-01",
            "Policy data overdue: si_base.reference_wage 2026-07-01",
        )
        assert LEGACY.split_body("居住证已于2027-02-28到期。\nThe permit ended on 2027-02-28.") == (
            "居住证已于2027-02-28到期。",
            "The permit ended on 2027-02-28.",
        )

    def test_lines_in_both_languages_stay_in_both(self) -> None:
        body = (
            "申请 1（变更）状态：已提交。\nApplication 1 (change) is now submitted.\n"
            "核定期限 / decision due by: 2026-12-25"
        )
        assert LEGACY.split_body(body) == (
            "申请 1（变更）状态：已提交。\n核定期限 / decision due by: 2026-12-25",
            "Application 1 (change) is now submitted.\n核定期限 / decision due by: 2026-12-25",
        )

    def test_a_message_in_one_language_is_shown_in_it_to_everyone(self, world: World) -> None:
        assert world.holder_a.user is not None
        message = Message.objects.create(user=world.holder_a.user, kind="old", subject="积分已核定", body="…")
        assert (message.subject_in("en"), message.body_in("en")) == ("积分已核定", "…")
        page = signed_in("holder_a", "en").get("/me").content.decode()
        assert entries(page) == ["unread · 27 November 2026 · 积分已核定"]


def test_the_favicon(db: None) -> None:
    response = Client().get("/favicon.ico")
    assert (response.status_code, response["Content-Type"]) == (200, "image/x-icon")
    assert response.content.startswith(b"\x00\x00\x01\x00")  # an icon file
    page = Client().get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in page
    svg = re.search(r'<link rel="icon" href="/static/([^"]+\.svg)" type="image/svg\+xml">', page)
    assert svg is not None
    found = finders.find(svg.group(1))  # collected by `jifen serve`, served by whitenoise
    assert isinstance(found, str) and Path(found).read_text(encoding="utf-8").startswith("<svg")


@pytest.mark.parametrize("path", ["/messages/1", "/messages/1/application"])
def test_a_message_is_not_changed_by_a_post(world: World, path: str) -> None:
    assert signed_in("holder_a").post(path).status_code == 405
