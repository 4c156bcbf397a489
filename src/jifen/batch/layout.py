"""The batch layout (see docs/batch.md): one row per holder.

Parquet columns: ``id`` (string); ``facts`` (the holder's ``jifen.facts/1`` JSON without
``social_insurance``, as text); the contribution history as four list columns of equal length per row,
oldest first: ``si_from`` and ``si_to`` (months ``YYYY-MM``; ``si_to`` null for an ongoing run),
``si_base`` (yuan, float64), ``si_back_paid`` (bool), ``si_employer_matches`` (bool). JSON lines: one
object per line, ``{"id": …, "facts": {… a whole jifen.facts/1 document …}}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

INPUT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("facts", pa.string()),
        ("si_from", pa.list_(pa.string())),
        ("si_to", pa.list_(pa.string())),
        ("si_base", pa.list_(pa.float64())),
        ("si_back_paid", pa.list_(pa.bool_())),
        ("si_employer_matches", pa.list_(pa.bool_())),
    ]
)


def to_row(holder_id: str, facts: dict[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in facts.items() if k != "social_insurance"}
    segments = facts.get("social_insurance", [])
    return {
        "id": holder_id,
        "facts": json.dumps(rest, ensure_ascii=False),
        "si_from": [s["from"] for s in segments],
        "si_to": [s.get("to") for s in segments],
        "si_base": [float(s["base"]) for s in segments],
        "si_back_paid": [bool(s.get("back_paid", False)) for s in segments],
        "si_employer_matches": [bool(s.get("employer_matches_contract", True)) for s in segments],
    }


def from_row(row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    facts: dict[str, Any] = json.loads(row["facts"])
    segments = []
    for first, last, base, back_paid, matches in zip(
        row["si_from"], row["si_to"], row["si_base"], row["si_back_paid"], row["si_employer_matches"], strict=True
    ):
        segment: dict[str, Any] = {"from": first, "to": last, "base": int(base) if base == int(base) else base}
        if back_paid:
            segment["back_paid"] = True
        if not matches:
            segment["employer_matches_contract"] = False
        segments.append(segment)
    if segments:
        facts["social_insurance"] = segments
    return str(row["id"]), facts


def read_holders(path: Path, chunk: int) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Holders in chunks of at most ``chunk``, from Parquet (.parquet) or JSON lines (anything else)."""
    if path.suffix == ".parquet":
        for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk):
            yield [from_row(row) for row in batch.to_pylist()]
        return
    with path.open(encoding="utf-8") as handle:
        out: list[tuple[str, dict[str, Any]]] = []
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            if not isinstance(record, dict) or set(record) != {"id", "facts"}:
                raise ValueError(f'{path}:{number}: expected {{"id": …, "facts": …}}')
            out.append((str(record["id"]), record["facts"]))
            if len(out) == chunk:
                yield out
                out = []
        if out:
            yield out


def write_holders(path: Path, holders: Iterator[tuple[str, dict[str, Any]]], chunk: int = 10_000) -> int:
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
