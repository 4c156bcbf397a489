"""Login lock-outs with django-axes (issue 13, item 1).

Each failed login is a row of axes' AccessAttempt table (user name, address, user agent, failures, time of
the last one), so every worker and node counts the same failures. Two limits (AXES_LOCKOUT_PARAMETERS):

- JIFEN_LOGIN_FAILURES_ALLOWED failures for one user name from one address lock that user name at that
  address: whoever guesses a reviewer's password is stopped, the reviewer at their own desk is not;
- JIFEN_LOGIN_FAILURES_PER_ADDRESS failures from one address, whatever the user names, lock the address:
  one machine cannot try 60 user names.

A failure counts for JIFEN_LOGIN_LOCK_SECONDS, so a lock ends that long after the failure that set it.
Attempts while locked are refused without being counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off):
they neither extend the lock nor grow axes' rows, whatever the number. The address is
jifen.service.client_address's. accounts.services.login is the one way in (pages and API).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest

from jifen.service.client_address import client_address
from jifen.service.errors import TooManyRequests


def failures_allowed(request: HttpRequest | None = None, credentials: dict[str, Any] | None = None) -> int:
    """AXES_FAILURE_LIMIT: failures for one user name at one address (read at each login, so that a test
    or a deployment's settings change it)."""
    allowed: int = settings.JIFEN_LOGIN_FAILURES_ALLOWED
    return allowed


def lock_time(request: HttpRequest | None = None) -> timedelta:
    """AXES_COOLOFF_TIME: how long a failure counts (a lock ends that long after the failure that set it)."""
    return timedelta(seconds=settings.JIFEN_LOGIN_LOCK_SECONDS)


def _limit(parameter: str | Sequence[str]) -> int:
    by_name = parameter == "username" or (not isinstance(parameter, str) and "username" in parameter)
    limit: int = settings.JIFEN_LOGIN_FAILURES_ALLOWED if by_name else settings.JIFEN_LOGIN_FAILURES_PER_ADDRESS
    return limit


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes has no type information
    """axes' database handler with a limit for each lockout parameter. axes compares the largest count with
    one limit; here the failures by user name and address are held to JIFEN_LOGIN_FAILURES_ALLOWED and
    those by address to JIFEN_LOGIN_FAILURES_PER_ADDRESS."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return self.lock_ends(request, credentials) is not None

    def lock_ends(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> datetime | None:
        """When the lock on this login ends, None when there is none. For each parameter, the newest
        failures that together reach its limit hold it until the oldest of them leaves the lock time
        (each row holds a user agent's failures and the time of its last one)."""
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)  # one query set per parameter, in order
        ends = []
        for parameter, found in zip(parameters, attempts, strict=True):
            total = 0
            for last, failures in found.order_by("-attempt_time").values_list("attempt_time", "failures_since_start"):
                total += failures
                if total >= _limit(parameter):
                    ends.append(last + lock_time(request))
                    break
        return max(ends, default=None)


def locked_out(request: HttpRequest, username: str) -> TooManyRequests:
    """The answer to a login while locked: 429, naming the wait until the lock ends."""
    handler = AxesProxyHandler.get_implementation()
    ends = handler.lock_ends(request, get_credentials(username)) if isinstance(handler, LockoutHandler) else None
    now: datetime = request.axes_attempt_time  # type: ignore[attr-defined]  # set by axes for this login
    wait = (ends - now).total_seconds() if ends is not None else settings.JIFEN_LOGIN_LOCK_SECONDS
    return TooManyRequests("too many failed logins", "登录失败次数过多", max(1, math.ceil(wait)))


def forget_failures(request: HttpRequest, username: str) -> None:
    """After a successful login: the user name's failures at this address no longer count (those of other
    user names at the address still do, towards JIFEN_LOGIN_FAILURES_PER_ADDRESS)."""
    AccessAttempt.objects.filter(username=username, ip_address=client_address(request)).delete()
