"""The maintainer's page: who gains and who loses under a proposed policy change, and its CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jifen.batch.impact import changes_svg
from jifen.policy.loader import default_policy
from jifen.service import clock
from jifen.service.accounts.models import Account, Role
from jifen.service.impact.population import PopulationImpact, affected_csv, population_impact
from jifen.service.impact.proposal import ProposalError, from_saved, load_proposed, saved
from jifen.service.notifications.policy_due import policy_due
from jifen.service.web.impact_form import ImpactForm
from jifen.service.web.views import lang

View = Callable[[HttpRequest], HttpResponse]
SHOWN = 500  # rows of the table; the CSV has them all


def maintainers_only(view: View) -> View:
    """Anonymous people are sent to sign in; others get 404, as for any page that is not theirs."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("login")
        account: Account | None = getattr(request.user, "account", None)
        if account is None or account.role != Role.MAINTAINER:
            raise Http404("policy maintainers only")
        return view(request)

    return wrapped


@require_http_methods(["GET", "POST"])
@maintainers_only
def policy_impact(request: HttpRequest) -> HttpResponse:
    policy = default_policy()
    if request.method != "POST":
        form = ImpactForm(policy=policy, initial={"on": clock.today()})
        return _page(request, form)
    form = ImpactForm(request.POST, request.FILES, policy=policy)
    if form.is_valid():
        try:
            files = form.overlay_files()
            result = population_impact(load_proposed(files), form.cleaned_data["on"])
        except ProposalError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason_in(lang()))
        else:
            return _page(request, form, result=result, proposal=saved(files))
    return _page(request, form, status=400)


def _page(
    request: HttpRequest,
    form: ImpactForm,
    *,
    result: PopulationImpact | None = None,
    proposal: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "lang": lang(), "result": result, "proposal": proposal}
    context["policy_due"] = policy_due(clock.today())
    if result is not None:
        context["rows"] = result.affected[:SHOWN]
        scored = result.report.holders > result.report.refused
        context["chart"] = changes_svg(result.report, language=lang()) if scored else ""
    return render(request, "web/impact.html", context, status=status)


@require_POST
@maintainers_only
def policy_impact_csv(request: HttpRequest) -> HttpResponse:
    """The affected holders of the proposal the page showed (sent back in a hidden field)."""
    try:
        on = date.fromisoformat(request.POST.get("on", ""))
    except ValueError:
        return _bad("on: " + _("日期格式应为 YYYY-MM-DD"))
    try:
        result = population_impact(load_proposed(from_saved(request.POST.get("proposal", ""), default_policy())), on)
    except ProposalError as exc:
        return _bad(f"{exc.field}: {exc.reason_in(lang())}")
    response = HttpResponse(affected_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jifen-impact-{on.isoformat()}.csv"'
    return response


def _bad(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
