"""Writing inbox messages and sending their e-mail once the transaction has committed."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from jifen.service import clock
from jifen.service.accounts.models import Account, Role
from jifen.service.applications.models import Application
from jifen.service.notifications.models import Message

ACTION_TEXT = {
    "submit": ("积分申请已提交", "application submitted"),
    "withdraw": ("积分申请已撤回", "application withdrawn"),
    "accept": ("积分申请已受理", "application accepted"),
    "request_correction": ("积分申请需补正材料", "correction of materials requested"),
    "resubmit": ("补正材料已提交", "corrected materials submitted"),
    "approve": ("积分已核定", "points approved"),
    "reject": ("积分申请不予核定", "application rejected"),
    "appeal": ("已申请复核", "appeal filed"),
}


def notify(
    user: User,
    kind: str,
    subject: str,
    body: str,
    *,
    dedupe_key: str | None = None,
    application: Application | None = None,
) -> Message | None:
    """Add a message to ``user``'s inbox and e-mail it; None when ``dedupe_key`` was already used."""
    try:
        with transaction.atomic():
            message = Message.objects.create(
                user=user,
                kind=kind,
                subject=subject,
                body=body,
                dedupe_key=dedupe_key,
                application_id=application.pk if application is not None else None,
            )
    except IntegrityError:
        return None
    address = getattr(user, "email", "")
    if address:
        transaction.on_commit(lambda: _email(message.pk, address, subject, body))
    return message


def _email(message_id: int, address: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [address], fail_silently=True)
    Message.objects.filter(pk=message_id).update(emailed_at=clock.now())


def notify_application(app: Application, action: str) -> None:
    """Tell the holder and the employer's agents (and the reviewer, of corrections and appeals)."""
    zh, en = ACTION_TEXT.get(action, (action, action))
    subject = f"{zh} / {en}"
    body = (
        f"申请 {app.pk}（{app.get_kind_display()}）状态：{app.get_status_display()}。\n"
        f"Application {app.pk} ({app.kind}) is now {app.status}."
    )
    if app.deadline:
        body += f"\n核定期限 / decision due by: {app.deadline.isoformat()}"
    if app.status == "correction_requested":
        last = app.corrections.order_by("-id").first()
        body += "\n补正原因 / reasons: see the application"
        if last is not None:
            body += ": " + "; ".join(str(r.get("reason", "")) for r in last.reasons)
    users = [app.holder.user]
    users += [a.user for a in Account.objects.filter(employer=app.employer, role=Role.AGENT).select_related("user")]
    if action in ("resubmit", "appeal") and app.reviewer is not None:
        users.append(app.reviewer)
    for user in dict.fromkeys(users):
        notify(user, f"application_{action}", subject, body, application=app)
