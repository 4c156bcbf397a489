"""Request and response shapes, one per direction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema


class Problem(Schema):
    """One thing wrong with a request: where (a field path, or its parts) and what."""

    loc: str | list[str | int] = Field(description="the field path, e.g. social_insurance[1].to")
    msg: str


class Detail(Schema):
    """Every error answer: one sentence, or (422) the list of problems found."""

    detail: str | list[Problem]


# Every operation: 413 (a body over the size limit) and 422 (a NUL character in the path or the query,
# a path or query parameter of the wrong type), answered by jifen.service.request_limits and ninja; 429 (over
# a rate, with Retry-After: jifen.service.api.throttles; a login locked out after repeated failures).
ALWAYS = (413, 422, 429)


def errors(*statuses: int) -> dict[int, type[Detail]]:
    """The error answers an operation gives besides ALWAYS, for its ``response=``: 400 a body that is not
    JSON, 401 no valid token or session, 403 not allowed, 404 not found (or visible), 409 a conflict with
    the current state."""
    return dict.fromkeys(sorted({*statuses, *ALWAYS}), Detail)


class UsernameOut(Schema):
    username: str


class EmployerRegistration(Schema):
    uscc: str
    name: str
    district: str = ""
    agent_username: str
    agent_email: str = ""
    agent_password: str
    agent_name: str = ""


class RegistrationReceived(Schema):
    """The answer to every valid registration, new or repeating an existing credit code or user name."""

    detail: str


class EmployerOut(Schema):
    id: int
    uscc: str
    name: str
    district: str
    verified: bool


class HolderIn(Schema):
    username: str
    email: str = ""
    name: str
    id_number: str
    birth_date: date
    permit_valid_from: date | None = None
    permit_valid_until: date | None = None


class HolderOut(Schema):
    id: int
    username: str
    name: str
    employer_id: int | None
    id_number: str = Field(description="the ID number masked: 3101**********0018")
    permit_valid_from: date | None
    permit_valid_until: date | None


class HolderCreated(Schema):
    """The holder's account, and how the holder gets the one-time set-password link (valid
    JIFEN_SET_PASSWORD_HOURS): e-mailed to the holder's address when the account has one, else returned
    here once for the agent to hand over in person."""

    holder: HolderOut
    set_password_path: str | None = Field(
        description="the link's path (to be printed or copied and handed to the holder in person; it works once); "
        "null when the link was e-mailed to the holder"
    )
    set_password_sent_to: str | None = Field(
        description="the holder's address the link was e-mailed to, masked (z***@example.invalid); null when not"
    )


class SetPasswordIn(Schema):
    uid: str
    token: str
    password: str


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: datetime = Field(description="the token stops working at this instant (JIFEN_TOKEN_HOURS after issue)")


class MeOut(Schema):
    username: str
    role: str
    name: str
    employer_id: int | None


class ApplicationIn(Schema):
    holder_id: int
    kind: str
    facts: dict[str, Any]


class CorrectionIn(Schema):
    reasons: list[dict[str, Any]]


class RejectIn(Schema):
    reasons: list[str]
    false_material: bool = False


class AppealIn(Schema):
    reason: str


class MaterialOut(Schema):
    id: UUID
    indicator: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    replaces: UUID | None = Field(None, description="the earlier material of the application this file replaces")
    replaced_by: UUID | None = Field(None, description="the later material that replaced this file; null if current")

    @staticmethod
    def resolve_replaces(obj: Any) -> UUID | None:
        return getattr(obj, "replaces_id", None)

    @staticmethod
    def resolve_replaced_by(obj: Any) -> UUID | None:
        later = getattr(obj, "replaced_by", None)  # Django's missing reverse one-to-one is an AttributeError
        return later.pk if later is not None else None


class CorrectionOut(Schema):
    requested_at: datetime
    reasons: list[dict[str, Any]]
    answered_at: datetime | None


class ApplicationOut(Schema):
    id: UUID
    kind: str
    status: str
    holder_id: int
    employer_id: int
    facts: dict[str, Any]
    created_at: datetime
    submitted_at: datetime | None
    accepted_on: date | None
    deadline: date | None
    deadline_provisional: bool
    remaining_working_days: int | None
    decided_at: datetime | None
    reasons: list[Any]
    points: int | None
    policy_version: str
    valid_until: date | None
    score: dict[str, Any] | None
    replaces: UUID | None = Field(description="a change or renewal: the approval in force when it was filed")
    notice_code: str | None
    materials: list[MaterialOut]
    corrections: list[CorrectionOut]


class NoticeStatusText(Schema):
    """A notice's status as a sentence, in Chinese and English."""

    zh: str
    en: str


