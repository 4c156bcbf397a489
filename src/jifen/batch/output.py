"""The batch output: one row per holder with the total, the flags and every indicator's points.

Parquet columns: ``id``, ``total``, ``eligible``, ``vetoed``, ``meets_standard``, ``policy``, one int32
column per indicator (its points, counted or not), and ``error`` (the field-path message for a holder
whose facts are refused, whose other columns are then null).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa

from jifen.batch.layout import LayoutError
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
    + [(name, pa.int32()) for name in INDICATOR_IDS]
    + [("error", pa.string())]
)


def score_row(holder_id: str, facts: dict[str, Any] | LayoutError, on: date | None, policy: Policy) -> dict[str, Any]:
    """One output row from the scalar engine."""
    if isinstance(facts, LayoutError):
        return {"id": holder_id, "error": str(facts)}
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
