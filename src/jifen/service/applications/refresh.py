"""Refresh advice for a holder: the advisor run on the facts of the latest approval, against its total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from jifen.advisor import Advice, advise
from jifen.facts.model import LastApproved
from jifen.facts.parse import FactsError
from jifen.service.accounts.models import Account
from jifen.service.applications.models import AdviceSummary, Application
from jifen.service.applications.record import approval_in_force
from jifen.service.applications.workflow import verified_facts


@dataclass(frozen=True)
class HolderAdvice:
    approved: Application
    advice: Advice


def holder_advice(holder: Account, today: date, target: date | None = None) -> HolderAdvice | None:
    """None when the holder has no approved application (or its facts no longer validate)."""
    approved = approval_in_force(holder)
    if approved is None or approved.points is None or approved.decided_at is None:
        return None
    facts = dict(verified_facts(approved))
    last = LastApproved(approved.points, timezone.localdate(approved.decided_at))
    facts.pop("as_of", None)
    if holder.permit_valid_from is not None and holder.permit_valid_until is not None:
        # the permit as the account knows it now (endorsements move it on), not as it was filed
        facts["residence_permit"] = {
            "valid_from": holder.permit_valid_from.isoformat(),
            "valid_until": holder.permit_valid_until.isoformat(),
        }
    try:
        return HolderAdvice(approved, advise(facts, last_approved=last, on=today, target=target))
    except FactsError:
        return None


def advice_summary(holder: Account, today: date) -> AdviceSummary:
    """The stored summary of ``holder``'s advice on ``today``: read when it was made on the same day, latest
    approval and permit; otherwise computed and stored."""
    latest = approval_in_force(holder)
    stored = AdviceSummary.objects.filter(holder=holder).first()
    if (
        stored is not None
        and stored.computed_on == today
        and stored.approved_id == (latest.pk if latest else None)
        and stored.permit_valid_until == holder.permit_valid_until
    ):
        return stored
    return store_summary(holder, today, holder_advice(holder, today))


def store_summary(holder: Account, today: date, found: HolderAdvice | None) -> AdviceSummary:
    """Store what lists show of ``found``, the holder's advice just computed on ``today``."""
    values = {
        "computed_on": today,
        "approved": None if found is None else found.approved,
        "permit_valid_until": holder.permit_valid_until,
        "approved_points": None if found is None else found.approved.points,
        "now_total": None if found is None else found.advice.current.total,
        "refresh": found is not None and found.advice.recommendation.refresh,
    }
    try:
        with transaction.atomic():
            summary, _ = AdviceSummary.objects.update_or_create(holder=holder, defaults=values)
    except IntegrityError:  # made meanwhile by another request or node, from the same facts: keep theirs
        summary = AdviceSummary.objects.get(holder=holder)
    return summary
