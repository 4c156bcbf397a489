"""From the batch Parquet layout (``jifen.batch.layout``) to the model's inputs, and onto a simulation.

The list columns are flattened with pyarrow and reduced per holder with numpy. The reductions keep what
the rules need and apply no policy value, no threshold and no choice between entries:

- education, recognised titles and skills, awards: the earliest date per category (level, with or
  without the degree). The formulas take the best category held on the scoring date, which is the best
  entry held. A title or skill counts as recognised when obtained in Shanghai and matching the post
  (contract reading 5, a fact about the entry); the earliest of the others is kept too, as a 0-point
  candidate;
- public service and remote areas: the full months of each period up to the scoring date (its ``to``
  inclusive, an ongoing period to the scoring date), added up per holder and area (contract reading 7),
  as DAY inputs on that date. The years, thresholds and caps are the formulas';
- penalties: every date, in slots per kind (their window is a parameter, so the formulas count them);
- contribution runs: one base per month in fen (0 where no run) with the run's back-paid and employer
  flags, from the population's first month to the month before the scoring date; an ongoing run (``si_to``
  null) runs to that month. Runs are assumed not to overlap (the facts parser refuses overlaps);
- investment: amounts floored to whole yuan and whole employees, clipped to int32: the same steps for
  the integer step sizes the policy declares (``floor(x) // s == x // s``).

Dates absent (null) are :data:`~openfisca_jifen.dates.NEVER`. Rows are assumed valid facts (as the
scalar engine would accept them); invalid rows are not refused here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from openfisca_core import periods  # type: ignore[import-untyped, import-not-found, unused-ignore]
from openfisca_core.simulation_builder import SimulationBuilder  # type: ignore[import-untyped, import-not-found, unused-ignore]

from jifen.batch.layout import INPUT_SCHEMA
from jifen.facts.model import AWARD_LEVELS, EDUCATION_LEVELS, PENALTY_KINDS, REMOTE_AREAS
from openfisca_jifen.dates import (
    NEVER,
    ONE_DAY,
    Array,
    Bools,
    Dates,
    Ints,
    day,
    full_months,
    month_index,
    month_indices,
)
from openfisca_jifen.system import slots_for
from openfisca_jifen.variables import (
    FLAGS,
    NO_CONTRIBUTIONS,
    QUALIFICATIONS,
    award_on,
    education_on,
    month_period,
    penalty_on,
    qualification_on,
    remote_area_months,
)

_INT32_MAX = np.iinfo(np.int32).max


@dataclass(frozen=True, slots=True)
class Inputs:
    """The arrays to set on a simulation of ``count`` holders scored on ``on``."""

    count: int
    on: date
    eternal: dict[str, Array]  # ETERNITY variables
    daily: dict[str, Array]  # DAY variables, set on the scoring date
    months: tuple[int, ...]  # the month indices of the monthly matrices' rows, oldest first
    monthly: dict[str, Array]  # MONTH variables: (len(months), count) matrices
    penalty_slots: int  # date inputs per kind of penalty the system needs


class _Columns:
    """The columns of a layout table; a column the file lacks reads as all null."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self.count = table.num_rows

    def column(self, name: str) -> pa.Array:
        if name in self.table.column_names:
            return self.table.column(name).combine_chunks()
        return pa.nulls(self.count, INPUT_SCHEMA.field(name).type)

    def dates(self, name: str) -> Dates:
        return _dates(self.column(name))

    def flags(self, name: str, *, default: bool) -> Bools:
        return np.asarray(pc.fill_null(self.column(name), default).to_numpy(zero_copy_only=False), dtype=np.bool_)

    def amounts(self, name: str) -> Array:
        return np.asarray(pc.fill_null(self.column(name), 0.0).to_numpy(zero_copy_only=False), dtype=np.float64)

    def group(self, columns: tuple[str, ...]) -> tuple[Ints, dict[str, pa.Array]]:
        """(row of each item, flattened values per column) of one group of list columns."""
        reference = self.column(columns[0])
        parents = np.asarray(pc.list_parent_indices(reference).to_numpy(), dtype=np.int64)
        lengths = pc.fill_null(pc.list_value_length(reference), 0)
        values: dict[str, pa.Array] = {}
        for name in columns:
            array = self.column(name)
            if array.null_count == self.count:  # the whole column absent: every item takes the default
                values[name] = pa.nulls(len(parents), array.type.value_type)
                continue
            if not pc.all(pc.equal(pc.fill_null(pc.list_value_length(array), 0), lengths)).as_py():
                raise ValueError(f"the list columns {columns[0]} and {name} differ in length")
            values[name] = pc.list_flatten(array)
        return parents, values


def _dates(array: pa.Array) -> Dates:
    """date32 values as datetime64[D], null as NEVER."""
    days = pc.fill_null(array.cast(pa.int32()), int(NEVER.astype(np.int64)))
    return np.asarray(days.to_numpy(zero_copy_only=False), dtype=np.int64).astype("datetime64[D]")


