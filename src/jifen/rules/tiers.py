"""The insurance base tiers (``si_base.tiers``) as typed values, for the rule, the horizon and what-ifs."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from jifen.policy.model import Resolved, Value


@dataclass(frozen=True, slots=True)
class Tier:
    multiple: Fraction
    points: int
    months: int  # months needed at or above the multiple ...
    window_months: int  # ... within this many months ending with the month before the scoring date
    comparison: str  # "at_least" or "equal"


def tiers_of(value: Value) -> list[Tier]:
    """The tiers of a ``si_base.tiers`` value, highest points first."""
    assert isinstance(value, tuple)  # noqa: S101 - the loader checks the declared records type
    out = []
    for record in value:
        assert isinstance(record, dict)  # noqa: S101
        multiple, points, months = record["multiple"], record["points"], record["months"]
        window, comparison = record["window_months"], record["comparison"]
        assert isinstance(multiple, Fraction) and isinstance(points, int) and isinstance(months, int)  # noqa: S101
        assert isinstance(window, int) and isinstance(comparison, str)  # noqa: S101
        out.append(Tier(multiple, points, months, window, comparison))
    return sorted(out, key=lambda t: t.points, reverse=True)


@lru_cache(maxsize=256)
def tiers_in_force(resolved: Resolved) -> tuple[Tier, ...]:
    """``tiers_of`` for a resolved value, built once (resolved values are cached per policy and date)."""
    return tuple(tiers_of(resolved.value))
