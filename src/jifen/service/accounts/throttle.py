"""Login throttling: after N failures for one user name, refuse logins for a while."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str) -> str:
    """A key any cache backend takes, whatever the name typed (memcached refuses spaces, control
    characters and keys over 250 bytes)."""
    return "login-failures:" + hashlib.sha256(username.lower().encode("utf-8", "surrogatepass")).hexdigest()


def locked(username: str) -> bool:
    return int(cache.get(_key(username), 0)) >= settings.JIFEN_LOGIN_FAILURES_ALLOWED


def record_failure(username: str) -> None:
    key = _key(username)
    cache.add(key, 0, settings.JIFEN_LOGIN_LOCK_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.JIFEN_LOGIN_LOCK_SECONDS)


def clear(username: str) -> None:
    cache.delete(_key(username))
