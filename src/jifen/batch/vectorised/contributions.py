"""Counted contribution months of a chunk of holders, as :mod:`jifen.rules.contributions` counts them.

The bases of the last ``horizon`` months (the longest window any rule reads) are laid out as a matrix,
one row per holder, oldest month first, 0 where no month counts; the thresholds per month come from
the same policy cache as the scalar path's.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from jifen.batch.vectorised.columns import Bools, Group, Ints, months_of
from jifen.dates import Month
from jifen.policy.model import Policy
from jifen.rules.contributions import CEILING_FIELD, INSURANCE_WAGE, REFERENCE_WAGE

_LARGEST_FEN = np.iinfo(np.int32).max


class Contributions:
    def __init__(self, holders: int, group: Group, last_month: Month, horizon: int, policy: Policy) -> None:
        self.last_month = last_month
        self.horizon = horizon
        self.policy = policy
        counted = ~group.flags("si_back_paid", default=False)
        counted &= group.flags("si_employer_matches", default=True)
        first_days, _ = group.days("si_from")
        last_days, ongoing = group.days("si_to")
        holder = group.holder[counted]
        first = months_of(first_days[counted])
        last = np.where(ongoing[counted], last_month, np.minimum(months_of(last_days[counted]), last_month))
        base = group.floats("si_base")[0][counted]
        fen = np.round(base * 100).astype(np.int64)

        # The counted runs as they are, for the filing-month test (which reads past last_month).
        self._runs = (holder, first, np.where(ongoing[counted], np.iinfo(np.int64).max, months_of(last_days[counted])))
        self._holders = holders

        lengths = np.maximum(last - first + 1, 0)
        self.total = np.bincount(holder, weights=lengths, minlength=holders).astype(np.int64)

        # Each run sets its base from its first month in the window and takes it off after its last; a
        # running sum along the months then gives every month's base. Runs of one holder do not overlap,
        # so no two runs start in one cell, nor end in one. Bases above _LARGEST_FEN are held as
        # _LARGEST_FEN: above every threshold all the same (checked in count_meeting), in half the memory.
        start = last_month - horizon + 1
        inside = (last >= start) & (first <= last_month)
        row, lo, hi = holder[inside], np.maximum(first[inside], start) - start, last[inside] - start
        held = np.minimum(fen[inside], _LARGEST_FEN).astype(np.int32)
        steps = np.zeros((holders, horizon + 1), dtype=np.int32)
        steps[row, lo] = held
        steps[row, hi + 1] -= held
        self.bases = np.cumsum(steps, axis=1, out=steps)[:, :horizon]
        # A base above its insurance year's ceiling is scored as the ceiling (as jifen.rules.contributions).
        ceilings = policy.field_fen_in_window(INSURANCE_WAGE, CEILING_FIELD, last_month, horizon)
        cap = np.array([_LARGEST_FEN if c is None else min(c[0], _LARGEST_FEN) for c in ceilings], dtype=np.int32)
        np.minimum(self.bases, cap[None, :], out=self.bases)

    def paying_around(self, month: Month, lag: int) -> Bools:
        """Holders with a counted month in ``month`` or in the ``lag`` months before it."""
        holder, first, last = self._runs
        covers = (first <= month) & (last >= month - lag)
        out = np.zeros(self._holders, dtype=bool)
        out[holder[covers]] = True
        return out

    def months_in_window(self, window: int) -> Ints:
        return np.asarray(np.count_nonzero(self.bases[:, self.horizon - window :], axis=1), dtype=np.int64)

    def count_meeting(self, window: int, multiple: Fraction, comparison: str = "at_least") -> Ints:
        bases = self.bases[:, self.horizon - window :]
        if comparison == "at_least":
            thresholds = np.array(self.policy.thresholds_fen(REFERENCE_WAGE, self.last_month, window, multiple))
            if thresholds.max(initial=0) > _LARGEST_FEN:
                raise ValueError(f"a threshold above {_LARGEST_FEN} fen cannot be compared with the bases held")
            return np.asarray(np.count_nonzero(bases >= thresholds, axis=1), dtype=np.int64)
        if comparison == "equal":
            references = np.array(self.policy.references_fen(REFERENCE_WAGE, self.last_month, window), dtype=np.int64)
            if references.max(initial=0) * multiple.numerator >= _LARGEST_FEN * multiple.denominator:
                raise ValueError(f"a base of {_LARGEST_FEN} fen or more cannot be compared with the bases held")
            meets = bases.astype(np.int64) * multiple.denominator == references * multiple.numerator
            return np.asarray(np.count_nonzero(meets, axis=1), dtype=np.int64)
        raise ValueError(f"unknown base comparison {comparison!r}")
