"""Score a chunk of the batch layout at once: vectorised rules for valid rows, the scalar path for the rest.

Rows are scored on ``on``, else their own ``as_of``, else today in Asia/Shanghai, as the scalar
engine does; rows sharing a date are scored together. Rows that :func:`checks.suspects` flags are
turned back into facts documents and scored one by one, so a refused row carries the parser's message.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

from jifen.batch.layout import LayoutError, from_row
from jifen.batch.output import OUTPUT_SCHEMA, score_row
from jifen.batch.vectorised import indicators
from jifen.batch.vectorised.checks import suspects
from jifen.batch.vectorised.columns import Bools, Ints, day_number
from jifen.batch.vectorised.holders import Holders
from jifen.dates import today_in_shanghai
from jifen.facts.parse import WORKING_AGE
from jifen.policy.model import Policy
from jifen.rules.indicators import INDICATOR_IDS


def score_table(table: pa.Table, on: date | None, policy: Policy) -> pa.Table:
    """One output row per input row, in order, in :data:`OUTPUT_SCHEMA`."""
    n = table.num_rows
    holders = Holders.from_table(table)
    day = np.full(n, day_number(on or today_in_shanghai()), dtype=np.int64)
    if on is None:
        day = np.where(holders.as_of_null, day, holders.as_of)
    refused = suspects(holders, day, day_number(policy.versions[0].effective_from), _highest_working_age(policy))
    columns: dict[str, Any] = {
        "total": np.zeros(n, dtype=np.int32),
        "eligible": np.zeros(n, dtype=bool),
        "vetoed": np.zeros(n, dtype=bool),
        "policy": np.empty(n, dtype=object),
        **{name: np.zeros(n, dtype=np.int32) for name in INDICATOR_IDS},
    }
    # Rows scored on one date are scored together: the valid rows, ordered by date, then cut into runs.
    order = np.flatnonzero(~refused)
    order = order[np.argsort(day[order], kind="stable")]
    ordered = holders if len(order) == n and np.all(order[1:] > order[:-1]) else None
    if ordered is None:
        ordered = Holders.from_table(table.take(pa.array(order)))
    ordered_days = day[order]
    cuts = [0, *(np.flatnonzero(np.diff(ordered_days)) + 1).tolist(), len(order)]
    for start, stop in itertools.pairwise(cuts):
        if stop > start:
            rows = order[start:stop]
            _score_on(ordered.slice(start, stop), rows, _date_of(int(ordered_days[start])), policy, columns)
    standard = _standards(policy, day, refused)
    scored = pa.table(
        {
            "id": table.column("id"),
            "total": pa.array(columns["total"], mask=refused),
            "eligible": pa.array(columns["eligible"], mask=refused),
            "vetoed": pa.array(columns["vetoed"], mask=refused),
            "meets_standard": pa.array(columns["total"] >= standard, mask=refused),
            "policy": pa.array(columns["policy"], pa.string(), mask=refused),
            **{name: pa.array(columns[name], mask=refused) for name in INDICATOR_IDS},
            "error": pa.nulls(n, pa.string()),
        },
        schema=OUTPUT_SCHEMA,
    )
    if not refused.any():
        return scored
    return _replace_rows(scored, np.flatnonzero(refused), _score_scalar(table, refused, on, policy))


def _highest_working_age(policy: Policy) -> int:
    """The highest legal minimum working age the data holds at any date, under any reading."""
    ages = [
        value
        for entry in policy.parameters[WORKING_AGE].values
        for value in (entry.value, *(v for choices in entry.variants.values() for v in choices.values()))
    ]
    return max(age for age in ages if isinstance(age, int))


def _date_of(number: int) -> date:
    return date.fromordinal(date(1970, 1, 1).toordinal() + number)


def _score_on(holders: Holders, rows: Ints, day: date, policy: Policy, columns: dict[str, Any]) -> None:
    """Score ``holders`` on ``day`` into ``rows`` of the output columns."""
    on_day = indicators.OnDay(holders, day, policy)
    points = {name: rule(on_day) for name, rule in indicators.INDICATORS}
    columns["total"][rows] = indicators.total(on_day, points)
    eligible, vetoed = indicators.eligibility(on_day)
    columns["eligible"][rows] = eligible
    columns["vetoed"][rows] = vetoed
    columns["policy"][rows] = policy.version_at(day).id
    for name, values in points.items():
        columns[name][rows] = values


def _standards(policy: Policy, day: Ints, refused: Bools) -> Ints:
    out = np.zeros(len(day), dtype=np.int64)
    for number in np.unique(day[~refused]):
        value = policy.resolve("scheme.standard", _date_of(int(number))).value
        assert isinstance(value, int)  # noqa: S101
        out[day == number] = value
    return out


def _score_scalar(table: pa.Table, refused: Bools, on: date | None, policy: Policy) -> list[dict[str, Any]]:
    out = []
    for index in np.flatnonzero(refused):
        row = table.slice(int(index), 1)
        try:
            holder_id, facts = from_row(row.to_pylist()[0])
        except LayoutError as exc:
            out.append({"id": row.column("id")[0].as_py(), "error": str(exc)})
            continue
        except (ValueError, OverflowError) as exc:  # a date Python's calendar cannot hold
            out.append({"id": row.column("id")[0].as_py(), "error": f"row does not fit the layout: {exc}"})
            continue
        out.append(score_row(holder_id, facts, on, policy))
    return out


def _replace_rows(scored: pa.Table, rows: Ints, replacements: list[dict[str, Any]]) -> pa.Table:
    kept = np.ones(scored.num_rows, dtype=bool)
    kept[rows] = False
    fallback = pa.Table.from_pylist(replacements, schema=OUTPUT_SCHEMA)
    merged = pa.concat_tables([scored.filter(pa.array(kept)), fallback])
    order = np.concatenate([np.flatnonzero(kept), rows])
    return merged.take(pa.array(np.argsort(order, kind="stable")))
