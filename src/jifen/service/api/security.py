"""Who is calling: a bearer token (API clients) or the session (pages). (Rates: jifen.service.api.throttles.)"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from jifen.service.accounts.services import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; an expired or revoked token is answered 401 "token expired or
    revoked" (jifen.service.errors.Unauthorized), an unknown one 401 "Unauthorized"."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def presented_token(request: HttpRequest) -> str:
    """The token of ``Authorization: Bearer <token>``, read as ninja's HttpBearer reads it."""
    _, _, token = request.headers.get("Authorization", "").partition(" ")
    return token


AUTH = [BearerToken(), django_auth]
