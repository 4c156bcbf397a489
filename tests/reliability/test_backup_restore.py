"""Backup and restore, as docs/deploy.md ("Backup and restore") tells an operator to do them (issue 16, item 6).

The data: the demo (``jifen demo``), plus one application filed and one material uploaded through the API by
the employer agent, on a real ``jifen serve``. Before the backup the test records what must come back: the
number of rows of every table, every file of the storage (name and SHA-256) and ``jifen audit verify``'s
output (rows and the last row's hash).

- PostgreSQL (skipped unless DATABASE_URL names PostgreSQL; a throwaway database on that server):
  ``pg_dump -Fc`` while the server runs, and a copy of the media directory (what ``aws s3 sync`` or the
  bucket's versioning keeps for S3); then the loss: the server stopped, the database dropped, the files and
  the secret key deleted; then the restore, database first: ``createdb`` (CREATE DATABASE), ``pg_restore``,
  then the files copied back.
- SQLite (always): SQLite's online backup (``sqlite3.Connection.backup``, what ``sqlite3 jifen.sqlite3
  ".backup …"`` does) while the server runs -- a plain copy of the file would miss what is still in the
  ``-wal`` file -- and a copy of the media directory and the secret key; then the loss: the database and its
  ``-wal``/``-shm`` files, the media and the secret key deleted; then each copied back.

After the restore: every table has as many rows as before, every file is there with the same content,
``jifen audit verify`` answers the same (intact, same rows, same last hash), and the service answers on the
restored data: ``/readyz`` 200, the holder reads the application with its material, downloads the file as
uploaded, and the agent files a new application (the sequences came back too).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import contract_example
from tests.reliability.server import Service, service

pytestmark = pytest.mark.reliability

CONTRACT = b"%PDF-1.7\n% the labour contract, scanned\n%%EOF\n"


@dataclass(frozen=True)
class Snapshot:
    """What a restore must bring back."""

    rows: dict[str, int]  # table -> rows
    files: dict[str, str]  # path under media/ -> sha256
    audit: str  # jifen audit verify's output


def table_rows(svc: Service) -> dict[str, int]:
    """The number of rows of every table of the database."""
    if svc.database_url is None:
        with sqlite3.connect(svc.sqlite_path) as db:
            names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {n: db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608
    import psycopg

    with psycopg.connect(svc.database_url) as pg:
        names = [
            n
            for (n,) in pg.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE'"
            ).fetchall()
        ]
        out = {}
        for name in names:
            row = pg.execute(f'SELECT count(*) FROM "{name}"').fetchone()  # noqa: S608 - names from the catalogue
            assert row is not None
            out[name] = int(row[0])
        return out


def media_files(svc: Service) -> dict[str, str]:
    media = svc.data_dir / "media"
    return {
        path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }


def snapshot(svc: Service) -> Snapshot:
    return Snapshot(table_rows(svc), media_files(svc), svc.run("audit", "verify"))


def seed(svc: Service) -> dict[str, Any]:
    """The demo, then (on the running server) an application filed and a material uploaded by the agent.
    Leaves the server running; returns the tokens, the application's id and the material."""
    svc.demo()
    people = svc.tokens("hr", "zhang")
    svc.start(workers=2)
    facts = contract_example()
    facts.pop("as_of")
    body = {"holder_id": people["zhang"]["account"], "kind": "change", "facts": facts}
    status, app = svc.call("POST", "/api/v1/applications", people["hr"]["token"], body)
    assert status == 201, app
    status, material = svc.upload(
        f"/api/v1/applications/{app['id']}/materials",
        people["hr"]["token"],
        {"indicator": "basic"},
        ("劳动合同.pdf", CONTRACT, "application/pdf"),
    )
    assert status == 201, material
    return {
        "hr": people["hr"]["token"],
        "zhang": people["zhang"]["token"],
        "holder": people["zhang"]["account"],
        "application": app["id"],
        "material": material,
    }


def copy_files(svc: Service, to: Path) -> None:
    """The files beside the database: media/ (on S3, the bucket) and the generated secret key."""
    to.mkdir()
    shutil.copytree(svc.data_dir / "media", to / "media")
    shutil.copy2(svc.data_dir / "secret_key", to / "secret_key")


def lose_files(svc: Service) -> None:
    shutil.rmtree(svc.data_dir / "media")
    (svc.data_dir / "secret_key").unlink()


def restore_files(svc: Service, copy: Path) -> None:
    shutil.copytree(copy / "media", svc.data_dir / "media")
    shutil.copy2(copy / "secret_key", svc.data_dir / "secret_key")