class NoticeOut(Schema):
    code: str
    holder_name: str
    points: int
    policy_version: str
    issued_on: date
    valid_until: date | None
    application_id: UUID
    status: Literal["current", "superseded", "expired", "withdrawn"] = Field(
        description="current; superseded by a later approval of the holder; expired (valid_until before today); "
        "withdrawn (a re-check changed the decision). The first that applies, from the last."
    )
    status_text: NoticeStatusText
    superseded_on: date | None = Field(description="the date (Shanghai) of the approval that superseded it")


class ApprovalOut(Schema):
    application_id: UUID
    approved_on: date = Field(description="the date of the decision, in Shanghai")
    points: int


class HolderFactsOut(Schema):
    """Where a change or renewal starts: the holder's approval in force and the facts it was filed with."""

    holder_id: int
    approval: ApprovalOut
    facts: dict[str, Any] = Field(
        description="jifen.facts/1 as filed, without as_of and last_approved; residence_permit is the "
        "account's current permit (endorsements move it on after the approval)"
    )


class MessageOut(Schema):
    id: int
    kind: str
    subject: str = Field(description="as e-mailed, in the recipient's language (zh or en) when it was sent")
    body: str = Field(description="as e-mailed, in the recipient's language (zh or en) when it was sent")
    created_at: datetime
    read_at: datetime | None
    subject_zh: str = Field("", description="the subject in Chinese")
    subject_en: str = Field("", description="the subject in English")
    body_zh: str = Field("", description="the body in Chinese")
    body_en: str = Field("", description="the body in English")
    application_id: UUID | None = Field(None, description="the application the message is about, if any")

    @staticmethod
    def resolve_subject_zh(obj: Any) -> str:  # a message kept in one language only: as e-mailed
        return str(obj.subject_in("zh"))

    @staticmethod
    def resolve_subject_en(obj: Any) -> str:
        return str(obj.subject_in("en"))

    @staticmethod
    def resolve_body_zh(obj: Any) -> str:
        return str(obj.body_in("zh"))

    @staticmethod
    def resolve_body_en(obj: Any) -> str:
        return str(obj.body_in("en"))


class AuditOut(Schema):
    at: datetime
    actor: str | None
    request_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ProposedValueIn(Schema):
    parameter: str = Field(description="a parameter of the policy data, e.g. si_base.reference_wage")
    effective_from: date
    value: Any = Field(description="the new value, of the parameter's type (a number, text, a list or a mapping)")
    note: str | None = None


class ImpactIn(Schema):
    on: date | None = Field(None, description="the scoring date (default: today in Shanghai)")
    overlay: list[ProposedValueIn] = Field(description="the proposal: new dated values of parameters")


class ChangeCountOut(Schema):
    change: int
    holders: int


class AffectedOut(Schema):
    holder: str = Field(
        description="a pseudonym of the holder (12 hex digits), the same in every answer of this deployment; "
        "neither the holder's id nor name"
    )
    before: int
    after: int
    change: int


class ImpactOut(Schema):
    on: date
    standard: int | None
    holders: int
    refused: int
    failed: int = Field(
        0, description="holders whose stored facts the rules could not score (logged with their ids), not compared"
    )
    gainers: int
    losers: int
    crossing_up: int = Field(
        description="below the standard under the current policy, at or above it under the proposal"
    )
    crossing_down: int
    distribution: list[ChangeCountOut]
    affected: list[AffectedOut] = Field(description="every holder whose total changes, the largest loss first")
