"""``/favicon.ico``, which browsers ask for on every site whatever the page says: the icon itself (200),
from the application's static files. The pages name it, and its SVG form, in ``<link rel="icon">``."""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

ICON = Path(__file__).resolve().parent / "static" / "web" / "favicon.ico"


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ICON.read_bytes(), content_type="image/x-icon")
