"""An S3-compatible server for the storage tests: moto's server mode (``moto_server``, beside the tests' Python)
in a subprocess on 127.0.0.1 and a free port, killed afterwards.

Without ``moto_server`` the tests that need it are skipped, saying why; with ``JIFEN_REQUIRE_SERVERS=1`` (CI) they
fail instead, so that a missing server is never mistaken for a passing suite.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from tests.reliability.server import free_port

MOTO_SERVER = Path(sys.executable).with_name("moto_server")
REGION = "us-east-1"
ACCESS_KEY_ID = "jifen-test-key"  # moto takes any credentials; these only sign the requests
SECRET_ACCESS_KEY = "jifen-test-secret"  # a fake, for the fake server
STARTUP_SECONDS = 60  # a bound on the wait for the port, not a timing assertion


def servers_required() -> bool:
    return os.environ.get("JIFEN_REQUIRE_SERVERS", "") == "1"


def unavailable(reason: str) -> None:
    """Skip the test for ``reason``, or fail it when the environment requires the servers (CI)."""
    if servers_required():
        pytest.fail(f"{reason} (JIFEN_REQUIRE_SERVERS=1)")
    pytest.skip(reason)


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str  # http://127.0.0.1:<port>

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
        )

    def new_bucket(self) -> str:
        """A new, empty bucket of its own for one test; its name."""
        name = f"jifen-{uuid4().hex[:16]}"
        self.client().create_bucket(Bucket=name)
        return name

    def storage(self, bucket: str, **options: Any) -> dict[str, Any]:
        """STORAGES["default"] for ``bucket`` on this server, as settings.py builds it from JIFEN_S3_*."""
        from django.conf import settings

        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": self.endpoint_url,
                "region_name": REGION,
                "access_key": ACCESS_KEY_ID,
                "secret_key": SECRET_ACCESS_KEY,
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": settings.JIFEN_S3_URL_SECONDS,
                "signature_version": "s3v4",
                "file_overwrite": False,
                **options,
            },
        }

    def objects(self, bucket: str) -> dict[str, bytes]:
        """Every object of ``bucket``: its key and its bytes."""
        client = self.client()
        listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
        return {o["Key"]: client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def moto_server(log_dir: Path) -> Iterator[S3Server]:
    """A moto S3 server on 127.0.0.1 for the duration of the block (skipped or failed when there is none)."""
    if not MOTO_SERVER.is_file():
        unavailable(f"moto_server is not installed beside {sys.executable} (pip install 'moto[server]')")
    port = free_port()
    log = log_dir / "moto_server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own venv's script, fixed arguments
            [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
                pytest.fail(f"moto_server did not start listening on 127.0.0.1:{port}:\n{tail}")
            time.sleep(0.1)
        yield S3Server(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
