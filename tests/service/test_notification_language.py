"""Inbox messages and e-mails in each recipient's language: the holder named, the kind and state in words,
the points, a correction's reasons by material, a rejection's routes with their last days, and an absolute
link to the application; the language is the one the person last chose on the pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings

from jifen.service.accounts.models import Account
from jifen.service.applications import workflow
from jifen.service.applications.models import Application, CorrectionRequest, Material, Status
from jifen.service.notifications.models import Message
from jifen.service.notifications.send import notify_application
from tests.service.conftest import PASSWORD, World, at

BASE = "https://jifen.example.cn"
Capture = Callable[..., AbstractContextManager[Any]]


def speaks(persona_user: User | None, language: str) -> None:
    assert persona_user is not None
    Account.objects.filter(user=persona_user).update(language=language)


def mail_to(address: str) -> Any:
    (found,) = [m for m in mail.outbox if m.to == [address]]
    return found


def no_chinese_but(text: str, *allowed: str) -> str:
    """``text`` without its parenthesised glosses and the ``allowed`` words: what must be English."""
    for word in allowed:
        text = text.replace(word, "")
    text = re.sub(r"\([^()]*\)", "", text)
    return "".join(re.findall(r"[\u3000-\u9fff\uff00-\uffef]", text))


def reject_on_the_31st(world: World, draft: Application, capture: Capture, reason: str) -> None:
    """Reject ``draft`` on 2026-08-31, with the messages sent as the step commits (and only those)."""
    assert world.agent_a.user is not None and world.reviewer.user is not None
    with at("2026-08-31"):
        workflow.submit(draft, world.agent_a.user)
        workflow.accept(draft, world.reviewer.user)
        mail.outbox.clear()
        with capture(execute=True):
            workflow.reject(draft, world.reviewer.user, [reason])


@override_settings(JIFEN_BASE_URL=BASE + "/")
def test_a_rejection_reaches_an_english_speaking_holder_in_english_only(
    world: World, draft: Application, django_capture_on_commit_callbacks: Capture
) -> None:
    speaks(world.holder_a.user, "en")
    reject_on_the_31st(world, draft, django_capture_on_commit_callbacks, "Too few months of insurance")
    sent = mail_to("holder_a@example.invalid")
    assert sent.subject == "Application rejected: 张三丰"
    lines = sent.body.split("\n")
    assert lines[:5] == [
        "The points application of 张三丰 (Change (refresh)) is now: Rejected.",
        "Decided on 31 August 2026.",
        "Reasons:",
        "- Too few months of insurance",
        "What you can do now:",
    ]
    assert lines[5].startswith("- Apply again: ")
    assert lines[6].startswith("- Re-check (复核, this service's own procedure): ")
    assert "the last day is 30 October 2026." in lines[6]
    assert lines[7].startswith("- Administrative reconsideration (行政复议): ")
    assert "The last day given here, 30 October 2026, is counted from the decision date (31 August 2026)" in lines[7]
    assert lines[8].startswith("- Administrative suit (行政诉讼): ")
    assert "the last day is 28 February 2027." in lines[8]
    assert lines[9:] == [f"The application: {BASE}/applications/{draft.pk}"]
    assert no_chinese_but(sent.body, "张三丰") == ""
    assert str(draft.pk) not in sent.subject and sent.body.count(str(draft.pk)) == 1  # only in the link
    message = Message.objects.get(user=world.holder_a.user, kind="application_reject")
    assert (message.subject, message.body) == (sent.subject, sent.body)


@override_settings(JIFEN_BASE_URL=BASE)
def test_the_agent_who_reads_chinese_gets_the_same_in_chinese(
    world: World, draft: Application, django_capture_on_commit_callbacks: Capture
) -> None:
    speaks(world.holder_a.user, "en")
    reject_on_the_31st(world, draft, django_capture_on_commit_callbacks, "社保缴费月数不足")
    sent = mail_to("hr_a@example.invalid")
    assert sent.subject == "积分申请不予核定：张三丰"
    lines = sent.body.split("\n")
    assert lines[:5] == [
        "张三丰的积分申请（变更（刷新））当前状态：不予核定。",
        "决定日期：2026年8月31日。",
        "原因：",
        "- 社保缴费月数不足",
        "接下来可以：",
    ]
    heads = [line.split("：", 1)[0] for line in lines[5:9]]
    assert heads == ["- 重新申请", "- 复核（本服务的内部程序）", "- 行政复议", "- 行政诉讼"]
    assert "最后一日为2026年10月30日" in lines[6] and "最后一日2026年10月30日" in lines[7]
    assert "最后一日为2027年2月28日" in lines[8]
    assert lines[9:] == [f"查看申请：{BASE}/applications/{draft.pk}"]
    assert "Rejected" not in sent.body and "Not legal advice" not in sent.body


@override_settings(JIFEN_BASE_URL=BASE)
def test_an_approval_names_the_points(
    world: World, draft: Application, django_capture_on_commit_callbacks: Capture
) -> None:
    speaks(world.holder_a.user, "en")
    assert world.agent_a.user is not None and world.reviewer.user is not None
    with at("2026-08-31"):
        workflow.submit(draft, world.agent_a.user)
        workflow.accept(draft, world.reviewer.user)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            workflow.approve(draft, world.reviewer.user)
    draft.refresh_from_db()
    assert draft.points is not None
    sent = mail_to("holder_a@example.invalid")
    assert sent.subject == "Points approved: 张三丰"
    assert sent.body.split("\n") == [
        "The points application of 张三丰 (Change (refresh)) is now: Approved.",
        "Decided on 31 August 2026.",
        f"Points approved: {draft.points}.",
        f"The application: {BASE}/applications/{draft.pk}",
    ]


@override_settings(JIFEN_BASE_URL=BASE)
def test_a_correction_lists_its_reasons_by_material(
    world: World, draft: Application, django_capture_on_commit_callbacks: Capture
) -> None:
    speaks(world.holder_a.user, "en")
    assert world.agent_a.user is not None and world.reviewer.user is not None
    contract = Material.objects.create(
        application=draft,
        indicator="basic",
        file="materials/2026/11/contract.pdf",
        original_name="劳动合同.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=world.agent_a.user,
    )
    Application.objects.filter(pk=draft.pk).update(status=Status.CORRECTION_REQUESTED, reviewer=world.reviewer.user)
    CorrectionRequest.objects.create(
        application=draft,
        requested_by=world.reviewer.user,
        reasons=[
            {"material": str(contract.pk), "indicator": "basic", "reason": "The copy cannot be read"},
            {"material": None, "indicator": "education", "reason": "The degree certificate is missing"},
        ],
    )
    draft.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_application(draft, "request_correction")
    holder = mail_to("holder_a@example.invalid")
    assert holder.subject == "Correction of materials requested: 张三丰"
    assert holder.body.split("\n") == [
        "The points application of 张三丰 (Change (refresh)) is now: Correction requested.",
        "Materials to correct, and why:",
        "- 劳动合同.pdf: The copy cannot be read",
        "- (no particular material): The degree certificate is missing",
        f"The application: {BASE}/applications/{draft.pk}",
    ]
    agent = mail_to("hr_a@example.invalid")
    assert agent.subject == "积分申请需补正材料：张三丰"
    assert agent.body.split("\n")[:4] == [
        "张三丰的积分申请（变更（刷新））当前状态：待补正。",
        "需补正的材料及原因：",
        "- 劳动合同.pdf：The copy cannot be read",
        "- （未指定材料）：The degree certificate is missing",
    ]
    assert str(contract.pk) not in holder.body and str(contract.pk) not in agent.body


def test_the_language_follows_the_switch_and_the_sign_in(world: World) -> None:
    holder = world.holder_a.account
    assert holder.language == "zh"
    client = Client()
    client.cookies["django_language"] = "en"
    assert client.post("/login", {"username": "holder_a", "password": PASSWORD}).status_code == 302
    holder.refresh_from_db()
    assert holder.language == "en"  # signed in with the page in English
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/me"})
    assert (response.status_code, response["Location"]) == (302, "/me")
    assert response.cookies["django_language"].value == "zh-hans"
    holder.refresh_from_db()
    assert holder.language == "zh"
    Client().post("/i18n/setlang/", {"language": "en"})  # signed out: only the cookie
    holder.refresh_from_db()
    assert holder.language == "zh"


def test_a_new_browser_speaks_the_language_the_account_chose(world: World) -> None:
    Account.objects.filter(user=world.holder_a.user).update(language="en")
    response = Client().post("/login", {"username": "holder_a", "password": PASSWORD})
    assert response.cookies["django_language"].value == "en"  # no cookie yet: the account's choice
    assert Account.objects.get(user=world.holder_a.user).language == "en"  # and not reset to Chinese
