"""The whole journey of the service in the browser, once in Chinese and once in English: register an
employer, verify it, open a holder, set the password, file a change with uploads, accept, request a
correction, correct, approve, and verify the notice."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect

from jifen import score
from jifen.service.accounts.models import Account, Role
from jifen.service.applications.models import Application, Status
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"
PDF = b"%PDF-1.7\n% a contract\n%%EOF\n"
TEXT = {
    "zh": {
        "queue": "审核队列",
        "registered": "注册申请已收到",
        "password_set": "密码已设置",
        "notices": "积分通知书验证",
        "valid": "有效",
        "draft": "草稿",
        "submitted": "已提交",
        "accepted": "已受理",
        "correction": "待补正",
        "approved": "已核定",
    },
    "en": {
        "queue": "Review queue",
        "registered": "Registration received",
        "password_set": "The password is set",
        "notices": "Points notice verification",
        "valid": "Current",
        "draft": "Draft",
        "submitted": "Submitted",
        "accepted": "Accepted",
        "correction": "Correction requested",
        "approved": "Approved",
    },
}


def persona(browser: Browser, live_server: Any, lang: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 412, "height": 915})
    if lang == "en":
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    return context, context.new_page()


def sign_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()


def pdf(name: str) -> FilePayload:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def status_of(app_id: Any) -> str:
    return Application.objects.get(pk=app_id).status


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_whole_journey_in_the_browser(browser: Browser, live_server: Any, lang: str) -> None:
    text, url = TEXT[lang], live_server.url
    reviewer_user = User.objects.create_user("reviewer", "reviewer@example.invalid", PASSWORD)
    Account.objects.create(user=reviewer_user, role=Role.REVIEWER, display_name="审核员")
    agent_ctx, agent = persona(browser, live_server, lang)
    reviewer_ctx, reviewer = persona(browser, live_server, lang)
    holder_ctx, holder = persona(browser, live_server, lang)

    # The employer registers; a reviewer verifies it.
    agent.goto(f"{url}/employers/register")
    for field, value in (
        ("uscc", "91310115MA1H7ABCDF"),
        ("name", "上海示例科技有限公司"),
        ("district", "浦东新区"),
        ("agent_name", "陈七"),
        ("agent_username", "hr"),
        ("agent_email", "hr@example.invalid"),
        ("agent_password", PASSWORD),
    ):
        agent.locator(f"#{field}").fill(value)
    agent.locator("main form button[type=submit]").click()
    expect(agent.locator("main")).to_contain_text(text["registered"])
    screenshot(agent, f"journey-{lang}-1-registered")

    sign_in(reviewer, url, "reviewer")
    expect(reviewer.get_by_role("heading", name=text["queue"], exact=True)).to_be_visible()
    reviewer.locator("form[action*='/verify'] button").click()
    screenshot(reviewer, f"journey-{lang}-2-verified")

    # The agent opens the holder's account; the one-time link goes to the holder's address, not to the agent.
    sign_in(agent, url, "hr")
    agent.goto(f"{url}/holders/new")
    for field, value in (
        ("name", "张三"),
        ("id_number", "310115199005010018"),
        ("birth_date", "1990-05-01"),
        ("username", "zhang"),
        ("email", "zhang@example.invalid"),
        ("permit_valid_from", "2026-03-01"),
        ("permit_valid_until", "2030-02-28"),
    ):
        agent.locator(f"#{field}").fill(value)
    agent.locator("main form button[type=submit]").click()
    expect(agent.get_by_test_id("setup-sent")).to_contain_text("z***@example.invalid")
    expect(agent.get_by_test_id("setup-link")).to_have_count(0)
    (sent,) = [m for m in mail.outbox if m.to == ["zhang@example.invalid"]]
    link = re.search(r"/accounts/set-password/\S+", str(sent.body))
    assert link is not None
    holder.goto(f"{url}{link.group()}")
    expect(holder).to_have_url(f"{url}/accounts/set-password")  # the token has left the address bar
    holder.locator("#password").fill(PASSWORD)
    holder.locator("main form button[type=submit]").click()
    expect(holder.locator("main")).to_contain_text(text["password_set"])

    # The agent files a change with the holder's dated facts and a PDF.
    agent.goto(f"{url}/me")
    agent.locator("a[href*='/applications/new']").click()
    agent.locator("#id_edu_level").select_option("bachelor")
    agent.locator("#id_edu_degree").check()
    agent.locator("#id_edu_graduated_on").fill("2012-07-01")
    agent.locator("#id_si0_from").fill("2016-07")
    agent.locator("#id_si0_base").fill("12000")
    agent.locator("#id_married_on").fill("2018-05-20")
    agent.locator("main form button[type=submit]").last.click()
    expect(agent.get_by_test_id("status")).to_have_text(text["draft"])
    app_id = agent.url.rstrip("/").split("/")[-1]
    agent.set_input_files("#file", files=[pdf("contract.pdf")])
    agent.locator("form[enctype] button").click()
    agent.locator("button[value=submit]").click()
    expect(agent.get_by_test_id("status")).to_have_text(text["submitted"])
    screenshot(agent, f"journey-{lang}-3-submitted")

    # The reviewer accepts and asks for a correction; the clock stops.
    reviewer.goto(f"{url}/applications/{app_id}")
    reviewer.locator("button[value=accept]").click()
    expect(reviewer.get_by_test_id("status")).to_have_text(text["accepted"])
    expect(reviewer.get_by_test_id("deadline")).to_be_visible()
    reviewer.locator("#reason-request_correction").fill("合同复印件不清晰 / the contract copy is unreadable")
    reviewer.locator("button[value=request_correction]").click()
    expect(reviewer.get_by_test_id("status")).to_have_text(text["correction"])

    agent.goto(f"{url}/applications/{app_id}")
    expect(agent.get_by_test_id("correction")).to_contain_text("合同复印件不清晰")
    agent.set_input_files("#file", files=[pdf("contract-2.pdf")])
    agent.locator("form[enctype] button").click()
    agent.locator("button[value=resubmit]").click()
    assert status_of(app_id) == Status.RESUBMITTED

    # Accepted again and approved: the engine scores the facts on the day of the decision.
    reviewer.goto(f"{url}/applications/{app_id}")
    reviewer.locator("button[value=accept]").click()
    reviewer.locator("button[value=approve]").click()
    expect(reviewer.get_by_test_id("status")).to_have_text(text["approved"])
    app = Application.objects.get(pk=app_id)
    expected = score(app.facts, on=timezone.localdate()).total
    expect(reviewer.get_by_test_id("points")).to_have_text(str(expected))
    screenshot(reviewer, f"journey-{lang}-4-approved")

    # The holder sees the notice and anyone can verify it, with the name masked.
    sign_in(holder, url, "zhang")
    holder.goto(f"{url}/applications/{app_id}")
    holder.get_by_test_id("verify").click()
    expect(holder.get_by_role("heading", name=text["notices"])).to_be_visible()
    expect(holder.locator("main")).to_contain_text("张*")
    expect(holder.locator("main")).not_to_contain_text("张三")
    expect(holder.locator("p.ok")).to_have_text(text["valid"])
    screenshot(holder, f"journey-{lang}-5-verified")
    assert app.valid_until == date(2030, 2, 28)
    for context in (agent_ctx, reviewer_ctx, holder_ctx):
        context.close()
