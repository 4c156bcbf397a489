"""Text and dates as the database will keep them, checked before they reach it.

Every string a caller sends is checked against its column: no NUL character (PostgreSQL refuses it,
SQLite would keep it) and no more characters than the column holds (PostgreSQL refuses them, SQLite
would keep them all). JSON kept in JSON columns is checked for NUL too. A failure is an ``Invalid``
(422) that names the field and repeats at most a short prefix of the value, the same on both databases.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Model

from jifen.facts.limits import EARLIEST_DATE, LATEST_DATE
from jifen.service.errors import Invalid

_NUL = "\x00"
LARGEST_ID = 2**63 - 1  # the largest primary key either database stores
_ECHO = 40


def short(value: str) -> str:
    """At most the first characters of ``value``, for an error message."""
    return value if len(value) <= _ECHO else value[:_ECHO] + "…"


def column_text(value: str, model: type[Model], column: str, field: str | None = None) -> str:
    """``value`` checked for the column ``model.column``; ``field`` names it in the error (default: the column)."""
    label = field or column
    if _NUL in value:
        raise Invalid(f"{label}: must not contain the NUL character", f"{label}：不能包含空字符（NUL）")
    limit = getattr(model._meta.get_field(column), "max_length", None)
    if limit is not None and len(value) > limit:
        raise Invalid(
            f"{label}: at most {limit} characters, got {len(value)}",
            f"{label}：最多{limit}个字符，实际为{len(value)}个",
        )
    return value


def storable_id(value: int) -> bool:
    """Whether ``value`` can be a primary key at all (larger numbers make PostgreSQL fail the query)."""
    return 0 < value <= LARGEST_ID


def plain_json(value: Any, field: str) -> Any:
    """``value`` (decoded JSON) refused when any text in it, key or value, holds a NUL character."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            texts: list[Any] = [item]
        elif isinstance(item, dict):
            texts = list(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
            continue
        else:
            continue
        if any(isinstance(t, str) and _NUL in t for t in texts):
            raise Invalid(f"{field}: must not contain the NUL character", f"{field}：不能包含空字符（NUL）")
    return value


def bounded_date(value: date | None, field: str) -> date | None:
    """``value`` refused when outside the dates jifen accepts (jifen.facts.limits)."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise Invalid(
            f"{field}: {value} is outside {EARLIEST_DATE} to {LATEST_DATE}",
            f"{field}：日期{value}超出可接受的范围（{EARLIEST_DATE}至{LATEST_DATE}）",
        )
    return value
