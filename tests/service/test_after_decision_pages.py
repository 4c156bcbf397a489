"""After a decision, the application page shows the holder and the agent the decision, the points, the
reasons and what can be done about it with each last day, in the page language; the holder's own page
shows the routes of a latest decision that is a rejection."""

from __future__ import annotations

import html
import re
from datetime import date

from django.test import Client

from jifen.advisor.after_decision import routes_after
from jifen.policy.loader import default_policy
from jifen.service.applications import workflow
from jifen.service.applications.models import Application
from tests.service.conftest import PASSWORD, World, at

DECIDED = "2026-08-31"
ROUTE = re.compile(r'<li data-testid="route" data-kind="(\w+)">(.*?)</li>', re.S)
REASON = re.compile(r'<li class="bad" data-testid="decision-reason">(.*?)</li>')


def signed_in(username: str, language: str = "zh-hans") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def words(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def routes_shown(page: str) -> list[tuple[str, str, str]]:
    """(kind, last day, text) of each route on an application page."""
    out = []
    for kind, item in ROUTE.findall(page):
        head, _, text = item.partition("<br>")
        out.append((kind, words(head), words(text)))
    return out


def reject_on(world: World, draft: Application, day: str, reason: str) -> Application:
    assert world.agent_a.user is not None and world.reviewer.user is not None
    with at(day):
        workflow.submit(draft, world.agent_a.user)
        workflow.accept(draft, world.reviewer.user)
        return workflow.reject(draft, world.reviewer.user, [reason])


def expected_texts(decision: str, language: str) -> list[str]:
    return [r.text[language] for r in routes_after(decision, date.fromisoformat(DECIDED), default_policy())]


def test_the_holder_sees_the_rejection_and_the_routes_with_their_last_days_in_chinese(
    world: World, draft: Application
) -> None:
    reject_on(world, draft, DECIDED, "社保缴费月数不足")
    with at("2026-09-01"):
        page = signed_in("holder_a").get(f"/applications/{draft.pk}").content.decode()
    assert 'data-testid="decision-status">不予核定</strong>' in page
    assert 'data-testid="decided-on"><time datetime="2026-08-31">2026年8月31日</time></span>' in page
    assert REASON.findall(page) == ["社保缴费月数不足"]
    assert "<h3>接下来可以</h3>" in page
    shown = routes_shown(page)
    assert [(kind, last) for kind, last, _ in shown] == [
        ("refile", "无截止日"),
        ("recheck", "最后一日 2026年10月30日"),
        ("reconsideration", "最后一日 2026年10月30日"),
        ("litigation", "最后一日 2027年2月28日"),
    ]
    assert [text for _, _, text in shown] == expected_texts("rejected", "zh")
    assert "最后一日为2027年2月28日" in shown[3][2] and "不构成法律意见" in shown[3][2]


def test_the_agent_sees_the_same_routes_in_english(world: World, draft: Application) -> None:
    reject_on(world, draft, DECIDED, "Too few months of insurance")
    with at("2026-09-01"):
        page = signed_in("hr_a", "en").get(f"/applications/{draft.pk}").content.decode()
    assert 'data-testid="decision-status">Rejected</strong>' in page
    assert "Decided on" in page and '<time datetime="2026-08-31">31 August 2026</time>' in page
    assert REASON.findall(page) == ["Too few months of insurance"]
    assert "<h3>What you can do now</h3>" in page
    shown = routes_shown(page)
    assert [(kind, last) for kind, last, _ in shown] == [
        ("refile", "No last day"),
        ("recheck", "Last day 30 October 2026"),
        ("reconsideration", "Last day 30 October 2026"),
        ("litigation", "Last day 28 February 2027"),
    ]
    assert [text for _, _, text in shown] == expected_texts("rejected", "en")
    assert "jifen's own procedure, not one set by law" in shown[1][2]
    assert "不构成法律意见" not in page and "Not legal advice" in page
    assert 'value="appeal"' in page  # within the re-check period the agent can ask for it here


def test_the_reviewer_is_not_shown_the_routes(world: World, draft: Application) -> None:
    reject_on(world, draft, DECIDED, "社保缴费月数不足")
    with at("2026-09-01"):
        page = signed_in("reviewer").get(f"/applications/{draft.pk}").content.decode()
    assert ROUTE.findall(page) == [] and 'data-testid="decision"' not in page
    assert '<p class="bad">社保缴费月数不足</p>' in page


def test_an_approval_shows_its_points_and_what_can_be_done_about_it(world: World, draft: Application) -> None:
    assert world.agent_a.user is not None and world.reviewer.user is not None
    with at(DECIDED):
        workflow.submit(draft, world.agent_a.user)
        workflow.accept(draft, world.reviewer.user)
        workflow.approve(draft, world.reviewer.user)
    draft.refresh_from_db()
    with at("2026-09-01"):
        page = signed_in("holder_a", "en").get(f"/applications/{draft.pk}").content.decode()
        home = signed_in("holder_a", "en").get("/me").content.decode()
    assert 'data-testid="decision-status">Approved</strong>' in page
    assert (
        f'data-testid="points">{draft.points}</span> · Valid until <time datetime="2027-02-28">28 February 2027</time>'
        in page
    )
    assert page.count('data-testid="points"') == 1
    assert "<h3>If you dispute the decision, you can</h3>" in page
    assert [(kind, last) for kind, last, _ in routes_shown(page)] == [
        ("refile", "No last day"),
        ("recheck", "Last day 30 October 2026"),
        ("reconsideration", "Last day 30 October 2026"),
        ("litigation", "Last day 28 February 2027"),
    ]
    assert 'data-testid="rejection"' not in home  # the holder's page boxes a rejection only


def test_the_holders_page_boxes_the_routes_of_a_rejection(world: World, draft: Application) -> None:
    reject_on(world, draft, DECIDED, "社保缴费月数不足")
    with at("2026-09-01"):
        zh = signed_in("holder_a").get("/me").content.decode()
        en = signed_in("holder_a", "en").get("/me").content.decode()
    assert '<h2 id="rejection">申请不予核定 · <time datetime="2026-08-31">2026年8月31日</time></h2>' in zh
    assert [(kind, words(item)) for kind, item in ROUTE.findall(zh)] == [
        ("refile", "重新申请: 无截止日"),
        ("recheck", "复核（本服务的内部程序）: 最后一日 2026年10月30日"),
        ("reconsideration", "行政复议: 最后一日 2026年10月30日"),
        ("litigation", "行政诉讼: 最后一日 2027年2月28日"),
    ]
    assert f'<a href="/applications/{draft.pk}">查看原因和各途径的说明</a>' in zh
    assert '<h2 id="rejection">Application rejected · <time datetime="2026-08-31">31 August 2026</time></h2>' in en
    assert [(kind, words(item)) for kind, item in ROUTE.findall(en)] == [
        ("refile", "Apply again: No last day"),
        ("recheck", "Re-check (this service's own procedure): Last day 30 October 2026"),
        ("reconsideration", "Administrative reconsideration (行政复议): Last day 30 October 2026"),
        ("litigation", "Administrative suit (行政诉讼): Last day 28 February 2027"),
    ]


def test_the_box_gives_way_to_a_new_filing_under_way(world: World, draft: Application) -> None:
    from jifen.service.applications.filing import file_application
    from tests.service.conftest import facts_a

    reject_on(world, draft, DECIDED, "社保缴费月数不足")
    assert world.agent_a.user is not None
    again = file_application(world.agent_a.user, world.holder_a.account, "first", facts_a())[0]
    with at("2026-09-01"):
        draft_only = signed_in("holder_a").get("/me").content.decode()
        workflow.submit(again, world.agent_a.user)
        submitted = signed_in("holder_a").get("/me").content.decode()
    assert 'id="rejection"' in draft_only  # a draft is not yet a filing
    assert 'id="rejection"' not in submitted  # refiled: the re-check cannot be asked for beside it
