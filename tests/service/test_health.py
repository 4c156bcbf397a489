"""Health checks (issue 16, item 4): /healthz says the process answers, /readyz that the node can serve
(database, migrations, storage, cache). No session, no token, no throttle, no-store; a failing check is
named with a short reason and never the error's own words."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, override_settings

READY = {"database": "ok", "migrations": "ok", "storage": "ok", "cache": "ok"}
SECRET = "password=hunter2 host=10.1.2.3 /srv/jifen/media"  # what an error may say, and an answer must not


def get(path: str, **extra: Any) -> Any:
    return Client().get(path, **extra)


def answer(response: Any) -> tuple[int, Any]:
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def failing(*args: Any, **kwargs: Any) -> Any:
    raise OSError(SECRET)


class TestHealthz:
    def test_the_process_answers_ok_without_touching_the_database(
        self, db: None, django_assert_num_queries: Callable[..., Any]
    ) -> None:
        with django_assert_num_queries(0):
            response = get("/healthz")
        assert answer(response) == (200, {"status": "ok"})
        assert response.content == b'{"status": "ok"}'

    def test_it_answers_even_when_the_database_is_down(self, db: None) -> None:
        with patch.object(connections["default"], "cursor", side_effect=OperationalError(SECRET)):
            assert answer(get("/healthz")) == (200, {"status": "ok"})

    def test_head_is_answered_and_post_is_not(self, db: None) -> None:
        assert Client().head("/healthz").status_code == 200
        assert Client().post("/healthz").status_code == 405


class TestReadyz:
    def test_every_check_ok(self, db: None) -> None:
        assert answer(get("/readyz")) == (200, {"status": "ready", "checks": READY})

    def test_the_storage_probe_is_deleted_again(self, db: None) -> None:
        get("/readyz")
        if default_storage.exists("healthz"):
            assert default_storage.listdir("healthz") == ([], [])

    def test_unapplied_migrations(self, db: None) -> None:
        pending = [(object(), False), (object(), False)]
        with patch.object(MigrationExecutor, "migration_plan", return_value=pending):
            found = answer(get("/readyz"))
        assert found == (503, {"status": "not ready", "checks": {**READY, "migrations": "2 unapplied migrations"}})

    def test_storage_refusing_the_probe(self, db: None) -> None:
        with patch.object(default_storage, "save", side_effect=failing):
            response = get("/readyz")
        assert answer(response) == (
            503,
            {"status": "not ready", "checks": {**READY, "storage": "not writable (OSError)"}},
        )
        assert b"hunter2" not in response.content and b"/srv" not in response.content

    def test_cache_failing(self, db: None) -> None:
        with patch.object(caches["default"], "set", side_effect=ConnectionError(SECRET)):
            response = get("/readyz")
        assert answer(response) == (
            503,
            {"status": "not ready", "checks": {**READY, "cache": "not answering (ConnectionError)"}},
        )
        assert b"hunter2" not in response.content

    def test_cache_losing_the_value(self, db: None) -> None:
        with patch.object(caches["default"], "get", return_value=None):
            found = answer(get("/readyz"))
        assert found == (503, {"status": "not ready", "checks": {**READY, "cache": "probe value not read back"}})

    def test_database_unreachable_leaves_migrations_unchecked(self, db: None) -> None:
        with patch.object(connections["default"], "cursor", side_effect=OperationalError(SECRET)):
            response = get("/readyz")
        status, body = answer(response)
        assert status == 503
        assert body["status"] == "not ready"
        assert body["checks"]["database"] == "unreachable (OperationalError)"
        assert body["checks"]["migrations"] == "not checked (database)"
        assert body["checks"]["storage"] == "ok"
        # the default cache is a table of that database (Redis when JIFEN_REDIS_URL is set)
        assert body["checks"]["cache"] in ("ok", "not answering (OperationalError)")
        assert b"hunter2" not in response.content


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
class TestBoth:
    def test_no_session_no_token_no_cookie_and_no_store(self, db: None, path: str) -> None:
        response = get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        assert not response.cookies  # no session started, no CSRF cookie

    def test_not_throttled(self, db: None, path: str) -> None:
        limit = settings.JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE
        client = Client(REMOTE_ADDR="198.51.100.10")
        codes = {client.get(path).status_code for _ in range(limit + 5)}
        assert codes == {200}

    def test_a_node_address_as_host_once_the_operator_allows_it(self, db: None, path: str) -> None:
        assert get(path, HTTP_HOST="10.0.0.5:8000").status_code == 400  # not in ALLOWED_HOSTS: Django refuses
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "10.0.0.5"]):
            assert get(path, HTTP_HOST="10.0.0.5:8000").status_code == 200


# Behind TLS, plain HTTP is redirected to HTTPS, but not a load balancer's probe of a node. In a process of
# its own (the settings are read once) on a fresh data directory, not migrated: /readyz says so.
BEHIND_TLS = """
import json
import django
django.setup()
from django.test import Client
out = {}
for path in ("/healthz", "/readyz", "/calculator"):
    response = Client().get(path)
    out[path] = [response.status_code, response.get("Location"), response.content.decode()]
print(json.dumps(out))
"""


def test_behind_tls_the_probes_are_not_redirected(tmp_path: Path) -> None:
    keep = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env = {**keep, "DJANGO_SETTINGS_MODULE": "jifen.service.settings", "JIFEN_DATA_DIR": str(tmp_path)}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", BEHIND_TLS], env={**env, "JIFEN_BEHIND_TLS": "1"}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["/calculator"][:2] == [301, "https://testserver/calculator"]
    assert found["/healthz"] == [200, None, '{"status": "ok"}']
    status, location, body = found["/readyz"]
    assert (status, location) == (503, None)
    checks = json.loads(body)["checks"]
    assert checks["database"] == "ok" and checks["storage"] == "ok"
    assert checks["migrations"].endswith(" unapplied migrations")
