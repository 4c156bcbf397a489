"""Registering employers, verifying them, opening holder accounts, passwords and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from jifen.facts.idcard import id_number_problem
from jifen.service import clock
from jifen.service.accounts import lockout
from jifen.service.accounts.duplicates import (
    CannotOpenHere,
    record_repeated_registration,
    refusals_recorded,
    refuse_taken,
)
from jifen.service.accounts.models import Account, ApiToken, Employer, Role
from jifen.service.accounts.uscc import uscc_problem
from jifen.service.audit.log import record
from jifen.service.client_address import client_address
from jifen.service.errors import Conflict, Forbidden, Invalid, Unauthorized
from jifen.service.inputs import bounded_date, column_text, short, storable_id
from jifen.service.one_at_a_time import one_at_a_time


@dataclass(frozen=True)
class SetupLink:
    """A holder's one-time set-password link (valid JIFEN_SET_PASSWORD_HOURS); ``sent_to`` is the masked
    address it was e-mailed to, or "" when the agent hands it over in person."""

    uid: str
    token: str
    sent_to: str = ""

    @property
    def path(self) -> str:
        """The link's first hop: it moves the token into the session and redirects to a URL without it."""
        return f"/accounts/set-password/{self.uid}/{self.token}"

    @property
    def url(self) -> str:
        """The absolute link (``JIFEN_BASE_URL``, the public origin), as e-mailed."""
        return settings.JIFEN_BASE_URL.rstrip("/") + self.path


class _ServiceClockTokenGenerator(PasswordResetTokenGenerator):
    """Django's set-password tokens (PASSWORD_RESET_TIMEOUT, driven by JIFEN_SET_PASSWORD_HOURS), dated by
    the service's clock (jifen.service.clock) instead of the wall clock."""

    def _now(self) -> datetime:
        return clock.now().astimezone(UTC).replace(tzinfo=None)


link_tokens = _ServiceClockTokenGenerator()


_USERNAME_LENGTH = User._meta.get_field("username").max_length or 150


def _username(value: str, field: str) -> str:
    column_text(value, User, "username", field)
    if not value:
        raise Invalid(f"{field}: required", f"{field}：必填")
    try:
        User.username_validator(value)
    except ValidationError:
        raise Invalid(
            f"{field}: letters, digits and @ . + - _ only, got {short(value)!r}",
            f"{field}：只能包含字母、数字和 @ . + - _，实际为“{short(value)}”",
        ) from None
    return value


def _email(value: str, field: str) -> str:
    column_text(value, User, "email", field)
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise Invalid(
                f"{field}: not an e-mail address: {short(value)!r}", f"{field}：不是有效的电子邮件地址"
            ) from None
    return value


def _password_problem(password: str, user: User | None = None) -> str | None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return " ".join(str(m) for m in exc.messages)
    return None


@transaction.atomic
def register_employer(
    uscc: str, name: str, district: str, agent_username: str, agent_email: str, agent_password: str, agent_name: str
) -> Account:
    """An employer registers with its USCC and its first agent; it files only once verified."""
    column_text(uscc, Employer, "uscc")
    column_text(name, Employer, "name")
    column_text(district, Employer, "district")
    _username(agent_username, "agent_username")
    _email(agent_email, "agent_email")
    column_text(agent_name, Account, "display_name", "agent_name")
    problem = uscc_problem(uscc)
    if problem:
        raise Invalid(f"uscc: {problem}", f"统一社会信用代码无效：{problem}")
    if not name.strip():
        raise Invalid("name: required", "请填写单位名称")
    problem = _password_problem(agent_password)
    if problem:
        raise Invalid(f"agent_password: {problem}", f"密码不符合要求：{problem}")
    uscc_taken = Employer.objects.filter(uscc=uscc).exists()  # both asked: the same queries either way
    username_taken = User.objects.filter(username=agent_username).exists()
    if uscc_taken:
        raise Conflict(f"uscc: an employer with {uscc} is already registered", f"统一社会信用代码{uscc}已注册")
    if username_taken:
        raise Conflict(f"agent_username: {agent_username} is taken", f"用户名{agent_username}已被使用")
    employer = Employer.objects.create(uscc=uscc, name=name.strip(), district=district.strip())
    user = User.objects.create_user(agent_username, agent_email, agent_password)
    account = Account.objects.create(user=user, role=Role.AGENT, employer=employer, display_name=agent_name or name)
    record(user, "register_employer", "employer", employer.pk, None, {"uscc": uscc, "name": employer.name})
    return account


