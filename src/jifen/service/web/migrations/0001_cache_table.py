"""Django's cache table (settings.CACHES, a DatabaseCache unless JIFEN_REDIS_URL is set), where the API's
rates are counted for every worker and node (issue 13, item 1). Created wherever migrations run, the tests'
database included; ``createcachetable`` leaves an existing table alone and does nothing for Redis."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
