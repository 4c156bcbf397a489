"""Starting Django from the jifen command: settings, migrations, the demo data and the server."""

from __future__ import annotations

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jifen.service.settings")
    import django

    django.setup()


def migrate() -> None:
    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
