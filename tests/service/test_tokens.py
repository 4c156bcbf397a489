"""Credentials that end (issue 13.2): API tokens expire after JIFEN_TOKEN_HOURS, are revoked by
``DELETE /api/v1/auth/token`` and by the pages' logout of the browser session they were issued from, and a
user holds at most JIFEN_TOKENS_PER_USER; the holder's set-password link goes to the holder (by e-mail, or
handed over in person), leaves the URL at the first load, lasts JIFEN_SET_PASSWORD_HOURS and works once."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings

from jifen.service.accounts.models import Account, ApiToken, Role
from jifen.service.audit.models import AuditEntry
from tests.service.conftest import PASSWORD, World, at

Capture = Callable[..., AbstractContextManager[Any]]
BASE = "https://jifen.example.cn"
EXPIRED = {"detail": "token expired or revoked"}
SITE = {"Origin": "http://testserver"}  # what a page of this site sends with its calls
LINK = re.compile(r"/accounts/set-password/[^/\s<\"]+/[^/\s<\"]+")


def reviewer(username: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.invalid", PASSWORD)
    Account.objects.create(user=user, role=Role.REVIEWER, display_name=username)
    return user


def new_token(username: str, client: Client | None = None) -> Any:
    """POST /api/v1/auth/token, as a page of this site (or a script) asks for it."""
    credentials = {"username": username, "password": PASSWORD}
    return (client or Client()).post("/api/v1/auth/token", credentials, content_type="application/json", headers=SITE)


def revoke(client: Client, headers: dict[str, str]) -> Any:
    """DELETE /api/v1/auth/token, typed JSON as the API's calls are (no body)."""
    return client.delete("/api/v1/auth/token", headers={**SITE, **headers}, CONTENT_TYPE="application/json")


def me(token: str) -> Any:
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def revocations(user: User) -> list[Any]:
    return [e.after for e in AuditEntry.objects.filter(actor=user, action="revoke_token")]


class TestApiTokens:
    def test_a_token_works_for_12_hours_and_then_is_refused(self, db: None) -> None:
        reviewer("rev")
        with at("2026-11-27", 10):
            issued = new_token("rev")
        assert issued.status_code == 200
        assert issued.json()["expires_at"] == "2026-11-27T22:00:00+08:00"
        assert issued["Cache-Control"] == "no-store"
        token = issued.json()["token"]
        with at("2026-11-27", 21):
            assert me(token).status_code == 200
        with at("2026-11-27", 22):
            refused = me(token)
        assert (refused.status_code, refused.json()) == (401, EXPIRED)
        with at("2026-11-28", 9):
            assert me(token).status_code == 401
            assert me(new_token("rev").json()["token"]).status_code == 200  # signing in again gives a new one

    def test_an_unknown_token_is_just_unauthorized(self, db: None) -> None:
        refused = me("no-such-token")
        assert (refused.status_code, refused.json()) == (401, {"detail": "Unauthorized"})

    def test_delete_revokes_the_token_presented_and_only_it(self, db: None) -> None:
        user = reviewer("rev")
        kept, revoked = new_token("rev").json()["token"], new_token("rev").json()["token"]
        bearer = {"Authorization": f"Bearer {revoked}"}
        answer = revoke(Client(), bearer)
        assert (answer.status_code, answer.content) == (204, b"")
        refused = me(revoked)
        assert (refused.status_code, refused.json()) == (401, EXPIRED)
        assert me(kept).status_code == 200
        again = revoke(Client(), bearer)
        assert (again.status_code, again.json()) == (401, EXPIRED)
        (gone,) = ApiToken.objects.filter(user=user, revoked_at__isnull=False)
        assert revocations(user) == [{"tokens": [gone.pk], "reason": "logout"}]

    def test_delete_needs_the_token_not_a_session(self, world: World) -> None:
        answer = revoke(signed_in("hr_a"), {})
        assert answer.status_code == 401
        assert world.agent_a.get("/api/v1/me").status_code == 200

    def test_signing_out_of_the_pages_revokes_the_tokens_that_browser_was_given(self, db: None) -> None:
        user = reviewer("rev")
        browser = signed_in("rev")
        from_browser = new_token("rev", browser).json()["token"]
        from_a_script = new_token("rev").json()["token"]
        assert me(from_browser).status_code == 200
        assert browser.post("/logout").status_code == 302
        refused = me(from_browser)
        assert (refused.status_code, refused.json()) == (401, EXPIRED)
        assert me(from_a_script).status_code == 200  # not issued to that browser: it ends on its own
        assert [r["reason"] for r in revocations(user)] == ["page logout"]

    def test_a_sixth_token_revokes_the_oldest(self, db: None) -> None:
        user = reviewer("rev")
        tokens = [new_token("rev").json()["token"] for _ in range(5)]
        assert [me(t).status_code for t in tokens] == [200] * 5
        assert revocations(user) == []
        sixth = new_token("rev").json()["token"]
        assert [me(t).status_code for t in [*tokens, sixth]] == [401, 200, 200, 200, 200, 200]
        assert me(tokens[0]).json() == EXPIRED
        (row,) = revocations(user)
        assert row["reason"] == "too many tokens" and len(row["tokens"]) == 1

    def test_expired_tokens_do_not_count_against_the_five(self, db: None) -> None:
        user = reviewer("rev")
        with at("2026-11-27", 8):
            for _ in range(5):
                new_token("rev")
        with at("2026-11-27", 21):
            tokens = [new_token("rev").json()["token"] for _ in range(5)]
        assert revocations(user) == []
        with at("2026-11-27", 21):
            assert [me(t).status_code for t in tokens] == [200] * 5


