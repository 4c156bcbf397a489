"""API rates with django-ninja's throttles (issue 13, item 1).

The calls are counted, for each key, where every worker and node counts the same calls: in Redis when the
shared cache is Redis (settings.CACHES), else in the database. Here:

- AnonymousRate, on the anonymous endpoints (score, advise, employer registration), each its own count:
  JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE calls a minute per client address;
- AccountRate, on every other operation (the API's default): JIFEN_USER_REQUESTS_PER_MINUTE calls a minute
  per signed-in account, and as many per address for calls without one (logins, set-password).

The address is jifen.service.client_address's (X-Forwarded-For only from JIFEN_TRUSTED_PROXIES). The rates
are read from the settings at each call. Each key counts its calls in a window of a minute that starts with
its first call (count_call): a new call adds one to the count, and is answered while the count is within
the rate; over it, ninja answers 429 with Retry-After, the rest of the window (jifen.service.api.app words
the body). Adding one is a single step every worker sees in order, or two workers could both let the last
call through: on Redis (JIFEN_REDIS_URL) one atomic script, INCR and the window's expiry on its first
call; else one upsert of the key's row in the database's table jifen_call_counts (web.models.CallCount).
Either way a call costs one step on one small fixed value, however many calls the rate allows (ninja's own
throttle kept, and rewrote at each call, the time of every call of the minute, under a lock: issue 16.7).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from jifen.service.client_address import client_address

logger = logging.getLogger(__name__)
UNAVAILABLE_RETRY_SECONDS = 10  # the Retry-After of a call refused because the shared counter did not answer


class CounterDownError(Exception):
    """The shared store that counts the calls did not answer: the call cannot be counted, so it is refused
    (``request.uncounted`` is set; the API answers 503 with Retry-After, not 429 and not 500)."""


MINUTE = 60  # seconds: the rates are calls a minute
CACHE_ALIAS = "default"  # the cache every worker and node shares (settings.CACHES)
KEY_SUFFIX = ":calls"  # beside ninja's key, which held a list of times: an old value is never read as a count

# KEYS[1]: the count; ARGV[1]: the window in milliseconds. One more call; a new count (or one somehow left
# without an expiry) expires with its window. Returns the calls, this one included, and the window's rest.
_REDIS_COUNT = """
local calls = redis.call('INCR', KEYS[1])
if calls == 1 or redis.call('PTTL', KEYS[1]) < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {calls, redis.call('PTTL', KEYS[1])}
"""


# One statement: a new key starts its window; a live window counts one more call; an ended one starts again.
# Atomic on PostgreSQL (the row is locked by the upsert) and on SQLite (a statement holds the write lock).
_DATABASE_COUNT = """
INSERT INTO jifen_call_counts (key, ends, calls) VALUES (%s, %s, 1)
ON CONFLICT (key) DO UPDATE SET
    calls = CASE WHEN jifen_call_counts.ends <= %s THEN 1 ELSE jifen_call_counts.calls + 1 END,
    ends = CASE WHEN jifen_call_counts.ends <= %s THEN excluded.ends ELSE jifen_call_counts.ends END
RETURNING calls, ends
"""
PRUNE_AFTER = 3600  # seconds: a key whose window ended this long ago is deleted when another window starts


def count_call(key: str, seconds: int) -> tuple[int, float]:
    """Count one call for ``key``: (the calls of its current window, this one included; the seconds left in
    the window). A window starts at the first call after the previous one ended and lasts ``seconds``."""
    store = caches[CACHE_ALIAS]
    if isinstance(store, RedisCache):
        from redis.exceptions import RedisError  # installed with the Redis cache (the redis extra)

        try:
            client: Any = store._cache.get_client(key, write=True)  # Django's redis-py client
            calls, left_ms = client.eval(_REDIS_COUNT, 1, store.make_and_validate_key(key), seconds * 1000)
        except RedisError as exc:  # Redis down or unreachable: the call is refused for now (503), not a 500
            logger.error("the shared call counter (Redis) did not answer: %r", exc)
            raise CounterDownError from None
        return int(calls), max(int(left_ms), 0) / 1000
    now = time.time()
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_DATABASE_COUNT, [key, now + seconds, now, now])
        calls, ends = cursor.fetchone()
        if calls == 1:
            cursor.execute("DELETE FROM jifen_call_counts WHERE ends < %s", [now - PRUNE_AFTER])
    return int(calls), max(float(ends) - now, 0.0)


class _SharedRate(SimpleRateThrottle):
    setting = ""  # the name of the setting that holds the calls allowed a minute

    def __init__(self) -> None:
        super().__init__(rate=f"{self.calls_a_minute()}/min")
        # ninja shares an operation's throttle between threads: what a call waits is kept per thread
        self._waits = threading.local()

    def calls_a_minute(self) -> int:
        calls: int = getattr(settings, self.setting)
        return calls

    def get_ident(self, request: HttpRequest) -> str:
        return client_address(request)

    def allow_request(self, request: HttpRequest) -> bool:
        key = self.get_cache_key(request)
        if key is None:
            return True
        try:
            calls, left = count_call(key + KEY_SUFFIX, MINUTE)
        except CounterDownError:  # refused for now; the API's handler of Throttled answers 503 (api.app)
            request.uncounted = True  # type: ignore[attr-defined]
            self._waits.seconds = UNAVAILABLE_RETRY_SECONDS
            return False
        allowed = calls <= self.calls_a_minute()
        self._waits.seconds = None if allowed else left
        return allowed

    def wait(self) -> float | None:
        seconds: float | None = getattr(self._waits, "seconds", None)
        return seconds


class AnonymousRate(_SharedRate, AnonRateThrottle):
    """JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE calls a minute per client address, counted apart for ``scope``."""

    setting = "JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE"

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()


class AccountRate(_SharedRate, UserRateThrottle):
    """JIFEN_USER_REQUESTS_PER_MINUTE calls a minute per signed-in account (token or session); as many per
    client address for calls without an account."""

    setting = "JIFEN_USER_REQUESTS_PER_MINUTE"

    def get_cache_key(self, request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"throttle_account_{user.pk}"
        return f"throttle_address_{self.get_ident(request)}"