def _texts(array: pa.Array) -> Array:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=object)


def _flags(array: pa.Array, *, default: bool) -> Bools:
    return np.asarray(pc.fill_null(array, default).to_numpy(zero_copy_only=False), dtype=np.bool_)


def _earliest(count: int, parents: Ints, dates: Dates, mask: Bools) -> Dates:
    """Per row, the earliest of ``dates`` where ``mask``; NEVER where none."""
    out = np.full(count, NEVER.astype(np.int64), dtype=np.int64)
    np.minimum.at(out, parents[mask], dates[mask].astype(np.int64))
    return out.astype("datetime64[D]")


def _months_per_row(count: int, parents: Ints, months: Ints, mask: Bools) -> Array:
    out = np.zeros(count, dtype=np.int64)
    np.add.at(out, parents[mask], months[mask])
    return np.minimum(out, _INT32_MAX).astype(np.int32)


def _period_months(starts: Dates, ends: Dates, on: date) -> Ints:
    """Full months of each period up to ``on``: its ``to`` is inclusive, an ongoing one (NEVER) runs to ``on``."""
    scoring = day(on)
    end = np.where(ends == NEVER, scoring, np.minimum(ends + ONE_DAY, scoring))
    return full_months(starts, end)


def load_table(table: pa.Table, on: date) -> Inputs:
    """The inputs of the holders in ``table`` (the batch layout), scored on ``on``."""
    columns = _Columns(table)
    n = columns.count
    eternal: dict[str, Array] = {
        "birth_date": columns.dates("birth_date"),
        "hukou_spouse_married_on": columns.dates("hukou_spouse_married_on"),
        **{flag: columns.flags(flag, default=False) for flag in FLAGS.values()},
        "investment_tax_whole_yuan": _whole(columns.amounts("investment_tax_yuan")),
        "investment_hukou_employees_whole": _whole(columns.amounts("investment_hukou_employees")),
    }

    parents, values = columns.group(("education_level", "education_graduated_on", "education_degree"))
    levels, graduated = _texts(values["education_level"]), _dates(values["education_graduated_on"])
    degree = _flags(values["education_degree"], default=False)
    for level in EDUCATION_LEVELS:
        of_level = levels == level
        eternal[education_on(level, with_degree=False)] = _earliest(n, parents, graduated, of_level)
        eternal[education_on(level, with_degree=True)] = _earliest(n, parents, graduated, of_level & degree)

    names = (
        "qualification_kind",
        "qualification_level",
        "qualification_obtained_on",
        "qualification_in_shanghai",
        "qualification_matches_post",
    )
    parents, values = columns.group(names)
    kinds, qlevels = _texts(values["qualification_kind"]), _texts(values["qualification_level"])
    obtained = _dates(values["qualification_obtained_on"])
    recognised = _flags(values["qualification_in_shanghai"], default=False) & _flags(
        values["qualification_matches_post"], default=False
    )
    for kind, level in QUALIFICATIONS:
        mask = recognised & (kinds == kind) & (qlevels == level)
        eternal[qualification_on(kind, level)] = _earliest(n, parents, obtained, mask)
    eternal["qualification_unrecognised_obtained_on"] = _earliest(n, parents, obtained, ~recognised)

    parents, values = columns.group(("award_level", "award_on"))
    award_levels, awarded = _texts(values["award_level"]), _dates(values["award_on"])
    for level in AWARD_LEVELS:
        eternal[award_on(level)] = _earliest(n, parents, awarded, award_levels == level)

    parents, values = columns.group(("penalty_kind", "penalty_on"))
    penalty_slots = _penalty_slots(eternal, n, parents, _texts(values["penalty_kind"]), _dates(values["penalty_on"]))

    daily: dict[str, Array] = {}
    parents, values = columns.group(("public_service_from", "public_service_to"))
    months = _period_months(_dates(values["public_service_from"]), _dates(values["public_service_to"]), on)
    daily["public_service_months"] = _months_per_row(n, parents, months, np.ones(len(parents), dtype=np.bool_))
    parents, values = columns.group(("remote_area", "remote_from", "remote_to"))
    areas = _texts(values["remote_area"])
    months = _period_months(_dates(values["remote_from"]), _dates(values["remote_to"]), on)
    for area in REMOTE_AREAS:
        daily[remote_area_months(area)] = _months_per_row(n, parents, months, areas == area)

    history, monthly, first_month = _contributions(columns, on)
    eternal["si_first_month"] = first_month
    return Inputs(n, on, eternal, daily, history, monthly, penalty_slots)


def _whole(amounts: Array) -> Array:
    return np.minimum(np.floor(amounts), _INT32_MAX).astype(np.int32)


