"""The maintainer's page: who gains and who loses under a proposed policy change, and its CSV."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jifen.batch.impact import changes_svg
from jifen.policy.loader import default_policy
from jifen.service import clock
from jifen.service.accounts.models import Account, Role
from jifen.service.impact.models import ImpactRun, RunStatus
from jifen.service.impact.population import PopulationImpact, affected_csv
from jifen.service.impact.proposal import ProposalError, load_proposed, saved
from jifen.service.impact.tasks import result_from_json, run_impact
from jifen.service.notifications.policy_due import policy_due
from jifen.service.web.impact_form import ImpactForm
from jifen.service.web.views import lang

View = Callable[..., HttpResponse]
SHOWN = 500  # rows of the table; the CSV has them all


def maintainers_only(view: View) -> View:
    """Anonymous people are sent to sign in; others get 404, as for any page that is not theirs."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("login")
        account: Account | None = getattr(request.user, "account", None)
        if account is None or account.role != Role.MAINTAINER:
            raise Http404("policy maintainers only")
        return view(request, *args, **kwargs)

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
            load_proposed(files)  # a proposal the loader refuses is answered here, next to its field
        except ProposalError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason_in(lang()))
        else:  # the population is scored by a background task (issue 16.2): its page shows the progress
            assert isinstance(request.user, User)  # noqa: S101 - maintainers_only: signed in
            asked = ImpactRun.objects.create(
                requested_by=request.user, proposal=saved(files), on=form.cleaned_data["on"]
            )
            transaction.on_commit(partial(run_impact.enqueue, asked.pk), robust=True)
            return redirect("policy_impact_run", asked.pk)
    return _page(request, form, status=400)


@require_GET
@maintainers_only
def policy_impact_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """An impact run: its progress while it is queued or running (the page reloads itself every
    JIFEN_IMPACT_REFRESH_SECONDS, a Refresh header: no script), then its stored result, or why it failed."""
    run = get_object_or_404(ImpactRun, pk=run_id)
    context: dict[str, Any] = {"run": run, "lang": lang(), "error": run.error.get(lang(), "") if run.error else ""}
    if run.status == RunStatus.DONE and run.result is not None:
        context.update(_result_context(result_from_json(run.result)))
    response = render(request, "web/impact_run.html", context)
    if not run.finished:
        response["Refresh"] = str(settings.JIFEN_IMPACT_REFRESH_SECONDS)
    return response


@require_GET
@maintainers_only
def policy_impact_run_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    """The affected holders of a finished run, from its stored result."""
    run = get_object_or_404(ImpactRun, pk=run_id, status=RunStatus.DONE, result__isnull=False)
    assert run.result is not None  # noqa: S101 - filtered above
    result = result_from_json(run.result)
    response = HttpResponse(affected_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jifen-impact-{result.on.isoformat()}.csv"'
    return response


def _page(request: HttpRequest, form: ImpactForm, *, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "lang": lang(), "policy_due": policy_due(clock.today())}
    return render(request, "web/impact.html", context, status=status)


def _result_context(result: PopulationImpact) -> dict[str, Any]:
    scored = result.report.holders > result.report.refused
    chart = changes_svg(result.report, language=lang()) if scored else ""
    return {"result": result, "rows": result.affected[:SHOWN], "chart": chart}
