"""No cache keeps a personal answer (issue 13.3).

``Cache-Control: no-store`` and ``Pragma: no-cache`` on every response to a signed-in person (pages, API,
downloads), on every API answer but its documentation (``/api/v1/openapi.json``, ``/api/v1/docs``) and on
the notice verification page (a holder's name and points). Static files are answered before this
middleware runs (whitenoise) and keep their caching.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

API = "/api/v1/"
PUBLIC_API = ("/api/v1/openapi.json", "/api/v1/docs")
VERIFY = "/verify/"


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if personal(request):
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


def personal(request: HttpRequest) -> bool:
    path = request.path
    if path.startswith(API):
        return not path.startswith(PUBLIC_API)
    if path.startswith(VERIFY):
        return True
    user: Any = getattr(request, "user", None)  # signed in now (after a sign-in too)
    return bool(user is not None and user.is_authenticated)
