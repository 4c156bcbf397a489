"""The batch layout (see docs/batch.md): one row per holder, every fact in its own typed column.

Scalars are plain columns (dates as ``date32``); each list of the facts (education, qualifications,
contribution runs, periods, awards, penalties, vetoes) is a group of list columns of equal length per
row, one per field. A contribution month is the ``date32`` of its first day. Null means absent: a null
optional field takes the contract's default, a null required one is refused as in the contract.

``from_row`` turns a row back into a ``jifen.facts/1`` document, which the scalar engine validates and
scores; the vectorised engine reads the columns directly (:mod:`jifen.batch.vectorised`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from jifen.facts.model import FACTS_SCHEMA, SKILL_LEVELS

_DATE = pa.date32()
_DATES = pa.list_(pa.date32())
_TEXTS = pa.list_(pa.string())
_FLAGS = pa.list_(pa.bool_())

# (facts key, [(column, contract field, type)]) for each list of the facts, in the contract's order.
GROUPS: tuple[tuple[str, tuple[tuple[str, str, pa.DataType], ...]], ...] = (
    (
        "education",
        (
            ("education_level", "level", _TEXTS),
            ("education_graduated_on", "graduated_on", _DATES),
            ("education_degree", "degree", _FLAGS),
            ("education_full_time", "full_time", _FLAGS),
            ("education_foreign", "foreign", _FLAGS),
        ),
    ),
    (
        "qualifications",
        (
            ("qualification_kind", "kind", _TEXTS),
            ("qualification_level", "level", _TEXTS),
            ("qualification_obtained_on", "obtained_on", _DATES),
            ("qualification_in_shanghai", "obtained_in_shanghai", _FLAGS),
            ("qualification_matches_post", "matches_post", _FLAGS),
        ),
    ),
    (
        "social_insurance",
        (
            ("si_from", "from", _DATES),
            ("si_to", "to", _DATES),
            ("si_base", "base", pa.list_(pa.float64())),
            ("si_back_paid", "back_paid", _FLAGS),
            ("si_employer_matches", "employer_matches_contract", _FLAGS),
            ("si_employer_uscc", "employer_uscc", _TEXTS),
        ),
    ),
    ("remote_area", (("remote_area", "area", _TEXTS), ("remote_from", "from", _DATES), ("remote_to", "to", _DATES))),
    ("public_service", (("public_service_from", "from", _DATES), ("public_service_to", "to", _DATES))),
    ("awards", (("award_level", "level", _TEXTS), ("award_on", "awarded_on", _DATES))),
    ("penalties", (("penalty_kind", "kind", _TEXTS), ("penalty_on", "on", _DATES))),
    ("vetoes", (("veto_kind", "kind", _TEXTS), ("veto_on", "on", _DATES))),
)
# Fields a list item cannot do without: null there is refused ("required"), elsewhere null is absent.
REQUIRED = frozenset(
    {
        "education_level",
        "education_graduated_on",
        "qualification_kind",
        "qualification_level",
        "qualification_obtained_on",
        "si_from",
        "si_base",
        "remote_area",
        "remote_from",
        "public_service_from",
        "award_level",
        "award_on",
        "penalty_kind",
        "penalty_on",
        "veto_kind",
    }
)
MONTH_COLUMNS = frozenset({"si_from", "si_to"})
DATE_COLUMNS = frozenset(column for _, fields in GROUPS for column, _, kind in fields if kind == _DATES)
SKILL_TEXTS = tuple(str(level) for level in SKILL_LEVELS)  # a skill level in qualification_level
FLAGS = ("shortage_major_matching_post", "entrepreneur_talent", "innovation_intermediary_talent", "fresh_graduate")

INPUT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("as_of", _DATE),
        ("birth_date", _DATE),
        ("id_number", pa.string()),
        ("permit_valid_from", _DATE),
        ("permit_valid_until", _DATE),
        ("hukou_spouse_married_on", _DATE),
        ("investment_tax_yuan", pa.float64()),
        ("investment_hukou_employees", pa.float64()),
        *[(flag, pa.bool_()) for flag in FLAGS],
        ("last_approved_total", pa.int32()),
        ("last_approved_on", _DATE),
        *[(column, kind) for _, fields in GROUPS for column, _, kind in fields],
    ]
)


class LayoutError(ValueError):
    """A row that does not fit the layout (list columns of one group differ in length)."""


def _date(text: object) -> date | None:
    return date.fromisoformat(str(text)) if text is not None else None


def _month(text: object) -> date | None:
    return date.fromisoformat(f"{text}-01") if text is not None else None


def to_row(holder_id: str, facts: dict[str, Any]) -> dict[str, Any]:
    """A valid ``jifen.facts/1`` document as one row of the layout."""
    permit = facts.get("residence_permit") or {}
    investment = facts.get("investment") or {}
    approved = facts.get("last_approved") or {}
    row: dict[str, Any] = {
        "id": holder_id,
        "as_of": _date(facts.get("as_of")),
        "birth_date": _date(facts.get("birth_date")),
        "id_number": facts.get("id_number"),
        "permit_valid_from": _date(permit.get("valid_from")),
        "permit_valid_until": _date(permit.get("valid_until")),
        "hukou_spouse_married_on": _date(facts.get("hukou_spouse_married_on")),
        "investment_tax_yuan": investment.get("avg_annual_tax_yuan"),
        "investment_hukou_employees": investment.get("avg_annual_hukou_employees"),
        "last_approved_total": approved.get("total"),
        "last_approved_on": _date(approved.get("on")),
    }
    if facts.get("investment") is not None and not investment:
        row["investment_tax_yuan"] = 0.0  # an empty investment object: present, both amounts 0
    for flag in FLAGS:
        row[flag] = facts.get(flag)
    for key, fields in GROUPS:
        items = facts.get(key) or []
        for column, name, kind in fields:
            values = [item.get(name) for item in items]
            if column in MONTH_COLUMNS:
                values = [_month(v) for v in values]
            elif kind == _DATES:
                values = [_date(v) for v in values]
            elif column == "qualification_level":
                values = [None if v is None else str(v) for v in values]
            elif column == "si_base":
                values = [None if v is None else float(v) for v in values]
            row[column] = values
    return row


def _text(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _month_text(value: object) -> object:
    if isinstance(value, date) and value.day == 1:
        return f"{value.year:04d}-{value.month:02d}"
    return _text(value)  # not a first day: refused by the facts parser as not a month


def from_row(row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The holder's id and ``jifen.facts/1`` document; raises :class:`LayoutError` for a malformed row."""
    facts: dict[str, Any] = {"schema": FACTS_SCHEMA}
    for key in ("as_of", "birth_date", "id_number", "hukou_spouse_married_on"):
        if row.get(key) is not None:
            facts[key] = _text(row[key])
    if row.get("permit_valid_from") is not None or row.get("permit_valid_until") is not None:
        facts["residence_permit"] = {
            k: _text(row.get(f"permit_{k}"))
            for k in ("valid_from", "valid_until")
            if row.get(f"permit_{k}") is not None
        }
    if row.get("investment_tax_yuan") is not None or row.get("investment_hukou_employees") is not None:
        pairs = (
            ("avg_annual_tax_yuan", "investment_tax_yuan"),
            ("avg_annual_hukou_employees", "investment_hukou_employees"),
        )
        facts["investment"] = {k: _number(row[c]) for k, c in pairs if row.get(c) is not None}
    for flag in FLAGS:
        if row.get(flag) is not None:
            facts[flag] = row[flag]
    if row.get("last_approved_total") is not None or row.get("last_approved_on") is not None:
        facts["last_approved"] = {
            k: _text(row.get(f"last_approved_{k}"))
            for k in ("total", "on")
            if row.get(f"last_approved_{k}") is not None
        }
    for key, fields in GROUPS:
        columns = [(column, name, row.get(column) or []) for column, name, _ in fields]
        lengths = {len(values) for _, _, values in columns}
        if len(lengths) > 1:
            described = ", ".join(f"{column} {len(values)}" for column, _, values in columns)
            raise LayoutError(f"{key}: the list columns differ in length ({described})")
        items: list[dict[str, Any]] = []
        for index in range(lengths.pop() if lengths else 0):
            item: dict[str, Any] = {}
            for column, name, values in columns:
                value = values[index]
                if value is None and column not in REQUIRED:
                    continue
                if column in MONTH_COLUMNS:
                    value = _month_text(value)
                elif column == "si_base":
                    value = _number(value)
                elif column == "qualification_level" and isinstance(value, str) and value.isdigit():
                    value = int(value) if item.get("kind") == "skill" else value
                item[name] = _text(value)
            items.append(item)
        if items:
            facts[key] = items
    return str(row["id"]), facts


