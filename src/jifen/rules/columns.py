"""What the column rules read: a chunk of holders on one scoring date, and calendar arithmetic over columns.

Each indicator has a column rule beside its scalar rule (``jifen.rules.indicators``): the same rule over
a whole chunk of the batch layout at once, with numpy. Dates are whole days since 1970-01-01 (int64);
months are jifen's month integers (``year * 12 + month - 1``), as in :mod:`jifen.dates`, so the same
windows and comparisons apply.

The holders' columns are read from Parquet, and the contribution months laid out, by
:mod:`jifen.batch.vectorised`, which builds an :class:`OnDay` and runs the registry's column rules on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from jifen.policy.model import Policy, Resolved, Value

if TYPE_CHECKING:  # the batch layer builds these and hands them in; the rules never import it
    from jifen.batch.vectorised.contributions import Contributions
    from jifen.batch.vectorised.holders import Holders

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

_EPOCH = date(1970, 1, 1)
_EPOCH_MONTH = 1970 * 12


def day_number(day: date) -> int:
    return (day - _EPOCH).days


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


def per_holder_max(holders: int, holder: Ints, values: Ints, where: Bools) -> tuple[Ints, Bools]:
    """The largest of each holder's values where ``where`` holds, and whether there was any."""
    out = np.full(holders, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(out, holder[where], values[where])
    found = np.zeros(holders, dtype=bool)
    found[holder[where]] = True
    return out, found


def per_holder_sum(holders: int, holder: Ints, values: Ints) -> Ints:
    out = np.zeros(holders, dtype=np.int64)
    np.add.at(out, holder, values)
    return out


def points_by_code(table: dict[str, int], keys: tuple[str, ...], missing: int | None = None) -> Ints:
    """Points by code (the key's index in ``keys``); a key absent from the table gets ``missing``.

    With ``missing`` None, every key must be in the table (the policy data says what each scores)."""
    points = []
    for key in keys:
        if key not in table and missing is None:
            raise KeyError(f"{key!r} is missing from the policy table")
        points.append(table.get(key, missing or 0))
    return np.array(points, dtype=np.int64)


@dataclass
class OnDay:
    """A chunk of holders scored on one date: their columns, their contribution months laid out for the
    date, and the parameters in force on it (the same policy view as the scalar rules read)."""

    holders: Holders
    day: date
    policy: Policy
    contributions: Contributions
    today: int = field(init=False)  # ``day`` as a day number
    values: dict[str, Resolved] = field(init=False)  # the parameters in force on ``day``

    def __post_init__(self) -> None:
        self.today = day_number(self.day)
        self.values = self.policy.view(self.day)

    def value(self, name: str) -> Value:
        return self.values[name].value

    def int_value(self, name: str) -> int:
        value = self.value(name)
        assert isinstance(value, int)  # noqa: S101 - the loader checks declared types
        return value

    def table(self, name: str) -> dict[str, int]:
        value = self.value(name)
        assert isinstance(value, dict)  # noqa: S101
        return value

    def zeros(self) -> Ints:
        """0 points for every holder."""
        return np.zeros(self.holders.n, dtype=np.int64)

    def everyone(self, value: int) -> Ints:
        """``value`` for every holder."""
        return np.full(self.holders.n, value, dtype=np.int64)