def receive_registration(
    uscc: str, name: str, district: str, agent_username: str, agent_email: str, agent_password: str, agent_name: str
) -> None:
    """Anonymous registration (issue 13.4): the same answer whether or not the credit code or the user name
    is already registered, so that it does not tell who uses the service. A new one is registered
    (``register_employer``); one repeating an existing credit code or user name creates nothing and is
    recorded for the reviewers (``duplicates``), after hashing the password as creating the user would, so
    that the time taken does not tell either. Invalid input is refused (422) as before: it tells nothing."""
    try:
        register_employer(uscc, name, district, agent_username, agent_email, agent_password, agent_name)
    except (Conflict, IntegrityError):  # IntegrityError: the same code or name registered at the same moment
        make_password(agent_password)
        record_repeated_registration(uscc, name.strip(), agent_username, agent_email, agent_name)


@transaction.atomic
def verify_employer(employer: Employer, reviewer: User) -> Employer:
    account = getattr(reviewer, "account", None)
    if account is None or account.role != Role.REVIEWER:
        raise Forbidden("only a reviewer can verify an employer", "只有审核人员可以核验单位")
    updated = Employer.objects.filter(pk=employer.pk, verified_at=None).update(
        verified_at=clock.now(), verified_by=reviewer
    )
    if updated != 1:
        raise Conflict("the employer is already verified", "该单位已核验")
    employer.refresh_from_db()
    record(reviewer, "verify_employer", "employer", employer.pk, {"verified": False}, {"verified": True})
    return employer


@refusals_recorded  # outside the transaction: the reviewers' row stays when the opening is refused
@transaction.atomic
def open_holder(
    agent: User,
    username: str,
    email: str,
    name: str,
    id_number: str,
    birth_date: date,
    permit_valid_from: date | None,
    permit_valid_until: date | None,
) -> tuple[Account, SetupLink]:
    """An employer agent opens a holder account; the holder sets a password through a one-time link."""
    account = getattr(agent, "account", None)
    if account is None or account.role != Role.AGENT or account.employer_id is None:
        raise Forbidden("only an employer agent can open holder accounts", "只有单位经办人可以开设持证人账户")
    employer = Employer.objects.get(pk=account.employer_id)  # fresh: verification may have just happened
    if not employer.verified:
        raise Forbidden("the employer has not been verified by a reviewer yet", "单位尚未通过审核人员核验")
    _username(username, "username")
    _email(email, "email")
    column_text(name, Account, "display_name", "name")
    if not name.strip():
        raise Invalid("name: required", "请填写姓名")
    column_text(id_number, Account, "id_number")
    bounded_date(birth_date, "birth_date")
    bounded_date(permit_valid_from, "permit_valid_from")
    bounded_date(permit_valid_until, "permit_valid_until")
    number = id_number.upper()
    problem = id_number_problem(number, birth_date)
    if problem:
        raise Invalid(f"id_number: {problem}", f"身份证号码无效：{problem}")
    if permit_valid_from and permit_valid_until and permit_valid_until < permit_valid_from:
        raise Invalid(
            f"permit_valid_until: {permit_valid_until} is before permit_valid_from {permit_valid_from}",
            "居住证有效期截止日早于起始日",
        )
    refuse_taken(agent, employer, username, number, name)  # said only when taken within this employer
    try:
        with transaction.atomic():
            user = User.objects.create_user(username, email)  # no usable password until the holder sets one
            holder = Account.objects.create(
                user=user,
                role=Role.HOLDER,
                employer=employer,
                display_name=name,
                id_number=number,
                birth_date=birth_date,
                permit_valid_from=permit_valid_from,
                permit_valid_until=permit_valid_until,
            )
    except IntegrityError:  # the same user name or ID number opened at the same moment
        refuse_taken(agent, employer, username, number, name)
        details = {"employer": employer.pk, "username": username, "name": name}
        raise CannotOpenHere(agent, "concurrent", "employer", employer.pk, details) from None
    record(agent, "open_holder", "account", holder.pk, None, {"username": username, "employer": employer.pk})
    link = setup_link(user)
    if email:  # the link is for the holder: it goes to the holder's address, not through the agent
        transaction.on_commit(partial(_email_setup_link, user.pk), robust=True)
        link = SetupLink(link.uid, link.token, sent_to=masked_email(email))
    return holder, link


