"""The audit trail cannot be changed in place, is hash-chained, and knows whose request id is whose (issue 13.5).

The tests run on the database of the suite (SQLite, or PostgreSQL when DATABASE_URL is set), except the
tampering test, which works on copies of a `jifen demo` SQLite database in a directory of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.test import Client
from typer.testing import CliRunner

from jifen.cli.main import app
from jifen.service.audit.chain import GENESIS, row_hash
from jifen.service.audit.log import content, record
from jifen.service.audit.models import AuditEntry
from tests.service.conftest import PASSWORD, USCC_A

REFUSED = "audit rows cannot be changed"
JIFEN = str(Path(sys.executable).with_name("jifen"))
NOW = "2026-11-27T10:00:00+08:00"


def _rows(actor: User) -> list[AuditEntry]:
    return [
        record(actor, "register_employer", "employer", 1, None, {"uscc": USCC_A, "name": "上海示例科技有限公司"}),
        record(actor, "verify_employer", "employer", 1, {"verified": False}, {"verified": True}),
        # numbers PostgreSQL's jsonb writes otherwise (1e16 as 10000000000000000), keys out of order, a tuple
        record(None, "approve", "application", "5f0c", {"z": 1, "a": [1.5, 1e16, (2, 3)]}, {"points": 120}),
    ]


def _snapshot() -> list[tuple[Any, ...]]:
    return list(AuditEntry.objects.order_by("id").values_list("id", "action", "before", "after", "hash"))


def _orm_update() -> None:
    AuditEntry.objects.filter(action="approve").update(action="reject")


def _orm_delete() -> None:
    AuditEntry.objects.filter(action="approve").delete()


def _sql_update() -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET after = NULL")


def _sql_delete() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")


@pytest.mark.parametrize("change", [_orm_update, _orm_delete, _sql_update, _sql_delete])
def test_the_database_refuses_to_change_or_delete_audit_rows(db: None, change: Callable[[], None]) -> None:
    _rows(User.objects.create_user("hr_a", "hr_a@example.invalid", PASSWORD))
    before = _snapshot()
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        change()
    assert _snapshot() == before and len(before) == 3


def test_each_row_is_chained_to_the_one_before_and_verify_says_the_trail_is_intact(db: None) -> None:
    rows = _rows(User.objects.create_user("hr_a", "hr_a@example.invalid", PASSWORD))
    stored = list(AuditEntry.objects.order_by("id"))  # as read back from the database, jsonb included
    previous = GENESIS
    for row in stored:
        assert row.hash == row_hash(previous, content(row))
        previous = row.hash
    assert [r.hash for r in stored] == [r.hash for r in rows]
    assert stored[2].before == {"a": [1.5, 1e16, [2, 3]], "z": 1}

    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output == f"audit trail intact: 3 rows\nlast row {stored[-1].pk}, hash {stored[-1].hash}\n"


def test_an_empty_trail_is_intact(db: None) -> None:
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert (result.exit_code, result.output) == (0, "audit trail intact: 0 rows\n")


def test_an_audit_row_is_written_by_record_only(db: None) -> None:
    with pytest.raises(ValueError, match=r"written by jifen\.service\.audit\.log\.record"):
        AuditEntry.objects.create(action="approve", object_type="application", object_id="1")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_time_never_chain_to_the_same_row() -> None:
    """Four threads append 10 rows each, each row in a transaction of its own: one chain of 40 links."""
    writers, each = 4, 10
    barrier = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                with transaction.atomic():
                    record(None, "note", "writer", n, None, {"i": i})
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert (result.exit_code, result.output.splitlines()[0]) == (0, "audit trail intact: 40 rows")


# -- a tampered copy is caught (SQLite files; the demo data's trail)


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A `jifen demo` data directory on SQLite, made once for the tests below, which change copies of it."""
    directory = tmp_path_factory.mktemp("audit-demo")
    done = subprocess.run([JIFEN, "demo"], env=_env(directory), capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    return directory


def _env(directory: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return {**env, "JIFEN_DATA_DIR": str(directory), "JIFEN_NOW": NOW}


def _verify(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([JIFEN, "audit", "verify"], env=_env(directory), capture_output=True, text=True, check=False)  # noqa: S603


def _copy(demo: Path, tmp_path: Path) -> tuple[Path, sqlite3.Connection]:
    copy = tmp_path / "copy"
    shutil.copytree(demo, copy)
    return copy, sqlite3.connect(copy / "jifen.sqlite3")


def test_the_demo_trail_is_intact_and_its_rows_cannot_be_changed(demo_database: Path, tmp_path: Path) -> None:
    copy, db = _copy(demo_database, tmp_path)
    with db:
        (count,) = db.execute("SELECT count(*) FROM audit_auditentry").fetchone()
        with pytest.raises(sqlite3.IntegrityError, match=REFUSED):
            db.execute("UPDATE audit_auditentry SET action = 'approve' WHERE id = 5")
        with pytest.raises(sqlite3.IntegrityError, match=REFUSED):
            db.execute("DELETE FROM audit_auditentry WHERE id = 5")
    db.close()
    done = _verify(copy)
    assert done.returncode == 0, done.stderr
    assert count > 10 and done.stdout.splitlines()[0] == f"audit trail intact: {count} rows"


def test_a_row_changed_behind_the_triggers_back_is_named(demo_database: Path, tmp_path: Path) -> None:
    copy, db = _copy(demo_database, tmp_path)
    with db:
        row, stored, points = db.execute(
            "SELECT id, hash, json_extract(after, '$.points') FROM audit_auditentry "
            "WHERE action = 'approve' ORDER BY id"
        ).fetchone()
        (previous,) = db.execute("SELECT max(id) FROM audit_auditentry WHERE id < ?", [row]).fetchone()
        db.execute("DROP TRIGGER audit_auditentry_no_update")
        db.execute(
            "UPDATE audit_auditentry SET after = json_set(after, '$.points', ?) WHERE id = ?", [points + 10, row]
        )
    db.close()
    done = _verify(copy)
    assert done.returncode == 1 and done.stdout == ""
    broken, unprotected = done.stderr.splitlines()
    assert re.fullmatch(
        f"audit trail broken at row {row}: its stored hash {stored} is not [0-9a-f]{{64}}, the hash of its content "
        f"chained to row {previous}'s hash; row {row} was changed, or a row before it was changed, removed or "
        "inserted",
        broken,
    )
    assert unprotected.startswith(
        "audit rows are not protected: the trigger(s) audit_auditentry_no_update refusing UPDATE and DELETE are missing"
    )
    assert _verify(demo_database).returncode == 0  # the original is untouched


def test_a_row_removed_is_caught_at_the_row_after_it(demo_database: Path, tmp_path: Path) -> None:
    copy, db = _copy(demo_database, tmp_path)
    with db:
        before, removed, after = (
            row for (row,) in db.execute("SELECT id FROM audit_auditentry ORDER BY id LIMIT 3 OFFSET 10")
        )
        db.execute("DROP TRIGGER audit_auditentry_no_delete")
        db.execute("DELETE FROM audit_auditentry WHERE id = ?", [removed])
        db.execute(  # put back as it was: the trail itself must tell what happened
            "CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry "
            "BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END"
        )
    db.close()
    done = _verify(copy)
    assert done.returncode == 1
    assert done.stderr.startswith(f"audit trail broken at row {after}: its stored hash ")
    assert f"chained to row {before}'s hash" in done.stderr and "protected" not in done.stderr


def test_rows_written_before_the_chain_are_hashed_in_order_by_the_migration(
    demo_database: Path, tmp_path: Path
) -> None:
    copy, db = _copy(demo_database, tmp_path)
    db.close()
    env = _env(copy)
    for target in (["audit", "0001"], []):  # back to audit rows without hashes (nor triggers), then forward
        command = [JIFEN, "manage", "migrate", *target]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        assert done.returncode == 0, done.stderr
    with sqlite3.connect(copy / "jifen.sqlite3") as db:
        (count,) = db.execute("SELECT count(*) FROM audit_auditentry").fetchone()
        with pytest.raises(sqlite3.IntegrityError, match=REFUSED):
            db.execute("DELETE FROM audit_auditentry")
    db.close()
    done = _verify(copy)
    assert (done.returncode, done.stdout.splitlines()[0]) == (0, f"audit trail intact: {count} rows")
    assert done.stdout == _verify(demo_database).stdout  # the same hashes as when written


# -- request ids


def _register(request_id: str | None) -> tuple[Any, AuditEntry]:
    headers = {"X-Request-ID": request_id} if request_id is not None else {}
    response = Client().post(
        "/api/v1/employers",
        {"uscc": USCC_A, "name": "上海示例科技有限公司", "agent_username": "hr_a", "agent_password": PASSWORD},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code < 300, response.content  # registered (its answer is issue 13.4's business)
    return response, AuditEntry.objects.get(action="register_employer")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("order-17/b #1", "order-17/b #1"),  # printable ASCII, spaces included
        ("x" * 64, "x" * 64),
        ("x" * 65, ""),  # too long: dropped, not cut
        ("tab\there", ""),
        ("订单17", ""),
        (None, ""),
    ],
)
def test_the_request_id_is_the_servers_and_the_clients_is_kept_beside(db: None, given: str | None, kept: str) -> None:
    response, row = _register(given)
    server = response["X-Request-ID"]
    assert re.fullmatch("[0-9a-f]{32}", server) and server != given
    assert (row.request_id, row.client_request_id) == (server, kept)


def test_a_client_cannot_give_its_request_the_id_of_another(db: None) -> None:
    first, _ = _register("same")
    second = Client().get("/", headers={"X-Request-ID": first["X-Request-ID"]})
    assert second["X-Request-ID"] != first["X-Request-ID"]
