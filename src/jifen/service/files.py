"""Files of the service's own readable by its user only: the SQLite database (settings), the secret key."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any


def owner_only_database(database: Mapping[str, Any]) -> None:
    """Create an SQLite database's file, empty and owner-only (0600), before SQLite does with the umask's mode;
    SQLite gives its -wal and -shm files the database file's mode. Other databases, or a file that is there
    already, are left as they are."""
    name = str(database.get("NAME", ""))
    if database.get("ENGINE") != "django.db.backends.sqlite3" or name in ("", ":memory:") or name.startswith("file:"):
        return
    try:
        os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
