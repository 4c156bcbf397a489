"""Pages: the calculator (模拟打分), the advisor, sign-in, the dashboards, notice verification."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import login as session_login
from django.contrib.auth import logout as session_logout
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views import i18n
from django.views.decorators.http import require_http_methods, require_POST

from jifen.advisor import advise
from jifen.advisor.chart import chart_svg
from jifen.advisor.triggers import KIND_LABELS
from jifen.advisor.what_if import what_ifs
from jifen.facts.parse import FactsError, parse_facts
from jifen.policy.loader import default_policy
from jifen.rules.engine import score
from jifen.service import clock
from jifen.service.accounts import duplicates, services
from jifen.service.accounts.identity import masked_id
from jifen.service.accounts.models import Account, Employer, Role
from jifen.service.applications.decision_routes import latest_rejection_shown
from jifen.service.applications.models import OPEN_STATUSES, Application, Status
from jifen.service.applications.refresh import advice_summary, holder_advice
from jifen.service.errors import TooManyRequests, WorkflowError
from jifen.service.notices.issue import masked
from jifen.service.notices.models import Notice
from jifen.service.notices.status import holder_notices, notice_status
from jifen.service.notifications.models import Message
from jifen.service.notifications.policy_due import policy_due
from jifen.service.per_holder import NotComputed, computed
from jifen.service.web import page_cache
from jifen.service.web.facts_form import FactsForm
from jifen.workdays import WorkdayCalendar, default_calendar


def lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def index(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    if settings.JIFEN_DEMO:
        from jifen.service.demo import LOGINS, PASSWORD

        context = {"demo_logins": LOGINS, "demo_password": PASSWORD}
    return render(request, "web/index.html", context)


def _facts_from(request: HttpRequest) -> tuple[FactsForm, dict[str, Any] | None]:
    if request.method != "POST":
        return FactsForm(initial={"as_of": clock.today()}), None
    form = FactsForm(request.POST)
    if not form.is_valid():
        return form, None
    facts, where = form.to_facts()
    try:
        parse_facts(facts)
    except FactsError as exc:
        form.add_facts_errors(exc, where, lang())
        return form, None
    return form, facts


@require_http_methods(["GET", "POST"])
def calculator(request: HttpRequest) -> HttpResponse:
    form, facts = _facts_from(request)
    context: dict[str, Any] = {"form": form, "lang": lang()}
    if request.method == "GET":  # the empty form: the same for every visitor (page_cache)
        context["empty_form"] = page_cache.empty_form("web/_calculator_form.html", context)
    if facts is not None:
        try:
            result = score(facts)
        except FactsError as exc:
            form.add_facts_errors(exc, {"as_of": "as_of", "birth_date": "birth_date"}, lang())
        else:
            context["result"] = result
            context["what_ifs"] = what_ifs(facts, result.as_of, default_policy())
    return render(request, "web/calculator.html", context)


@require_http_methods(["GET", "POST"])
def advisor(request: HttpRequest) -> HttpResponse:
    form, facts = _facts_from(request)
    context: dict[str, Any] = {"form": form, "lang": lang(), "kinds": KIND_LABELS}
    if request.method == "GET":  # the empty form: the same for every visitor (page_cache)
        context["empty_form"] = page_cache.empty_form("web/_advisor_form.html", context)
    if facts is not None:
        try:
            advice = advise(facts, target=form.cleaned_data.get("target"))
        except FactsError as exc:
            form.add_facts_errors(exc, {"as_of": "as_of", "birth_date": "birth_date"}, lang())
        else:
            context["advice"] = advice
            context["chart"] = chart_svg(advice, language=lang())
    return render(request, "web/advisor.html", context)


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    error, status = None, 200
    if request.method == "POST":
        try:
            user = services.login(request, request.POST.get("username", ""), request.POST.get("password", ""))
        except WorkflowError as exc:
            error = exc.text(lang())
            status = exc.status if isinstance(exc, TooManyRequests) else status  # locked out: 429
        else:
            session_login(request, user)
            response = redirect(_next_page(request) or "home")
            if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:  # chosen on this browser: remembered
                _remember_language(user, lang())
            else:  # a new browser: the pages speak the language the account chose before
                account: Account | None = getattr(user, "account", None)
                if account is not None and account.language == "en":
                    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, "en", samesite="Lax")
            return response
    return render(request, "web/login.html", {"error": error, "next": _next_page(request)}, status=status)


def _next_page(request: HttpRequest) -> str | None:
    """Where a signed-out link was going (``?next=``), when it is a page of this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and safe and wanted.startswith("/") else None


def _remember_language(user: object, language: str) -> None:
    """Messages and e-mails to ``user`` are written in the page language they use (Account.language)."""
    account: Account | None = getattr(user, "account", None)
    if account is not None and account.language != language:
        Account.objects.filter(pk=account.pk).update(language=language)
        account.language = language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (a cookie), also remembered on the signed-in person's account."""
    response = i18n.set_language(request)
    chosen = request.POST.get("language", "")
    if request.user.is_authenticated and chosen in dict(settings.LANGUAGES):
        _remember_language(request.user, "en" if chosen.startswith("en") else "zh")
    return response


