"""Refresh advice for a holder: the advisor run on the facts of the latest approval, against its total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from jifen.advisor import Advice, advise
from jifen.facts.parse import FactsError
from jifen.service.accounts.models import Account
from jifen.service.applications.models import Application, Status
from jifen.service.applications.workflow import verified_facts


@dataclass(frozen=True)
class HolderAdvice:
    approved: Application
    advice: Advice


def holder_advice(holder: Account, today: date, target: date | None = None) -> HolderAdvice | None:
    """None when the holder has no approved application (or its facts no longer validate)."""
    approved = holder.applications.filter(status=Status.APPROVED).order_by("-decided_at").first()
    if approved is None or approved.points is None or approved.decided_at is None:
        return None
    facts = dict(verified_facts(approved))
    facts["last_approved"] = {"total": approved.points, "on": timezone.localdate(approved.decided_at).isoformat()}
    facts.pop("as_of", None)
    if holder.permit_valid_from is not None and holder.permit_valid_until is not None:
        # the permit as the account knows it now (endorsements move it on), not as it was filed
        facts["residence_permit"] = {
            "valid_from": holder.permit_valid_from.isoformat(),
            "valid_until": holder.permit_valid_until.isoformat(),
        }
    try:
        return HolderAdvice(approved, advise(facts, on=today, target=target))
    except FactsError:
        return None
