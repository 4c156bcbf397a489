"""Calls that start a session or act on one: the API's own JSON, from this site (issue 13.4).

Without asking the server first, a browser sends across sites only what a form can send: a body typed
``text/plain``, ``application/x-www-form-urlencoded`` or ``multipart/form-data``, and no Authorization
header. Anything else needs a CORS preflight, which this service never grants. So, for every POST, PUT,
PATCH and DELETE under /api/v1/ (``JsonOnlyMiddleware``):

- ``Content-Type: application/json`` (``multipart/form-data`` on the materials upload, and only there),
  else 415 ``{"detail": ...}`` before anything runs. It is required of every call with a body or a
  declared Content-Type (a browser's form always declares one) and of ``POST /auth/login`` and
  ``POST /auth/token``; only a call that sends no body and declares no type may leave it out.
- A call made with the pages' session (a signed-in session cookie, no Authorization header) must show
  that it comes from this site: its Origin, else its Referer, is this scheme and host (or one of
  CSRF_TRUSTED_ORIGINS, written in full), else 403. Django's CSRF token is checked besides, by ninja's
  ``django_auth``. A bearer-token call needs neither.
- ``/auth/login`` and ``/auth/token`` from a page of another site (its Origin or Referer says so): 403.

Pages (forms) keep Django's own CSRF protection.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

API = "/api/v1/"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON = "application/json"
MULTIPART = "multipart/form-data"
UPLOAD = re.compile(r"/api/v1/applications/[^/]+/materials")  # the one operation that takes a file
STARTS_A_SESSION = frozenset({"/api/v1/auth/login", "/api/v1/auth/token"})
NOT_FROM_THIS_SITE = "this call must come from a page of this site (Origin or Referer of this host)"


class JsonOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in UNSAFE and request.path.startswith(API):
            refused = refusal(request)
            if refused is not None:
                return refused
        return self.get_response(request)


def refusal(request: HttpRequest) -> HttpResponse | None:
    """415 or 403 for an unsafe API call (see the module), None when it may go on."""
    expected = MULTIPART if UPLOAD.fullmatch(request.path) else JSON
    with_session = session_call(request)
    starts = request.method == "POST" and request.path in STARTS_A_SESSION
    declared = bool(request.META.get("CONTENT_TYPE"))
    if (_has_body(request) or declared or starts) and request.content_type != expected:
        return _answer(415, f"Content-Type must be {expected}")
    if with_session and not from_this_site(request, required=True):
        return _answer(403, NOT_FROM_THIS_SITE)
    if starts and not from_this_site(request, required=False):
        return _answer(403, NOT_FROM_THIS_SITE)
    return None


def session_call(request: HttpRequest) -> bool:
    """Made with the pages' signed-in session: no Authorization header (a bearer token comes first)."""
    if "Authorization" in request.headers or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user: Any = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def from_this_site(request: HttpRequest, *, required: bool) -> bool:
    """The Origin, else the Referer, is this site; without either: ``not required``."""
    origin = request.headers.get("Origin")
    if origin is None:
        referer = request.headers.get("Referer")
        if not referer:
            return not required
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    return origin in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def _has_body(request: HttpRequest) -> bool:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return "HTTP_TRANSFER_ENCODING" in request.META or not (length.isdigit() and int(length) == 0)


def _answer(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def document_refusals(document: dict[str, Any]) -> dict[str, Any]:
    """Add 403 and 415 to the answers the OpenAPI document lists for every unsafe operation."""
    detail = {"content": {JSON: {"schema": {"$ref": "#/components/schemas/Detail"}}}}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if method.upper() in UNSAFE and path.startswith(API):
                answers = operation.setdefault("responses", {})
                answers.setdefault(403, {"description": "Forbidden", **detail})
                answers.setdefault(415, {"description": "Unsupported Media Type", **detail})
    return document
