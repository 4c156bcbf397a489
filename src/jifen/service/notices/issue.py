"""Issuing the notice when an application is approved (again, after a re-check), and withdrawing notices."""

from __future__ import annotations

import secrets
from functools import partial

from django.db import transaction

from jifen.service import clock
from jifen.service.applications.models import Application
from jifen.service.notices.models import Notice
from jifen.service.notices.tasks import render_notice

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by people


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))


def issue_notice(app: Application) -> Notice:
    """A new notice (a new code) for an approved application; the application's earlier notices (an approval
    changed by a re-check, 复核) are withdrawn at the same moment. Call it inside the decision's transaction."""
    assert app.points is not None  # noqa: S101 - only approved applications get a notice
    withdraw_notices(app)
    notice = Notice.objects.create(
        application=app,
        code=new_code(),
        holder_name=app.holder.display_name,
        points=app.points,
        policy_version=app.policy_version,
        issued_on=clock.today(),
        valid_until=app.valid_until,
    )
    transaction.on_commit(partial(render_notice.enqueue, notice.code), robust=True)  # its PDF, stored (16.2)
    return notice


def withdraw_notices(app: Application) -> int:
    """Mark the application's notices not yet withdrawn as withdrawn now (a re-check ended in rejection, or
    a new notice replaces them); the number withdrawn."""
    return Notice.objects.filter(application=app, withdrawn_at=None).update(withdrawn_at=clock.now())


def masked(name: str) -> str:
    """张三丰 -> 张**: the verification page shows only the first character."""
    return name[:1] + "*" * max(len(name) - 1, 1)
