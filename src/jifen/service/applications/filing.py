"""Filing a draft application for a holder, once, whatever the number of retries (Idempotency-Key)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from jifen.facts.parse import parse_facts
from jifen.service.accounts.models import Account, Role
from jifen.service.applications.models import Application, Kind
from jifen.service.applications.workflow import snapshot
from jifen.service.audit.log import record
from jifen.service.errors import Forbidden, Invalid


def file_application(
    user: User, holder: Account, kind: str, facts: dict[str, Any], idempotency_key: str | None = None
) -> tuple[Application, bool]:
    """A draft for ``holder`` filed by an agent of its employer, and whether it was created now (False:
    the same key was used before, and the application then created is returned)."""
    account: Account | None = getattr(user, "account", None)
    if account is None or account.role != Role.AGENT:
        raise Forbidden("only an employer agent can file applications", "只有单位经办人可以办理申请")
    if idempotency_key is not None:
        existing = Application.objects.filter(created_by=user, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    if holder.employer_id is None or holder.employer_id != account.employer_id:
        raise Forbidden("the holder is not an employee of the agent's employer", "该持证人不是本单位员工")
    if kind not in Kind.values:
        raise Invalid(f"kind: expected one of {', '.join(Kind.values)}; got {kind!r}", f"申请类型无效：{kind}")
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
            )
            record(user, "create", "application", app.pk, None, snapshot(app))
    except IntegrityError:  # the same key raced in from another request
        existing = Application.objects.filter(created_by=user, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    return app, True
