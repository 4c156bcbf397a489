"""PostgreSQL under gunicorn is correct from the first request (issue 10, item 2).

``jifen serve`` used to run ``migrate`` and ``collectstatic`` in the gunicorn master and fork its workers
with the master's PostgreSQL connection still open; with ``conn_max_age`` the workers then shared one
socket for up to a minute, answering 500s and, worse, one user's ``/me`` with another user's account.
Here six users, each with their own token, ask ``/api/v1/me`` from the moment the port opens, for 20 s.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.reliability.server import Service, service

pytestmark = pytest.mark.reliability

USERS = ("reviewer", "reviewer2", "maintainer", "hr", "zhang", "li")  # from `jifen demo`
SECONDS = 20.0  # how long the six users keep asking (a load duration, never asserted on)
MAX_REQUESTS_PER_USER = 20_000  # a bound on each loop, whatever the speed of the machine


@dataclass
class Tally:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    wrong_owner: int = 0
    unreachable: int = 0
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, username: str, status: int, body: object) -> None:
        owner = body.get("username") if isinstance(body, dict) else None
        with self.lock:
            self.requests += 1
            self.statuses[status] += 1
            wrong = status == 200 and owner != username
            self.wrong_owner += wrong
            if (wrong or status >= 500) and len(self.examples) < 5:
                self.examples.append(f"{username}: {status} {str(body)[:200]}")


def ask_me(svc: Service, username: str, token: str, until: float, tally: Tally) -> None:
    for _ in range(MAX_REQUESTS_PER_USER):
        if time.monotonic() >= until:
            return
        try:
            status, body = svc.call("GET", "/api/v1/me", token)
        except OSError as error:  # counted: the server must not drop a connection either
            with tally.lock:
                tally.unreachable += 1
                if len(tally.examples) < 5:
                    tally.examples.append(f"{username}: {error!r}")
            continue
        tally.add(username, status, body)


def test_six_users_ask_me_from_the_first_second(tmp_path: Path) -> None:
    with service(tmp_path, postgres=True) as svc:
        svc.env_extra["JIFEN_USER_REQUESTS_PER_MINUTE"] = str(10**9)  # a test of load, not of rates
        svc.demo()
        tokens = {name: entry["token"] for name, entry in svc.tokens(*USERS).items()}
        svc.start(workers=2)
        tally = Tally()
        until = time.monotonic() + SECONDS
        threads = [
            threading.Thread(target=ask_me, args=(svc, name, tokens[name], until, tally), daemon=True) for name in USERS
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SECONDS + 120)
        svc.stop()

    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    print(
        f"\nstart-up: {tally.requests} requests by {len(USERS)} users, statuses {dict(tally.statuses)}, "
        f"5xx {server_errors}, wrong owner {tally.wrong_owner}, unreachable {tally.unreachable}"
    )
    assert not any(thread.is_alive() for thread in threads)
    assert tally.requests > 0
    assert server_errors == 0, tally.examples
    assert tally.wrong_owner == 0, tally.examples
    assert tally.unreachable == 0, tally.examples
    assert set(tally.statuses) == {200}, tally.statuses
