"""Background tasks of the notifications (issue 16.2): e-mail with retries, and one holder's periodic reminders.

E-mail: a failed send is enqueued again to run JIFEN_EMAIL_RETRY_SECONDS later, twice as long after each further
failure, up to JIFEN_EMAIL_ATTEMPTS attempts in all; each failure is logged with the message's id and the attempt,
the last one at ERROR. The message stays in the inbox whatever happens to its e-mail; ``Message.emailed_at`` says
when it was e-mailed (empty: never) and ``Message.email_attempts`` how many sends were tried. A retry waits on the
queue's clock (the worker compares ``run_after`` with the wall clock), not on the service's pinned one; the immediate
backend, which cannot defer, tries again at once.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from jifen.service import clock
from jifen.service.notifications.models import Message

logger = logging.getLogger("jifen.service.tasks")


def retry_later(what: str, failed: Task[Any, Any], args: tuple[Any, ...], attempt: int, exc: BaseException) -> bool:
    """Enqueue ``failed`` again with ``args`` and ``attempt + 1`` after the back-off, or give up (logged at ERROR)
    when ``attempt`` was the last one allowed; whether it was enqueued again."""
    attempts = settings.JIFEN_EMAIL_ATTEMPTS
    if attempt >= attempts:
        logger.error("%s: e-mail attempt %d of %d failed, giving up: %r", what, attempt, attempts, exc)
        return False
    wait = settings.JIFEN_EMAIL_RETRY_SECONDS * 2 ** (attempt - 1)
    logger.warning("%s: e-mail attempt %d of %d failed, trying again in %d s: %r", what, attempt, attempts, wait, exc)
    again = failed
    if again.get_backend().supports_defer:
        again = again.using(run_after=timezone.now() + timedelta(seconds=wait))  # the queue's clock: see above
    again.enqueue(*args, attempt=attempt + 1)
    return True


@task()
def send_message_email(message_id: int, attempt: int = 1) -> bool:
    """E-mail an inbox message to its recipient, in the language it was written for them; whether it was sent
    by this attempt (False: already sent, no address, or failed and retried or given up)."""
    message = Message.objects.select_related("user").filter(pk=message_id).first()
    if message is None or message.emailed_at is not None or not message.user.email:
        return False
    Message.objects.filter(pk=message_id).update(email_attempts=F("email_attempts") + 1)
    try:
        send_mail(message.subject, message.body, None, [message.user.email], fail_silently=False)
    except Exception as exc:  # any failure of the mail backend: tried again later
        retry_later(f"message {message_id}", send_message_email, (message_id,), attempt, exc)
        return False
    Message.objects.filter(pk=message_id).update(emailed_at=clock.now())
    return True


@task()
def send_setup_link(user_id: int, attempt: int = 1) -> bool:
    """E-mail a holder who has no password yet a set-password link, made when the task runs (so no link is kept
    in the queue); whether it was sent by this attempt."""
    from jifen.service.accounts import services
    from jifen.service.accounts.models import Employer

    user = User.objects.select_related("account").filter(pk=user_id).first()
    if user is None or not user.email or user.has_usable_password():
        return False  # gone, no address, or the password was set meanwhile: the link is not needed
    holder = user.account
    employer = Employer.objects.filter(pk=holder.employer_id).first() if holder.employer_id is not None else None
    if employer is None:
        return False  # a holder outside any employer has no one to name in the e-mail
    try:
        services._send_setup_link(user, holder, employer, services.setup_link(user))
    except Exception as exc:  # any failure of the mail backend: tried again later
        retry_later(f"set-password link of user {user_id}", send_setup_link, (user_id,), attempt, exc)
        return False
    return True


@task()
def holder_reminders(holder_id: int, today_iso: str) -> dict[str, int]:
    """One holder's reminders of ``jifen tick`` (their applications' deadlines to the reviewer, the permit's
    endorsement and end, a worthwhile refresh): the counts sent, and ``failed`` 1 when the holder's data could
    not be computed (logged with the holder's id)."""
    from jifen.service.notifications.tick import holder_reminders_now

    return holder_reminders_now(holder_id, date.fromisoformat(today_iso)).counts()
