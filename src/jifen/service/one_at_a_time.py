"""One worker at a time, across every worker and node, for one name (issue 13, item 1).

A login is checked against the failures counted so far, then its failure is counted; a rate limit reads the
calls made so far, then writes them back with one more. Two workers doing either at once would both read
the same count and both let their request through, so with two workers more than the limit would pass.
The database every worker shares orders them: the block runs in a transaction that, on PostgreSQL, first
takes an advisory lock on ``name`` (held until the transaction ends); on SQLite the transaction itself
holds the database's write lock from its start (``transaction_mode`` IMMEDIATE in the settings).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def one_at_a_time(name: str, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block in a transaction no other process runs for ``name`` at the same time. Raising inside
    rolls the block's writes back: decide inside, raise after."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])
        yield
