"""Counted contribution months and their bases, measured against the points reference wage.

A month counts when it is not back-paid (补缴) and the paying employer is the contract employer
(contract reading 2); months after ``last_month`` (the month before the scoring date) are ignored,
and an ongoing segment runs up to it. Each month's base is compared with the reference wage in force
on the first day of that month (reading 4), exactly, in fen.
"""

from __future__ import annotations

from fractions import Fraction

from jifen.dates import Month
from jifen.facts.model import InsuranceSegment
from jifen.policy.model import Policy, Resolved

REFERENCE_WAGE = "si_base.reference_wage"


class Contributions:
    def __init__(self, segments: tuple[InsuranceSegment, ...], last_month: Month, policy: Policy) -> None:
        self.last_month = last_month
        self.policy = policy
        # (first, last, base_fen) of counted months only, clipped to last_month
        self.spans: list[tuple[Month, Month, int]] = []
        for seg in segments:
            if not seg.counted:
                continue
            last = last_month if seg.last is None else min(seg.last, last_month)
            if last >= seg.first:
                self.spans.append((seg.first, last, seg.base_fen))
        self.spans.sort()

    def total_months(self) -> int:
        """All counted months over the whole history (gaps allowed, contract reading 3)."""
        return sum(last - first + 1 for first, last, _ in self.spans)

    def months_in_window(self, window: int) -> list[tuple[Month, int]]:
        """(month, base in fen) of counted months within the ``window`` months ending at last_month."""
        start = self.last_month - window + 1
        out: list[tuple[Month, int]] = []
        for first, last, base in self.spans:
            lo = max(first, start)
            out.extend((month, base) for month in range(lo, last + 1))
        return out

    def count_meeting(self, window: int, multiple: Fraction, comparison: str = "at_least") -> int:
        """Counted months in the window whose base is at or above (or exactly) multiple x reference."""
        count = 0
        threshold = self.policy.threshold_fen
        if comparison == "at_least":
            for month, base in self.months_in_window(window):
                if base >= threshold(month, multiple, REFERENCE_WAGE):
                    count += 1
            return count
        if comparison != "equal":
            raise ValueError(f"unknown base comparison {comparison!r}")
        for month, base in self.months_in_window(window):
            reference = self.policy.resolve_for_month(REFERENCE_WAGE, month).value
            assert isinstance(reference, int)  # noqa: S101
            if base == multiple * reference * 100:
                count += 1
        return count

    def references_in_window(self, window: int) -> list[Resolved]:
        """The distinct reference wage values in force over the window's months, oldest first."""
        seen: dict[object, Resolved] = {}
        for month in range(self.last_month - window + 1, self.last_month + 1):
            resolved = self.policy.resolve_for_month(REFERENCE_WAGE, month)
            seen.setdefault(resolved.entry.effective_from, resolved)
        return list(seen.values())
