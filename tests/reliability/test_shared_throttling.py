"""Throttling counts the same across the workers of a real ``jifen serve`` (issue 13, item 1).

Counters used to live in each worker's memory, so with two workers twice the failures and twice the calls
got through. Here ``jifen serve --workers 2`` runs with the product's settings on SQLite (PostgreSQL when
DATABASE_URL names one), and every batch is sent by several connections at once, so both workers answer
and race: exactly JIFEN_LOGIN_FAILURES_ALLOWED wrong passwords for one user name from one address are
answered "wrong user name or password" before the lock, exactly JIFEN_LOGIN_FAILURES_PER_ADDRESS user names
from one address, and exactly N anonymous calls a minute (N set small through the environment).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jifen.service.demo import PASSWORD
from tests.conftest import contract_example
from tests.reliability.server import Service, service

pytestmark = pytest.mark.reliability

FAILURES_ALLOWED = 5  # JIFEN_LOGIN_FAILURES_ALLOWED, as the product's default
FAILURES_PER_ADDRESS = 20  # JIFEN_LOGIN_FAILURES_PER_ADDRESS, as the product's default
ANONYMOUS_PER_MINUTE = 7  # JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE, small for the test
ACCOUNT_PER_MINUTE = 9  # JIFEN_USER_REQUESTS_PER_MINUTE, small for the second start
CONNECTIONS = 6  # requests in flight at once: both workers busy, racing for the same counts
WRONG = "wrong user name or password"
LOCKED = "too many failed logins: try again in"
BUSY = "too many requests: try again in"


def answers(svc: Service | Sequence[Service], calls: list[tuple[str, str, str, Any]]) -> Counter[str]:
    """Send (method, path, token, body) all at once over CONNECTIONS connections; count the answers as
    "status detail" (the detail cut before the wait, which depends on the moment). Given several services
    (nodes), the calls go to each in turn."""
    nodes = [svc] if isinstance(svc, Service) else list(svc)

    def one(numbered: tuple[int, tuple[str, str, str, Any]]) -> str:
        number, call = numbered
        status, body = nodes[number % len(nodes)].call(*call)
        detail = body.get("detail", "") if isinstance(body, dict) else ""
        cut = next((prefix for prefix in (LOCKED, BUSY) if str(detail).startswith(prefix)), detail)
        return f"{status} {cut}".strip()

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        return Counter(pool.map(one, enumerate(calls)))


def login(username: str, password: str) -> tuple[str, str, str, Any]:
    return ("POST", "/api/v1/auth/token", "", {"username": username, "password": password})


@dataclass(frozen=True)
class Counts:
    """The answers to each batch of test_two_workers_share_the_counts."""

    wrong: Counter[str]  # 3 x FAILURES_ALLOWED wrong passwords for the reviewer
    right: Counter[str]  # then the right one
    guesses: Counter[str]  # 60 user names from the same address
    scores: Counter[str]  # 3 x ANONYMOUS_PER_MINUTE anonymous /score
    me: Counter[str]  # 3 x ACCOUNT_PER_MINUTE /me of one account, after a restart

    def summary(self) -> str:
        return (
            f"wrong passwords {sorted(self.wrong.items())}; then the right one {sorted(self.right.items())}; "
            f"60 user names {sorted(self.guesses.items())}; anonymous /score {sorted(self.scores.items())}; "
            f"/me of one account {sorted(self.me.items())}"
        )


def count_across_workers(svc: Service, while_running: Callable[[], None] = lambda: None) -> Counts:
    """On a new service (env_extra may name its cache): the demo, then ``jifen serve --workers 2`` answers
    each batch; ``while_running`` is called after each start's batches, before the server stops."""
    svc.env_extra.update(
        JIFEN_LOGIN_FAILURES_ALLOWED=str(FAILURES_ALLOWED),
        JIFEN_LOGIN_FAILURES_PER_ADDRESS=str(FAILURES_PER_ADDRESS),
        JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE=str(ANONYMOUS_PER_MINUTE),
    )
    svc.demo()
    tokens = svc.tokens("reviewer", "reviewer2")
    svc.start(workers=2)

    # One user name, from one address: the first FAILURES_ALLOWED are wrong, then locked.
    wrong = answers(svc, [login("reviewer", "not the password")] * (3 * FAILURES_ALLOWED))
    right = answers(svc, [login("reviewer", PASSWORD)])
    # Many user names, from one address: the reviewer's failures count here too.
    guesses = answers(svc, [login(f"guess{n}", "not the password") for n in range(60)])
    # The anonymous limit: 3N calls at once, N answered.
    facts = contract_example()
    scores = answers(svc, [("POST", "/api/v1/score", "", facts)] * (3 * ANONYMOUS_PER_MINUTE))
    while_running()
    svc.stop()

    # Started again with a small rate per account, on the same database: reviewer2 is a new count.
    svc.env_extra["JIFEN_USER_REQUESTS_PER_MINUTE"] = str(ACCOUNT_PER_MINUTE)
    svc.start(workers=2)
    me = answers(svc, [("GET", "/api/v1/me", tokens["reviewer2"]["token"], None)] * (3 * ACCOUNT_PER_MINUTE))
    while_running()
    svc.stop()
    return Counts(wrong, right, guesses, scores, me)


def assert_counted_once(counts: Counts) -> None:
    """Exactly the limits got through, however the workers (or nodes) shared the calls."""
    assert counts.wrong == {f"403 {WRONG}": FAILURES_ALLOWED, f"429 {LOCKED}": 2 * FAILURES_ALLOWED}
    assert counts.right == {f"429 {LOCKED}": 1}
    # The reviewer's failures count against the address too (attempts refused as locked do not).
    answered = FAILURES_PER_ADDRESS - FAILURES_ALLOWED
    assert counts.guesses == {f"403 {WRONG}": answered, f"429 {LOCKED}": 60 - answered}
    assert counts.scores == {"200": ANONYMOUS_PER_MINUTE, f"429 {BUSY}": 2 * ANONYMOUS_PER_MINUTE}
    assert counts.me == {"200": ACCOUNT_PER_MINUTE, f"429 {BUSY}": 2 * ACCOUNT_PER_MINUTE}


def test_two_workers_share_the_counts(tmp_path: Path) -> None:
    with service(tmp_path) as svc:
        counts = count_across_workers(svc)

    print(
        f"\nshared throttling ({'PostgreSQL' if svc.database_url else 'SQLite'}, 2 workers, {CONNECTIONS} "
        f"connections): {counts.summary()}"
    )
    assert_counted_once(counts)
