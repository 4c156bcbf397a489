"""API rates with django-ninja's throttles (issue 13, item 1).

ninja keeps, for each key, the times of the calls of the last minute in Django's default cache -- a table of
the database, or Redis (settings.CACHES) -- so every worker and node counts the same calls. Here:

- AnonymousRate, on the anonymous endpoints (score, advise, employer registration), each its own count:
  JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE calls a minute per client address;
- AccountRate, on every other operation (the API's default): JIFEN_USER_REQUESTS_PER_MINUTE calls a minute
  per signed-in account, and as many per address for calls without one (logins, set-password).

The address is jifen.service.client_address's (X-Forwarded-For only from JIFEN_TRUSTED_PROXIES). The rates
are read from the settings at each call. Reading a key's calls and writing them back with one more is done
by one worker at a time (jifen.service.one_at_a_time), or two workers could both let the last call through.
Over the rate, ninja answers 429 with Retry-After (jifen.service.api.app words the body).
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from jifen.service.client_address import client_address
from jifen.service.one_at_a_time import one_at_a_time

MINUTE = 60  # seconds: the rates are calls a minute


class _SharedRate(SimpleRateThrottle):
    setting = ""  # the name of the setting that holds the calls allowed a minute

    def __init__(self) -> None:
        super().__init__(rate=f"{self.calls_a_minute()}/min")
        # ninja keeps the call being checked on the throttle, which an operation shares between threads
        self._checking = threading.Lock()
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
        with self._checking, one_at_a_time(f"throttle:{key}"):
            self.num_requests, self.duration = self.calls_a_minute(), MINUTE
            allowed = super().allow_request(request)
            self._waits.seconds = None if allowed else super().wait()
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
