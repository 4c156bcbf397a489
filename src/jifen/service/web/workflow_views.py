"""Pages of the workflow: register an employer, open holders, file, upload, review, decide."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jifen.facts.parse import FactsError
from jifen.facts.tables import compare, fact_tables
from jifen.policy.basis_words import confidence_words, value_in_words
from jifen.policy.loader import default_policy
from jifen.policy.wording import date_words
from jifen.rules.engine import score
from jifen.service import clock
from jifen.service.accounts import services
from jifen.service.accounts.identity import masked_facts, record_id_view, sees_full_id
from jifen.service.accounts.models import Account, Employer, Role
from jifen.service.applications import workflow
from jifen.service.applications.access import visible_applications
from jifen.service.applications.changes import NOT_CARRIED, since_approval, starting_point
from jifen.service.applications.decision_routes import decision_shown
from jifen.service.applications.filing import file_application
from jifen.service.applications.materials_shown import asked_to_replace, categories, material_groups, replaceable
from jifen.service.applications.models import Application, Kind
from jifen.service.applications.timeline import timeline
from jifen.service.applications.uploads import UPLOADABLE, add_material
from jifen.service.errors import WorkflowError
from jifen.service.notices.status import latest_notice
from jifen.service.web.facts_form import FactsForm
from jifen.service.web.views import lang
from jifen.workdays import default_calendar


def _account(request: HttpRequest) -> Account:
    account: Account | None = getattr(request.user, "account", None) if request.user.is_authenticated else None
    if account is None:
        raise Http404("sign in first")
    return account


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404("sign in first")
    return user


@require_http_methods(["GET", "POST"])
def register_employer(request: HttpRequest) -> HttpResponse:
    error = None
    fields = ("uscc", "name", "district", "agent_username", "agent_email", "agent_password", "agent_name")
    values = {f: request.POST.get(f, "").strip() for f in fields}
    if request.method == "POST":
        try:
            services.receive_registration(**values)  # the same answer when the code or user name exists
        except WorkflowError as exc:
            error = exc.text(lang())
        else:
            messages.success(request, _("注册申请已收到，审核人员核验后即可办理。"))
            return redirect("login")
    return render(request, "web/register_employer.html", {"error": error, "values": values})


@require_POST
def verify_employer(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = Employer.objects.filter(pk=employer_id).first()
    if employer is None:
        raise Http404("no such employer")
    try:
        services.verify_employer(employer, _user(request))
    except WorkflowError as exc:
        messages.error(request, exc.text(lang()))
    return redirect("home")


@login_required(login_url="login")
@require_http_methods(["GET", "POST"])
def open_holder(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    if account.role != Role.AGENT:
        raise Http404("employer agents only")
    if account.employer is None or account.employer.verified_at is None:  # say why before any form is filled
        return render(request, "web/open_holder.html", {"unverified": True})
    error, link, sent_to = None, None, None
    fields = ("username", "email", "name", "id_number", "birth_date", "permit_valid_from", "permit_valid_until")
    values = {f: request.POST.get(f, "").strip() for f in fields}
    if request.method == "POST":
        try:
            dates = {
                k: date.fromisoformat(values[k]) if values[k] else None
                for k in ("birth_date", "permit_valid_from", "permit_valid_until")
            }
            if dates["birth_date"] is None:
                raise WorkflowError("birth_date: required", "请填写出生日期")
            _, setup = services.open_holder(
                _user(request),
                values["username"],
                values["email"],
                values["name"],
                values["id_number"],
                dates["birth_date"],
                dates["permit_valid_from"],
                dates["permit_valid_until"],
            )
            if setup.sent_to:  # e-mailed to the holder: the agent learns where, not the link
                sent_to = setup.sent_to
            else:  # no address: shown this once, to be handed to the holder in person
                link = request.build_absolute_uri(setup.path)
        except ValueError:
            error = _("日期格式应为 YYYY-MM-DD")
        except WorkflowError as exc:
            error = exc.text(lang())
    context = {"error": error, "values": values, "link": link, "sent_to": sent_to}
    context["hours"] = settings.JIFEN_SET_PASSWORD_HOURS
    response = render(request, "web/open_holder.html", context)
    if link:
        add_never_cache_headers(response)  # the link is a credential: no cache keeps the page
    return response


@require_POST
def resend_setup_link(request: HttpRequest, holder_id: int) -> HttpResponse:
    """A new set-password link for an employee who has not set a password (the first expired or was lost)."""
    account = _account(request)
    holder = Account.objects.filter(pk=holder_id, role=Role.HOLDER, employer=account.employer).first()
    if account.role != Role.AGENT or holder is None:
        raise Http404("no such employee")
    context: dict[str, Any] = {"holder": holder, "hours": settings.JIFEN_SET_PASSWORD_HOURS}
    try:
        setup = services.resend_setup_link(_user(request), holder)
    except WorkflowError as exc:
        context["error"] = exc.text(lang())
    else:
        if setup.sent_to:
            context["sent_to"] = setup.sent_to
        else:
            context["link"] = request.build_absolute_uri(setup.path)
    response = render(request, "web/setup_link_resent.html", context)
    add_never_cache_headers(response)
    return response


_LINK_IN_SESSION = "set_password_link"  # the session's {uid, token} of the link being used


@require_GET
def set_password_link(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    """The set-password link's first hop: the token leaves the URL at once. It is kept in the session and
    the browser is redirected to ``/accounts/set-password``, whose form sets the password, so that the
    token is in one request line only (one access-log line) and never in a Referer."""
    request.session[_LINK_IN_SESSION] = {"uid": uid, "token": token}
    response = redirect("set_password")
    response["Referrer-Policy"] = "no-referrer"
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest) -> HttpResponse:
    """The holder sets a password with the link kept in the session (see ``set_password_link``)."""
    link = request.session.get(_LINK_IN_SESSION)
    uid, token = (str(link.get("uid", "")), str(link.get("token", ""))) if isinstance(link, dict) else ("", "")
    try:
        services.check_setup_link(uid, token)
    except WorkflowError as exc:  # unknown, used or expired: no form to fill in for nothing
        request.session.pop(_LINK_IN_SESSION, None)
        return render(request, "web/set_password.html", {"error": exc.text(lang()), "unusable": True})
    error = None
    if request.method == "POST":
        try:
            services.set_password(uid, token, request.POST.get("password", ""))
        except WorkflowError as exc:
            error = exc.text(lang())
        else:
            request.session.pop(_LINK_IN_SESSION, None)
            messages.success(request, _("密码已设置，请登录。"))
            return redirect("login")
    return render(request, "web/set_password.html", {"error": error})


@login_required(login_url="login")
@require_http_methods(["GET", "POST"])
def new_application(request: HttpRequest, holder_id: int) -> HttpResponse:
    account = _account(request)
    holder = Account.objects.filter(pk=holder_id, role=Role.HOLDER, employer=account.employer).first()
    if account.role != Role.AGENT or holder is None:
        raise Http404("no such employee")
    kind = request.POST.get("kind") or request.GET.get("kind") or Kind.CHANGE
    # a change or renewal starts from the facts of the approval in force: the agent changes what changed
    start = starting_point(holder) if kind in (Kind.CHANGE, Kind.RENEWAL) else None
    if request.method == "POST":
        form = FactsForm(request.POST)
        if form.is_valid():
            facts, where = form.to_facts()
            facts.pop("as_of", None)
            facts.pop("last_approved", None)
            try:
                app, _created = file_application(
                    _user(request), holder, kind, facts, request.POST.get("idempotency_key") or None
                )
            except FactsError as exc:
                form.add_facts_errors(exc, where, lang())
            except WorkflowError as exc:
                form.add_error(None, exc.text(lang()))
            else:
                return redirect("application", application_id=app.pk)
    elif start is not None:
        form = FactsForm(initial=FactsForm.initial_from(start.facts))
        if isinstance(start.facts.get("id_number"), str):  # kept in full in the form's hidden field
            record_id_view(_user(request), holder.pk, "new application page", start.approval.pk)
    else:
        form = FactsForm(
            initial={
                "birth_date": holder.birth_date,
                "permit_valid_from": holder.permit_valid_from,
                "permit_valid_until": holder.permit_valid_until,
            }
        )
    context: dict[str, Any] = {"form": form, "holder": holder, "kinds": Kind.choices, "kind": kind}
    if start is not None:
        context["start_note"] = _("以%(date)s核定的申报事实（%(points)s分）为起点，只需修改变化的部分") % {
            "date": date_words(start.approved_on)[lang()],
            "points": start.points,
        }
    if kept := form.kept_words(lang()):
        context["kept_note"] = _("表单中没有栏目的事实按原样保留：%(paths)s") % {
            "paths": "、".join(kept) if lang() == "zh" else ", ".join(kept)
        }
    return render(request, "web/new_application.html", context)


def _visible(request: HttpRequest, application_id: UUID) -> Application:
    app = visible_applications(_account(request)).filter(pk=application_id).first()
    if app is None:
        raise Http404("no such application")
    return app


@login_required(login_url="login")  # a signed-out link asks to sign in, then comes back
def application(request: HttpRequest, application_id: UUID) -> HttpResponse:
    account = _account(request)
    app = _visible(request, application_id)
    offered = workflow.available(app, _user(request))  # the buttons: the table, the role and the state
    preview = None
    if account.role == Role.REVIEWER and app.score is None:
        try:
            preview = score(workflow.verified_facts(app), policy=default_policy())
        except FactsError:
            preview = None
    left = default_calendar().working_days_left(clock.today(), app.deadline).working_days if app.deadline else None
    # the ID number in full for the reviewer and the filing employer's agent (audited), masked for the holder
    full_id = sees_full_id(account, app.employer_id)
    if full_id and isinstance(app.facts.get("id_number"), str):
        record_id_view(_user(request), app.holder_id, "application page", app.pk)
    context: dict[str, Any] = {
        "app": app,
        "account": account,
        "actions": offered,
        "timeline": timeline(app),
        "left": left,
        "uploadable": account.role == Role.AGENT and app.status in UPLOADABLE,
        "lang": lang(),
        "score": app.score,
        "preview": preview,
        "materials": app.materials.order_by("uploaded_at"),
        "corrections": app.corrections.order_by("-id"),
        "notice": latest_notice(app),
        # the facts as labelled tables; a change or renewal marks what differs from the approval it replaces
        **_facts_shown(app, full_id),
        **_materials_shown(app),
        # a change or renewal: item by item, the replaced approval's points against these facts' today
        "since": since_approval(app, clock.today()),
        # the decision, its reasons and what can be done about it, each with its last day (holder and agent)
        "decision": decision_shown(app, lang()) if account.role in (Role.HOLDER, Role.AGENT) else None,
    }
    return render(request, "web/application.html", context)


def _facts_shown(app: Application, full_id: bool) -> dict[str, Any]:  # noqa: FBT001
    def shown(facts: dict[str, Any]) -> dict[str, Any]:
        return facts if full_id else masked_facts(facts)

    today = clock.today()
    tables = fact_tables(shown(app.facts), today)
    replaced = app.replaces
    if replaced is None or replaced.points is None or replaced.decided_at is None:
        return {"fact_tables": tables, "facts_approved_on": None}
    approved = {k: v for k, v in replaced.facts.items() if k not in NOT_CARRIED}  # as a new filing starts from it
    return {
        "fact_tables": compare(tables, fact_tables(shown(approved), today)),
        "facts_approved_on": timezone.localdate(replaced.decided_at),
    }


def _materials_shown(app: Application) -> dict[str, Any]:
    materials = list(app.materials.order_by("uploaded_at"))
    current = replaceable(materials)
    return {
        "material_groups": material_groups(materials),
        "categories": categories(),
        "replaceable": current,
        "asked_to_replace": asked_to_replace(app, current),
    }


@require_POST
def act(request: HttpRequest, application_id: UUID, action: str) -> HttpResponse:
    app = _visible(request, application_id)
    user = _user(request)
    steps: dict[str, Callable[[], Application]] = {
        "submit": lambda: workflow.submit(app, user),
        "resubmit": lambda: workflow.resubmit(app, user),
        "withdraw": lambda: workflow.withdraw(app, user),
        "appeal": lambda: workflow.appeal(app, user, request.POST.get("reason", "")),
        "accept": lambda: workflow.accept(app, user),
        "request_correction": lambda: workflow.request_correction(app, user, _correction_reasons(request)),
        "approve": lambda: workflow.approve(app, user),
        "reject": lambda: workflow.reject(
            app,
            user,
            [r for r in [request.POST.get("reason", "").strip()] if r],
            false_material=request.POST.get("false_material") == "on",
        ),
    }
    if action not in workflow.BY_ACTION:
        raise Http404("no such action")
    try:
        steps[action]()
    except WorkflowError as exc:
        messages.error(request, exc.text(lang()))
    except FactsError as exc:
        messages.error(request, str(exc))
    return redirect("application", application_id=app.pk)


def _correction_reasons(request: HttpRequest) -> list[dict[str, Any]]:
    reason = request.POST.get("reason", "").strip()
    if not reason:
        return []
    return [
        {
            "material": request.POST.get("material") or None,
            "indicator": request.POST.get("indicator", "basic"),
            "reason": reason,
        }
    ]


@require_POST
def upload(request: HttpRequest, application_id: UUID) -> HttpResponse:
    app = _visible(request, application_id)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("请选择文件"))
    else:
        try:
            replaces = request.POST.get("replaces") or None  # the upload form's 替换文件, "" for a new file
            add_material(app, _user(request), request.POST.get("indicator", "basic"), file, replaces)
        except WorkflowError as exc:
            messages.error(request, exc.text(lang()))
    return redirect("application", application_id=app.pk)


def policy_page(request: HttpRequest) -> HttpResponse:
    """Policy parameters with their dated values and sources, and the calendar's coverage (public), in words:
    each parameter by its name with its id as a technical reference, each value with its unit or its terms."""
    policy = default_policy()
    calendar = default_calendar()
    language = lang()
    parameters = [
        {
            "name": p.name,
            "words": p.words()[language],
            "description": p.description_en if language == "en" else p.description_zh,
            "values": [
                {
                    "effective_from": v.effective_from,
                    "value": value_in_words(p, v.value)[language],
                    "provisional": v.provisional,
                    "source": v.source,
                    "confidence": confidence_words(v.confidence)[language],
                }
                for v in p.values
            ],
        }
        for p in sorted(policy.parameters.values(), key=lambda p: p.name)
    ]
    readings = [
        {
            "question": r.question_en if language == "en" else r.question_zh,
            "chosen": getattr(r.choices[r.default], language),
            "others": [getattr(c, language) for key, c in r.choices.items() if key != r.default],
        }
        for r in policy.readings.values()
    ]
    return render(
        request,
        "web/policy.html",
        {
            "parameters": parameters,
            "versions": policy.versions,
            "readings": readings,
            "lang": language,
            "official_years": calendar.official_years(),
        },
    )
