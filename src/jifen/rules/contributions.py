"""Counted contribution months and their bases, measured against the points reference wage.

A month counts when it is not back-paid (补缴) and the paying employer is the contract employer
(contract reading 2); months after ``last_month`` (the month before the scoring date) are ignored,
and an ongoing segment runs up to it. Each month's base is compared with the reference wage in force
on the first day of that month (reading 4), exactly, in fen.

A month's base above the insurance ceiling of its insurance year (``social_insurance.wage``
``base_upper`` in force on the first day of the month) cannot have been paid: it is taken as the ceiling,
and the months so capped are kept for the score's warning.

The rules look back at most ``horizon`` months (the longest window in the policy data), so the bases
of those months are laid out once in a list, oldest first; the thresholds for the same months come
from the policy's cache, shared by every holder scored on the same date.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from operator import ge

from jifen.dates import Month
from jifen.facts.history import ContributionHistory
from jifen.policy.model import Policy, Resolved

REFERENCE_WAGE = "si_base.reference_wage"
INSURANCE_WAGE = "social_insurance.wage"
CEILING_FIELD = "base_upper"


@dataclass(frozen=True, slots=True)
class Capped:
    """A month whose base was above its insurance year's ceiling: scored as ``ceiling_fen``."""

    month: Month
    base_fen: int
    ceiling_fen: int
    ceiling: Resolved


class Contributions:
    def __init__(self, history: ContributionHistory, last_month: Month, policy: Policy, horizon: int) -> None:
        self.last_month = last_month
        self.policy = policy
        self.horizon = horizon
        self.total = history.total_until(last_month)
        self.bases = history.window(last_month, horizon)
        self.capped: tuple[Capped, ...] = ()
        ceilings = policy.field_fen_in_window(INSURANCE_WAGE, CEILING_FIELD, last_month, horizon)
        lowest = min((c[0] for c in ceilings if c is not None), default=None)
        if lowest is not None and self.bases and max(self.bases) > lowest:
            self._cap(ceilings)

    def _cap(self, ceilings: tuple[tuple[int, Resolved] | None, ...]) -> None:
        capped = []
        start = self.last_month - self.horizon + 1
        for i, (base, ceiling) in enumerate(zip(self.bases, ceilings, strict=True)):
            if ceiling is not None and base > ceiling[0]:
                capped.append(Capped(start + i, base, ceiling[0], ceiling[1]))
                self.bases[i] = ceiling[0]
        self.capped = tuple(capped)

    def capped_in_window(self, window: int) -> tuple[Capped, ...]:
        """The capped months within the ``window`` months ending at last_month."""
        return tuple(c for c in self.capped if c.month > self.last_month - window)

    def total_months(self) -> int:
        """All counted months over the whole history (gaps allowed, contract reading 3)."""
        return self.total

    def months_in_window(self, window: int) -> int:
        """How many counted months fall within the ``window`` months ending at last_month."""
        return window - self.bases[self.horizon - window :].count(0)

    def count_meeting(self, window: int, multiple: Fraction, comparison: str = "at_least") -> int:
        """Counted months in the window whose base is at or above (or exactly) multiple x reference."""
        bases = self.bases[self.horizon - window :]
        if comparison == "at_least":
            thresholds = self.policy.thresholds_fen(REFERENCE_WAGE, self.last_month, window, multiple)
            return sum(map(ge, bases, thresholds))
        if comparison == "equal":
            num, den = multiple.numerator, multiple.denominator
            references = self.policy.references_fen(REFERENCE_WAGE, self.last_month, window)
            return sum(b * den == r * num for b, r in zip(bases, references, strict=True))
        raise ValueError(f"unknown base comparison {comparison!r}")

    def references_in_window(self, window: int) -> tuple[Resolved, ...]:
        """The distinct reference wage values in force over the window's months, oldest first."""
        return self.policy.distinct_in_window(REFERENCE_WAGE, self.last_month, window)
