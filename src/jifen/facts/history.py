"""The counted contribution months of one holder, indexed once so that every score reads them quickly.

A month counts when it is not back-paid (补缴) and the paying employer is the contract employer
(contract reading 2). Segments do not overlap (validation refuses it), so sorted by their first month
only the last one can be ongoing, and the months counted up to any month are a prefix sum plus a part
of one segment.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from jifen.dates import Month


class ContributionHistory:
    __slots__ = ("_bases", "_firsts", "_lasts", "_prefix")

    def __init__(self, spans: list[tuple[Month, Month | None, int]]) -> None:
        """``spans``: (first, last or None for ongoing, base in fen) of counted segments."""
        spans = sorted(spans, key=lambda s: s[0])
        self._firsts = [s[0] for s in spans]
        self._lasts = [s[1] for s in spans]
        self._bases = [s[2] for s in spans]
        lengths = [0 if last is None else last - first + 1 for first, last, _ in spans]
        self._prefix = [0, *accumulate(lengths)]  # months in spans[:i], ongoing ones counted as 0

    def total_until(self, last_month: Month) -> int:
        """Counted months up to and including ``last_month``."""
        started = bisect_right(self._firsts, last_month)
        if started == 0:
            return 0
        i = started - 1
        last = self._lasts[i]
        end = last_month if last is None or last > last_month else last
        return self._prefix[i] + end - self._firsts[i] + 1

    def latest_until(self, month: Month) -> Month | None:
        """The latest counted month up to and including ``month``; None when there is none."""
        i = bisect_right(self._firsts, month) - 1
        if i < 0:
            return None
        last = self._lasts[i]
        return month if last is None or last > month else last

    def window(self, last_month: Month, months: int) -> list[int]:
        """The base in fen of each of the ``months`` months ending with ``last_month`` (0: none counted)."""
        start = last_month - months + 1
        bases = [0] * months
        i = bisect_right(self._firsts, last_month) - 1
        while i >= 0:
            last = self._lasts[i]
            end = last_month if last is None or last > last_month else last
            if end < start:
                break
            first = self._firsts[i] if self._firsts[i] > start else start
            if first == end:
                bases[first - start] = self._bases[i]
            else:
                bases[first - start : end - start + 1] = [self._bases[i]] * (end - first + 1)
            i -= 1
        return bases
