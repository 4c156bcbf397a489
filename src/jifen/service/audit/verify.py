"""Checking the audit trail: the hash chain from the first row to the last, and the triggers in place."""

from __future__ import annotations

from django.db import connection

from jifen.service.audit.chain import Content, Walk, walk
from jifen.service.audit.models import AuditEntry

TRIGGERS = {  # made by migration 0003; rebuilding the table on SQLite would drop them
    "sqlite": ("audit_auditentry_no_update", "audit_auditentry_no_delete"),
    "postgresql": ("audit_auditentry_append_only",),
}
FIELDS = (
    "id",
    "hash",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "request_id",
    "client_request_id",
    "before",
    "after",
)


def walk_trail() -> Walk:
    rows = AuditEntry.objects.order_by("id").values_list(*FIELDS).iterator(chunk_size=2000)
    return walk((row[0], row[1], Content(*row[2:])) for row in rows)


def missing_triggers() -> list[str]:
    """The triggers refusing UPDATE and DELETE on audit rows that the database lacks."""
    expected = TRIGGERS.get(connection.vendor, ())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditentry'")
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditentry'::regclass AND tgenabled <> 'D'"
            )
        present = {name for (name,) in cursor.fetchall()}
    return [name for name in expected if name not in present]