@transaction.atomic
def resend_setup_link(agent: User, holder: Account) -> SetupLink:
    """A new set-password link for a holder of the agent's employer who has not set a password yet (the
    first expired or was lost): e-mailed to the holder's address, or returned to be handed over in person.
    Links sent before stay valid until they expire or a password is set."""
    account = getattr(agent, "account", None)
    if (
        account is None
        or account.role != Role.AGENT
        or holder.employer_id is None
        or account.employer_id != holder.employer_id
    ):
        raise Forbidden("only an agent of the holder's employer can do this", "只有持证人所在单位的经办人可以操作")
    if holder.user.has_usable_password():
        raise Conflict("the holder has already set a password", "持证人已设置密码")
    record(agent, "resend_setup_link", "account", holder.pk, None, {"emailed": bool(holder.user.email)})
    link = setup_link(holder.user)
    if holder.user.email:
        transaction.on_commit(partial(_email_setup_link, holder.user.pk), robust=True)
        return SetupLink(link.uid, link.token, sent_to=masked_email(holder.user.email))
    return link


def setup_link(user: User) -> SetupLink:
    return SetupLink(urlsafe_base64_encode(force_bytes(user.pk)), link_tokens.make_token(user))


def masked_email(address: str) -> str:
    """zhang@example.invalid -> z***@example.invalid: enough for the agent to recognise the address."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}"


def _email_setup_link(user_id: int) -> None:
    """Enqueue the set-password e-mail (a background task, retried on failure: notifications.tasks); the task
    makes the link when it runs, so no link waits in the queue. The agent is told where it goes, never the link."""
    from jifen.service.notifications.tasks import send_setup_link

    send_setup_link.enqueue(user_id)


def _send_setup_link(user: User, holder: Account, employer: Employer, link: SetupLink) -> None:
    """E-mail the holder their set-password link, in Chinese and in English (they have not chosen yet)."""
    hours = settings.JIFEN_SET_PASSWORD_HOURS
    name, username = holder.display_name, user.get_username()
    body = (
        f"{name}，您好：\n\n{employer.name}已为您开设上海市居住证积分账户（用户名：{username}）。"
        f"请在{hours}小时内打开以下链接设置密码；链接仅能使用一次：\n\n{link.url}\n\n"
        "如您并不知情，请忽略本邮件并联系用人单位。\n\n"
        f"Hello {name},\n\n{employer.name} has opened your Shanghai residence-permit points account "
        f"(user name: {username}). Open this link within {hours} hours to set your password; it works once:"
        f"\n\n{link.url}\n\nIf you did not expect this, ignore this e-mail and tell your employer.\n"
    )
    subject = "设置居住证积分账户密码 / Set the password of your residence-permit points account"
    send_mail(subject, body, None, [user.email], fail_silently=False)


def _link_user(uid: str, token: str) -> User:
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
        if not storable_id(pk):
            raise ValueError(pk)
        user = User.objects.get(pk=pk)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        raise Invalid("uid: unknown or malformed link", "链接无效") from None
    if not link_tokens.check_token(user, token):
        raise Invalid("token: the link is invalid, used or expired", "链接无效、已使用或已过期")
    return user


def check_setup_link(uid: str, token: str) -> None:
    """Refuse a link that is unknown, used or older than JIFEN_SET_PASSWORD_HOURS (Invalid)."""
    _link_user(uid, token)


@transaction.atomic
def set_password(uid: str, token: str, password: str) -> User:
    """Use a one-time link: the token stops working once the password is set."""
    user = _link_user(uid, token)
    problem = _password_problem(password, user)
    if problem:
        raise Invalid(f"password: {problem}", f"密码不符合要求：{problem}")
    user.set_password(password)
    user.save(update_fields=["password"])
    record(user, "set_password", "user", user.pk, None, None)
    return user


def login(request: HttpRequest, username: str, password: str) -> User:
    """Check credentials (the pages' and the API's one way in), refusing for a while after repeated failures
    (jifen.service.accounts.lockout): a wrong password is Forbidden "wrong user name or password", a login
    while the user name at this address, or the address, is locked is TooManyRequests (429) naming the wait.

    The check, the password and the count of a failure are done by one worker at a time for the client's
    address, so that workers running side by side let exactly the failures allowed through."""
    if "\x00" in username or len(username) > _USERNAME_LENGTH:  # no such user can exist
        raise Forbidden("wrong user name or password", "用户名或密码错误")
    locked: dict[str, str] = {}  # axes' backend puts "error" in it when it refuses a locked login
    with one_at_a_time(f"login:{client_address(request)}"):
        user = authenticate(request=request, username=username, password=password, response_context=locked)
        if user is not None:
            lockout.forget_failures(request, username)
    if locked:
        raise lockout.locked_out(request, username)
    if user is None:
        raise Forbidden("wrong user name or password", "用户名或密码错误")
    assert isinstance(user, User)  # noqa: S101
    return user


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    key: str  # shown once: only its SHA-256 is stored
    expires_at: datetime


@transaction.atomic
def new_token(user: User, session_key: str | None = None) -> IssuedToken:
    """A token valid JIFEN_TOKEN_HOURS on the service's clock. ``session_key`` is the signed-in browser
    session of ``user`` the request came with, if any: logging out of the pages revokes the token.

    A user keeps at most JIFEN_TOKENS_PER_USER live tokens: the oldest live ones beyond are revoked (one
    audit row). Tokens ended more than JIFEN_TOKEN_HOURS ago are deleted."""
    User.objects.select_for_update().filter(pk=user.pk).first()  # one issue at a time per user
    now = clock.now()
    lifetime = timedelta(hours=settings.JIFEN_TOKEN_HOURS)
    ApiToken.objects.filter(user=user, expires_at__lt=now - lifetime).delete()
    live = ApiToken.objects.filter(user=user, revoked_at=None, expires_at__gt=now).order_by("-pk")
    oldest = list(live.values_list("pk", flat=True)[max(settings.JIFEN_TOKENS_PER_USER - 1, 0) :])
    if oldest:
        ApiToken.objects.filter(pk__in=oldest).update(revoked_at=now)
        record(user, "revoke_token", "user", user.pk, None, {"tokens": oldest, "reason": "too many tokens"})
    key = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    ApiToken.objects.create(
        user=user, key_hash=_hash(key), expires_at=expires_at, session_hash=_hash(session_key) if session_key else ""
    )
    record(user, "issue_token", "user", user.pk, None, {"expires_at": expires_at.isoformat()})
    return IssuedToken(key, expires_at)


def issue_token(user: User) -> str:
    """A new token's key (see ``new_token``)."""
    return new_token(user).key