def download(svc: Service, path: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(svc.url(path), headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - http://127.0.0.1
        return response.status, response.read()


def serves_the_restored_data(svc: Service, seeded: dict[str, Any]) -> dict[str, Any]:
    """Start the server on the restored data; what a user notices."""
    svc.start(workers=2)
    application = f"/api/v1/applications/{seeded['application']}"
    material = seeded["material"]
    found: dict[str, Any] = {
        "readyz": svc.call("GET", "/readyz", ""),
        "application": svc.call("GET", application, seeded["zhang"]),
        "file": download(svc, f"{application}/materials/{material['id']}/file", seeded["zhang"]),
    }
    facts = contract_example()
    facts.pop("as_of")
    body = {"holder_id": seeded["holder"], "kind": "change", "facts": facts}
    found["new application"] = svc.call("POST", "/api/v1/applications", seeded["hr"], body)[0]
    svc.stop()
    return found


def assert_restored(before: Snapshot, after: Snapshot, found: dict[str, Any], seeded: dict[str, Any]) -> None:
    assert after.rows == before.rows
    assert after.files == before.files
    assert seeded["material"]["sha256"] == hashlib.sha256(CONTRACT).hexdigest()
    assert seeded["material"]["sha256"] in after.files.values()
    assert after.audit == before.audit
    assert after.audit.startswith("audit trail intact: ")
    assert found["readyz"][0] == 200, found["readyz"]
    status, application = found["application"]
    assert status == 200, application
    assert [m["id"] for m in application["materials"]] == [seeded["material"]["id"]]
    assert found["file"] == (200, CONTRACT)
    assert found["new application"] == 201


def pg_bin(program: str) -> str:
    """``program`` of the PostgreSQL client tools: $PGBIN (scripts/postgres), ``pg_config --bindir``, the
    newest /usr/lib/postgresql/*/bin, or the PATH."""
    candidates = [os.environ.get("PGBIN", "")]
    if shutil.which("pg_config"):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)  # noqa: S607
        candidates.append(done.stdout.strip())
    candidates += sorted(
        (str(path) for path in Path("/usr/lib/postgresql").glob("*/bin")),
        key=lambda path: int(Path(path).parent.name) if Path(path).parent.name.isdigit() else 0,
        reverse=True,
    )
    for directory in filter(None, candidates):
        if (Path(directory) / program).is_file():
            return str(Path(directory) / program)
    found = shutil.which(program)
    if found is None:
        pytest.skip(f"needs {program} (Debian: postgresql-client)")
    return found


def run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    assert done.returncode == 0, f"{command[0]} failed:\n{done.stdout}\n{done.stderr}"


def test_postgresql_pg_dump_and_pg_restore(tmp_path: Path) -> None:
    import psycopg

    backup = tmp_path / "backup"
    with service(tmp_path, postgres=True) as svc:
        assert svc.database_url is not None
        seeded = seed(svc)
        before = snapshot(svc)
        # The backup, while the server runs: the database, then the files.
        dump = tmp_path / "jifen.dump"
        run(pg_bin("pg_dump"), "-Fc", "--file", str(dump), "--dbname", svc.database_url)
        copy_files(svc, backup)
        svc.stop()

        # The loss: the database and the files.
        name = urlsplit(svc.database_url).path.lstrip("/")
        admin = urlunsplit(urlsplit(svc.database_url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        lose_files(svc)

        # The restore: the database first, then the files.
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'CREATE DATABASE "{name}"')
        run(pg_bin("pg_restore"), "--exit-on-error", "--dbname", svc.database_url, str(dump))
        restore_files(svc, backup)

        after = snapshot(svc)
        found = serves_the_restored_data(svc, seeded)

    print(
        f"\nPostgreSQL backup and restore: {len(before.rows)} tables, {sum(before.rows.values())} rows, "
        f"{len(before.files)} files, dump {dump.stat().st_size} bytes; {after.audit.strip()!r}; after the restore "
        f"/readyz {found['readyz'][0]}, the application {found['application'][0]}, the file {found['file'][0]}, "
        f"a new application {found['new application']}"
    )
    assert_restored(before, after, found, seeded)


def test_sqlite_online_backup(tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    with service(tmp_path, postgres=False) as svc:
        assert svc.database_url is None
        seeded = seed(svc)
        before = snapshot(svc)
        # The backup, while the server runs (its last writes may still be in the -wal file only).
        copy_files(svc, backup)
        with sqlite3.connect(svc.sqlite_path) as source, sqlite3.connect(backup / "jifen.sqlite3") as target:
            source.backup(target)
        source.close()
        target.close()
        svc.stop()

        # The loss: the database with its -wal and -shm files, the media, the secret key.
        for path in svc.data_dir.glob("jifen.sqlite3*"):
            path.unlink()
        lose_files(svc)

        # The restore: the database first, then the files.
        shutil.copy2(backup / "jifen.sqlite3", svc.sqlite_path)
        restore_files(svc, backup)

        after = snapshot(svc)
        with sqlite3.connect(svc.sqlite_path) as db:
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        db.close()
        found = serves_the_restored_data(svc, seeded)

    print(
        f"\nSQLite online backup and restore: {len(before.rows)} tables, {sum(before.rows.values())} rows, "
        f"{len(before.files)} files; integrity_check {integrity!r}; "
        f"{after.audit.strip()!r}; after the restore /readyz {found['readyz'][0]}, the application "
        f"{found['application'][0]}, the file {found['file'][0]}, a new application {found['new application']}"
    )
    assert integrity == "ok"
    assert_restored(before, after, found, seeded)
