"""Writing audit rows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from jifen.service.audit.middleware import current_request_id
from jifen.service.audit.models import AuditEntry


def record(
    actor: User | None,
    action: str,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        request_id=current_request_id(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
    )
