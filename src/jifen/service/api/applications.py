"""Applications, materials and review actions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from jifen.advisor.materials import default_checklist
from jifen.facts.parse import parse_facts
from jifen.policy.loader import default_policy
from jifen.rules.engine import score
from jifen.service import clock
from jifen.service.accounts.identity import masked_facts, record_id_view, sees_full_id
from jifen.service.accounts.models import Role
from jifen.service.api.contract_schemas import ref, uses
from jifen.service.api.people import account_of, user_of, visible_holder
from jifen.service.api.schemas import (
    AppealIn,
    ApplicationIn,
    ApplicationOut,
    AuditOut,
    CorrectionIn,
    MaterialOut,
    NoticeOut,
    RejectIn,
    errors,
)
from jifen.service.applications import workflow
from jifen.service.applications.access import visible_applications
from jifen.service.applications.filing import file_application
from jifen.service.applications.models import Application
from jifen.service.applications.models import Status as AppStatus
from jifen.service.applications.uploads import add_material
from jifen.service.audit.models import AuditEntry
from jifen.service.errors import Forbidden, Invalid, NotFound
from jifen.service.inputs import short
from jifen.service.notices.models import Notice
from jifen.service.notices.status import latest_notice, notice_status
from jifen.service.notices.stored import open_pdf

router = Router(tags=["applications"])
_FILE = {"schema": {"type": "string", "format": "binary"}}
_PDF = {"application/pdf": _FILE}
_BINARY = {**_PDF, "image/jpeg": _FILE, "image/png": _FILE}


def visible_application(request: HttpRequest, application_id: UUID) -> Application:
    app = visible_applications(account_of(request)).filter(pk=application_id).first()
    if app is None:
        raise NotFound(f"no application {application_id}")
    return app


def application_out(app: Application, *, full_id: bool = False) -> dict[str, Any]:
    """The application; its facts' ``id_number`` masked unless ``full_id`` (see ``get_application``)."""
    notice = latest_notice(app)
    return {
        **{
            f: getattr(app, f)
            for f in (
                "id",
                "kind",
                "status",
                "holder_id",
                "employer_id",
                "created_at",
                "submitted_at",
                "accepted_on",
                "deadline",
                "deadline_provisional",
                "remaining_working_days",
                "decided_at",
                "reasons",
                "points",
                "policy_version",
                "valid_until",
                "score",
            )
        },
        "facts": app.facts if full_id else masked_facts(app.facts),
        "replaces": app.replaces_id,
        "notice_code": notice.code if notice is not None else None,
        "materials": list(app.materials.order_by("uploaded_at")),
        "corrections": list(app.corrections.order_by("id")),
    }


@router.post("/applications", response={200: ApplicationOut, 201: ApplicationOut, **errors(400, 401, 403, 404, 409)})
def create_application(request: HttpRequest, payload: ApplicationIn) -> Status[Any]:
    """File a draft for a holder of the agent's employer. Repeating a call with the same
    Idempotency-Key header returns the application created the first time (200)."""
    account = account_of(request)
    if account.role != Role.AGENT:
        raise Forbidden("only an employer agent can file applications")
    holder = visible_holder(account, payload.holder_id)
    key = request.headers.get("Idempotency-Key") or None
    app, created = file_application(user_of(request), holder, payload.kind, payload.facts, key)
    return Status(201 if created else 200, application_out(app))


@router.get("/applications", response={200: list[ApplicationOut], **errors(401, 404)})
def list_applications(request: HttpRequest, status: str | None = None) -> list[dict[str, Any]]:
    apps = visible_applications(account_of(request))
    if status:
        if status not in AppStatus.values:
            raise Invalid(f"status: expected one of {', '.join(AppStatus.values)}; got {short(status)!r}")
        apps = apps.filter(status=status)
    return [application_out(a) for a in apps.order_by("deadline", "-created_at")[:200]]


@router.get("/applications/{application_id}", response={200: ApplicationOut, **errors(401, 404)})
def get_application(request: HttpRequest, application_id: UUID) -> dict[str, Any]:
    """The facts' ``id_number`` is shown in full to a reviewer and to the agent of the filing employer (each
    such answer is recorded in the audit trail, ``view_id_number``); masked (3101**********0018) to the
    holder, and in every other answer (lists, actions)."""
    app = visible_application(request, application_id)
    full_id = sees_full_id(account_of(request), app.employer_id)
    if full_id and isinstance(app.facts.get("id_number"), str):
        record_id_view(user_of(request), app.holder_id, "GET /api/v1/applications/{id}", app.pk)
    return application_out(app, full_id=full_id)


@router.get(
    "/applications/{application_id}/checklist",
    response={200: list[dict[str, Any]], **errors(401, 404)},
    openapi_extra=uses(ok={"type": "array", "items": ref("JifenMaterialGroup")}),
    summary="Materials to bring for the indicators claimed",
)
def checklist(request: HttpRequest, application_id: UUID) -> list[dict[str, Any]]:
    app = visible_application(request, application_id)
    today = clock.today()
    facts = parse_facts(app.facts)
    policy = default_policy()
    result = score(facts, on=today, policy=policy, explain=False)
    return default_checklist().for_filing(facts, result, policy, today)


