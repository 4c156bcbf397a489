"""A real ``jifen serve`` in a subprocess, on SQLite or on a throwaway PostgreSQL database, for the
reliability tests: start it, wait until it listens, call it, kill its whole process group.

The server runs with the product's settings (not the tests'), in its own data directory, with its clock
pinned by ``JIFEN_NOW`` so that nothing depends on the day the suite runs.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import pytest

NOW = "2026-11-27T10:00:00+08:00"
JIFEN = [sys.executable, "-c", "from jifen.cli.main import main; main()"]
STARTUP_ATTEMPTS = 1200  # x 0.1 s: a bound on the wait for the port, not a timing assertion

# Issues an API token for each username given and prints {username: {"token", "account"}} as JSON.
TOKENS = """
import json, sys
from jifen.service.runtime import setup
setup()
from django.contrib.auth.models import User
from jifen.service.accounts import services
out = {}
for name in sys.argv[1:]:
    user = User.objects.get(username=name)
    out[name] = {"token": services.issue_token(user), "account": user.account.pk}
print(json.dumps(out))
"""


def postgres_url() -> str | None:
    """DATABASE_URL when it names a PostgreSQL database, else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if urlsplit(url).scheme in ("postgres", "postgresql", "pgsql") else None


@contextlib.contextmanager
def throwaway_postgres(url: str) -> Iterator[str]:
    """A new, empty database on the server of ``url`` (dropped afterwards), so that each test starts
    from nothing and leaves nothing behind. Needs CREATEDB, as pytest-django's test database does."""
    import psycopg

    name = f"jifen_reliability_{uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Service:
    """One data directory and database, on which servers are started, killed and restarted."""

    data_dir: Path
    database_url: str | None  # None: SQLite in data_dir
    env_extra: dict[str, str] = field(default_factory=dict)
    name: str = "serve"  # its logs' names: several nodes on one data directory each need their own
    process: subprocess.Popen[bytes] | None = None
    port: int = 0
    starts: int = 0

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "jifen.sqlite3"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("DJANGO_SETTINGS_MODULE", None)  # the product's settings, not the tests'
        env.pop("DATABASE_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(
            JIFEN_DATA_DIR=str(self.data_dir),
            JIFEN_NOW=NOW,
            JIFEN_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.env_extra)
        return env

    def run(self, *args: str, code: str | None = None) -> str:
        """Run a ``jifen`` command (or Python ``code`` with ``args``) to completion; its standard output."""
        command = [sys.executable, "-c", code, *args] if code is not None else [*JIFEN, *args]
        done = subprocess.run(command, env=self.env(), capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
        assert done.returncode == 0, f"{command[3:]} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def demo(self) -> None:
        self.run("demo")

    def tokens(self, *usernames: str) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = json.loads(self.run(*usernames, code=TOKENS).strip().splitlines()[-1])
        return out

    def start(self, workers: int = 2) -> None:
        """Start ``jifen serve`` in a new process group and return once its port accepts connections
        (gunicorn binds in the master, before the workers fork: the first requests meet fresh workers)."""
        assert self.process is None
        self.starts += 1
        self.port = free_port()
        log = (self.data_dir / f"{self.name}-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603
            [*JIFEN, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)],
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        for _ in range(STARTUP_ATTEMPTS):
            if self.process.poll() is not None:
                raise AssertionError(f"jifen serve exited with {self.process.returncode}:\n{self.log()}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        self.kill()
        raise AssertionError(f"jifen serve did not listen on port {self.port}:\n{self.log()}")

    def log(self) -> str:
        path = self.data_dir / f"{self.name}-{self.starts}.log"
        return path.read_text(encoding="utf-8", errors="replace")[-4000:] if path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the master and every worker at once (the whole process group), as a power cut would
        end the processes; then reap the master."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=60)
        self.process = None

    def stop(self) -> None:
        """Stop gracefully (SIGTERM to the group), and kill what is left."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def call(
        self, method: str, path: str, token: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        """One request; (status, parsed JSON or text). Raises OSError when the server cannot answer."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url(path), data=data, method=method)  # noqa: S310 - http://127.0.0.1
        request.add_header("Authorization", f"Bearer {token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except http.client.HTTPException as error:
            # The head arrived but the body was cut (IncompleteRead) or the status line was garbled:
            # no answer the client can act on, the same as a reset connection.
            raise ConnectionResetError(f"answer cut: {error!r}") from error
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", errors="replace")

    def upload(self, path: str, token: str, fields: dict[str, str], file: tuple[str, bytes, str]) -> tuple[int, Any]:
        """A multipart/form-data POST of ``fields`` and one ``file`` (name, content, content type) in the
        form field ``file``; (status, parsed JSON or text)."""
        boundary = f"jifen-{uuid4().hex}"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        filename, content, content_type = file
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(self.url(path), data=b"".join(parts), method="POST")  # noqa: S310
        request.add_header("Authorization", f"Bearer {token}")
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - http://127.0.0.1
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", errors="replace")


@contextlib.contextmanager
def service(tmp_path: Path, *, postgres: bool | None = None) -> Iterator[Service]:
    """A service on PostgreSQL when DATABASE_URL names one (a throwaway database on that server),
    else on SQLite; servers still running at the end are killed. ``postgres=True``: PostgreSQL or skip;
    ``postgres=False``: SQLite whatever DATABASE_URL says."""
    url = postgres_url() if postgres is not False else None
    if postgres and url is None:
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://… (.ci/run does, on its throwaway cluster)")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if url is None:
        svc = Service(data_dir, None)
        try:
            yield svc
        finally:
            svc.kill()
        return
    with throwaway_postgres(url) as database:
        svc = Service(data_dir, database)
        try:
            yield svc
        finally:
            svc.kill()
