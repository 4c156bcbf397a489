"""A request id of the server's own for every request, returned in X-Request-ID and kept for audit rows.

A client's X-Request-ID is kept beside it (``client_request_id``) when it is printable ASCII of at most 64
characters, and dropped otherwise: it helps to find a client's call, but says nothing the server vouches for.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_current: ContextVar[tuple[str, str]] = ContextVar("request_id", default=("", ""))
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]{1,64}")


def current_request_id() -> str:
    """The server's id of the request being answered ("" outside a request)."""
    return _current.get()[0]


def current_client_request_id() -> str:
    """The client's X-Request-ID of the request being answered, when usable ("" otherwise)."""
    return _current.get()[1]


def client_request_id(given: str) -> str:
    return given if _PRINTABLE_ASCII.fullmatch(given) else ""


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        token = _current.set((request_id, client_request_id(request.headers.get("X-Request-ID", ""))))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response
