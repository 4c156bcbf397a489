"""A signed-in session ends JIFEN_SESSION_HOURS after sign-in, however active (issue 13.6).

The idle limit is Django's own: SESSION_COOKIE_AGE is the idle time and SESSION_SAVE_EVERY_REQUEST moves
the session's expiry (in the session store and in the cookie) on at every request, so a session unused for
JIFEN_SESSION_IDLE_MINUTES is gone. That same sliding expiry would let an active session live for ever;
this middleware bounds it: it notes the sign-in time in the session and signs out a session older than
the limit. Both run on the real time (``django.utils.timezone.now``), as Django's session expiry does,
not on the service's clock, which demonstrations and tests pin to a day.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SIGNED_IN_AT = "jifen_signed_in_at"  # POSIX seconds, in the session


class SessionLifetimeMiddleware:
    """After SessionMiddleware and AuthenticationMiddleware. Requests signed by an API token are untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            signed_in_at = session.get(SIGNED_IN_AT)
            limit = settings.JIFEN_SESSION_HOURS * 3600
            if isinstance(signed_in_at, int | float) and timezone.now().timestamp() - signed_in_at >= limit:
                logout(request)
        response = self.get_response(request)
        if SESSION_KEY in request.session and SIGNED_IN_AT not in request.session:
            request.session[SIGNED_IN_AT] = timezone.now().timestamp()  # signed in by this request (or before)
        return response
