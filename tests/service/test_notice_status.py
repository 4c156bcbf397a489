"""Notices know when they are superseded (issue 12, item 2): a notice is current, superseded by a later
approval of the holder, expired with the permit, or withdrawn by a re-check, in that order of precedence
from the last; the verify page, the API and the holder's page say which."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client

from jifen.service.applications.models import Application, Status
from jifen.service.notices.issue import issue_notice, withdraw_notices
from jifen.service.notices.models import Notice
from jifen.service.notices.status import NoticeStatus, notice_status
from tests.service.conftest import PASSWORD, World, at, facts_a, moment

PERMIT_END = date(2027, 2, 28)  # holder_a's permit, as the world opens it
SUPERSEDED = {"zh": "已被2026年11月20日核定的积分取代", "en": "superseded by the points approved on 20 November 2026"}
CURRENT = {"zh": "有效", "en": "current"}
WITHDRAWN = {"zh": "已撤销（复核改变了原核定）", "en": "withdrawn: a re-check changed the decision"}


def approved(world: World, decided: str, points: int, *, hour: int = 10, valid_until: date = PERMIT_END) -> Application:
    """An application of holder_a approved on ``decided`` (Shanghai), as a row."""
    assert world.agent_a.user is not None
    return Application.objects.create(
        holder=world.holder_a.account,
        employer=world.employer_a,
        kind="change",
        facts=facts_a(),
        created_by=world.agent_a.user,
        status=Status.APPROVED,
        decided_at=moment(decided, hour),
        points=points,
        policy_version="shanghai-2023",
        valid_until=valid_until,
    )


def issued(app: Application, day: str) -> Notice:
    with at(day):
        return issue_notice(app)


def status_of(notice: Notice, today: date = date(2026, 11, 27)) -> NoticeStatus:
    return notice_status(Notice.objects.get(pk=notice.pk), today)


def signed_in(username: str, language: str = "zh-hans") -> Client:
    client = Client()
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client


def verify_page(code: str, language: str = "zh-hans") -> str:
    client = Client()
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.get(f"/verify/{code}")
    assert response.status_code == 200
    return str(response.content.decode())


class TestStatus:
    def test_the_latest_approval_is_current_and_supersedes_the_earlier_on_its_shanghai_date(self, world: World) -> None:
        first = issued(approved(world, "2026-06-01", 250), "2026-06-01")
        # 01:00 in Shanghai is still 19 November in UTC: the date said is Shanghai's
        second = issued(approved(world, "2026-11-20", 260, hour=1), "2026-11-20")
        assert status_of(first) == NoticeStatus("superseded", date(2026, 11, 20), SUPERSEDED)
        assert status_of(second) == NoticeStatus("current", None, CURRENT)

    def test_the_earlier_is_superseded_by_the_next_approval_not_the_latest(self, world: World) -> None:
        first = issued(approved(world, "2026-06-01", 250), "2026-06-01")
        issued(approved(world, "2026-11-20", 255), "2026-11-20")
        issued(approved(world, "2026-11-25", 260), "2026-11-25")
        assert status_of(first).superseded_on == date(2026, 11, 20)

    def test_decided_on_the_same_instant_the_later_issued_supersedes(self, world: World) -> None:
        later_issued = issued(approved(world, "2026-11-20", 260), "2026-11-21")
        earlier_issued = issued(approved(world, "2026-11-20", 250), "2026-11-20")
        assert status_of(earlier_issued).status == "superseded"
        assert status_of(later_issued).status == "current"

    def test_another_holders_notice_supersedes_nothing(self, world: World) -> None:
        mine = issued(approved(world, "2026-06-01", 250), "2026-06-01")
        assert world.agent_b.user is not None
        other = Application.objects.create(
            holder=world.holder_b.account,
            employer=world.employer_b,
            kind="change",
            facts=facts_a(),
            created_by=world.agent_b.user,
            status=Status.APPROVED,
            decided_at=moment("2026-11-20"),
            points=130,
            valid_until=PERMIT_END,
        )
        issued(other, "2026-11-20")
        assert status_of(mine).status == "current"

    def test_the_notice_is_current_on_the_last_day_of_the_permit_and_expired_the_day_after(self, world: World) -> None:
        notice = issued(approved(world, "2026-06-01", 250), "2026-06-01")
        assert status_of(notice, date(2027, 2, 28)) == NoticeStatus("current", None, CURRENT)
        assert status_of(notice, date(2027, 3, 1)) == NoticeStatus(
            "expired",
            None,
            {"zh": "已过期（居住证有效期至2027年2月28日）", "en": "expired: the permit ran until 28 February 2027"},
        )

    def test_superseded_comes_before_expired(self, world: World) -> None:
        first = issued(approved(world, "2026-06-01", 250, valid_until=date(2026, 10, 31)), "2026-06-01")
        issued(approved(world, "2026-11-20", 260), "2026-11-20")
        assert status_of(first) == NoticeStatus("superseded", date(2026, 11, 20), SUPERSEDED)

    def test_withdrawn_comes_before_superseded_and_expired(self, world: World) -> None:
        app = approved(world, "2026-06-01", 250, valid_until=date(2026, 10, 31))
        first = issued(app, "2026-06-01")
        issued(approved(world, "2026-11-20", 260), "2026-11-20")
        with at("2026-11-26"):
            assert withdraw_notices(app) == 1
        assert status_of(first) == NoticeStatus("withdrawn", None, WITHDRAWN)

    def test_a_withdrawn_later_notice_supersedes_nothing(self, world: World) -> None:
        first = issued(approved(world, "2026-06-01", 250), "2026-06-01")
        rechecked = approved(world, "2026-11-20", 260)
        second = issued(rechecked, "2026-11-20")
        with at("2026-11-26"):
            assert withdraw_notices(rechecked) == 1
        assert Notice.objects.get(pk=second.pk).withdrawn_at == moment("2026-11-26")
        assert status_of(second).status == "withdrawn"
        assert status_of(first) == NoticeStatus("current", None, CURRENT)


class TestIssuing:
    def test_a_re_approval_issues_a_new_notice_and_withdraws_the_earlier_one(self, world: World) -> None:
        app = approved(world, "2026-11-20", 250)
        first = issued(app, "2026-11-20")
        app.decided_at, app.points = moment("2026-12-03"), 260
        app.save()
        second = issued(app, "2026-12-03")
        assert second.code != first.code
        rows = list(Notice.objects.filter(application=app).order_by("pk").values_list("code", "points", "withdrawn_at"))
        assert rows == [(first.code, 250, moment("2026-12-03")), (second.code, 260, None)]
        assert (status_of(first, date(2026, 12, 3)).status, status_of(second, date(2026, 12, 3)).status) == (
            "withdrawn",
            "current",
        )
        assert world.holder_a.get(f"/api/v1/applications/{app.pk}").json()["notice_code"] == second.code

    def test_withdrawing_twice_keeps_the_first_moment(self, world: World) -> None:
        app = approved(world, "2026-11-20", 250)
        notice = issued(app, "2026-11-20")
        with at("2026-11-26"):
            assert withdraw_notices(app) == 1
        with at("2026-11-27"):
            assert withdraw_notices(app) == 0
        assert Notice.objects.get(pk=notice.pk).withdrawn_at == moment("2026-11-26")
        assert world.holder_a.get(f"/api/v1/applications/{app.pk}").json()["notice_code"] is None


class TestVerifyPage:
    def test_a_current_notice_is_valid_in_both_languages(self, world: World) -> None:
        notice = issued(approved(world, "2026-11-20", 260), "2026-11-20")
        assert '<p class="ok">有效</p>' in verify_page(notice.code)
        assert '<p class="ok">Current</p>' in verify_page(notice.code, "en")

    def test_a_superseded_notice_says_by_which_approval(self, world: World) -> None:
        first = issued(approved(world, "2026-06-01", 250), "2026-06-01")
        issued(approved(world, "2026-11-20", 260), "2026-11-20")
        zh, en = verify_page(first.code), verify_page(first.code, "en")
        assert '<p class="bad">已被2026年11月20日核定的积分取代</p>' in zh and 'class="ok"' not in zh
        assert '<p class="bad">Superseded by the points approved on 20 November 2026</p>' in en

    def test_an_expired_notice_from_the_day_after_the_permit(self, world: World) -> None:
        notice = issued(approved(world, "2026-06-01", 250), "2026-06-01")
        with at("2027-02-28"):
            assert '<p class="ok">有效</p>' in verify_page(notice.code)
        with at("2027-03-01"):
            assert '<p class="bad">已过期（居住证有效期至2027年2月28日）</p>' in verify_page(notice.code)
            assert '<p class="bad">Expired: the permit ran until 28 February 2027</p>' in verify_page(notice.code, "en")

    def test_a_withdrawn_notice(self, world: World) -> None:
        app = approved(world, "2026-11-20", 250)
        notice = issued(app, "2026-11-20")
        withdraw_notices(app)
        assert '<p class="bad">已撤销（复核改变了原核定）</p>' in verify_page(notice.code)
        assert '<p class="bad">Withdrawn: a re-check changed the decision</p>' in verify_page(notice.code, "en")


class TestApi:
    def answer(self, world: World, code: str) -> dict[str, Any]:
        response = world.holder_a.get(f"/api/v1/notices/{code}")
        assert response.status_code == 200, response.content
        body: dict[str, Any] = response.json()
        return body

    def test_the_notice_says_its_status(self, world: World) -> None:
        first_app = approved(world, "2026-06-01", 250)
        first = issued(first_app, "2026-06-01")
        second = issued(approved(world, "2026-11-20", 260), "2026-11-20")
        assert self.answer(world, first.code) == {
            "code": first.code,
            "holder_name": "张三丰",
            "points": 250,
            "policy_version": "shanghai-2023",
            "issued_on": "2026-06-01",
            "valid_until": "2027-02-28",
            "application_id": str(first_app.pk),
            "status": "superseded",
            "status_text": SUPERSEDED,
            "superseded_on": "2026-11-20",
        }
        current = self.answer(world, second.code)
        assert (current["status"], current["status_text"], current["superseded_on"]) == ("current", CURRENT, None)

    def test_expired_and_withdrawn(self, world: World) -> None:
        app = approved(world, "2026-06-01", 250, valid_until=date(2026, 10, 31))
        notice = issued(app, "2026-06-01")
        expired = self.answer(world, notice.code)
        assert (expired["status"], expired["status_text"]["en"]) == (
            "expired",
            "expired: the permit ran until 31 October 2026",
        )
        withdraw_notices(app)
        withdrawn = self.answer(world, notice.code)
        assert (withdrawn["status"], withdrawn["status_text"], withdrawn["superseded_on"]) == (
            "withdrawn",
            WITHDRAWN,
            None,
        )


class TestHolderPage:
    def test_the_current_notice_on_top_and_the_earlier_below_the_latest_first(self, world: World) -> None:
        oldest = issued(approved(world, "2026-03-10", 240), "2026-03-10")
        withdrawn_app = approved(world, "2026-06-01", 250)
        withdrawn = issued(withdrawn_app, "2026-06-01")
        withdraw_notices(withdrawn_app)
        middle = issued(approved(world, "2026-09-01", 255), "2026-09-01")
        current = issued(approved(world, "2026-11-20", 260), "2026-11-20")
        client = signed_in("holder_a")
        page = client.get("/me").content.decode()
        top = page.index('data-testid="current-notice"')
        heading = page.index("<h3>历史通知书</h3>")
        assert top < page.index(f'<a href="/api/v1/notices/{current.code}/pdf">PDF</a>') < heading
        assert top < page.index(f'<a href="/verify/{current.code}">{current.code}</a>') < heading
        assert "当前有效" in page[top:heading]
        rows = [page.index(f">{n.code}</a>") for n in (middle, withdrawn, oldest)]
        assert heading < rows[0] < rows[1] < rows[2]
        assert page.count('data-testid="earlier-notice"') == 3
        assert "已被2026年11月20日核定的积分取代" in page[rows[0] : rows[1]]
        assert "已撤销（复核改变了原核定）" in page[rows[1] : rows[2]]
        assert "已被2026年9月1日核定的积分取代" in page[rows[2] :]
        pdf = client.get(f"/api/v1/notices/{current.code}/pdf")
        assert (pdf.status_code, pdf.content[:4]) == (200, b"%PDF")

    def test_in_english(self, world: World) -> None:
        first = issued(approved(world, "2026-06-01", 250), "2026-06-01")
        issued(approved(world, "2026-11-20", 260), "2026-11-20")
        page = signed_in("holder_a", "en").get("/me").content.decode()
        assert "Current" in page and "<h3>Earlier notices</h3>" in page
        assert (
            f'>{first.code}</a> · <span class="muted">superseded by the points approved on 20 November 2026</span>'
            in page
        )

    def test_no_current_notice_when_the_only_one_expired(self, world: World) -> None:
        notice = issued(approved(world, "2026-06-01", 250, valid_until=date(2026, 10, 31)), "2026-06-01")
        page = signed_in("holder_a").get("/me").content.decode()
        assert 'data-testid="current-notice"' not in page
        assert f'>{notice.code}</a> · <span class="bad">已过期（居住证有效期至2026年10月31日）</span>' in page
