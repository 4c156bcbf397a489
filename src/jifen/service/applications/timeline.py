"""An application's progress as a person reads it: each recorded step in words, who took it and in what role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jifen.service.applications.models import Application
from jifen.service.applications.workflow import TRANSITIONS
from jifen.service.audit.models import AuditEntry

# the audit actions written for an application that are not a transition of the workflow
STEPS: dict[str, str | Promise] = {
    "create": _("创建申请"),
    "add_material": _("上传材料"),
    **{t.action: t.label for t in TRANSITIONS},
}


@dataclass(frozen=True)
class Step:
    at: datetime
    words: str | Promise
    actor: str  # the person's name, never a login
    role: str | Promise
    deadline: date | None


def timeline(app: Application) -> list[Step]:
    """The application's audit rows, oldest first, in words."""
    rows = AuditEntry.objects.filter(object_type="application", object_id=str(app.pk)).select_related("actor__account")
    steps = []
    for row in rows:
        account = getattr(row.actor, "account", None) if row.actor is not None else None
        deadline = (row.after or {}).get("deadline") if row.action != "create" else None
        steps.append(
            Step(
                at=row.at,
                words=STEPS.get(row.action, _("其他操作")),
                actor=account.display_name if account is not None else "—",
                role=account.get_role_display() if account is not None else "",
                deadline=date.fromisoformat(deadline[:10]) if isinstance(deadline, str) and deadline else None,
            )
        )
    return steps
