"""Deployment settings (issue 13.6): HTTPS behind a proxy, how long a session lasts, files owner-only.

The settings module is read once per process, so each environment is tried in a process of its own.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings

from jifen.service.accounts.models import Account, Role
from tests.service.conftest import PASSWORD, SHANGHAI

JIFEN = str(Path(sys.executable).with_name("jifen"))
NOW = "2026-11-27T10:00:00+08:00"
A_YEAR = 365 * 24 * 3600

# Prints the security settings, and what a plain and a proxied HTTPS request are answered, as JSON.
SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
from django.test import Client
names = ["SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT",
         "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST",
         "JIFEN_SESSION_HOURS", "FILE_UPLOAD_PERMISSIONS", "FILE_UPLOAD_DIRECTORY_PERMISSIONS"]
out = {name: getattr(settings, name) for name in names}
plain = Client().get("/no-such-page")
proxied = Client().get("/no-such-page", headers={"X-Forwarded-Proto": "https"})
out["plain"] = [plain.status_code, plain.get("Location")]
out["proxied"] = [proxied.status_code, proxied.get("Strict-Transport-Security")]
print(json.dumps(out))
"""


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    keep = {k: v for k, v in keep.items() if not k.startswith(("JIFEN_SESSION", "JIFEN_BEHIND", "JIFEN_SECURE"))}
    return {**keep, "DJANGO_SETTINGS_MODULE": "jifen.service.settings", "JIFEN_DATA_DIR": str(data_dir), **extra}


def _settings(tmp_path: Path, **env: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETTINGS], env=_env(tmp_path, **env), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_behind_tls_everything_is_https_only(tmp_path: Path) -> None:
    found = _settings(tmp_path, JIFEN_BEHIND_TLS="1")
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert (found["SECURE_HSTS_SECONDS"], found["SECURE_HSTS_INCLUDE_SUBDOMAINS"]) == (A_YEAR, True)
    assert (found["SESSION_COOKIE_SECURE"], found["CSRF_COOKIE_SECURE"], found["SECURE_SSL_REDIRECT"]) == (
        True,
        True,
        True,
    )
    assert found["plain"] == [301, "https://testserver/no-such-page"]  # plain HTTP is sent to HTTPS
    assert found["proxied"] == [404, f"max-age={A_YEAR}; includeSubDomains"]


def test_without_it_plain_http_is_served_and_no_hsts_is_sent(tmp_path: Path) -> None:
    found = _settings(tmp_path)
    assert found["SECURE_PROXY_SSL_HEADER"] is None
    assert (found["SECURE_HSTS_SECONDS"], found["SECURE_SSL_REDIRECT"]) == (0, False)
    assert (found["SESSION_COOKIE_SECURE"], found["CSRF_COOKIE_SECURE"]) == (False, False)
    assert found["plain"] == [404, None]
    assert found["proxied"] == [404, None]  # X-Forwarded-Proto is not believed without JIFEN_BEHIND_TLS


def test_jifen_secure_cookies_alone_still_makes_the_cookies_secure(tmp_path: Path) -> None:
    found = _settings(tmp_path, JIFEN_SECURE_COOKIES="1")
    assert (found["SESSION_COOKIE_SECURE"], found["CSRF_COOKIE_SECURE"]) == (True, True)
    assert (found["SECURE_HSTS_SECONDS"], found["SECURE_SSL_REDIRECT"]) == (0, False)


def test_session_limits_default_to_eight_hours_and_thirty_idle_minutes(tmp_path: Path) -> None:
    found = _settings(tmp_path)
    assert (found["JIFEN_SESSION_HOURS"], found["SESSION_COOKIE_AGE"], found["SESSION_SAVE_EVERY_REQUEST"]) == (
        8,
        30 * 60,
        True,
    )
    found = _settings(tmp_path, JIFEN_SESSION_HOURS="4", JIFEN_SESSION_IDLE_MINUTES="15")
    assert (found["JIFEN_SESSION_HOURS"], found["SESSION_COOKIE_AGE"]) == (4, 15 * 60)


def test_a_session_limit_that_is_not_a_positive_number_stops_the_service(tmp_path: Path) -> None:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETTINGS],
        env=_env(tmp_path, JIFEN_SESSION_IDLE_MINUTES="0"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "ValueError: JIFEN_SESSION_IDLE_MINUTES: expected a whole number of at least 1, got '0'" in done.stderr


# -- how long a signed-in session lasts (on the real time, which time-machine moves)


@pytest.fixture
def travel() -> Iterator[time_machine.Traveller]:
    """The real time stands still from 9:00 until a test moves it; the limits are the defaults (above)."""
    limits = override_settings(JIFEN_SESSION_HOURS=8, SESSION_COOKIE_AGE=30 * 60)
    with limits, time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


def _signed_in(db: None) -> Client:
    user = User.objects.create_user("reviewer", "reviewer@example.invalid", PASSWORD)
    Account.objects.create(user=user, role=Role.REVIEWER, display_name="reviewer")
    client = Client()
    response = client.post("/login", {"username": "reviewer", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/me")
    return client


def _still_signed_in(client: Client) -> bool:
    response = client.get("/me")
    if response.status_code == 302:
        assert response["Location"] == "/login?next=/me"
        return False
    assert response.status_code == 200
    return True


def test_a_session_idle_for_thirty_minutes_is_signed_out(db: None, travel: time_machine.Traveller) -> None:
    client = _signed_in(db)
    travel.shift(timedelta(minutes=29, seconds=59))
    assert _still_signed_in(client)  # and the idle time starts again from here
    travel.shift(timedelta(minutes=29, seconds=59))
    assert _still_signed_in(client)
    travel.shift(timedelta(minutes=30))
    assert not _still_signed_in(client)


def test_an_active_session_ends_eight_hours_after_sign_in(db: None, travel: time_machine.Traveller) -> None:
    client = _signed_in(db)
    for _ in range(23):  # a request every 20 minutes, up to 7 h 40 min
        travel.shift(timedelta(minutes=20))
        assert _still_signed_in(client)
    travel.shift(timedelta(minutes=19, seconds=59))
    assert _still_signed_in(client)  # 7 h 59 min 59 s
    travel.shift(timedelta(seconds=1))
    assert not _still_signed_in(client)  # 8 h
    again = client.post("/login", {"username": "reviewer", "password": PASSWORD})
    assert again.status_code == 302 and _still_signed_in(client)  # signing in again starts a new session


# -- files owner-only


def test_the_database_the_secret_key_and_uploads_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    env = _env(tmp_path, JIFEN_NOW=NOW)
    del env["DJANGO_SETTINGS_MODULE"]
    done = subprocess.run([JIFEN, "demo"], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    uploads = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert uploads  # the demo's materials
    checked = [tmp_path / "jifen.sqlite3", tmp_path / "secret_key", *uploads]
    folders = [tmp_path / "media", *(p for p in (tmp_path / "media").rglob("*") if p.is_dir())]
    opened = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in checked + folders}
    assert {name: mode for name, mode in opened.items() if int(mode, 8) & 0o077} == {}
