"""Anonymous endpoints: score and advise (rate-limited), employer registration, passwords, tokens."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import login as session_login
from django.http import HttpRequest, HttpResponse
from ninja import Body, Router
from ninja.responses import Status

from jifen.advisor import advise
from jifen.facts.limits import EARLIEST_DATE, LATEST_DATE
from jifen.facts.parse import FactsError, FieldError
from jifen.rules.engine import score
from jifen.service import clock
from jifen.service.accounts import services
from jifen.service.accounts.models import Account
from jifen.service.api.contract_schemas import uses
from jifen.service.api.schemas import (
    Credentials,
    EmployerRegistration,
    MeOut,
    RegistrationReceived,
    SetPasswordIn,
    TokenOut,
    UsernameOut,
    errors,
)
from jifen.service.api.security import BearerToken, presented_token
from jifen.service.api.throttles import AnonymousRate

router = Router(tags=["public"])
REGISTRATION_RECEIVED = "registration received; a reviewer will verify it"


@router.post(
    "/score",
    auth=None,
    throttle=AnonymousRate("score"),
    response={200: dict[str, Any], **errors(400, 429)},
    openapi_extra=uses(body="JifenFacts", ok="JifenScore", dates=("on",)),
    summary="Score facts (jifen.facts/1 in, jifen.score/1 out)",
)
def score_endpoint(request: HttpRequest, facts: Body[dict[str, Any]], on: date | None = None) -> dict[str, Any]:
    return score(facts, on=scoring_date(facts, on)).to_dict()


@router.post(
    "/advise",
    auth=None,
    throttle=AnonymousRate("advise"),
    response={200: dict[str, Any], **errors(400, 429)},
    openapi_extra=uses(body="JifenFacts", ok="JifenAdvice", dates=("on", "target")),
    summary="Refresh advice (jifen.facts/1 in, jifen.advice/1 out)",
)
def advise_endpoint(
    request: HttpRequest,
    facts: Body[dict[str, Any]],
    on: date | None = None,
    target: date | None = None,
) -> dict[str, Any]:
    return advise(facts, on=scoring_date(facts, on), target=query_date(target, "target")).to_dict()


def scoring_date(facts: dict[str, Any], on: date | None) -> date | None:
    """``?on=``, else the facts' own ``as_of`` (the engine reads it), else the service's today."""
    if on is not None or "as_of" in facts:
        return query_date(on, "on")
    return clock.today()


def query_date(value: date | None, name: str) -> date | None:
    """A date from the query string, refused like a date in the facts when outside the accepted range."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise FactsError([FieldError(name, f"{value} is outside {EARLIEST_DATE} to {LATEST_DATE}")])
    return value


@router.post(
    "/employers",
    auth=None,
    throttle=AnonymousRate("register"),
    response={202: RegistrationReceived, **errors(400, 429)},
    summary="Register an employer and its agent",
)
def register_employer(request: HttpRequest, payload: EmployerRegistration) -> Status[Any]:
    """202 "registration received; a reviewer will verify it", whether or not the credit code or the user
    name is already registered (a repeat creates nothing and is shown to the reviewers). The agent signs in
    with the user name and password given; ``GET /me`` has the employer's id. Invalid input: 422."""
    services.receive_registration(**payload.dict())
    return Status(202, {"detail": REGISTRATION_RECEIVED})


def employer_out(employer: Any) -> dict[str, Any]:
    return {
        "id": employer.pk,
        "uscc": employer.uscc,
        "name": employer.name,
        "district": employer.district,
        "verified": employer.verified,
    }


@router.post(
    "/accounts/set-password",
    auth=None,
    response={200: UsernameOut, **errors(400)},
    summary="Set a password through a one-time link",
)
def set_password(request: HttpRequest, payload: SetPasswordIn) -> dict[str, str]:
    user = services.set_password(payload.uid, payload.token, payload.password)
    return {"username": user.get_username()}


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, **errors(400, 403)},
    summary="Exchange credentials for an API token",
)
def token(request: HttpRequest, response: HttpResponse, payload: Credentials) -> dict[str, Any]:
    """A bearer token, valid until ``expires_at`` (JIFEN_TOKEN_HOURS, 12 by default); then 401 "token expired
    or revoked", and the client asks for a new one.

    A user has at most JIFEN_TOKENS_PER_USER live tokens (5 by default): a new one revokes the oldest beyond.
    A token asked for by a browser signed in to the pages as the same user belongs to that browser session:
    signing out of the pages (``POST /logout``) revokes it. ``DELETE /auth/token`` revokes a token at once."""
    user = services.login(request, payload.username, payload.password)
    signed_in = request.user.is_authenticated and request.user.pk == user.pk
    issued = services.new_token(user, request.session.session_key if signed_in else None)
    response["Cache-Control"] = "no-store"  # a credential: no cache keeps it
    return {"token": issued.key, "expires_at": issued.expires_at}


@router.delete(
    "/auth/token",
    auth=BearerToken(),
    response={204: None, **errors(401)},
    summary="Revoke the API token of this call (log out)",
)
def revoke_token(request: HttpRequest) -> Status[None]:
    """The bearer token presented stops working: any later call with it is answered 401 "token expired or
    revoked". Only the token itself can be revoked this way (a session is not enough). 204, no body."""
    services.revoke_token(presented_token(request))  # a live token: BearerToken has checked it
    return Status(204, None)


@router.post("/auth/login", auth=None, response={200: MeOut, **errors(400, 403)}, summary="Start a session (for pages)")
def login(request: HttpRequest, payload: Credentials) -> dict[str, Any]:
    user = services.login(request, payload.username, payload.password)
    session_login(request, user)
    return me_out(user.account)


def me_out(account: Account) -> dict[str, Any]:
    return {
        "username": account.user.get_username(),
        "role": account.role,
        "name": account.display_name,
        "employer_id": account.employer_id,
    }
