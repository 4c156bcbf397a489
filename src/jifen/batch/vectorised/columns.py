"""The columns of one chunk of the batch layout read from Arrow into numpy arrays.

Dates are whole days since 1970-01-01 (int64); a null date is :data:`NULL_DAY`, with a mask beside
it where null matters. The calendar arithmetic over day numbers and months is the rules'
(:mod:`jifen.rules.columns`), where the column rules read it; it is named here too for the checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from jifen.batch.layout import GROUPS
from jifen.rules.columns import Bools, Floats, Ints, day_in_month, day_number, months_of

__all__ = [
    "NULL_DAY",
    "Bools",
    "Floats",
    "Group",
    "Ints",
    "day_in_month",
    "day_number",
    "days_of",
    "flags_of",
    "floats_of",
    "group_of",
    "months_of",
]

NULL_DAY = np.iinfo(np.int64).min // 4  # far below any real day; the null mask says it was null


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


@dataclass(frozen=True, slots=True)
class Group:
    """One list of the facts (education, social_insurance, …) flattened: ``holder`` owns each item.

    Every column is converted to numpy once, when the group is read: dates to day numbers, texts to
    indices into their distinct values; each with its null mask. Slices share the arrays.
    """

    holder: Ints
    lengths: Ints  # per holder: the length of the group's first list column
    values: dict[str, tuple[npt.NDArray[Any], Bools]]  # column -> (values, null mask), item by item
    texts: dict[str, tuple[str, ...]]  # text column -> its distinct values (``values`` holds indices)
    uneven: Bools  # per holder: the group's list columns differ in length

    def __len__(self) -> int:
        return len(self.holder)

    def slice(self, start: int, stop: int) -> Group:
        """The items of holders ``start`` to ``stop``, as views."""
        offsets = np.concatenate(([0], np.cumsum(self.lengths)))
        first, last = int(offsets[start]), int(offsets[stop])
        return Group(
            self.holder[first:last] - start,
            self.lengths[start:stop],
            {column: (v[first:last], nulls[first:last]) for column, (v, nulls) in self.values.items()},
            self.texts,
            self.uneven[start:stop],
        )

    def days(self, column: str) -> tuple[Ints, Bools]:
        values, nulls = self.values[column]
        return values, nulls

    def floats(self, column: str) -> tuple[Floats, Bools]:
        values, nulls = self.values[column]
        return values, nulls

    def flags(self, column: str, *, default: bool) -> Bools:
        """A bool column with null read as the contract's default for the field."""
        values, nulls = self.values[column]
        return np.where(nulls, default, values)

    def codes(self, column: str, options: tuple[str, ...]) -> Ints:
        """Each text's index in ``options``; -1 for null or a text not among them."""
        lookup = np.array([options.index(t) if t in options else -1 for t in self.texts[column]] + [-1])
        return np.asarray(lookup[self.values[column][0]], dtype=np.int64)


def _converted(values: pa.Array) -> tuple[npt.NDArray[Any], Bools, tuple[str, ...] | None]:
    """(values, nulls, distinct texts or None) of one flattened column."""
    if values.type == pa.date32():
        days, nulls = days_of(values)
        return days, nulls, None
    nulls = np.asarray(values.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if values.type == pa.string():
        encoded = pc.dictionary_encode(values)
        indices = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        return indices, nulls, tuple(encoded.dictionary.to_pylist())
    filler = False if values.type == pa.bool_() else 0
    return pc.fill_null(values, filler).to_numpy(zero_copy_only=False), nulls, None


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
    values: dict[str, tuple[npt.NDArray[Any], Bools]] = {}
    texts: dict[str, tuple[str, ...]] = {}
    for column, array in lists.items():
        converted, nulls, distinct = _converted(pc.list_flatten(array))
        values[column] = (converted, nulls)
        if distinct is not None:
            texts[column] = distinct
    holder = np.repeat(np.arange(table.num_rows, dtype=np.int64), first)
    return Group(holder, first, values, texts, uneven)


def _lengths(values: pa.Array) -> Ints:
    return np.asarray(pc.fill_null(pc.list_value_length(values), 0).to_numpy(zero_copy_only=False), dtype=np.int64)
