"""Issuing the notice when an application is approved (again, after an appeal)."""

from __future__ import annotations

import secrets

from jifen.service import clock
from jifen.service.applications.models import Application
from jifen.service.notices.models import Notice

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed by people


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))


def issue_notice(app: Application) -> Notice:
    assert app.points is not None  # noqa: S101 - only approved applications get a notice
    values = {
        "holder_name": app.holder.display_name,
        "points": app.points,
        "policy_version": app.policy_version,
        "issued_on": clock.today(),
        "valid_until": app.valid_until,
    }
    notice, created = Notice.objects.get_or_create(application=app, defaults={"code": new_code(), **values})
    if not created:
        Notice.objects.filter(pk=notice.pk).update(**values)
        notice.refresh_from_db()
    return notice


def masked(name: str) -> str:
    """张三丰 -> 张**: the verification page shows only the first character."""
    return name[:1] + "*" * max(len(name) - 1, 1)