# Holders the tests open: name, ID number and birth date by user name.
PEOPLE = {
    "wang": ("王五", "310115198503120039", "1985-03-12"),
    "li": ("李四", "310104199208150046", "1992-08-15"),
}


def open_holder(agent: Client, username: str, email: str) -> str:
    """The agent opens a holder's account on the page; the page as the agent sees it."""
    name, id_number, birth_date = PEOPLE[username]
    form = {
        "name": name,
        "id_number": id_number,
        "birth_date": birth_date,
        "username": username,
        "email": email,
        "permit_valid_from": "2026-03-01",
        "permit_valid_until": "2027-02-28",
    }
    response = agent.post("/holders/new", form)
    assert response.status_code == 200
    return response.content.decode()


def handed_link(page: str) -> str:
    (path,) = set(LINK.findall(page))
    return str(path)


def set_password(link: str, password: str = PASSWORD) -> tuple[Client, Any]:
    """The holder opens the link and sends the form: the browser and the answer to the form."""
    holder = Client()
    first = holder.get(link)
    assert (first.status_code, first["Location"]) == (302, "/accounts/set-password")
    return holder, holder.post("/accounts/set-password", {"password": password})


@pytest.fixture
def agent(world: World) -> Client:
    """hr_a (of 上海示例科技有限公司, verified) signed in to the pages."""
    return signed_in("hr_a")


