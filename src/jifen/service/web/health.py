"""Health checks for load balancers and orchestrators (issue 16, item 4); docs/deploy.md, "Health checks".

- ``GET /healthz``: the process answers. 200 ``{"status": "ok"}``; touches neither the database nor the
  storage nor the cache, so it says nothing about them (a liveness probe: restart the process when it fails).
- ``GET /readyz``: this node can serve. The database answers a trivial query, every migration this code
  knows is applied, the default storage takes a small file (written and deleted again under ``healthz/``)
  and the shared cache (the one behind throttling) gives back a value just set. 200 ``{"status": "ready",
  "checks": {...: "ok"}}``; else 503 ``{"status": "not ready", "checks": ...}`` with a short reason for each
  failing check: a fixed phrase and the exception's class, never its message (it may name hosts, users or
  paths); the full error goes to the server's log.

Neither needs a session or a token, neither is throttled (the throttles are the API's), both are answered
``Cache-Control: no-store``. Behind TLS both are exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT) so
that a load balancer may probe a node over plain HTTP.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
PROBE_DIRECTORY = "healthz/"
CACHE_ALIAS = "default"  # django-ninja's throttles count in django.core.cache.cache, the default cache
DATABASE_TIMEOUT_MS = 2000  # PostgreSQL's statement_timeout for the probe query
CACHE_PROBE_SECONDS = 30  # the probe key's life, should its deletion fail


class NotReadyError(Exception):
    """A check's failure with the reason to show, e.g. ``"2 unapplied migrations"``."""


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return _no_store(JsonResponse({"status": "ok"}))


def check_database() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=DEFAULT_DB_ALIAS), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {DATABASE_TIMEOUT_MS}")  # this transaction only
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return
    with connection.cursor() as cursor:  # SQLite: a local file, its busy timeout is the settings' own
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_migrations() -> None:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise NotReadyError(f"{len(plan)} unapplied migration{'s' if len(plan) > 1 else ''}")


def check_storage() -> None:
    name = default_storage.save(f"{PROBE_DIRECTORY}{secrets.token_hex(16)}.probe", ContentFile(b"ready\n"))
    default_storage.delete(name)


def check_cache() -> None:
    cache = caches[CACHE_ALIAS]
    key, value = f"healthz:{secrets.token_hex(16)}", secrets.token_hex(8)
    cache.set(key, value, timeout=CACHE_PROBE_SECONDS)
    try:
        if cache.get(key) != value:
            raise NotReadyError("probe value not read back")
    finally:
        cache.delete(key)


# name -> (check, the phrase before the exception's class when it raises something else than NotReadyError)
CHECKS: dict[str, tuple[Callable[[], None], str]] = {
    "database": (check_database, "unreachable"),
    "migrations": (check_migrations, "not checked"),
    "storage": (check_storage, "not writable"),
    "cache": (check_cache, "not answering"),
}


def _run(name: str) -> str:
    check, phrase = CHECKS[name]
    try:
        check()
    except NotReadyError as failure:
        logger.warning("readyz: %s: %s", name, failure)
        return str(failure)
    except Exception as error:
        logger.warning("readyz: %s failed", name, exc_info=True)
        return f"{phrase} ({type(error).__name__})"
    return OK


@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name in CHECKS:
        if name == "migrations" and results["database"] != OK:
            results[name] = "not checked (database)"
            continue
        results[name] = _run(name)
    ready = all(result == OK for result in results.values())
    return _no_store(
        JsonResponse({"status": "ready" if ready else "not ready", "checks": results}, status=200 if ready else 503)
    )
