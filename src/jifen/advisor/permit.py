"""The permit and the points' validity: endorsement (签注), renewal (续办), and what the projection assumes.

Approved points are valid until the permit's end (细则: 积分有效期与居住证有效期一致). The permit is
endorsed from ``advice.endorsement_window_days`` before its end (late up to
``advice.endorsement_late_days`` after it, its functions suspended meanwhile); the points are renewed
online once the endorsement has synced (``advice.renewal_sync_working_days``), and re-checked against the
facts of that day. The projection assumes the holder endorses on time, so a permit's end is never taken
for the end of the holder's points (renewal-and-appeals.md Q1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from jifen.dates import add_days_capped
from jifen.facts.model import Facts, ResidencePermit
from jifen.policy.model import Policy
from jifen.workdays import WorkdayCalendar


def _int(policy: Policy, name: str, day: date) -> int:
    value = policy.resolve(name, day).value
    assert isinstance(value, int)  # noqa: S101 - the loader checks declared types
    return value


@dataclass(frozen=True, slots=True)
class PermitCycle:
    """The next endorsement and renewal of the permit, seen on ``as_of``."""

    valid_until: date
    endorse_from: date  # the window opens
    late_until: date  # the last day of a late endorsement
    endorse_on: date  # the day the advice plans the endorsement: as early in the window as possible
    renew_from: date  # the renewal can start
    renew_provisional: bool  # renew_from counted over an estimated calendar year
    renewal_deadline: date  # agencies: a renewal later than this needs a new application
    late: bool  # the permit has already ended: a late endorsement

    @property
    def renew_until(self) -> date:
        """Renew before the old validity ends (or, late, before the late endorsement's last day)."""
        return self.late_until if self.late else self.valid_until


def permit_cycle(facts: Facts, policy: Policy, calendar: WorkdayCalendar, as_of: date) -> PermitCycle | None:
    """None without a permit, or when it ended longer ago than a late endorsement allows."""
    permit = facts.residence_permit
    if permit is None:
        return None
    window = _int(policy, "advice.endorsement_window_days", as_of)
    late_days = _int(policy, "advice.endorsement_late_days", as_of)
    try:
        opens = permit.valid_until - timedelta(days=window)
        late_until = add_days_capped(permit.valid_until, late_days)
    except OverflowError:  # a permit valid until the end of dates never needs endorsing
        return None
    if as_of > late_until:
        return None
    endorse_on = calendar.next_workday(max(opens, as_of))
    renew = calendar.add(endorse_on, _int(policy, "advice.renewal_sync_working_days", as_of))
    deadline = add_days_capped(endorse_on, _int(policy, "advice.renewal_deadline_days", as_of))
    return PermitCycle(
        valid_until=permit.valid_until,
        endorse_from=opens,
        late_until=late_until,
        endorse_on=endorse_on,
        renew_from=renew.date,
        renew_provisional=renew.provisional,
        renewal_deadline=deadline,
        late=as_of > permit.valid_until,
    )


def endorsed_on_time(facts: Facts, until: date) -> Facts:
    """The facts as the projection reads them: the permit kept valid through ``until`` by endorsing it on
    time each year (contract §5). Facts without a permit, or with one valid longer, are returned as they are."""
    permit = facts.residence_permit
    if permit is None or permit.valid_until >= until:
        return facts
    return replace(facts, residence_permit=ResidencePermit(permit.valid_from, until))
