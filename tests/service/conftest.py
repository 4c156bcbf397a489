"""Personas for the service tests: holders A and B, the agent of A's employer, another employer's
agent, two reviewers, and anonymous; each API persona calls with its own bearer token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from jifen.service.accounts import services
from jifen.service.accounts.models import Account, ApiToken, Employer, Role
from jifen.service.applications.models import Application
from tests.conftest import contract_example

PASSWORD = "correct horse battery"
SHANGHAI = ZoneInfo("Asia/Shanghai")
USCC_A = "91310115MA1H7ABCDF"
USCC_B = "91310000MA1FL0000N"


@dataclass
class Persona:
    name: str
    user: User | None
    token: str | None

    @property
    def account(self) -> Account:
        assert self.user is not None
        return self.user.account

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        out = dict(extra or {})
        if self.token:
            out["Authorization"] = f"Bearer {self.token}"
        return out

    def get(self, path: str) -> Any:
        return Client().get(path, headers=self.headers())

    def post(self, path: str, data: Any = None, headers: dict[str, str] | None = None) -> Any:
        body = json.dumps(data or {})
        return Client().post(path, data=body, content_type="application/json", headers=self.headers(headers))

    def upload(self, path: str, **fields: Any) -> Any:
        return Client().post(path, data=fields, headers=self.headers())


PINNED = "2026-11-27"  # the service's day in every test that does not choose another


def moment(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def at(day: str, hour: int = 10) -> override_settings:
    """Put the service's clock (jifen.service.clock) on ``day`` at ``hour`` o'clock in Shanghai.

    Only the service's decisions move: sessions and cookies keep the real time, as a browser does."""
    return override_settings(JIFEN_NOW=moment(day, hour))


def _persona(name: str, user: User | None) -> Persona:
    if user is None:
        return Persona(name, None, None)
    return Persona(name, user, lasting_token(user))


def lasting_token(user: User) -> str:
    """A persona's token, good on any day a test travels to: tokens end after JIFEN_TOKEN_HOURS (that is
    tests/service/test_tokens.py's subject), the personas' stand for the whole test."""
    token = services.issue_token(user)
    ApiToken.objects.filter(user=user, revoked_at=None).update(expires_at=moment("2100-01-01"))
    return token


@dataclass
class World:
    reviewer: Persona
    reviewer2: Persona
    agent_a: Persona
    agent_b: Persona
    holder_a: Persona
    holder_b: Persona
    anonymous: Persona
    employer_a: Employer
    employer_b: Employer

    def all(self) -> list[Persona]:
        return [self.holder_a, self.holder_b, self.agent_a, self.agent_b, self.reviewer, self.anonymous]


def _reviewer(username: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.invalid", PASSWORD)
    Account.objects.create(user=user, role=Role.REVIEWER, display_name=username)
    return user


def _holder(agent: User, username: str, id_number: str, birth: date) -> User:
    holder, _ = services.open_holder(
        agent, username, f"{username}@example.invalid", "张三丰", id_number, birth, date(2026, 3, 1), date(2027, 2, 28)
    )
    holder.user.set_password(PASSWORD)
    holder.user.save()
    return holder.user


@pytest.fixture
def world(db: None) -> World:
    reviewer, reviewer2 = _reviewer("reviewer"), _reviewer("reviewer2")
    agent_a = services.register_employer(
        USCC_A, "上海示例科技有限公司", "浦东新区", "hr_a", "hr_a@example.invalid", PASSWORD, "陈七"
    ).user
    agent_b = services.register_employer(
        USCC_B, "上海另一家公司", "黄浦区", "hr_b", "hr_b@example.invalid", PASSWORD, "周八"
    ).user
    employer_a, employer_b = Employer.objects.get(uscc=USCC_A), Employer.objects.get(uscc=USCC_B)
    services.verify_employer(employer_a, reviewer)
    services.verify_employer(employer_b, reviewer)
    holder_a = _holder(agent_a, "holder_a", "310115199005010018", date(1990, 5, 1))
    holder_b = _holder(agent_b, "holder_b", "11010519491231002X", date(1949, 12, 31))
    return World(
        reviewer=_persona("reviewer", reviewer),
        reviewer2=_persona("reviewer2", reviewer2),
        agent_a=_persona("agent_a", agent_a),
        agent_b=_persona("agent_b", agent_b),
        holder_a=_persona("holder_a", holder_a),
        holder_b=_persona("holder_b", holder_b),
        anonymous=_persona("anonymous", None),
        employer_a=employer_a,
        employer_b=employer_b,
    )


def facts_a() -> dict[str, Any]:
    facts = contract_example()
    facts.pop("as_of")
    return facts


@pytest.fixture
def draft(world: World) -> Application:
    response = world.agent_a.post(
        "/api/v1/applications", {"holder_id": world.holder_a.account.pk, "kind": "change", "facts": facts_a()}
    )
    assert response.status_code == 201, response.content
    return Application.objects.get(pk=response.json()["id"])


@pytest.fixture(autouse=True)
def _frozen_policy(frozen_policy: None) -> None:
    """The service and its pages run on the frozen copy of the policy data (tests/policy/README.md)."""


@pytest.fixture(autouse=True)
def _pinned_clock() -> Iterator[None]:
    """No service test reads the wall clock: the service's clock stands on PINNED unless a test moves it."""
    with at(PINNED):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Login failures (axes' table) and API rates (Django's cache, a table) live in the database: no test
    inherits another's counts. A test's writes are rolled back with it; the cache is emptied around each
    test for those that commit (transaction=True). A test without the database reaches neither."""
    if "db" not in request.fixturenames and request.node.get_closest_marker("django_db") is None:
        yield
        return
    from django.core.cache import cache

    request.getfixturevalue("_django_db_helper")  # pytest-django's database access, set up before the clear
    cache.clear()
    yield
    cache.clear()
