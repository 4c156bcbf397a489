"""Throttling in the store every worker shares (issue 13, item 1): login lock-outs by user name and address
and by address (django-axes), API rates per address and per account (django-ninja's throttles), and the
client's address behind a trusted proxy. The wall clock is set by time_machine where a wait is named."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, RequestFactory

from jifen.service.client_address import client_address
from tests.service.conftest import PASSWORD, World, facts_a

WRONG = {"detail": "wrong user name or password"}
LOCKED = {"detail": "too many failed logins: try again in 15 minutes"}
HERE, ELSEWHERE = "198.51.100.10", "198.51.100.20"
T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # the wall clock of these tests (10:00 in Shanghai)


@pytest.fixture(autouse=True)
def _wall_clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def token(username: str, password: str, address: str = HERE, **headers: str) -> Any:
    body = json.dumps({"username": username, "password": password})
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/auth/token", data=body, content_type="application/json", headers=headers
    )


def page_login(username: str, password: str, address: str = HERE, language: str = "zh-hans") -> Any:
    client = Client(REMOTE_ADDR=address)
    client.cookies["django_language"] = language
    return client.post("/login", {"username": username, "password": password})


def answer(response: Any) -> tuple[int, Any]:
    return response.status_code, response.json()


class TestLoginLockByUserNameAndAddress:
    def test_the_fifth_wrong_password_is_still_wrong_the_sixth_attempt_is_locked(self, world: World) -> None:
        for _ in range(5):
            assert answer(token("hr_a", "nope")) == (403, WRONG)
        locked = token("hr_a", "nope")
        assert answer(locked) == (429, LOCKED)
        assert locked["Retry-After"] == "900"

    def test_the_right_password_is_refused_at_that_address_and_works_at_another(self, world: World) -> None:
        for _ in range(5):
            token("hr_a", "nope")
        assert answer(token("hr_a", PASSWORD)) == (429, LOCKED)
        from_elsewhere = token("hr_a", PASSWORD, address=ELSEWHERE)
        assert from_elsewhere.status_code == 200 and from_elsewhere.json()["token"]

    def test_four_failures_then_the_right_password_start_the_count_again(self, world: World) -> None:
        for _ in range(4):
            token("hr_a", "nope")
        assert token("hr_a", PASSWORD).status_code == 200
        for _ in range(5):
            assert answer(token("hr_a", "nope")) == (403, WRONG)
        assert answer(token("hr_a", PASSWORD)) == (429, LOCKED)

    def test_a_lock_of_one_user_name_leaves_the_others_at_that_address(self, world: World) -> None:
        for _ in range(5):
            token("reviewer", "nope")
        assert token("hr_a", PASSWORD).status_code == 200

    def test_the_page_and_the_api_count_the_same_failures(self, world: World) -> None:
        for _ in range(3):
            assert "用户名或密码错误" in page_login("hr_a", "nope").content.decode()
        for _ in range(2):
            assert answer(token("hr_a", "nope")) == (403, WRONG)
        page = page_login("hr_a", PASSWORD)
        assert page.status_code == 429
        assert "登录失败次数过多，请15分钟后再试" in page.content.decode()
        assert answer(token("hr_a", PASSWORD)) == (429, LOCKED)

    def test_the_page_names_the_wait_in_english(self, world: World) -> None:
        for _ in range(5):
            wrong = page_login("hr_a", "nope", language="en")
            assert wrong.status_code == 200 and "wrong user name or password" in wrong.content.decode()
        page = page_login("hr_a", PASSWORD, language="en")
        assert page.status_code == 429
        assert "too many failed logins: try again in 15 minutes" in page.content.decode()

    def test_the_page_still_signs_in_and_goes_on_to_next(self, world: World) -> None:
        client = Client(REMOTE_ADDR=HERE)
        response = client.post("/login?next=/home", {"username": "hr_a", "password": PASSWORD})
        assert (response.status_code, response["Location"]) == (302, "/home")

    def test_the_lock_ends_its_time_after_the_failure_that_set_it(
        self, world: World, settings: Any, _wall_clock: time_machine.Traveller
    ) -> None:
        lock, second = timedelta(seconds=settings.JIFEN_LOGIN_LOCK_SECONDS), timedelta(seconds=1)
        for _ in range(5):
            token("hr_a", "nope")
        _wall_clock.move_to(T0 + timedelta(minutes=10))
        waiting = token("hr_a", PASSWORD)
        assert answer(waiting) == (429, {"detail": "too many failed logins: try again in 5 minutes"})
        assert waiting["Retry-After"] == "300"
        _wall_clock.move_to(T0 + lock - second)  # attempts while locked are not counted: the end stays
        last = token("hr_a", "nope")
        assert answer(last) == (429, {"detail": "too many failed logins: try again in 1 second"})
        assert last["Retry-After"] == "1"
        _wall_clock.move_to(T0 + lock + second)
        assert token("hr_a", PASSWORD).status_code == 200

    def test_the_limit_is_a_setting(self, world: World, settings: Any) -> None:
        settings.JIFEN_LOGIN_FAILURES_ALLOWED = 2
        settings.JIFEN_LOGIN_LOCK_SECONDS = 90
        assert [token("hr_a", "nope").status_code for _ in range(2)] == [403, 403]
        locked = token("hr_a", PASSWORD)
        assert answer(locked) == (429, {"detail": "too many failed logins: try again in 2 minutes"})
        assert locked["Retry-After"] == "90"


class TestLoginLockByAddress:
    def test_an_address_trying_many_user_names_is_stopped_at_its_limit(self, world: World, settings: Any) -> None:
        limit = settings.JIFEN_LOGIN_FAILURES_PER_ADDRESS
        assert limit == 20
        for n in range(limit):  # one failure each: no user name reaches its own limit
            assert answer(token(f"guess{n}", "nope")) == (403, WRONG)
        assert answer(token("reviewer", PASSWORD)) == (429, LOCKED)
        assert answer(token("never-tried", "nope")) == (429, LOCKED)

    def test_the_owner_at_another_address_is_not_locked_out(self, world: World, settings: Any) -> None:
        for n in range(settings.JIFEN_LOGIN_FAILURES_PER_ADDRESS):
            token(f"guess{n}", "nope")
        for _ in range(4):
            assert answer(token("reviewer", "nope")) == (429, LOCKED)  # this address is locked
        assert token("reviewer", PASSWORD, address=ELSEWHERE).status_code == 200

    def test_sixty_user_names_from_one_address_get_twenty_answers(self, world: World, settings: Any) -> None:
        statuses = [token(f"guess{n}", "nope").status_code for n in range(60)]
        limit = settings.JIFEN_LOGIN_FAILURES_PER_ADDRESS
        assert statuses == [403] * limit + [429] * (60 - limit)


def score(address: str = HERE, **headers: str) -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/score", data=json.dumps(facts_a()), content_type="application/json", headers=headers
    )


class TestAnonymousRate:
    def test_the_sixtieth_call_is_answered_the_sixty_first_is_429(self, db: None, settings: Any) -> None:
        settings.JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE = 60
        assert [score().status_code for _ in range(60)] == [200] * 60
        refused = score()
        assert answer(refused) == (429, {"detail": "too many requests: try again in 1 minute"})
        assert refused["Retry-After"] == "60"

    def test_other_addresses_and_endpoints_and_the_next_minute_are_answered(
        self, db: None, settings: Any, _wall_clock: time_machine.Traveller
    ) -> None:
        settings.JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE = 2
        assert [score().status_code for _ in range(3)] == [200, 200, 429]
        assert score(address=ELSEWHERE).status_code == 200
        advise = Client(REMOTE_ADDR=HERE).post(
            "/api/v1/advise", data=json.dumps(facts_a()), content_type="application/json"
        )
        assert advise.status_code == 200  # each anonymous endpoint counts apart
        _wall_clock.move_to(T0 + timedelta(seconds=30))
        assert answer(score()) == (429, {"detail": "too many requests: try again in 30 seconds"})
        _wall_clock.move_to(T0 + timedelta(seconds=60))
        assert score().status_code == 200


class TestAccountRate:
    def test_each_account_has_its_own_count_wherever_it_calls_from(self, world: World, settings: Any) -> None:
        settings.JIFEN_USER_REQUESTS_PER_MINUTE = 3
        me = world.reviewer.headers()
        calls = [Client(REMOTE_ADDR=address).get("/api/v1/me", headers=me) for address in (HERE, ELSEWHERE, HERE)]
        assert [c.status_code for c in calls] == [200, 200, 200]
        refused = Client(REMOTE_ADDR=ELSEWHERE).get("/api/v1/me", headers=me)
        assert answer(refused) == (429, {"detail": "too many requests: try again in 1 minute"})
        assert refused["Retry-After"] == "60"
        other = Client(REMOTE_ADDR=HERE).get("/api/v1/me", headers=world.reviewer2.headers())
        assert other.status_code == 200


class TestTrustedProxy:
    PROXY = "10.0.0.1"

    def test_x_forwarded_for_is_ignored_from_an_untrusted_peer(self, db: None, settings: Any) -> None:
        settings.JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE = 1
        assert score(self.PROXY, X_Forwarded_For="192.0.2.1").status_code == 200
        assert score(self.PROXY, X_Forwarded_For="192.0.2.2").status_code == 429  # the same peer

    def test_behind_a_trusted_proxy_each_client_has_its_own_count(self, db: None, settings: Any) -> None:
        settings.JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE = 1
        settings.JIFEN_TRUSTED_PROXIES = [self.PROXY]
        assert score(self.PROXY, X_Forwarded_For="192.0.2.1").status_code == 200
        assert score(self.PROXY, X_Forwarded_For="192.0.2.2").status_code == 200
        assert score(self.PROXY, X_Forwarded_For="203.0.113.9, 192.0.2.1").status_code == 429  # left-most: forged

    def test_login_locks_follow_the_client_behind_the_proxy(self, world: World, settings: Any) -> None:
        settings.JIFEN_TRUSTED_PROXIES = [self.PROXY]
        for _ in range(5):
            token("hr_a", "nope", address=self.PROXY, X_Forwarded_For="192.0.2.1")
        assert answer(token("hr_a", PASSWORD, address=self.PROXY, X_Forwarded_For="192.0.2.1")) == (429, LOCKED)
        assert token("hr_a", PASSWORD, address=self.PROXY, X_Forwarded_For="192.0.2.2").status_code == 200


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "client"),
    [
        ([], "198.51.100.1", "", "198.51.100.1"),
        ([], "198.51.100.1", "192.0.2.1", "198.51.100.1"),  # no trusted proxy: the header is ignored
        (["10.0.0.1"], "198.51.100.1", "192.0.2.1", "198.51.100.1"),  # not from the proxy: ignored
        (["10.0.0.1"], "10.0.0.1", "192.0.2.1", "192.0.2.1"),
        (["10.0.0.1"], "10.0.0.1", "203.0.113.9, 192.0.2.1", "192.0.2.1"),  # right-most: what the proxy saw
        (["10.0.0.0/8"], "10.0.0.1", "192.0.2.1, 10.0.0.2", "192.0.2.1"),  # through two proxies of ours
        (["10.0.0.1", "10.0.0.2"], "10.0.0.1", "10.0.0.2", "10.0.0.2"),  # proxies all the way: the first
        (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),  # no header: the proxy itself
        (["10.0.0.1"], "10.0.0.1", "unknown", "10.0.0.1"),  # not an address: the proxy itself
        (["10.0.0.1"], "10.0.0.1", "::ffff:192.0.2.1", "192.0.2.1"),
        (["2001:db8::1"], "2001:db8::1", "2001:db8:0:0:0:0:0:7", "2001:db8::7"),
        ([], "", "", "0.0.0.0"),  # noqa: S104 - no address (a Unix socket): one shared count
    ],
)
def test_client_address(settings: Any, trusted: list[str], peer: str, forwarded: str, client: str) -> None:
    settings.JIFEN_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=peer)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(request) == client
