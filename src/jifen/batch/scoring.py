"""Score many holders in chunks: memory stays bounded by the chunk, whatever the population's size.

Output Parquet: ``id``, ``total``, ``eligible``, ``vetoed``, ``meets_standard``, ``policy``, one int16
column per indicator (its points), and ``error`` (the field-path message for a holder whose facts
are refused, whose other columns are then null).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from jifen.batch.layout import read_holders
from jifen.facts.parse import FactsError
from jifen.policy.model import Policy
from jifen.rules.engine import score
from jifen.rules.indicators import INDICATOR_IDS

OUTPUT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("total", pa.int32()),
        ("eligible", pa.bool_()),
        ("vetoed", pa.bool_()),
        ("meets_standard", pa.bool_()),
        ("policy", pa.string()),
    ]
    + [(name, pa.int16()) for name in INDICATOR_IDS]
    + [("error", pa.string())]
)


@dataclass
class BatchReport:
    holders: int = 0
    refused: int = 0


def score_row(holder_id: str, facts: dict[str, Any], on: date | None, policy: Policy) -> dict[str, Any]:
    try:
        result = score(facts, on=on, policy=policy, explain=False)
    except FactsError as exc:
        return {"id": holder_id, "error": str(exc)}
    row: dict[str, Any] = {
        "id": holder_id,
        "total": result.total,
        "eligible": result.eligible,
        "vetoed": result.vetoed,
        "meets_standard": result.meets_standard,
        "policy": result.policy.id,
        "error": None,
    }
    for item in result.items:
        row[item.indicator] = item.points
    return row


def score_file(
    source: Path,
    target: Path,
    on: date | None,
    policy: Policy,
    *,
    chunk: int = 20_000,
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    report = BatchReport()
    writer = pq.ParquetWriter(target, OUTPUT_SCHEMA)
    try:
        for holders in read_holders(source, chunk):
            rows = [score_row(holder_id, facts, on, policy) for holder_id, facts in holders]
            writer.write_table(pa.Table.from_pylist(rows, schema=OUTPUT_SCHEMA))
            report.holders += len(rows)
            report.refused += sum(1 for r in rows if r.get("error"))
            if progress is not None:
                progress(len(rows))
    finally:
        writer.close()
    return report
