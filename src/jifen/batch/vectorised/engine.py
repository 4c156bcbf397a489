"""Score a chunk of the batch layout at once: the registry's column rules for valid rows, the scalar path for
the rest.

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
from jifen.batch.vectorised.checks import suspects
from jifen.batch.vectorised.contributions import Contributions
from jifen.batch.vectorised.holders import Holders
from jifen.dates import month_of, today_in_shanghai
from jifen.facts.model import VETO_KINDS
from jifen.facts.parse import WORKING_AGE
from jifen.policy.model import Policy
from jifen.rules.columns import Bools, Ints, OnDay, day_number, full_months
from jifen.rules.context import horizon_months
from jifen.rules.indicators import INDICATOR_IDS, REGISTRY

Columns = dict[str, Any]  # the output columns being filled, as numpy arrays, one entry per row


def score_table(table: pa.Table, on: date | None, policy: Policy) -> pa.Table:
    """One output row per input row, in order, in :data:`OUTPUT_SCHEMA`."""
    holders = Holders.from_table(table)
    days = np.full(table.num_rows, day_number(on or today_in_shanghai()), dtype=np.int64)
    if on is None:
        days = np.where(holders.as_of_null, days, holders.as_of)
    scheme_starts = day_number(policy.versions[0].effective_from)
    refused = suspects(holders, days, scheme_starts, _highest_working_age(policy))
    columns = _score_valid(table, holders, days, refused, policy)
    scored = _output(table, columns, _standards(policy, days, refused), refused)
    if not refused.any():
        return scored
    return _replace_rows(scored, np.flatnonzero(refused), _score_scalar(table, refused, on, policy))


def _score_valid(table: pa.Table, holders: Holders, days: Ints, refused: Bools, policy: Policy) -> Columns:
    """The output columns of the rows not refused; rows scored on one date are scored together: the valid
    rows, ordered by date, then cut into runs."""
    rows = table.num_rows
    columns: Columns = {
        "total": np.zeros(rows, dtype=np.int32),
        "eligible": np.zeros(rows, dtype=bool),
        "vetoed": np.zeros(rows, dtype=bool),
        "policy": np.empty(rows, dtype=object),
        **{name: np.zeros(rows, dtype=np.int32) for name in INDICATOR_IDS},
    }
    order = np.flatnonzero(~refused)
    order = order[np.argsort(days[order], kind="stable")]
    ordered = holders if len(order) == rows and np.all(order[1:] > order[:-1]) else None
    if ordered is None:
        ordered = Holders.from_table(table.take(pa.array(order)))
    ordered_days = days[order]
    cuts = [0, *(np.flatnonzero(np.diff(ordered_days)) + 1).tolist(), len(order)]
    for start, stop in itertools.pairwise(cuts):
        if stop > start:
            day = _date_of(int(ordered_days[start]))
            _score_on(ordered.slice(start, stop), order[start:stop], day, policy, columns)
    return columns


def _output(table: pa.Table, columns: Columns, standard: Ints, refused: Bools) -> pa.Table:
    """The output table; the refused rows are null until scored by the scalar path."""
    return pa.table(
        {
            "id": table.column("id"),
            "total": pa.array(columns["total"], mask=refused),
            "eligible": pa.array(columns["eligible"], mask=refused),
            "vetoed": pa.array(columns["vetoed"], mask=refused),
            "meets_standard": pa.array(columns["total"] >= standard, mask=refused),
            "policy": pa.array(columns["policy"], pa.string(), mask=refused),
            **{name: pa.array(columns[name], mask=refused) for name in INDICATOR_IDS},
            "error": pa.nulls(table.num_rows, pa.string()),
        },
        schema=OUTPUT_SCHEMA,
    )


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


def on_day(holders: Holders, day: date, policy: Policy) -> OnDay:
    """``holders`` scored on ``day``: what the column rules read, with the contribution months laid out."""
    last_month = month_of(day) - 1  # contract 3.2: up to the month before the scoring date
    horizon = horizon_months(policy, day)
    contributions = Contributions(holders.n, holders.social_insurance, last_month, horizon, policy)
    return OnDay(holders, day, policy, contributions)


def _score_on(holders: Holders, rows: Ints, day: date, policy: Policy, columns: Columns) -> None:
    """Score ``holders`` on ``day`` into ``rows`` of the output columns."""
    scoring = on_day(holders, day, policy)
    points = {indicator.id: indicator.column(scoring) for indicator in REGISTRY}
    columns["total"][rows] = _total(scoring, points)
    eligible, vetoed = _eligibility(scoring)
    columns["eligible"][rows] = eligible
    columns["vetoed"][rows] = vetoed
    columns["policy"][rows] = policy.version_at(day).id
    for name, values in points.items():
        columns[name][rows] = values


def _total(scoring: OnDay, points: dict[str, Ints]) -> Ints:
    """The choose-one rule (the highest counts, the first listed on a tie), the sum, the floor."""
    group = scoring.value("scheme.choose_one")
    assert isinstance(group, tuple)  # noqa: S101
    names = [str(name) for name in group]
    stacked = np.stack([points[name] for name in names])
    winner = np.argmax(stacked, axis=0)
    dropped = np.where(np.arange(len(names))[:, None] == winner[None, :], 0, stacked).sum(axis=0)
    summed = np.sum(np.stack(list(points.values())), axis=0) - dropped
    return np.asarray(np.maximum(summed, scoring.int_value("scheme.minimum_total")), dtype=np.int64)


def _eligibility(scoring: OnDay) -> tuple[Bools, Bools]:
    """(eligible, vetoed): old enough, paying in the filing month (allowing the record lag), insurance
    months in the window, a valid permit if given, no veto in force."""
    holders, today = scoring.holders, scoring.today
    age = full_months(holders.birth, scoring.everyone(today)) // 12
    adult = age >= scoring.int_value("eligibility.minimum_age")
    lag = scoring.int_value("eligibility.record_lag_months")
    paying = scoring.contributions.paying_around(month_of(scoring.day), lag)
    window = scoring.int_value("eligibility.insurance_window_months")
    insured = adult & paying
    insured &= scoring.contributions.months_in_window(window) >= scoring.int_value("eligibility.insurance_months")
    permit = holders.permit_from_null | ((holders.permit_from <= today) & (today <= holders.permit_until))
    vetoed = _vetoed(scoring)
    return insured & permit & ~vetoed, vetoed


def _vetoed(scoring: OnDay) -> Bools:
    """Holders with a veto in force: a kind the policy names, undated or dated on or before the day."""
    vetoed = np.zeros(scoring.holders.n, dtype=bool)
    vetoes = scoring.holders.vetoes
    if len(vetoes):
        on, undated = vetoes.days("veto_on")
        kinds = scoring.value("veto.kinds") if "veto.kinds" in scoring.values else ()
        assert isinstance(kinds, tuple)  # noqa: S101
        in_force = np.array([kind in kinds for kind in VETO_KINDS])
        vetoing = in_force[vetoes.codes("veto_kind", VETO_KINDS)] & (undated | (on <= scoring.today))
        vetoed[vetoes.holder[vetoing]] = True
    return vetoed


def _standards(policy: Policy, days: Ints, refused: Bools) -> Ints:
    out = np.zeros(len(days), dtype=np.int64)
    for number in np.unique(days[~refused]):
        value = policy.resolve("scheme.standard", _date_of(int(number))).value
        assert isinstance(value, int)  # noqa: S101
        out[days == number] = value
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
