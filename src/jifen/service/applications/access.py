"""Which applications a person may see: their own (holder), their employer's (agent), all (reviewer), none
(policy maintainer: the impact of a proposal is computed over the holders without showing them one by one)."""

from __future__ import annotations

from django.db.models import QuerySet

from jifen.service.accounts.models import Account, Role
from jifen.service.applications.models import Application


def visible_applications(account: Account) -> QuerySet[Application]:
    apps = Application.objects.select_related("holder", "employer")
    if account.role == Role.REVIEWER:
        return apps
    if account.role == Role.MAINTAINER:
        return apps.none()
    if account.role == Role.AGENT:
        return apps.filter(employer=account.employer)
    return apps.filter(holder=account)
