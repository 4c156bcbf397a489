"""Filing a draft application for a holder, once, whatever the number of retries (Idempotency-Key)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from jifen.facts.parse import parse_facts
from jifen.service.accounts.models import Account, Role
from jifen.service.applications.models import Application, Kind
from jifen.service.applications.record import approval_in_force
from jifen.service.applications.workflow import snapshot
from jifen.service.audit.log import record
from jifen.service.errors import Forbidden, Invalid
from jifen.service.inputs import column_text, plain_json, short


def file_application(
    user: User, holder: Account, kind: str, facts: dict[str, Any], idempotency_key: str | None = None
) -> tuple[Application, bool]:
    """A draft for ``holder`` filed by an agent of its employer, and whether it was created now (False:
    the same key was used before, and the application then created is returned). A change or renewal
    records the approval in force as the one it replaces (``replaces``; none for a first application)."""
    account: Account | None = getattr(user, "account", None)
    if account is None or account.role != Role.AGENT:
        raise Forbidden("only an employer agent can file applications", "只有单位经办人可以办理申请")
    digest = ""
    if idempotency_key is not None:
        column_text(idempotency_key, Application, "idempotency_key", "Idempotency-Key")
        digest = request_digest(holder, kind, facts)
        existing = Application.objects.filter(created_by=user, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _same_request(existing, digest), False
    if holder.employer_id is None or holder.employer_id != account.employer_id:
        raise Forbidden("the holder is not an employee of the agent's employer", "该持证人不是本单位员工")
    if kind not in Kind.values:
        raise Invalid(
            f"kind: expected one of {', '.join(Kind.values)}; got {short(kind)!r}", f"申请类型无效：{short(kind)}"
        )
    plain_json(facts, "facts")
    parse_facts(facts)  # refuses bad facts with field paths before anything is stored
    try:
        with transaction.atomic():
            app = Application.objects.create(
                holder=holder,
                employer_id=holder.employer_id,
                kind=kind,
                facts=facts,
                created_by=user,
                idempotency_key=idempotency_key,
                request_digest=digest,
                replaces=approval_in_force(holder) if kind in (Kind.CHANGE, Kind.RENEWAL) else None,
            )
            record(user, "create", "application", app.pk, None, snapshot(app))
    except IntegrityError:  # the same key raced in from another request
        existing = Application.objects.filter(created_by=user, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_request(existing, digest), False
    return app, True


def request_digest(holder: Account, kind: str, facts: dict[str, Any]) -> str:
    """What a retry must repeat: the holder, the kind and the facts (keys in any order)."""
    body = json.dumps({"holder": holder.pk, "kind": kind, "facts": facts}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _same_request(existing: Application, digest: str) -> Application:
    if existing.request_digest and existing.request_digest != digest:
        raise Invalid(
            "Idempotency-Key: already used for a different request (another holder, kind or facts); "
            "use a new key for a new application",
            "Idempotency-Key已用于另一项不同的申请，新申请请使用新的Idempotency-Key",
        )
    return existing