@router.post("/applications/{application_id}/materials", response={201: MaterialOut, **errors(400, 401, 403, 404, 409)})
def upload_material(
    request: HttpRequest,
    application_id: UUID,
    indicator: Form[str],
    file: File[UploadedFile],
    replaces: Form[str | None] = None,
) -> Status[Any]:
    """Add a file (PDF, JPEG or PNG) for an indicator; ``replaces``, the id of an earlier material of the same
    application not yet replaced, says the file takes its place (the earlier one is kept, as replaced)."""
    app = visible_application(request, application_id)
    return Status(201, add_material(app, user_of(request), indicator, file, replaces or None))


@router.get(
    "/applications/{application_id}/materials/{material_id}/file",
    response={200: None, **errors(401, 404)},
    openapi_extra={"responses": {200: {"description": "the file as uploaded", "content": _BINARY}}},
)
def download_material(request: HttpRequest, application_id: UUID, material_id: UUID) -> FileResponse:
    app = visible_application(request, application_id)
    material = app.materials.filter(pk=material_id).first()
    if material is None:
        raise NotFound(f"no material {material_id}")
    return FileResponse(material.file.open("rb"), content_type=material.content_type, filename=material.original_name)


def _act(request: HttpRequest, application_id: UUID, action: str, **kwargs: Any) -> dict[str, Any]:
    app = visible_application(request, application_id)
    step = getattr(workflow, workflow.BY_ACTION[action].action)
    result: Application = step(app, user_of(request), **kwargs)
    return application_out(result)


@router.post("/applications/{application_id}/submit", response={200: ApplicationOut, **errors(401, 403, 404, 409)})
def submit(request: HttpRequest, application_id: UUID) -> dict[str, Any]:
    return _act(request, application_id, "submit")


@router.post("/applications/{application_id}/withdraw", response={200: ApplicationOut, **errors(401, 403, 404, 409)})
def withdraw(request: HttpRequest, application_id: UUID) -> dict[str, Any]:
    return _act(request, application_id, "withdraw")


@router.post("/applications/{application_id}/resubmit", response={200: ApplicationOut, **errors(401, 403, 404, 409)})
def resubmit(request: HttpRequest, application_id: UUID) -> dict[str, Any]:
    return _act(request, application_id, "resubmit")


@router.post("/applications/{application_id}/accept", response={200: ApplicationOut, **errors(401, 403, 404, 409)})
def accept(request: HttpRequest, application_id: UUID) -> dict[str, Any]:
    return _act(request, application_id, "accept")


@router.post(
    "/applications/{application_id}/request-correction",
    response={200: ApplicationOut, **errors(400, 401, 403, 404, 409)},
)
def request_correction(request: HttpRequest, application_id: UUID, payload: CorrectionIn) -> dict[str, Any]:
    return _act(request, application_id, "request_correction", reasons=payload.reasons)


@router.post("/applications/{application_id}/approve", response={200: ApplicationOut, **errors(401, 403, 404, 409)})
def approve(request: HttpRequest, application_id: UUID) -> dict[str, Any]:
    return _act(request, application_id, "approve")


@router.post("/applications/{application_id}/reject", response={200: ApplicationOut, **errors(400, 401, 403, 404, 409)})
def reject(request: HttpRequest, application_id: UUID, payload: RejectIn) -> dict[str, Any]:
    return _act(request, application_id, "reject", reasons=payload.reasons, false_material=payload.false_material)


@router.post("/applications/{application_id}/appeal", response={200: ApplicationOut, **errors(400, 401, 403, 404, 409)})
def appeal(request: HttpRequest, application_id: UUID, payload: AppealIn) -> dict[str, Any]:
    return _act(request, application_id, "appeal", reason=payload.reason)


@router.get("/applications/{application_id}/audit", response={200: list[AuditOut], **errors(401, 404)})
def audit(request: HttpRequest, application_id: UUID) -> list[dict[str, Any]]:
    app = visible_application(request, application_id)
    rows = AuditEntry.objects.filter(object_type="application", object_id=str(app.pk)).select_related("actor")
    return [
        {
            "at": r.at,
            "actor": r.actor.get_username() if r.actor else None,
            "request_id": r.request_id,
            "action": r.action,
            "before": r.before,
            "after": r.after,
        }
        for r in rows
    ]


def visible_notice(request: HttpRequest, code: str) -> Notice:
    notice = Notice.objects.filter(code=code).select_related("application").first()
    if notice is None or not visible_applications(account_of(request)).filter(pk=notice.application_id).exists():
        raise NotFound(f"no notice {code}")
    return notice


@router.get("/notices/{code}", response={200: NoticeOut, **errors(401, 404)})
def get_notice(request: HttpRequest, code: str) -> dict[str, Any]:
    """The notice and whether it still stands today: current, superseded, expired or withdrawn."""
    notice = visible_notice(request, code)
    status = notice_status(notice, clock.today())
    return {
        **{
            f: getattr(notice, f)
            for f in ("code", "holder_name", "points", "policy_version", "issued_on", "valid_until", "application_id")
        },
        "status": status.status,
        "status_text": status.words,
        "superseded_on": status.superseded_on,
    }


@router.get(
    "/notices/{code}/pdf",
    response={200: None, **errors(401, 404)},
    openapi_extra={"responses": {200: {"description": "the notice as PDF", "content": _PDF}}},
)
def notice_pdf(request: HttpRequest, code: str) -> HttpResponse:
    notice = visible_notice(request, code)
    response = HttpResponse(open_pdf(notice), content_type="application/pdf")  # the stored file (notices.stored)
    response["Content-Disposition"] = f'attachment; filename="jifen-notice-{notice.code}.pdf"'
    return response
