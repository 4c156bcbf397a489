"""Accounts that would repeat one that exists, told to the caller only within the caller's own employer
(issue 13.3-4).

- An agent opening a holder whose user name or ID number is already used by an account of the agent's own
  employer is told so (409, naming the field). Used by anyone else (another employer's holder or agent, a
  reviewer), the agent is answered ``CANNOT_OPEN``, the answer of every opening an agent cannot resolve
  (409), and the attempt is recorded for the reviewers (audit row ``open_holder_refused``).
- An anonymous registration repeating a credit code or a user name is answered as a new one is
  (``services.receive_registration``) and recorded for the reviewers (``duplicate_registration``).

The reviewers see the latest of both on their page (``recent``), with the accounts already there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import User

from jifen.service.accounts.models import Account, Employer
from jifen.service.audit.log import record
from jifen.service.audit.models import AuditEntry
from jifen.service.errors import Conflict

CANNOT_OPEN = (
    "this person cannot be opened here; ask the district reviewer",
    "无法在本单位为此人开设账户，请联系区审核人员",
)
OPEN_REFUSED = "open_holder_refused"
REGISTRATION_REPEATED = "duplicate_registration"
SHOWN = 50  # rows on the reviewer's page

P = ParamSpec("P")
R = TypeVar("R")


class CannotOpenHere(Conflict):
    """The user name or ID number is used outside the agent's employer: nothing more is said."""

    def __init__(self, agent: User, clash: str, object_type: str, object_id: int, details: dict[str, Any]) -> None:
        super().__init__(*CANNOT_OPEN)
        self.agent = agent
        self.row = (object_type, object_id, {"clash": [clash], **details})


def refusals_recorded(open_holder: Callable[P, R]) -> Callable[P, R]:
    """Record a CannotOpenHere of ``open_holder`` for the reviewers, outside its rolled-back transaction."""

    @wraps(open_holder)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return open_holder(*args, **kwargs)
        except CannotOpenHere as exc:
            object_type, object_id, details = exc.row
            record(exc.agent, OPEN_REFUSED, object_type, object_id, None, details)
            raise

    return wrapped


def refuse_taken(agent: User, employer: Employer, username: str, id_number: str, name: str) -> None:
    """Refuse a user name or ID number already used: by name within ``employer``, CannotOpenHere otherwise."""
    user = User.objects.filter(username=username).first()
    owner = Account.objects.filter(user=user).first() if user is not None else None
    same_person = Account.objects.filter(id_number=id_number).select_related("user").first() if id_number else None
    if owner is not None and owner.employer_id == employer.pk:
        raise Conflict(f"username: {username} is taken", f"用户名{username}已被使用")
    if same_person is not None and same_person.employer_id == employer.pk:
        existing = same_person.user.get_username()
        raise Conflict(
            f"id_number: this person already has an account at your employer, user name {existing}",
            f"此人已在本单位开设账户，用户名为{existing}",
        )
    details = {"employer": employer.pk, "username": username, "name": name}
    if same_person is not None:
        raise CannotOpenHere(agent, "id_number", "account", same_person.pk, details)
    if user is not None:
        raise CannotOpenHere(agent, "username", "user", user.pk, details)


def record_repeated_registration(uscc: str, name: str, agent_username: str, agent_email: str, agent_name: str) -> None:
    """A registration that repeats an existing credit code and/or user name, for the reviewers."""
    employer = Employer.objects.filter(uscc=uscc).first()
    user = User.objects.filter(username=agent_username).first()
    clash = [c for c, found in (("uscc", employer), ("username", user)) if found is not None]
    where: tuple[str, object] = ("employer", employer.pk) if employer is not None else ("user", user.pk if user else "")
    details = {"clash": clash, "uscc": uscc, "name": name, "agent_username": agent_username}
    record(None, REGISTRATION_REPEATED, *where, None, {**details, "agent_email": agent_email, "agent_name": agent_name})


@dataclass(frozen=True)
class Repeated:
    """One attempt, as the reviewer's page lists it."""

    at: datetime
    kind: str  # "open_holder" or "registration"
    clash: list[str]  # "id_number", "username", "uscc"
    asked_by: str  # who asked, and for whom
    existing: str  # the accounts already there


def recent(limit: int = SHOWN) -> list[Repeated]:
    """The latest attempts, the latest first."""
    rows = AuditEntry.objects.filter(action__in=(OPEN_REFUSED, REGISTRATION_REPEATED)).select_related("actor")
    return [_repeated(row) for row in rows.order_by("-id")[:limit]]


def _repeated(row: AuditEntry) -> Repeated:
    after: dict[str, Any] = row.after or {}
    clash = [str(c) for c in after.get("clash", [])]
    if row.action == REGISTRATION_REPEATED:
        asked_by = f"{after.get('name', '')} ({after.get('uscc', '')}) · {after.get('agent_username', '')}"
        if after.get("agent_email"):
            asked_by += f" <{after['agent_email']}>"
        employer = Employer.objects.filter(uscc=after.get("uscc", "")).first()
        return Repeated(row.at, "registration", clash, asked_by, str(employer) if employer else "")
    employer_id = after.get("employer")
    employer = Employer.objects.filter(pk=employer_id).first() if isinstance(employer_id, int) else None
    agent = row.actor.get_username() if row.actor else ""
    asked_by = f"{employer.name if employer else ''} · {agent}: {after.get('name', '')} ({after.get('username', '')})"
    return Repeated(row.at, "open_holder", clash, asked_by, _existing(row.object_type, row.object_id))


def _existing(object_type: str, object_id: str) -> str:
    if not object_id.isdigit():
        return ""
    if object_type == "account":
        account = Account.objects.filter(pk=int(object_id)).select_related("user", "employer").first()
    else:
        account = Account.objects.filter(user_id=int(object_id)).select_related("user", "employer").first()
    if account is None:
        return ""
    employer = f" · {account.employer.name}" if account.employer else ""
    return f"{account.display_name} ({account.user.get_username()}, {account.get_role_display()}){employer}"
