"""The audit trail's hash chain: each row's hash covers the previous row's hash and the row's own content.

A row's hash is SHA-256 over a canonical text of ``[previous hash, at, actor id, action, object type,
object id, request id, client request id, before, after]``: JSON with sorted keys, no spaces, and every
number written as its shortest exact decimal (so that PostgreSQL's jsonb, which keeps 1e16 as
10000000000000000, and SQLite's text give the same hash). The first row chains to the empty string.

The format is frozen: the migration that hashed the rows written before the chain existed uses it, and
changing it would break every stored hash. Django models are not imported here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Context, Decimal
from typing import Any

GENESIS = ""  # what the first row chains to


@dataclass(frozen=True)
class Content:
    """What a row's hash covers, besides the previous row's hash."""

    at: datetime
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    request_id: str
    client_request_id: str
    before: Any
    after: Any


def content_of(row: Any) -> Content:
    """The hashed content of an audit row: the model's, or a migration's historical model's."""
    return Content(
        at=row.at,
        actor_id=row.actor_id,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        request_id=row.request_id,
        client_request_id=row.client_request_id,
        before=row.before,
        after=row.after,
    )


def row_hash(previous: str, content: Content) -> str:
    fields = [
        previous,
        content.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        content.actor_id,
        content.action,
        content.object_type,
        content.object_id,
        content.request_id,
        content.client_request_id,
        content.before,
        content.after,
    ]
    return hashlib.sha256(canonical(fields).encode("utf-8")).hexdigest()


def canonical(value: Any) -> str:
    """``value`` (JSON data) as one text: sorted keys, no spaces, numbers as shortest exact decimals."""
    if value is None or isinstance(value, bool | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise ValueError(f"audit content: {value!r} is not a JSON number")
        return str(number.normalize(Context(prec=max(1, len(number.as_tuple().digits)))))  # exact
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    if isinstance(value, dict):
        items = sorted((str(key), item) for key, item in value.items())
        return "{" + ",".join(json.dumps(key, ensure_ascii=False) + ":" + canonical(item) for key, item in items) + "}"
    raise TypeError(f"audit content: {type(value).__name__} is not JSON data")


@dataclass(frozen=True)
class Break:
    """The first row whose stored hash is not the one its content and the previous row's hash give."""

    row_id: int
    previous_id: int | None
    stored: str
    computed: str

    def message(self) -> str:
        after = f"row {self.previous_id}'s hash" if self.previous_id is not None else "the start of the trail"
        stored = self.stored or "(none)"
        return (
            f"audit trail broken at row {self.row_id}: its stored hash {stored} is not {self.computed}, "
            f"the hash of its content chained to {after}; row {self.row_id} was changed, or a row before it "
            "was changed, removed or inserted"
        )


@dataclass(frozen=True)
class Walk:
    rows: int
    last_id: int | None
    last_hash: str
    broken: Break | None


def walk(rows: Iterable[tuple[int, str, Content]]) -> Walk:
    """Check ``rows`` (id, stored hash, content), in id order, up to the first broken one."""
    count, previous_id, previous = 0, None, GENESIS
    for row_id, stored, content in rows:
        computed = row_hash(previous, content)
        if stored != computed:
            return Walk(count, previous_id, previous, Break(row_id, previous_id, stored, computed))
        count, previous_id, previous = count + 1, row_id, stored
    return Walk(count, previous_id, previous, None)