@require_http_methods(["POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """Sign out, and revoke the API tokens issued from this browser session: those asked for
    (``POST /api/v1/auth/token``) by this browser while signed in as the same user (ApiToken.session_hash).
    Tokens issued without the session (scripts, other clients) keep working until they expire or are
    revoked with ``DELETE /api/v1/auth/token``."""
    if isinstance(request.user, User):
        services.revoke_session_tokens(request.user, request.session.session_key)
    session_logout(request)
    return redirect("index")


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's page: a holder's points and applications, an agent's employees, a reviewer's queue."""
    account: Account | None = getattr(request.user, "account", None) if request.user.is_authenticated else None
    if account is None:
        return redirect_to_login(request.get_full_path())
    today = clock.today()
    context: dict[str, Any] = {"account": account, "today": today, "lang": lang()}
    if account.role == Role.HOLDER:
        context["id_number"] = masked_id(account.id_number)  # masked on the holder's own page too
        found = computed(account.pk, "the refresh advice", lambda: holder_advice(account, today))
        context["found"], context["not_computed"] = (None, True) if isinstance(found, NotComputed) else (found, False)
        context["kinds"] = KIND_LABELS
        context["applications"] = account.applications.order_by("-created_at")
        notices = holder_notices(account.pk, today)
        context["current_notice"] = next((n for n, s in notices if s.status == "current"), None)
        context["notices"] = [(n, s) for n, s in notices if s.status != "current"]
        context["messages_"] = Message.objects.filter(user=account.user)[:20]
        context["rejection"] = latest_rejection_shown(account, lang())  # what can be done, by when
        return render(request, "web/holder.html", context)
    if account.role == Role.AGENT:
        holders = (
            Account.objects.filter(employer=account.employer, role=Role.HOLDER)
            .select_related("user")
            .order_by("display_name")
        )
        context["employees"] = [_employee_row(h, today) for h in holders]
        context["applications"] = (
            Application.objects.filter(employer=account.employer).select_related("holder").order_by("-created_at")[:50]
        )
        return render(request, "web/employer.html", context)
    if account.role == Role.MAINTAINER:  # the policy data, not the review work nor anyone's application
        context["policy_due"] = policy_due(today)
        return render(request, "web/maintainer.html", context)
    context["unverified"] = Employer.objects.filter(verified_at=None).order_by("created_at")
    context["duplicates"] = duplicates.recent()  # openings and registrations that repeat an existing account
    context["status"] = request.GET.get("status") or ""
    context["statuses"] = [(s, Status(s).label) for s in QUEUE_STATUSES]
    return render(request, "web/reviewer.html", {**context, "queue": _queue(request, today)})


def _employee_row(holder: Account, today: date) -> dict[str, Any]:
    row = {
        "holder": holder,
        "id_number": masked_id(holder.id_number),
        "no_password": not holder.user.has_usable_password(),  # the link may need sending again
        "valid_until": holder.permit_valid_until,
        "expired": holder.permit_valid_until is not None and holder.permit_valid_until < today,
    }
    found = computed(holder.pk, "the employee row", lambda: advice_summary(holder, today))
    if isinstance(found, NotComputed):
        return {**row, "not_computed": True, "points": None, "now": None, "refresh": False}
    return {**row, "points": found.approved_points, "now": found.now_total, "refresh": found.refresh}


QUEUE_STATUSES = (*OPEN_STATUSES, Status.APPROVED, Status.REJECTED)  # the reviewer's filter


def _queue(request: HttpRequest, today: date) -> list[dict[str, Any]]:
    status = request.GET.get("status") or ""
    apps = Application.objects.select_related("holder", "employer")
    # by default the open applications, the nearest deadline first; a decided state when asked for
    apps = apps.filter(status=status) if status in QUEUE_STATUSES else apps.filter(status__in=OPEN_STATUSES)
    calendar = default_calendar()
    rows: list[dict[str, Any]] = []
    for app in apps.order_by(F("deadline").asc(nulls_last=True), "submitted_at")[:200]:
        left = computed(app.holder_id, f"the queue row of {app.pk}", partial(_left, calendar, today, app.deadline))
        if isinstance(left, NotComputed):
            rows.append({"app": app, "left": None, "overdue": False, "not_computed": True})
        else:
            rows.append({"app": app, "left": left, "overdue": left is not None and left < 0})
    return rows


def _left(calendar: WorkdayCalendar, today: date, deadline: date | None) -> int | None:
    return calendar.working_days_left(today, deadline).working_days if deadline else None


def verify(request: HttpRequest, code: str) -> HttpResponse:
    notice = Notice.objects.filter(code=code.upper()).select_related("application").first()
    if notice is None:
        raise Http404("no such notice")
    status = notice_status(notice, clock.today())
    context = {
        "notice": notice,
        "name": masked(notice.holder_name),
        "valid": status.status == "current",
        "status_words": status.words[lang()],
    }
    return render(request, "web/verify.html", context)