def user_for_token(key: str) -> User | None:
    """The user of a live token; None for an unknown token or an inactive user. An expired or revoked
    token is refused with Unauthorized (401 "token expired or revoked")."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = clock.now()
    if token.revoked_at is not None or token.expires_at <= now:
        raise Unauthorized("token expired or revoked", "令牌已过期或已撤销")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_token(key: str) -> None:
    """The token stops working now (the API's logout)."""
    token = ApiToken.objects.filter(key_hash=_hash(key), revoked_at=None).select_related("user").first()
    if token is None:
        return
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=clock.now())
    record(token.user, "revoke_token", "user", token.user_id, None, {"tokens": [token.pk], "reason": "logout"})


def revoke_session_tokens(user: User, session_key: str | None) -> int:
    """Revoke the live tokens ``user`` was issued from the browser session ``session_key`` (the pages'
    logout); how many."""
    if not session_key:
        return 0
    now = clock.now()
    live = ApiToken.objects.filter(user=user, session_hash=_hash(session_key), revoked_at=None, expires_at__gt=now)
    revoked = list(live.values_list("pk", flat=True))
    if revoked:
        ApiToken.objects.filter(pk__in=revoked).update(revoked_at=now)
        record(user, "revoke_token", "user", user.pk, None, {"tokens": revoked, "reason": "page logout"})
    return len(revoked)
