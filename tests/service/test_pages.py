"""Pages as signed-in people see them (Django's test client; the browser tests drive the journey)."""

from __future__ import annotations

from datetime import date

from django.test import Client

from jifen.service.applications import workflow
from jifen.service.applications.models import Application
from tests.service.conftest import PASSWORD, World, at


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def approve_on(world: World, draft: Application, day: date) -> Application:
    assert world.agent_a.user is not None and world.reviewer.user is not None
    workflow.submit(draft, world.agent_a.user)
    with at(day.isoformat()):
        workflow.accept(draft, world.reviewer.user)
        return workflow.approve(draft, world.reviewer.user)


def test_the_employer_is_not_pushed_to_refresh_an_optional_rise(world: World, draft: Application) -> None:
    assert approve_on(world, draft, date(2026, 2, 27)).points == 241
    with at("2026-11-27"):
        page = signed_in("hr_a").get("/me").content.decode()
    assert 'data-testid="refresh-flag"' not in page  # 241 and 250 both meet the standard
    assert '<td class="num">241</td>' in page and "250" in page


def test_the_holder_sees_the_refresh_advice(world: World, draft: Application) -> None:
    approve_on(world, draft, date(2026, 2, 27))
    with at("2026-11-27"):
        page = signed_in("holder_a").get("/me").content.decode()
    assert "较上次核定（2026年2月27日，241分）预计增加9分，为250分。" in page
    assert "上海居住证积分只看是否达到120分，超过部分不带来额外待遇；这次变更可有可无" in page


def test_the_reviewer_sees_facts_beside_materials_and_the_expected_score(world: World, draft: Application) -> None:
    assert world.agent_a.user is not None
    workflow.submit(draft, world.agent_a.user)
    page = signed_in("reviewer").get(f"/applications/{draft.pk}").content.decode()
    assert 'data-testid="facts"' in page and '<time datetime="1990-05-01">1990年5月1日</time>' in page
    assert 'value="accept"' in page and 'value="approve"' not in page


def test_other_employers_cannot_open_the_application_page(world: World, draft: Application) -> None:
    assert signed_in("hr_b").get(f"/applications/{draft.pk}").status_code == 404
    assert signed_in("holder_b").get(f"/applications/{draft.pk}").status_code == 404
    signed_out = Client().get(f"/applications/{draft.pk}")  # a link from an e-mail: sign in, then come back
    assert (signed_out.status_code, signed_out["Location"]) == (302, f"/login?next=/applications/{draft.pk}")


def test_the_policy_page_lists_parameters_with_their_history(db: None) -> None:
    page = Client().get("/policy").content.decode()
    # the name in words, the id only as a technical reference, each value with its unit and date in words
    assert '<h3 id="p-' in page and ">积分参考工资</h3>" in page and "<code>si_base.reference_wage</code>" in page
    assert '<time datetime="2023-07-01">2023年7月1日</time>' in page and "11,396元/月" in page
    assert "（暂定）" in page  # the carried-forward 2026-07 value
    # tables and lists in words, never a Python tuple or an id
    assert "大专 50分；本科 60分；本科及学士学位 90分" in page and "教育背景、专业技术职称和技能等级" in page
    assert "('education', 'qualification')" not in page and "at_least" not in page
    assert "本工具采用: <strong>人才口径参考水平（11396元/月）</strong>" in page  # a reading by its words


def test_the_policy_page_in_english(db: None) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get("/policy").content.decode()
    assert ">The points reference wage</h3>" in page or ">the points reference wage</h3>" in page
    assert "11,396 yuan a month" in page and '<time datetime="2023-07-01">1 July 2023</time>' in page
    assert "Confidence: A: the official text, or many consistent verbatim quotes" in page


def test_pages_carry_a_content_security_policy_and_are_chinese_by_default(db: None) -> None:
    response = Client(headers={"Accept-Language": "en-US"}).get("/calculator")
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert response["Content-Language"] == "zh-hans"
    assert "模拟打分" in response.content.decode()


def test_errors_on_pages_are_in_chinese_and_in_english_after_the_switch(world: World) -> None:
    client = Client()
    page = client.post("/login", {"username": "hr_a", "password": "wrong"}).content.decode()
    assert "用户名或密码错误" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/login"})
    page = client.post("/login", {"username": "hr_a", "password": "wrong"}).content.decode()
    assert "wrong user name or password" in page


def test_an_illegal_action_from_a_page_says_why_in_chinese(world: World, draft: Application) -> None:
    client = signed_in("hr_a")
    response = client.post(f"/applications/{draft.pk}/resubmit", follow=True)
    assert "申请当前状态为“草稿”，不能执行此操作" in response.content.decode()
    assert Application.objects.get(pk=draft.pk).status == "draft"


def test_the_demo_landing_page_lists_the_logins(db: None, settings: object) -> None:
    setattr(settings, "JIFEN_DEMO", True)  # noqa: B010 - pytest-django's settings fixture
    page = Client().get("/").content.decode()
    assert "jifen-demo-2026" in page and "<code>reviewer</code>" in page
