"""The columns of one chunk of the batch layout as numpy arrays, and calendar arithmetic over them.

Dates are whole days since 1970-01-01 (int64); a null date is :data:`NULL_DAY`, with a mask beside
it where null matters. Months are jifen's month integers (``year * 12 + month - 1``), as in
:mod:`jifen.dates`, so the same windows and comparisons apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from jifen.batch.layout import GROUPS

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Texts = npt.NDArray[np.object_]

NULL_DAY = np.iinfo(np.int64).min // 4  # far below any real day; the null mask says it was null
_EPOCH = date(1970, 1, 1)
_EPOCH_MONTH = 1970 * 12


def day_number(day: date) -> int:
    return (day - _EPOCH).days


def days_of(array: pa.Array | pa.ChunkedArray) -> tuple[Ints, Bools]:
    """A date32 array as day numbers, and its null mask."""
    nulls = np.asarray(array.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    days = pc.fill_null(array.cast(pa.int32()), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    days[nulls] = NULL_DAY
    return days, nulls


def floats_of(array: pa.Array | pa.ChunkedArray) -> tuple[Floats, Bools]:
    nulls = np.asarray(array.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    return pc.fill_null(array, 0.0).to_numpy(zero_copy_only=False).astype(np.float64), nulls


def flags_of(array: pa.Array | pa.ChunkedArray, default: bool) -> Bools:  # noqa: FBT001
    """A bool array with null read as the contract's default for the field."""
    return np.asarray(pc.fill_null(array, default).to_numpy(zero_copy_only=False), dtype=bool)


def codes_of(array: pa.Array | pa.ChunkedArray, options: tuple[str, ...]) -> Ints:
    """Each text's index in ``options``; -1 for null or a text not among them."""
    index = pc.index_in(array, value_set=pa.array(options, pa.string()))
    return np.asarray(pc.fill_null(index, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


# The month and the day of the month of every day from 1800 to 2299, looked up rather than computed:
# numpy's calendar conversions cost more than the rules. Days outside are clamped (and the rows holding
# them are left to the scalar path by the checks).
_FIRST_DAY = (date(1800, 1, 1) - _EPOCH).days
_TABLE_DAYS = np.arange(_FIRST_DAY, (date(2300, 1, 1) - _EPOCH).days, dtype=np.int64)
_MONTHS = _TABLE_DAYS.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
_MONTH_OF_DAY = (_MONTHS + _EPOCH_MONTH).astype(np.int32)
_DAY_IN_MONTH = (_TABLE_DAYS - _MONTHS.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + 1).astype(
    np.int8
)


def _index(days: Ints) -> Ints:
    return np.clip(days - _FIRST_DAY, 0, len(_TABLE_DAYS) - 1)


def months_of(days: Ints) -> Ints:
    """The month (``year * 12 + month - 1``) of each day number."""
    return _MONTH_OF_DAY[_index(days)].astype(np.int64)


def day_in_month(days: Ints) -> Ints:
    return _DAY_IN_MONTH[_index(days)].astype(np.int64)


def full_months(start: Ints, end: Ints) -> Ints:
    """:func:`jifen.dates.full_months` element by element: 0 where ``end`` is before ``start``."""
    months = months_of(end) - months_of(start)
    end_is_last_day = months_of(end + 1) != months_of(end)
    months -= (day_in_month(start) > day_in_month(end)) & ~end_is_last_day
    return np.where(end < start, 0, months)


@dataclass(frozen=True, slots=True)
class Group:
    """One list of the facts (education, social_insurance, …) flattened: ``holder`` owns each item."""

    holder: Ints
    lengths: Ints  # per holder: the length of the group's first list column
    columns: dict[str, pa.Array]  # the flattened values, by layout column name
    uneven: Bools  # per holder: the group's list columns differ in length
    _days: dict[str, tuple[Ints, Bools]] = field(default_factory=dict)

    def days(self, column: str) -> tuple[Ints, Bools]:
        """:func:`days_of` the column, converted once (the checks and several rules read the same dates)."""
        found = self._days.get(column)
        if found is None:
            found = self._days[column] = days_of(self.columns[column])
        return found


def group_of(table: pa.Table, key: str) -> Group:
    fields = dict(GROUPS)[key]
    lists = {column: table.column(column).combine_chunks() for column, _, _ in fields}
    lengths = {column: _lengths(values) for column, values in lists.items()}
    first = lengths[fields[0][0]]
    uneven = np.zeros(table.num_rows, dtype=bool)
    for own in lengths.values():
        uneven |= own != first
    if uneven.any():
        # Rows whose lists do not line up are refused by the scalar path; here their lists are emptied.
        keep = pa.array(~uneven)
        lists = {
            column: pc.if_else(keep, values, pa.nulls(len(values), values.type)) for column, values in lists.items()
        }
        first = np.where(uneven, 0, first)
    columns = {column: pc.list_flatten(values) for column, values in lists.items()}
    holder = np.repeat(np.arange(table.num_rows, dtype=np.int64), first)
    return Group(holder, first, columns, uneven)


def _lengths(values: pa.Array) -> Ints:
    return np.asarray(pc.fill_null(pc.list_value_length(values), 0).to_numpy(zero_copy_only=False), dtype=np.int64)