def _penalty_slots(eternal: dict[str, Array], n: int, parents: Ints, kinds: Array, dates: Dates) -> int:
    """Put each kind's penalty dates in slots (row by row, in the order given); returns the slots needed."""
    placed: dict[str, tuple[Ints, Ints, Dates]] = {}
    most = 0
    for kind in PENALTY_KINDS:
        mask = kinds == kind
        rows, on = parents[mask], dates[mask]
        order = np.argsort(rows, kind="stable")
        rows, on = rows[order], on[order]
        _, starts, counts = np.unique(rows, return_index=True, return_counts=True)
        rank = np.arange(len(rows)) - np.repeat(starts, counts)
        placed[kind] = (rows, rank, on)
        most = max(most, int(counts.max(initial=0)))
    slots = slots_for(most)
    for kind, (rows, rank, on) in placed.items():
        for slot in range(slots):
            column = np.full(n, NEVER)
            in_slot = rank == slot
            column[rows[in_slot]] = on[in_slot]
            eternal[penalty_on(kind, slot)] = column
    return slots


def _contributions(columns: _Columns, on: date) -> tuple[tuple[int, ...], dict[str, Array], Array]:
    """(months, MONTH matrices, first month per row) of the contribution runs up to the month before ``on``."""
    n = columns.count
    parents, values = columns.group(("si_from", "si_to", "si_base", "si_back_paid", "si_employer_matches"))
    first_month = np.full(n, NO_CONTRIBUTIONS, dtype=np.int64)
    last = month_index(on) - 1
    starts = month_indices(_dates(values["si_from"]))
    to = _dates(values["si_to"])
    ends = np.where(to == NEVER, last, np.minimum(month_indices(to), last))
    keep = starts <= ends
    parents, starts, ends = parents[keep], starts[keep], ends[keep]
    np.minimum.at(first_month, parents, starts)
    if not len(parents):
        return (), {}, first_month.astype(np.int32)
    bases = np.asarray(pc.fill_null(values["si_base"], 0.0).to_numpy(zero_copy_only=False), dtype=np.float64)[keep]
    fen = np.minimum(np.rint(bases * 100), _INT32_MAX).astype(np.int32)
    back_paid = _flags(values["si_back_paid"], default=False)[keep]
    employer = _flags(values["si_employer_matches"], default=True)[keep]
    _refuse_overlaps(parents, starts, ends)

    origin = int(starts.min())
    count = last - origin + 1
    # Which run (1-based, 0: none) pays each month of each row: +id on its first month, -id after its last.
    runs = np.zeros((count + 1, n), dtype=np.int32)
    ids = np.arange(1, len(parents) + 1, dtype=np.int32)
    np.add.at(runs, (starts - origin, parents), ids)
    np.add.at(runs, (ends - origin + 1, parents), -ids)
    np.cumsum(runs, axis=0, dtype=np.int32, out=runs)
    runs = runs[:count]
    monthly = {
        "si_base_fen": np.concatenate([np.zeros(1, dtype=np.int32), fen])[runs],
        "si_back_paid": np.concatenate([np.zeros(1, dtype=np.bool_), back_paid])[runs],
        "si_employer_matches": np.concatenate([np.ones(1, dtype=np.bool_), employer])[runs],
    }
    months = tuple(range(origin, origin + count))
    return months, monthly, first_month.astype(np.int32)


def _refuse_overlaps(parents: Ints, starts: Ints, ends: Ints) -> None:
    order = np.lexsort((starts, parents))
    rows, first, last = parents[order], starts[order], ends[order]
    same_row = rows[1:] == rows[:-1]
    if np.any(same_row & (first[1:] <= last[:-1])):
        raise ValueError("overlapping contribution runs (refused by the facts parser)")


def load_population(path: Path, on: date) -> tuple[int, Inputs]:
    """Read a batch Parquet file and prepare the inputs of its holders, scored on ``on``."""
    present = set(pq.ParquetFile(path).schema_arrow.names)
    table = pq.read_table(path, columns=[name for name in INPUT_SCHEMA.names if name in present])
    inputs = load_table(table, on)
    return inputs.count, inputs


def build_simulation(tax_benefit_system: Any, inputs: Inputs, on: date) -> Any:
    """A simulation of the holders of ``inputs`` with every input set (ETERNITY, the DAY ``on``, each month)."""
    if on != inputs.on:
        raise ValueError(f"the inputs were prepared for {inputs.on}, not {on}")
    simulation = SimulationBuilder().build_default_simulation(tax_benefit_system, inputs.count)
    eternity = periods.period(periods.DateUnit.ETERNITY)
    for name, array in inputs.eternal.items():
        simulation.set_input(name, eternity, array)
    scoring_day = periods.period(on.isoformat())
    for name, array in inputs.daily.items():
        simulation.set_input(name, scoring_day, array)
    for name, matrix in inputs.monthly.items():
        for index, month in enumerate(inputs.months):
            simulation.set_input(name, month_period(month), matrix[index])
    return simulation
