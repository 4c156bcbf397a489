"""Employers and holders, as their agents and reviewers see them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.responses import Status

from jifen.service.accounts import services
from jifen.service.accounts.identity import masked_facts, masked_id, record_id_view, sees_full_id
from jifen.service.accounts.models import Account, Employer, Role
from jifen.service.api.contract_schemas import ref, uses
from jifen.service.api.public import employer_out, me_out
from jifen.service.api.schemas import (
    EmployerOut,
    HolderCreated,
    HolderFactsOut,
    HolderIn,
    HolderOut,
    MeOut,
    MessageOut,
    errors,
)
from jifen.service.applications.changes import starting_point
from jifen.service.errors import NotFound
from jifen.service.inputs import storable_id
from jifen.service.notifications.models import Message

router = Router(tags=["people"])


def user_of(request: HttpRequest) -> User:
    """The authenticated user (the API's authentication has run before any handler)."""
    user = request.user
    if not isinstance(user, User):
        raise NotFound("no account for this user")
    return user


def account_of(request: HttpRequest) -> Account:
    account: Account | None = getattr(user_of(request), "account", None)
    if account is None:
        raise NotFound("no account for this user")
    return account


def visible_employer(account: Account, employer_id: int) -> Employer:
    employer = Employer.objects.filter(pk=employer_id).first() if storable_id(employer_id) else None
    if employer is None or not (account.role in (Role.REVIEWER, Role.MAINTAINER) or account.employer_id == employer.pk):
        raise NotFound(f"no employer {employer_id}")
    return employer


def visible_holder(account: Account, holder_id: int) -> Account:
    found = Account.objects.filter(pk=holder_id, role=Role.HOLDER) if storable_id(holder_id) else Account.objects.none()
    holder = found.select_related("user").first()
    allowed = holder is not None and (
        account.role == Role.REVIEWER  # a policy maintainer works on the policy data, not on people
        or (account.role == Role.AGENT and account.employer_id == holder.employer_id)
        or account.pk == holder.pk
    )
    if holder is None or not allowed:
        raise NotFound(f"no holder {holder_id}")
    return holder


def holder_out(holder: Account) -> dict[str, Any]:
    return {
        "id": holder.pk,
        "username": holder.user.get_username(),
        "name": holder.display_name,
        "employer_id": holder.employer_id,
        "id_number": masked_id(holder.id_number),
        "permit_valid_from": holder.permit_valid_from,
        "permit_valid_until": holder.permit_valid_until,
    }


@router.get("/me", response={200: MeOut, **errors(401, 404)})
def me(request: HttpRequest) -> dict[str, Any]:
    return me_out(account_of(request))


@router.get("/employers/{employer_id}", response={200: EmployerOut, **errors(401, 404)})
def get_employer(request: HttpRequest, employer_id: int) -> dict[str, Any]:
    return employer_out(visible_employer(account_of(request), employer_id))


@router.post("/employers/{employer_id}/verify", response={200: EmployerOut, **errors(401, 403, 404, 409)})
def verify_employer(request: HttpRequest, employer_id: int) -> dict[str, Any]:
    employer = visible_employer(account_of(request), employer_id)
    return employer_out(services.verify_employer(employer, user_of(request)))


@router.post("/employers/{employer_id}/holders", response={201: HolderCreated, **errors(400, 401, 403, 404, 409)})
def open_holder(request: HttpRequest, response: HttpResponse, employer_id: int, payload: HolderIn) -> Status[Any]:
    """Open a holder's account. The holder sets a password through a one-time link, valid
    JIFEN_SET_PASSWORD_HOURS (24 by default): with an ``email`` the link is e-mailed to the holder and only
    the masked address is answered (``set_password_sent_to``); without one, ``set_password_path`` is
    answered, this once, to be printed or copied and handed to the holder in person."""
    visible_employer(account_of(request), employer_id)
    holder, link = services.open_holder(user_of(request), **payload.dict())
    handed = {"set_password_path": None if link.sent_to else link.path, "set_password_sent_to": link.sent_to or None}
    response["Cache-Control"] = "no-store"  # it may carry the link: no cache keeps it
    return Status(201, {"holder": holder_out(holder), **handed})


@router.get("/holders/{holder_id}", response={200: HolderOut, **errors(401, 404)})
def get_holder(request: HttpRequest, holder_id: int) -> dict[str, Any]:
    return holder_out(visible_holder(account_of(request), holder_id))


@router.get(
    "/holders/{holder_id}/facts",
    response={200: HolderFactsOut, **errors(401, 404)},
    # HolderFactsOut, its facts a jifen.facts/1 document
    openapi_extra=uses(ok={"allOf": [ref("HolderFactsOut"), {"properties": {"facts": ref("JifenFactsShown")}}]}),
    summary="The facts of the holder's approval in force, where a change starts",
)
def holder_facts(request: HttpRequest, holder_id: int) -> dict[str, Any]:
    """The facts of the holder's approval in force, as filed: where a change or renewal starts.

    ``as_of`` and ``last_approved`` are left out. ``residence_permit`` is the permit the holder's account
    has now, not the one filed: endorsements (签注) move the permit on after the approval. 404 when the
    holder has no approval in force. ``id_number`` is in full for a reviewer and the holder's employer's
    agent (recorded in the audit trail, ``view_id_number``), masked for the holder."""
    account = account_of(request)
    holder = visible_holder(account, holder_id)
    start = starting_point(holder)
    if start is None:
        raise NotFound(f"holder {holder_id} has no approval in force: there are no approved facts to start from")
    full_id = sees_full_id(account, holder.employer_id)
    if full_id and isinstance(start.facts.get("id_number"), str):
        record_id_view(user_of(request), holder.pk, "GET /api/v1/holders/{id}/facts", start.approval.pk)
    return {
        "holder_id": holder.pk,
        "approval": {"application_id": start.approval.pk, "approved_on": start.approved_on, "points": start.points},
        "facts": start.facts if full_id else masked_facts(start.facts),
    }


@router.get("/inbox", response={200: list[MessageOut], **errors(401)})
def inbox(request: HttpRequest) -> Any:
    return Message.objects.filter(user=user_of(request))[:200]
