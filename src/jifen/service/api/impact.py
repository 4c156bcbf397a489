"""Policy maintainers: who gains and who loses under a proposed change of the policy data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from jifen.policy.loader import default_policy
from jifen.service import clock
from jifen.service.accounts.models import Role
from jifen.service.api.people import account_of
from jifen.service.api.schemas import ImpactIn, ImpactOut, errors
from jifen.service.errors import Forbidden
from jifen.service.impact.population import PopulationImpact, population_impact
from jifen.service.impact.proposal import ProposedValue, from_values, load_proposed

router = Router(tags=["policy"])


@router.post(
    "/policy/impact",
    response={200: ImpactOut, **errors(400, 401, 403, 404)},
    summary="Who gains and who loses under a proposed change",
)
def policy_impact(request: HttpRequest, payload: ImpactIn) -> dict[str, Any]:
    """Every holder the service knows, scored under the current policy and under the bundled policy with
    the proposed dated values added (a value on an existing date replaces it). Each holder's facts are those
    of its latest application not withdrawn or rejected. Policy maintainers only; a proposal that cannot be
    applied is answered 422 with the field path (``overlay[0].value``). Holders are not named: each affected
    one is a pseudonym, the same in every answer of this deployment."""
    if account_of(request).role != Role.MAINTAINER:
        raise Forbidden("only a policy maintainer can do this")
    values = [
        ProposedValue(v.parameter, v.effective_from, v.value, v.note, where=f"overlay[{i}].")
        for i, v in enumerate(payload.overlay)
    ]
    proposed = load_proposed(from_values(values, default_policy()), empty_field="overlay")
    return impact_out(population_impact(proposed, payload.on or clock.today()))


def impact_out(result: PopulationImpact) -> dict[str, Any]:
    report = result.report
    return {
        "on": result.on,
        "standard": report.standard,
        **{
            k: getattr(report, k)
            for k in ("holders", "refused", "failed", "gainers", "losers", "crossing_up", "crossing_down")
        },
        "distribution": [{"change": c, "holders": n} for c, n in report.distribution()],
        "affected": [
            {"holder": r.pseudonym, "before": r.before, "after": r.after, "change": r.change} for r in result.affected
        ],
    }
