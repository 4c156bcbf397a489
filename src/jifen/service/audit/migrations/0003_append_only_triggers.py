"""The database refuses UPDATE and DELETE on audit rows (issue 13.5), whatever the code that asks.

SQLite: two BEFORE triggers raising ABORT. PostgreSQL: a plpgsql function raising integrity_constraint_violation
(so that both databases give Django an IntegrityError) and a BEFORE UPDATE OR DELETE row trigger. Emptying the
whole database (``manage flush``: TRUNCATE on PostgreSQL, which fires no row trigger; on SQLite see
jifen/service/audit/management/commands/flush.py) still works.
"""

from typing import Any

from django.db import migrations

MESSAGE = "audit rows cannot be changed"

SQLITE = [
    "CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    "CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
]
POSTGRESQL = [
    "CREATE FUNCTION audit_auditentry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; END $$",
    "CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse_change()",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_auditentry_refuse_change()",
]


def _run(statements: dict[str, list[str]], schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise RuntimeError(f"audit triggers: no statements for the {vendor} database (SQLite and PostgreSQL only)")
    for statement in statements[vendor]:
        schema_editor.execute(statement, params=None)


def create(apps: Any, schema_editor: Any) -> None:
    _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}, schema_editor)


def drop(apps: Any, schema_editor: Any) -> None:
    _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_hash_chain_and_client_request_id"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