def _number(value: object) -> object:
    """A float that is a whole number as an int, as it would be written in JSON."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def read_table_chunks(path: Path, chunk: int) -> Iterator[pa.Table]:
    """The Parquet file in tables of at most ``chunk`` rows, conformed to :data:`INPUT_SCHEMA`.

    Columns the file lacks are null (absent facts); a column of the wrong type, or one the layout does
    not know, is refused with its name.
    """
    source = pq.ParquetFile(path)
    schema = source.schema_arrow
    for name in schema.names:
        if name not in INPUT_SCHEMA.names:
            raise LayoutError(f"{path}: unknown column {name!r} (the layout is in docs/batch.md)")
        expected = INPUT_SCHEMA.field(name).type
        if not schema.field(name).type.equals(expected):
            raise LayoutError(f"{path}: column {name!r} is {schema.field(name).type}, expected {expected}")
    if "id" not in schema.names or "birth_date" not in schema.names:
        raise LayoutError(f"{path}: the columns 'id' and 'birth_date' are required")
    for batch in source.iter_batches(batch_size=chunk):
        columns = [
            batch.column(name) if name in schema.names else pa.nulls(batch.num_rows, INPUT_SCHEMA.field(name).type)
            for name in INPUT_SCHEMA.names
        ]
        yield pa.Table.from_arrays(columns, schema=INPUT_SCHEMA)


def read_holders(path: Path, chunk: int) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Holders as facts documents in chunks of at most ``chunk``, from Parquet or JSON lines.

    A Parquet row that does not fit the layout comes back as ``(id, LayoutError)`` in place of facts.
    """
    if path.suffix == ".parquet":
        for table in read_table_chunks(path, chunk):
            yield [holder_of(row) for row in table.to_pylist()]
        return
    with path.open(encoding="utf-8") as handle:
        out: list[tuple[str, Any]] = []
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LayoutError(f"{path}:{number}: not JSON: {exc.msg} (column {exc.colno})") from None
            if not isinstance(record, dict) or set(record) != {"id", "facts"}:
                raise LayoutError(f'{path}:{number}: expected {{"id": …, "facts": …}}')
            out.append((str(record["id"]), record["facts"]))
            if len(out) == chunk:
                yield out
                out = []
        if out:
            yield out


def holder_of(row: dict[str, Any]) -> tuple[str, Any]:
    try:
        return from_row(row)
    except LayoutError as exc:
        return str(row["id"]), exc


def write_holders(path: Path, holders: Iterable[tuple[str, dict[str, Any]]], chunk: int = 10_000) -> int:
    """Write holders as Parquet (.parquet) or JSON lines; returns how many."""
    count = 0
    if path.suffix == ".parquet":
        writer = pq.ParquetWriter(path, INPUT_SCHEMA)
        try:
            rows: list[dict[str, Any]] = []
            for holder_id, facts in holders:
                rows.append(to_row(holder_id, facts))
                if len(rows) == chunk:
                    writer.write_table(pa.Table.from_pylist(rows, schema=INPUT_SCHEMA))
                    count += len(rows)
                    rows = []
            if rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=INPUT_SCHEMA))
                count += len(rows)
        finally:
            writer.close()
        return count
    with path.open("w", encoding="utf-8") as handle:
        for holder_id, facts in holders:
            handle.write(json.dumps({"id": holder_id, "facts": facts}, ensure_ascii=False) + "\n")
            count += 1
    return count
