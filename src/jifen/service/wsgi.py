"""WSGI entry point (``jifen serve`` runs it under gunicorn)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jifen.service.settings")
application = get_wsgi_application()
