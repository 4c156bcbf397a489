"""A change or renewal (变更、续办) against the approval it replaces: where its facts start, and what they change.

- ``starting_point(holder)``: the approval in force (``record.approval_in_force``) and its facts as filed,
  the start of the holder's next change or renewal. ``as_of`` and ``last_approved`` are left out (a new
  filing states neither); the residence permit is the one the account holds now, not the one filed, since
  endorsements (签注) move the permit on after the approval, as ``refresh.holder_advice`` does. Penalties
  recorded on the holder by decisions are not added: they are not part of the facts filed, and a decision
  adds them again (``workflow.verified_facts``).
- ``since_approval(app, today)``: item by item, the points the replaced approval gave against the points
  the application's facts give today, for the items that differ, and the totals.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from jifen.facts.parse import FactsError
from jifen.rules.engine import score
from jifen.service.accounts.models import Account
from jifen.service.applications.models import Application
from jifen.service.applications.record import approval_in_force
from jifen.service.applications.workflow import verified_facts

# What a new filing never carries over from an approval: the scoring date and the approval itself.
NOT_CARRIED = ("as_of", "last_approved")


@dataclass(frozen=True)
class StartingPoint:
    """The approval a change starts from, and its facts as filed (with the account's current permit)."""

    approval: Application
    approved_on: date  # the decision's date in Shanghai
    points: int
    facts: dict[str, Any]


def starting_point(holder: Account) -> StartingPoint | None:
    """None when ``holder`` has no approval in force."""
    approval = approval_in_force(holder)
    if approval is None or approval.points is None or approval.decided_at is None:
        return None
    facts = {k: copy.deepcopy(v) for k, v in approval.facts.items() if k not in NOT_CARRIED}
    if holder.permit_valid_from is not None and holder.permit_valid_until is not None:
        # the permit as the account knows it now (endorsements move it on), not as it was filed
        facts["residence_permit"] = {
            "valid_from": holder.permit_valid_from.isoformat(),
            "valid_until": holder.permit_valid_until.isoformat(),
        }
    return StartingPoint(approval, timezone.localdate(approval.decided_at), approval.points, facts)


@dataclass(frozen=True)
class ItemChange:
    """One indicator whose points differ: as approved, and as the application's facts give them today.

    ``difference`` is the change of what the item adds to the total (0 for an item not counted, dropped by
    the choose-one rule), so the differences add up to the change of the total unless the floor applies."""

    indicator: str
    label: dict[str, str]  # {"zh": ..., "en": ...}
    approved: int
    approved_counted: bool
    now: int
    now_counted: bool

    @property
    def difference(self) -> int:
        return (self.now if self.now_counted else 0) - (self.approved if self.approved_counted else 0)


@dataclass(frozen=True)
class SinceApproval:
    """The replaced approval, its items that the application changes, and the totals."""

    replaced: Application
    approved_on: date
    approved_total: int
    now_total: int
    items: tuple[ItemChange, ...]

    @property
    def difference(self) -> int:
        return self.now_total - self.approved_total


def since_approval(app: Application, today: date) -> SinceApproval | None:
    """What ``app`` changes against the approval it replaces, scored on ``today``.

    The application's facts are scored as a decision today would score them (``verified_facts``: with the
    penalties recorded on the holder); the approval's points are its stored score. None when ``app``
    replaces nothing, when the replaced application no longer holds an approval (a re-check rejected it),
    or when its facts cannot be scored."""
    replaced = app.replaces
    if replaced is None or replaced.points is None or replaced.decided_at is None or not replaced.score:
        return None
    try:
        now = score(verified_facts(app), on=today, explain=False)
    except FactsError:
        return None
    stored: dict[str, Mapping[str, Any]] = {
        str(item["indicator"]): item for item in replaced.score.get("items", []) if isinstance(item, Mapping)
    }
    changes = []
    for item in now.items:
        before = stored.get(item.indicator, {})
        approved, approved_counted = int(before.get("points", 0)), bool(before.get("counted", True))
        if (approved, approved_counted) != (item.points, item.counted):
            changes.append(
                ItemChange(item.indicator, dict(item.label), approved, approved_counted, item.points, item.counted)
            )
    return SinceApproval(replaced, timezone.localdate(replaced.decided_at), replaced.points, now.total, tuple(changes))
