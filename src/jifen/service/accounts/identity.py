"""Showing a person's identity no more than the reader needs (issue 13.3).

- ``masked_id``: an ID number (身份证号码) as lists, pages and API answers show it: the first four and the
  last four characters (the district and the check digit), the birth date and the sequence hidden.
- ``masked_facts``: a facts document (jifen.facts/1) with its ``id_number`` masked.
- ``holder_pseudonym``: a holder as the policy maintainer sees them in the impact of a proposed change: a
  stable label derived from the holder's id with the deployment's SECRET_KEY (an HMAC), which names nobody
  and cannot be turned back into the id without the key.

Who sees a full number is decided where it is shown (``web.workflow_views.application``,
``api.applications.get_application``, ``api.people.holder_facts``); each such view writes an audit row
``view_id_number`` (``record_id_view``).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User

from jifen.service.accounts.models import Account, Role
from jifen.service.audit.log import record

_SHOWN = 4  # characters shown at each end
PSEUDONYM_LENGTH = 12  # hex digits: 48 bits, no two holders of a large population share one


def masked_id(number: str) -> str:
    """310115199005010018 -> 3101**********0018; a text too short to keep both ends is hidden whole."""
    if len(number) <= 2 * _SHOWN:
        return "*" * len(number)
    return number[:_SHOWN] + "*" * (len(number) - 2 * _SHOWN) + number[-_SHOWN:]


def masked_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``facts`` (top level) with ``id_number`` masked when it is a text."""
    number = facts.get("id_number")
    if not isinstance(number, str):
        return facts
    return {**facts, "id_number": masked_id(number)}


def holder_pseudonym(holder_id: int) -> str:
    """The same text for the same holder as long as SECRET_KEY stays; unrelated to the id's order."""
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, f"jifen.holder-pseudonym:{holder_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_LENGTH].upper()


def sees_full_id(account: Account, employer_id: int | None) -> bool:
    """The reviewer, and the agent of the employer that filed (``employer_id``): they check the number
    against the documents. The holder, other agents and the policy maintainer see it masked."""
    if account.role == Role.REVIEWER:
        return True
    return account.role == Role.AGENT and employer_id is not None and account.employer_id == employer_id


def record_id_view(viewer: User, holder_id: int, where: str, application_id: object) -> None:
    """An audit row: ``viewer`` was shown the full ID number of the holder ``holder_id`` (``where``: the
    page or the API operation, ``application_id``: the application whose facts carried it)."""
    record(viewer, "view_id_number", "account", holder_id, None, {"where": where, "application": str(application_id)})
