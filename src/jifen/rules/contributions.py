"""Counted contribution months and their bases, measured against the points reference wage.

A month counts when it is not back-paid (补缴) and the paying employer is the contract employer
(contract reading 2); months after ``last_month`` (the month before the scoring date) are ignored,
and an ongoing segment runs up to it. Each month's base is compared with the reference wage in force
on the first day of that month (reading 4), exactly, in fen.

The rules look back at most ``horizon`` months (the longest window in the policy data), so the bases
of those months are laid out once in a list, oldest first; the thresholds for the same months come
from the policy's cache, shared by every holder scored on the same date.
"""

from __future__ import annotations

from fractions import Fraction
from operator import ge

from jifen.dates import Month
from jifen.facts.history import ContributionHistory
from jifen.policy.model import Policy, Resolved

REFERENCE_WAGE = "si_base.reference_wage"


class Contributions:
    def __init__(self, history: ContributionHistory, last_month: Month, policy: Policy, horizon: int) -> None:
        self.last_month = last_month
        self.policy = policy
        self.horizon = horizon
        self.total = history.total_until(last_month)
        self.bases = history.window(last_month, horizon)

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
