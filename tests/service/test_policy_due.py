"""Stale law is noticed by the service (issue 10, item 7): ``jifen tick`` tells the maintainers once per
overdue item and period, and the maintainer's pages show what is overdue.

The policy data is a copy of the data in use with one more parameter, ``demo.yearly_wage``, due every
1 July from 2020, published up to 2025-07-01 and provisional from 2026-07-01.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from jifen.policy.loader import POLICY_DIR_VARIABLE, policy_dir
from jifen.service.accounts.models import Account, Role
from jifen.service.notifications.models import Message
from jifen.service.notifications.tick import tick
from tests.service.conftest import PASSWORD, World, at
from tests.test_policy_check import HEADER, NAME, value


@pytest.fixture
def policy_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "policy"
    shutil.copytree(policy_dir(), root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (root / "parameters" / "demo").mkdir()
    values = [value(f"{y}-07-01", 100 + y) for y in range(2020, 2026)] + [value("2026-07-01", 9, provisional=True)]
    (root / "parameters" / "demo" / "yearly_wage.yaml").write_text(HEADER + "".join(values), encoding="utf-8")
    monkeypatch.setenv(POLICY_DIR_VARIABLE, str(root))
    return root


def maintainer(username: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.invalid", PASSWORD)
    Account.objects.create(user=user, role=Role.MAINTAINER, display_name=username)
    return user


@pytest.fixture
def maintainers(world: World) -> list[User]:
    return [maintainer("maintainer"), maintainer("maintainer2")]


def told(user: User | None = None) -> list[str]:
    found = Message.objects.filter(kind="policy_overdue", subject__contains=NAME)
    return [m.subject for m in (found.filter(user=user) if user is not None else found).order_by("id")]


class TestTick:
    def test_maintainers_are_told_from_1_july(self, policy_root: Path, maintainers: list[User]) -> None:
        tick(date(2026, 6, 30))
        assert told() == []
        report = tick(date(2026, 7, 1))
        assert report.policy >= 2
        for user in maintainers:
            assert told(user) == [f"政策数据待更新：{NAME} 2026-07-01"]
        body = Message.objects.filter(kind="policy_overdue", subject__contains=NAME).first()
        assert body is not None and "still provisional" in body.body_en and "yearly_wage.yaml" in body.body_en

    def test_once_per_item_and_period(self, policy_root: Path, maintainers: list[User], world: World) -> None:
        tick(date(2026, 7, 1))
        tick(date(2026, 7, 1))
        tick(date(2026, 7, 2))
        tick(date(2027, 6, 30))
        assert len(told()) == 2
        tick(date(2027, 7, 1))  # the next year's value is missing too
        assert told(maintainers[0]) == [
            f"政策数据待更新：{NAME} 2026-07-01",
            f"政策数据待更新：{NAME} 2027-07-01",
        ]
        assert world.reviewer.user is not None
        assert Message.objects.filter(kind="policy_overdue", user=world.reviewer.user).count() == 0

    def test_nobody_is_told_when_the_data_is_current(self, policy_root: Path, maintainers: list[User]) -> None:
        wage = policy_root / "parameters" / "demo" / "yearly_wage.yaml"
        wage.write_text(wage.read_text(encoding="utf-8").replace("\n    provisional: true", ""), encoding="utf-8")
        tick(date(2026, 7, 1))
        assert told() == []


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/login", {"username": username, "password": PASSWORD}).status_code == 302
    return client


class TestPages:
    def test_the_impact_page_shows_what_is_overdue(self, policy_root: Path, maintainers: list[User]) -> None:
        with at("2026-06-30"):
            assert f"{NAME}：" not in signed_in("maintainer").get("/policy/impact").content.decode()
        with at("2026-07-01"):
            page = signed_in("maintainer").get("/policy/impact").content.decode()
        assert 'data-testid="policy-due"' in page and "政策数据待更新" in page
        assert f"<code>{NAME}</code>：2026年7月1日至2027年6月30日的取值仍为暂定" in page
        assert f"<code>{policy_root / 'parameters' / 'demo' / 'yearly_wage.yaml'}</code>" in page

    def test_the_maintainers_home_shows_it_in_english_too(self, policy_root: Path, maintainers: list[User]) -> None:
        client = signed_in("maintainer")
        client.post("/i18n/setlang/", {"language": "en", "next": "/me"})
        with at("2026-07-01"):
            page = client.get("/me").content.decode()
        assert "Policy data overdue" in page
        assert f"<code>{NAME}</code>: the value for 1 July 2026 to 30 June 2027 is still provisional" in page

    def test_a_reviewer_does_not_see_it(self, policy_root: Path, world: World) -> None:
        with at("2026-07-01"):
            page = signed_in("reviewer").get("/me").content.decode()
        assert 'data-testid="policy-due"' not in page
