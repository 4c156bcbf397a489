"""The buttons each person is shown on the demo's applications, in a real browser (issue 12, item 4): the
table of transitions, the role and the state decide; nobody is offered what the workflow would refuse."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from jifen.service.applications.models import Application, Status
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, url: str, username: str) -> None:
    from jifen.service.demo import PASSWORD

    page.goto(f"{url}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def buttons(page: Page, url: str, app: Application) -> list[str]:
    page.goto(f"{url}/applications/{app.pk}")
    found = page.locator("[data-testid^=action-]").evaluate_all("nodes => nodes.map(n => n.dataset.testid)")
    return sorted(str(name).removeprefix("action-") for name in found)


@pytest.fixture
def demo(live_server: Any) -> dict[str, Application]:
    from jifen.service.demo import seed

    seed()
    apps = Application.objects.select_related("holder__user")
    return {
        "appealed": apps.get(status=Status.APPEALED),
        "submitted": apps.get(status=Status.SUBMITTED),
        "draft": apps.get(status=Status.DRAFT),
        "accepted": apps.get(status=Status.ACCEPTED),
    }


def test_the_first_reviewer_cannot_decide_the_appeal_against_his_decision(
    page: Page, live_server: Any, demo: dict[str, Application]
) -> None:
    sign_in(page, live_server.url, "reviewer")
    assert buttons(page, live_server.url, demo["appealed"]) == []
    assert buttons(page, live_server.url, demo["accepted"]) == ["approve", "reject", "request_correction"]
    page.get_by_role("button", name="退出").click()
    sign_in(page, live_server.url, "reviewer2")
    assert buttons(page, live_server.url, demo["appealed"]) == ["approve", "reject"]
    screenshot(page, "appeal-second-reviewer")


def test_the_agent_is_offered_the_next_step_only(page: Page, live_server: Any, demo: dict[str, Application]) -> None:
    sign_in(page, live_server.url, "hr")
    assert buttons(page, live_server.url, demo["draft"]) == ["submit", "withdraw"]  # 张三 has nothing open
    assert buttons(page, live_server.url, demo["submitted"]) == ["withdraw"]
    assert buttons(page, live_server.url, demo["appealed"]) == []


def test_holders_and_maintainers_are_offered_no_review_actions(
    page: Page, live_server: Any, demo: dict[str, Application]
) -> None:
    sign_in(page, live_server.url, "maintainer")
    expect(page.get_by_role("heading", name="政策数据维护")).to_be_visible()
    expect(page.get_by_role("button", name="核验")).to_have_count(0)
    expect(page.get_by_test_id("queue-row")).to_have_count(0)
    page.get_by_role("button", name="退出").click()
    sign_in(page, live_server.url, "zhang")
    assert buttons(page, live_server.url, demo["draft"]) == []


def test_an_unverified_employers_agent_reads_why(page: Page, live_server: Any, demo: dict[str, Application]) -> None:
    sign_in(page, live_server.url, "otherhr")
    expect(page.get_by_test_id("unverified")).to_contain_text("尚未通过审核人员核验")
    page.goto(f"{live_server.url}/holders/new")
    expect(page.get_by_test_id("unverified")).to_be_visible()
    expect(page.get_by_label("身份证号码")).to_have_count(0)


def test_a_signed_out_link_comes_back_after_signing_in(
    page: Page, live_server: Any, demo: dict[str, Application]
) -> None:
    page.goto(f"{live_server.url}/applications/{demo['submitted'].pk}")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill("hr")
    from jifen.service.demo import PASSWORD

    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/applications/{demo['submitted'].pk}")
    expect(page.get_by_test_id("status")).to_have_text("已提交")
