"""The server killed while submissions are in flight loses nothing it acknowledged (issue 10, item 6).

An employer agent files 200 applications, each with its own ``Idempotency-Key``, eight at a time; once
some have been acknowledged the whole process group of ``jifen serve`` is SIGKILLed (master and workers
at once). The server is restarted on the same data; then every acknowledged submission is stored exactly
once under its key, with the id the acknowledgement gave; SQLite's ``PRAGMA integrity_check`` is ok; and
filing all 200 again with the same keys creates the missing ones and duplicates none.

SQLite by default; PostgreSQL when DATABASE_URL names one (a throwaway database on that server).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import contract_example
from tests.reliability.server import Service, service

pytestmark = pytest.mark.reliability

SUBMISSIONS = 200
CLIENTS = 8  # concurrent connections filing
KILL_AFTER_ACKNOWLEDGED = 60  # the kill comes when this many have been answered: mid-run, whatever the speed
KEYS = [f"sigkill-{i:03d}" for i in range(SUBMISSIONS)]


def facts() -> dict[str, Any]:
    data = contract_example()
    data.pop("as_of")
    return data


@dataclass
class Run:
    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> application id from a 201/200
    unacknowledged: list[str] = field(default_factory=list)  # no answer: the connection was cut
    cut: int = 0  # of which cut or reset by the kill (the others were refused afterwards)
    other: Counter[int] = field(default_factory=Counter)  # any other status (must stay empty)
    lock: threading.Lock = field(default_factory=threading.Lock)
    enough: threading.Event = field(default_factory=threading.Event)
    kill_after: int = KILL_AFTER_ACKNOWLEDGED  # ``enough`` is set once this many are acknowledged


def file_one(svc: Service, token: str, holder: int, key: str) -> tuple[int, Any]:
    body = {"holder_id": holder, "kind": "change", "facts": facts()}
    return svc.call("POST", "/api/v1/applications", token, body, {"Idempotency-Key": key})


def client(svc: Service, token: str, holder: int, keys: queue.Queue[str], run: Run) -> None:
    while True:
        try:
            key = keys.get_nowait()
        except queue.Empty:
            return
        try:
            status, body = file_one(svc, token, holder, key)
        except OSError as error:  # refused, reset or cut mid-answer: not acknowledged
            with run.lock:
                run.unacknowledged.append(key)
                run.cut += not isinstance(error, ConnectionRefusedError) and not isinstance(
                    getattr(error, "reason", None), ConnectionRefusedError
                )
            continue
        with run.lock:
            if status in (200, 201) and isinstance(body, dict):
                run.acknowledged[key] = str(body["id"])
                if len(run.acknowledged) >= run.kill_after:
                    run.enough.set()
            else:
                run.other[status] += 1
                run.unacknowledged.append(key)


def stored(svc: Service, prefix: str = "sigkill-") -> list[tuple[str, str]]:
    """(idempotency key, application id) of every application with a key starting with ``prefix`` (this test's)."""
    sql = "SELECT idempotency_key, id FROM applications_application WHERE idempotency_key LIKE "
    if svc.database_url is None:
        with sqlite3.connect(svc.sqlite_path) as db:
            return [(key, _uuid(value)) for key, value in db.execute(sql + "?", [f"{prefix}%"])]
    import psycopg

    with psycopg.connect(svc.database_url) as pg:
        return [(key, _uuid(value)) for key, value in pg.execute(sql + "%s", [f"{prefix}%"]).fetchall()]


def _uuid(value: object) -> str:
    text = str(value).replace("-", "")
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def integrity(svc: Service) -> str:
    if svc.database_url is not None:
        return "n/a (PostgreSQL)"
    with sqlite3.connect(svc.sqlite_path) as db:
        rows = db.execute("PRAGMA integrity_check").fetchall()
    return ", ".join(str(row[0]) for row in rows)


def test_a_killed_server_keeps_every_acknowledged_submission(tmp_path: Path) -> None:
    with service(tmp_path) as svc:
        svc.env_extra["JIFEN_USER_REQUESTS_PER_MINUTE"] = str(10**9)  # a test of load, not of rates
        svc.demo()
        people = svc.tokens("hr", "zhang")
        token, holder = people["hr"]["token"], int(people["zhang"]["account"])
        svc.start(workers=2)

        keys: queue.Queue[str] = queue.Queue()
        for key in KEYS:
            keys.put(key)
        run = Run()
        clients = [
            threading.Thread(target=client, args=(svc, token, holder, keys, run), daemon=True) for _ in range(CLIENTS)
        ]
        for thread in clients:
            thread.start()
        killed_mid_run = run.enough.wait(timeout=300)
        svc.kill()  # SIGKILL to the process group, requests in flight
        for thread in clients:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in clients)
        assert killed_mid_run, f"fewer than {KILL_AFTER_ACKNOWLEDGED} acknowledged before the kill: {run}"

        integrity_after_kill = integrity(svc)
        svc.start(workers=2)  # restarted on the same data
        after_restart = stored(svc)
        integrity_after_restart = integrity(svc)

        # Every key again (the client retrying everything it sent): nothing is created twice.
        retried: dict[str, tuple[int, str]] = {}
        for key in KEYS:
            status, body = file_one(svc, token, holder, key)
            assert status in (200, 201), (key, status, body)
            retried[key] = (status, str(body["id"]))
        final = stored(svc)
        svc.stop()

    present = Counter(key for key, _ in after_restart)
    ids = dict(after_restart)
    final_count = Counter(key for key, _ in final)
    unacknowledged_stored = sum(1 for key in run.unacknowledged if key in present)
    print(
        f"\nkill ({'PostgreSQL' if svc.database_url else 'SQLite'}): {SUBMISSIONS} sent, "
        f"{len(run.acknowledged)} acknowledged, {len(run.unacknowledged)} unacknowledged "
        f"({run.cut} cut or reset by the kill, {unacknowledged_stored} stored anyway), "
        f"other statuses {dict(run.other)}; after restart "
        f"{sum(present[k] for k in run.acknowledged)} acknowledged present, "
        f"{sum(n - 1 for n in present.values())} duplicates, integrity_check {integrity_after_kill!r}/"
        f"{integrity_after_restart!r}; after retrying all {SUBMISSIONS}: {len(final)} rows, "
        f"{sum(1 for s, _ in retried.values() if s == 201)} created by the retry, "
        f"{sum(n - 1 for n in final_count.values())} duplicates"
    )
    assert not run.other, run.other
    assert len(run.acknowledged) + len(run.unacknowledged) == SUBMISSIONS
    assert run.unacknowledged, "the kill came after every submission was answered: nothing was in flight"
    # Every acknowledged submission is there exactly once, under the id it was acknowledged with.
    assert all(present[key] == 1 for key in run.acknowledged), present
    assert all(ids[key] == run.acknowledged[key] for key in run.acknowledged)
    assert all(n == 1 for n in present.values())
    if svc.database_url is None:
        assert integrity_after_kill == "ok"
        assert integrity_after_restart == "ok"
    assert_retry_made_up(retried, ids, final_count)


def assert_retry_made_up(
    retried: dict[str, tuple[int, str]],
    ids: dict[str, str],
    final_count: Counter[str],
    keys: list[str] = KEYS,
) -> None:
    """Filing every one of ``keys`` again answers the stored application for each key already stored (200, its
    id) and creates only the others (201); then every key is stored exactly once."""
    for key, (status, app_id) in retried.items():
        if key in ids:
            assert (status, app_id) == (200, ids[key]), key
        else:
            assert status == 201, key
    assert sorted(final_count) == keys
    assert all(n == 1 for n in final_count.values())
