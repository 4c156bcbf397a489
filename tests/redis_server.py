"""A throwaway Redis for the tests (issue 16, item 3): Debian's ``redis-server`` on 127.0.0.1, on a free port,
in its own directory, saving nothing to disk; stopped (killed) at the end.

Without ``redis-server`` on the PATH the test is skipped, saying so; with ``JIFEN_REQUIRE_SERVERS=1`` (CI)
it fails instead, so that a machine without the server cannot pass the suite by skipping.

Use ``running_redis(directory)`` as a context manager, or the ``redis_server`` fixture (import it into the
test module, or list the module in ``pytest_plugins``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from tests.reliability.server import free_port

REQUIRE_SERVERS = "JIFEN_REQUIRE_SERVERS"
STARTUP_SECONDS = 30  # a bound on the wait for PING, not a timing assertion


def need_server(binary: str) -> str:
    """The path of ``binary``; else skip the test, or fail it when JIFEN_REQUIRE_SERVERS=1."""
    path = shutil.which(binary)
    if path is not None:
        return path
    reason = f"needs {binary} on the PATH (Debian: apt-get install {binary})"
    if os.environ.get(REQUIRE_SERVERS) == "1":
        pytest.fail(f"{reason}; {REQUIRE_SERVERS}=1 forbids skipping")
    pytest.skip(reason)


def _server_env() -> dict[str, str]:
    """The environment without libfaketime (CI's second pass runs the suite under ``faketime``): redis-server
    hangs at start under it, and Redis's own clock only times the keys' lives, which the service sets in
    seconds from now."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("FAKETIME")}
    preload = [lib for lib in env.pop("LD_PRELOAD", "").split(":") if lib and "faketime" not in lib]
    if preload:
        env["LD_PRELOAD"] = ":".join(preload)
    return env


def _answers_ping(port: int) -> bool:
    """One PING over a plain socket (redis-py's client retries with back-off, which would stretch the wait)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class RedisServer:
    """One running ``redis-server``; ``url`` for JIFEN_REDIS_URL."""

    process: subprocess.Popen[bytes]
    port: int
    directory: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=0, socket_timeout=10)

    def keys(self) -> list[str]:
        """Every key of database 0, sorted."""
        with self.client() as client:
            return sorted(key.decode() for key in client.keys("*"))

    def stop(self) -> None:
        """Kill the server (as a crash would end it) and reap it; nothing more answers on its port."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def log(self) -> str:
        path = self.directory / "redis.log"
        return path.read_text(encoding="utf-8", errors="replace")[-4000:] if path.exists() else ""


@contextlib.contextmanager
def running_redis(directory: Path) -> Iterator[RedisServer]:
    """Start ``redis-server`` in ``directory`` (created), wait until it answers PING, yield it, kill it."""
    binary = need_server("redis-server")
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = (directory / "redis.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - a fixed command line
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", "."],
        cwd=directory,
        env=_server_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    server = RedisServer(process, port, directory)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers_ping(port):
            if process.poll() is not None:
                raise AssertionError(f"redis-server exited with {process.returncode}:\n{server.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"redis-server did not answer PING on port {port}:\n{server.log()}")
            time.sleep(0.1)
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with running_redis(tmp_path / "redis") as server:
        yield server
