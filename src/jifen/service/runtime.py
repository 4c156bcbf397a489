"""Starting Django from the jifen command: settings, migrations, the demo data and the server."""

from __future__ import annotations

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jifen.service.settings")
    import django

    django.setup()


def migrate() -> None:
    """Apply migrations, and create the cache table (the shared counts of API rates) if it is missing, e.g.
    after CACHES changed from Redis to the database."""
    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)


def prepare() -> None:
    """Everything a server needs before it starts: migrations applied, static files collected. ``jifen
    serve`` runs it in a process of its own, so that the server's master never opens a connection."""
    migrate()
    from django.core.management import call_command
    from django.db import connections

    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()


def close_connections() -> None:
    """Close every database connection of this process: a forked worker must never inherit its master's
    socket, or two processes would speak on one connection."""
    from django.db import connections

    connections.close_all()


def before_fork(server: object, worker: object) -> None:
    """gunicorn's ``pre_fork`` hook (run in the master before each worker, respawns included)."""
    close_connections()
