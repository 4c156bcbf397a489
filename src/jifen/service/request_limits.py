"""Limits every request meets before a view sees it: body size, and no NUL character in the address.

A JSON body is at most ``JIFEN_MAX_JSON_BYTES`` (far above any real life's facts, see the contract's caps
on lists), a file upload at most the upload limit plus its form fields. Larger bodies are answered 413
before they are read: JSON for the API, text for the pages. A NUL character in the path or the query
string (``%00``) is answered 422 (API) or 400 (pages) instead of reaching a database that refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

_API = "/api/"
_FORM_ALLOWANCE = 64 * 1024  # the multipart envelope and the form's other fields around an uploaded file


def body_limit(request: HttpRequest) -> int:
    if request.content_type == "multipart/form-data":
        return int(settings.JIFEN_MAX_UPLOAD_BYTES) + _FORM_ALLOWANCE
    return int(settings.JIFEN_MAX_JSON_BYTES)


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = f"request body: at most {limit} bytes"
    if request.path.startswith(_API):
        return JsonResponse({"detail": message}, status=413)
    return HttpResponse(f"请求内容过大 / {message}", status=413, content_type="text/plain; charset=utf-8")


class RequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = _nul_in_address(request)
        if where is not None:
            message = f"{where}: must not contain the NUL character"
            if request.path.startswith(_API):
                return JsonResponse({"detail": [{"loc": where, "msg": message}]}, status=422)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        limit = body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return _too_large(request, limit)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A body without a length that turned out too large while being read."""
        if isinstance(exception, RequestDataTooBig):
            return _too_large(request, body_limit(request))
        return None


def _nul_in_address(request: HttpRequest) -> str | None:
    if "\x00" in request.path:
        return "path"
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query:
        for pair in query.split("&"):
            name, _, value = pair.partition("=")
            if "\x00" in unquote(value) or "\x00" in unquote(name):
                return f"query: {unquote(name).replace(chr(0), '')[:40]}"
    return None