class TestSetPasswordLink:
    @override_settings(JIFEN_BASE_URL=BASE + "/")
    def test_it_is_emailed_to_the_holder_and_not_shown_to_the_agent(
        self, agent: Client, django_capture_on_commit_callbacks: Capture
    ) -> None:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            page = open_holder(agent, "wang", "wangwu@example.invalid")
        assert "账户已开设。设置密码的一次性链接已发送至持证人的邮箱 w***@example.invalid，24小时内有效。" in page
        assert "set-password" not in page
        (sent,) = mail.outbox
        assert sent.to == ["wangwu@example.invalid"]
        assert "王五" in str(sent.body) and "24小时内" in str(sent.body) and "within 24 hours" in str(sent.body)
        (url,) = set(re.findall(rf"{re.escape(BASE)}/accounts/set-password/\S+", str(sent.body)))
        _, answer = set_password(url.removeprefix(BASE))
        assert (answer.status_code, answer["Location"]) == (302, "/login")
        assert signed_in("wang").get("/me").status_code == 200

    def test_the_api_answers_where_it_was_sent_and_not_the_link(self, world: World) -> None:
        name, id_number, birth_date = PEOPLE["wang"]
        body = {"username": "wang", "email": "wangwu@example.invalid", "name": name}
        body |= {"id_number": id_number, "birth_date": birth_date}
        answer = world.agent_a.post(f"/api/v1/employers/{world.employer_a.pk}/holders", body)
        assert answer.status_code == 201
        assert (answer.json()["set_password_path"], answer.json()["set_password_sent_to"]) == (
            None,
            "w***@example.invalid",
        )

    def test_without_an_email_it_is_shown_once_to_be_handed_over(
        self, agent: Client, world: World, django_capture_on_commit_callbacks: Capture
    ) -> None:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            page = open_holder(agent, "wang", "")
        assert "请打印或抄写后当面交给持证人本人；本链接24小时内有效，仅能使用一次" in page
        assert mail.outbox == []
        link = handed_link(page)
        again = agent.get("/holders/new").content.decode()
        assert LINK.search(again) is None  # shown once: not on the page again
        _, answer = set_password(link)
        assert (answer.status_code, answer["Location"]) == (302, "/login")

        name, id_number, birth_date = PEOPLE["li"]
        body = {"username": "li", "name": name, "id_number": id_number, "birth_date": birth_date}
        by_api = world.agent_a.post(f"/api/v1/employers/{world.employer_a.pk}/holders", body)
        assert by_api.status_code == 201
        assert by_api["Cache-Control"] == "no-store"
        assert by_api.json()["set_password_sent_to"] is None
        assert LINK.fullmatch(by_api.json()["set_password_path"])

    def test_the_handover_words_are_in_english_too(self, agent: Client) -> None:
        agent.cookies["django_language"] = "en"
        page = open_holder(agent, "wang", "")
        assert "Print or copy this and hand it to the holder in person; it works once, within 24 hours" in page

    def test_the_first_load_moves_the_token_out_of_the_url(self, agent: Client) -> None:
        link = handed_link(open_holder(agent, "wang", ""))
        token = link.rsplit("/", 1)[1]
        holder = Client()
        first = holder.get(link)
        assert (first.status_code, first["Location"]) == (302, "/accounts/set-password")
        assert first["Referrer-Policy"] == "no-referrer"
        form = holder.get("/accounts/set-password")
        assert form.status_code == 200
        assert 'name="password"' in form.content.decode() and token not in form.content.decode()
        assert holder.post(link, {"password": PASSWORD}).status_code == 405  # the old URL is the first hop only
        assert holder.post("/accounts/set-password", {"password": PASSWORD})["Location"] == "/login"

    def test_without_the_first_hop_there_is_no_form(self, db: None) -> None:
        page = Client().get("/accounts/set-password").content.decode()
        assert "链接无效" in page and 'name="password"' not in page

    def test_it_works_for_24_hours(self, agent: Client) -> None:
        with at("2026-11-27", 10):
            in_time = handed_link(open_holder(agent, "wang", ""))
            too_late = handed_link(open_holder(agent, "li", ""))
        with at("2026-11-28", 9):
            _, answer = set_password(in_time)
        assert (answer.status_code, answer["Location"]) == (302, "/login")
        with at("2026-11-28", 11):
            _, answer = set_password(too_late)
        assert answer.status_code == 200
        assert "链接无效、已使用或已过期" in answer.content.decode()
        assert 'name="password"' not in answer.content.decode()
        assert User.objects.get(username="li").has_usable_password() is False

    def test_it_works_once(self, agent: Client) -> None:
        link = handed_link(open_holder(agent, "wang", ""))
        holder, answer = set_password(link)
        assert answer["Location"] == "/login"
        password_hash = User.objects.get(username="wang").password
        _, again = set_password(link, "another long password")
        assert "链接无效、已使用或已过期" in again.content.decode()
        replay = holder.post("/accounts/set-password", {"password": "another long password"})
        assert "链接无效" in replay.content.decode()
        assert User.objects.get(username="wang").password == password_hash

    def test_a_weak_password_keeps_the_form_and_the_link(self, agent: Client) -> None:
        holder, weak = set_password(handed_link(open_holder(agent, "wang", "")), "1234567890")
        assert weak.status_code == 200 and 'name="password"' in weak.content.decode()
        assert holder.post("/accounts/set-password", {"password": PASSWORD})["Location"] == "/login"


class TestANewLink:
    """The first link expired or was lost: the agent sends a new one, to the holder again."""

    def test_a_holder_without_a_password_gets_a_new_link_by_email(
        self, agent: Client, django_capture_on_commit_callbacks: Capture
    ) -> None:
        open_holder(agent, "wang", "wangwu@example.invalid")
        holder = Account.objects.get(user__username="wang")
        assert 'data-testid="resend-setup"' in agent.get("/me").content.decode()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            page = agent.post(f"/holders/{holder.pk}/set-password-link").content.decode()
        assert "新的一次性链接已发送至持证人的邮箱 w***@example.invalid，24小时内有效。" in page
        assert "set-password/" not in page
        (sent,) = mail.outbox
        assert sent.to == ["wangwu@example.invalid"]
        assert AuditEntry.objects.filter(action="resend_setup_link", object_id=str(holder.pk)).count() == 1

    def test_without_an_address_it_is_shown_once_for_handing_over(self, agent: Client) -> None:
        open_holder(agent, "wang", "")
        holder = Account.objects.get(user__username="wang")
        page = agent.post(f"/holders/{holder.pk}/set-password-link").content.decode()
        assert "请打印或抄写后当面交给持证人本人；本链接24小时内有效，仅能使用一次" in page
        _, answer = set_password(handed_link(page))
        assert (answer.status_code, answer["Location"]) == (302, "/login")

    def test_not_once_the_password_is_set_nor_for_another_employer(self, world: World, agent: Client) -> None:
        holder = world.holder_a.account  # has a password
        page = agent.post(f"/holders/{holder.pk}/set-password-link").content.decode()
        assert "持证人已设置密码" in page
        assert 'data-testid="resend-setup"' not in agent.get("/me").content.decode()
        assert signed_in("hr_b").post(f"/holders/{holder.pk}/set-password-link").status_code == 404
