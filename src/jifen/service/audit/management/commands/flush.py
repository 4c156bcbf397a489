"""``manage flush`` empties every table, the audit trail included, on SQLite as on PostgreSQL.

On PostgreSQL flush is TRUNCATE, which the audit table's row trigger does not see. On SQLite it is DELETE,
which the triggers refuse, so here they are dropped, the tables emptied and the triggers created again, in
one transaction (SQLite's DDL is transactional): no other connection ever sees the table unprotected, and a
flush that fails leaves them in place. Django's tests empty the database this way after each test that
commits (``transaction=True``).

Emptying the whole database is not changing the audit trail: whoever may flush may delete the database
file or drop the PostgreSQL database as well; what the triggers stop is a row changed or removed in a
database that goes on being used.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

TRIGGERS = ("audit_auditentry_no_update", "audit_auditentry_no_delete")


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database", DEFAULT_DB_ALIAS)]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)", list(TRIGGERS)
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            super().handle(**options)
            for _name, sql in triggers:
                cursor.execute(sql)
