"""Throttling on Redis: the shared cache when JIFEN_REDIS_URL is set (issue 16, item 3).

A real ``redis-server`` (tests/redis_server.py: skipped when Debian's redis-server is missing, failed instead
with JIFEN_REQUIRE_SERVERS=1) and a real ``jifen serve`` with the product's settings and JIFEN_REDIS_URL:

- two workers count login failures and API rates exactly as test_shared_throttling counts them on the
  database cache (the same batches, the same expected answers); the API's counters are keys of Redis, and
  none is a row of the database's cache table (which the migrations do not even create then); login failures
  stay rows of axes' table in the database;
- /readyz answers 200 with the cache "ok", and 503 naming the cache once Redis is stopped;
- two nodes (two ``jifen serve``, one database, one Redis) count the anonymous rate once: N calls a minute
  from one address in total, not N per node.

Serialising each count (jifen.service.one_at_a_time) takes a lock in the database, not in the cache: it holds
whichever cache counts, Redis included.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import contract_example
from tests.redis_server import running_redis
from tests.reliability.server import Service, service
from tests.reliability.test_shared_throttling import (
    ANONYMOUS_PER_MINUTE,
    BUSY,
    CONNECTIONS,
    answers,
    assert_counted_once,
    count_across_workers,
)

pytestmark = pytest.mark.reliability

CACHE_TABLE = "jifen_cache"


def cache_table_rows(svc: Service) -> int | None:
    """Rows of the database cache's table; None when there is no such table."""
    if svc.database_url is None:
        with sqlite3.connect(svc.sqlite_path) as db:
            if not db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [CACHE_TABLE]
            ).fetchall():
                return None
            count: int = db.execute(f"SELECT count(*) FROM {CACHE_TABLE}").fetchone()[0]  # noqa: S608 - constant
            return count
    import psycopg

    with psycopg.connect(svc.database_url) as pg:
        if pg.execute("SELECT to_regclass(%s)", [CACHE_TABLE]).fetchone() == (None,):
            return None
        row = pg.execute(f"SELECT count(*) FROM {CACHE_TABLE}").fetchone()  # noqa: S608 - a constant
        assert row is not None
        return int(row[0])


def login_failure_rows(svc: Service) -> int:
    sql = "SELECT count(*) FROM axes_accessattempt"
    if svc.database_url is None:
        with sqlite3.connect(svc.sqlite_path) as db:
            count: int = db.execute(sql).fetchone()[0]
            return count
    import psycopg

    with psycopg.connect(svc.database_url) as pg:
        row = pg.execute(sql).fetchone()
        assert row is not None
        return int(row[0])


def test_two_workers_count_in_redis(tmp_path: Path) -> None:
    with running_redis(tmp_path / "redis") as redis, service(tmp_path) as svc:
        svc.env_extra["JIFEN_REDIS_URL"] = redis.url
        seen: list[str] = []  # Redis's keys while the server runs, after each start's batches
        counts = count_across_workers(svc, while_running=lambda: seen.extend(redis.keys()))
        rows = cache_table_rows(svc)
        failures = login_failure_rows(svc)

        svc.start(workers=2)
        ready = svc.call("GET", "/readyz", "")
        redis.stop()
        not_ready = svc.call("GET", "/readyz", "")
        alive = svc.call("GET", "/healthz", "")
        counted_nowhere = svc.call("POST", "/api/v1/score", "", contract_example())
        svc.stop()

    print(
        f"\nthrottling on Redis ({'PostgreSQL' if svc.database_url else 'SQLite'}, 2 workers, {CONNECTIONS} "
        f"connections): {counts.summary()}; Redis keys {sorted(set(seen))}; {CACHE_TABLE} rows {rows}; "
        f"axes rows {failures}; /readyz {ready}, with Redis stopped {not_ready}"
    )
    assert_counted_once(counts)
    # The API's counts are in Redis: per address for /score and for the logins, per account for /me.
    throttles = {key for key in seen if "throttle" in key}
    assert any("score" in key and "127.0.0.1" in key for key in throttles), seen
    assert any("address" in key and "127.0.0.1" in key for key in throttles), seen
    assert any("account" in key for key in throttles), seen
    assert not any(key.startswith(":1:healthz") for key in seen)  # nothing else, and no probe left behind
    assert rows in (None, 0)  # not in the database's cache table
    assert failures > 0  # login failures: axes' rows, in the database
    assert ready == (
        200,
        {"status": "ready", "checks": dict.fromkeys(("database", "migrations", "storage", "cache"), "ok")},
    )
    assert not_ready == (
        503,
        {
            "status": "not ready",
            "checks": {
                "database": "ok",
                "migrations": "ok",
                "storage": "ok",
                "cache": "not answering (ConnectionError)",
            },
        },
    )
    assert alive == (200, {"status": "ok"})
    # An API call cannot be counted: refused for now (503, in words, with a wait), not a server error.
    assert counted_nowhere == (503, {"detail": "the service is busy: try again in 10 seconds"})


def test_two_nodes_count_the_anonymous_rate_once(tmp_path: Path) -> None:
    with running_redis(tmp_path / "redis") as redis, service(tmp_path) as first:
        first.env_extra.update(JIFEN_REDIS_URL=redis.url, JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE=str(ANONYMOUS_PER_MINUTE))
        # The second node: the same database and Redis, its own process (and logs).
        second = Service(first.data_dir, first.database_url, dict(first.env_extra), name="node2")
        try:
            first.start(workers=2)  # migrates; the second starts on a migrated database
            second.start(workers=2)
            nodes = (first.port, second.port)
            scores = answers(
                [first, second], [("POST", "/api/v1/score", "", contract_example())] * (4 * ANONYMOUS_PER_MINUTE)
            )
            keys = [key for key in redis.keys() if "throttle" in key]
        finally:
            second.stop()
            first.stop()

    print(f"\ntwo nodes on ports {nodes}, one Redis: anonymous /score {sorted(scores.items())}; Redis keys {keys}")
    assert scores == {"200": ANONYMOUS_PER_MINUTE, f"429 {BUSY}": 3 * ANONYMOUS_PER_MINUTE}
    assert len(keys) == 1 and "score" in keys[0], keys
