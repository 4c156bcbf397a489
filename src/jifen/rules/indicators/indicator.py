"""One indicator whole: its id, its scalar rule, its column rule and the days on which it can change.

Its label (zh/en) is policy data (``policy/indicators.yaml``), read through :mod:`.labels`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from jifen.facts.model import Facts
from jifen.policy.model import Policy
from jifen.rules.columns import Ints, OnDay
from jifen.rules.context import Context
from jifen.rules.indicators.labels import indicator_labels
from jifen.rules.outcome import Outcome

Scalar = Callable[[Context], Outcome]
"""The rule for one holder: points and the message explaining them, reading parameters through the context."""

Column = Callable[[OnDay], Ints]
"""The same rule over a chunk of holders on one date: the points of each (the property test holds the
two equal, holder by holder)."""

Changes = Callable[[Facts, date, date, Policy], set[date]]
"""The days in (after, until] on which the indicator's value can change because of the holder's own dated
facts (birthdays, anniversaries, dated events); the contribution months, the permit, vetoes and the policy's
effective dates are the advisor's (:mod:`jifen.advisor.events`)."""


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    scalar: Scalar
    column: Column
    changes: Changes

    @property
    def label(self) -> dict[str, str]:
        """The indicator's name in Chinese and English, from the policy data in use."""
        return indicator_labels()[self.id]


def no_changes(facts: Facts, after: date, until: date, policy: Policy) -> set[date]:
    """For an indicator that no dated fact of the holder's changes (a yes/no claim, the contributions)."""
    return set()
