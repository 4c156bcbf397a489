"""Who is calling: a bearer token (API clients) or the session (pages); anonymous rate limits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from jifen.service.accounts.services import user_for_token
from jifen.service.errors import WorkflowError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [BearerToken(), django_auth]


class TooManyRequests(WorkflowError):
    status = 429


def rate_limit(request: HttpRequest, bucket: str) -> None:
    """At most JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE calls a minute per client address and bucket."""
    address = request.META.get("REMOTE_ADDR", "?")
    key = f"rate:{bucket}:{address}"
    cache.add(key, 0, 60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 60)
        count = 1
    if count > settings.JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE:
        raise TooManyRequests("too many requests: try again in a minute")
