"""Registering employers, verifying them, opening holder accounts, passwords and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from jifen.facts.idcard import id_number_problem
from jifen.service import clock
from jifen.service.accounts import throttle
from jifen.service.accounts.models import Account, ApiToken, Employer, Role
from jifen.service.accounts.uscc import uscc_problem
from jifen.service.audit.log import record
from jifen.service.errors import Conflict, Forbidden, Invalid
from jifen.service.inputs import bounded_date, column_text, short, storable_id


@dataclass(frozen=True)
class SetupLink:
    uid: str
    token: str

    @property
    def path(self) -> str:
        return f"/accounts/set-password/{self.uid}/{self.token}"


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
    if Employer.objects.filter(uscc=uscc).exists():
        raise Conflict(f"uscc: an employer with {uscc} is already registered", f"统一社会信用代码{uscc}已注册")
    if User.objects.filter(username=agent_username).exists():
        raise Conflict(f"agent_username: {agent_username} is taken", f"用户名{agent_username}已被使用")
    employer = Employer.objects.create(uscc=uscc, name=name.strip(), district=district.strip())
    user = User.objects.create_user(agent_username, agent_email, agent_password)
    account = Account.objects.create(user=user, role=Role.AGENT, employer=employer, display_name=agent_name or name)
    record(user, "register_employer", "employer", employer.pk, None, {"uscc": uscc, "name": employer.name})
    return account


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
    if User.objects.filter(username=username).exists():
        raise Conflict(f"username: {username} is taken", f"用户名{username}已被使用")
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
    except IntegrityError:
        raise Conflict(
            "id_number: a holder with this ID number already has an account", "该身份证号码已开设账户"
        ) from None
    record(agent, "open_holder", "account", holder.pk, None, {"username": username, "employer": employer.pk})
    return holder, setup_link(user)


def setup_link(user: User) -> SetupLink:
    return SetupLink(urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user))


@transaction.atomic
def set_password(uid: str, token: str, password: str) -> User:
    """Use a one-time link: the token stops working once the password is set."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
        if not storable_id(pk):
            raise ValueError(pk)
        user = User.objects.get(pk=pk)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        raise Invalid("uid: unknown or malformed link", "链接无效") from None
    if not default_token_generator.check_token(user, token):
        raise Invalid("token: the link is invalid, used or expired", "链接无效、已使用或已过期")
    problem = _password_problem(password, user)
    if problem:
        raise Invalid(f"password: {problem}", f"密码不符合要求：{problem}")
    user.set_password(password)
    user.save(update_fields=["password"])
    record(user, "set_password", "user", user.pk, None, None)
    return user


def login(username: str, password: str) -> User:
    """Check credentials, refusing for a while after repeated failures."""
    if "\x00" in username or len(username) > _USERNAME_LENGTH:  # no such user can exist
        raise Forbidden("wrong user name or password", "用户名或密码错误")
    if throttle.locked(username):
        raise Forbidden("too many failed logins: try again later", "登录失败次数过多，请稍后再试")
    user = authenticate(username=username, password=password)
    if user is None:
        throttle.record_failure(username)
        raise Forbidden("wrong user name or password", "用户名或密码错误")
    throttle.clear(username)
    assert isinstance(user, User)  # noqa: S101
    return user


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user: User) -> str:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(key))
    record(user, "issue_token", "user", user.pk, None, None)
    return key


def user_for_token(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
    return token.user
