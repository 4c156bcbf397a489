"""Writing audit rows, each chained to the one before (``jifen.service.audit.chain``)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from jifen.service.audit.chain import GENESIS, Content, content_of, row_hash
from jifen.service.audit.middleware import current_client_request_id, current_request_id
from jifen.service.audit.models import AuditEntry

# pg_advisory_xact_lock's key for appending to the chain ("jifen" in ASCII).
CHAIN_LOCK = 0x6A6966656E


def record(
    actor: User | None,
    action: str,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Append one row, in the caller's transaction (or one of its own).

    Writers are serialised until their transaction ends, so that no two chain to the same previous row:
    SQLite's transactions take the write lock when they start (``transaction_mode`` IMMEDIATE), and on
    PostgreSQL a transaction-scoped advisory lock is taken before the last row is read. (Locking the last
    row with SELECT … FOR UPDATE would not do: the second writer, once let through, still reads the row it
    waited for, not the one the first writer added.)"""
    with transaction.atomic(savepoint=False):  # the caller's transaction when there is one, else its own
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = AuditEntry(
            at=timezone.now(),
            actor=actor if actor is not None and actor.is_authenticated else None,
            request_id=current_request_id(),
            client_request_id=current_client_request_id(),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            before=_as_stored(before),
            after=_as_stored(after),
        )
        entry.hash = row_hash(GENESIS if last is None else last, content(entry))
        entry.save(force_insert=True)
        return entry


def content(entry: AuditEntry) -> Content:
    return content_of(entry)


def _as_stored(value: dict[str, Any] | None) -> Any:
    """``value`` as the JSON column gives it back (tuples as lists, keys as strings), which is what is hashed."""
    return None if value is None else json.loads(json.dumps(value))
