"""Writing inbox messages and enqueueing their e-mail (a background task) once the transaction has committed."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from jifen.advisor.after_decision import Route
from jifen.policy.wording import date_words
from jifen.service.accounts.models import Account, Language, Role
from jifen.service.applications import decision_routes
from jifen.service.applications.models import Application, Status
from jifen.service.notifications.models import LANGUAGES, Message
from jifen.service.notifications.tasks import send_message_email

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


# The words of an application's message; the figures, dates and names are filled in.
WORDS: dict[str, dict[str, str]] = {
    "subject": {"zh": "{action}：{holder}", "en": "{action}: {holder}"},
    "status": {
        "zh": "{holder}的积分申请（{kind}）当前状态：{status}。",
        "en": "The points application of {holder} ({kind}) is now: {status}.",
    },
    "decided": {"zh": "决定日期：{day}。", "en": "Decided on {day}."},
    "points": {"zh": "核定积分：{points}分。", "en": "Points approved: {points}."},
    "deadline": {"zh": "核定期限：{day}。", "en": "Decision due by {day}."},
    "reasons": {"zh": "原因：", "en": "Reasons:"},
    "corrections": {"zh": "需补正的材料及原因：", "en": "Materials to correct, and why:"},
    "no_material": {"zh": "（未指定材料）", "en": "(no particular material)"},
    "item": {"zh": "- {name}：{reason}", "en": "- {name}: {reason}"},
    "routes": {"zh": "接下来可以：", "en": "What you can do now:"},
    "link": {"zh": "查看申请：{url}", "en": "The application: {url}"},
}


Texts = Mapping[str, str]  # a text in each language: {"zh": ..., "en": ...}


def notify(
    user: User,
    kind: str,
    subject: Texts,
    body: Texts,
    *,
    dedupe_key: str | None = None,
    application: Application | None = None,
) -> Message | None:
    """Add a message to ``user``'s inbox in both languages (the pages show the reader's) and e-mail it in the
    user's language (``Account.language``); None when ``dedupe_key`` was already used."""
    language = _language(user)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                user=user,
                kind=kind,
                subject=subject[language],
                body=body[language],
                subject_zh=subject["zh"],
                subject_en=subject["en"],
                body_zh=body["zh"],
                body_en=body["en"],
                dedupe_key=dedupe_key,
                application_id=application.pk if application is not None else None,
            )
    except IntegrityError:
        return None
    if getattr(user, "email", ""):
        transaction.on_commit(partial(_email, message.pk), robust=True)
    return message


def _email(message_id: int) -> None:
    """Enqueue the message's e-mail (a background task, retried on failure: notifications.tasks)."""
    send_message_email.enqueue(message_id)


def notify_application(app: Application, action: str) -> None:
    """Tell the holder and the employer's agents (and the reviewer, of corrections and appeals), by e-mail in
    their own language (``Account.language``) and in the inbox in both: who the application is for, its kind
    and state in words, the points once decided, a correction's reasons by material, a rejection's reasons and
    what can be done about it by when, and the link to the application. Run once the step has committed: it reads the
    application's correction requests."""
    users = [app.holder.user]
    users += [a.user for a in Account.objects.filter(employer=app.employer, role=Role.AGENT).select_related("user")]
    if action in ("resubmit", "appeal") and app.reviewer is not None:
        users.append(app.reviewer)
    routes = decision_routes.routes(app) if app.status == Status.REJECTED else []
    corrections = _corrections(app) if app.status == Status.CORRECTION_REQUESTED else []
    texts = {language: _application_message(app, action, language, routes, corrections) for language in LANGUAGES}
    subject = {language: subject for language, (subject, _) in texts.items()}
    body = {language: body for language, (_, body) in texts.items()}
    for user in dict.fromkeys(users):
        notify(user, f"application_{action}", subject, body, application=app)


def _language(user: User) -> str:
    account = getattr(user, "account", None)
    return "en" if account is not None and account.language == Language.EN else "zh"


def _corrections(app: Application) -> list[tuple[str | None, str]]:
    """The latest correction request's reasons: (the material's file name, or None, and the reason)."""
    last = app.corrections.order_by("-id").first()
    if last is None:
        return []
    names = {str(m.pk): m.original_name for m in app.materials.all()}
    out = []
    for reason in last.reasons:
        material = reason.get("material") if isinstance(reason, dict) else None
        text = reason.get("reason", "") if isinstance(reason, dict) else reason
        out.append((names.get(str(material)) if material else None, str(text)))
    return out


def application_link(app: Application) -> str:
    """The absolute address of the application's page (``JIFEN_BASE_URL``, the public origin)."""
    return settings.JIFEN_BASE_URL.rstrip("/") + reverse("application", args=[app.pk])


def _application_message(
    app: Application,
    action: str,
    language: str,
    routes: list[Route],
    corrections: list[tuple[str | None, str]],
) -> tuple[str, str]:
    """The subject and body of ``action``'s message about ``app`` in ``language`` only."""
    zh, en = ACTION_TEXT.get(action, (action, action))
    words = {key: texts[language] for key, texts in WORDS.items()}
    holder = app.holder.display_name
    subject = words["subject"].format(action=zh if language == "zh" else en[:1].upper() + en[1:], holder=holder)
    with translation.override("en" if language == "en" else "zh-hans"):
        kind, status = str(app.get_kind_display()), str(app.get_status_display())
    lines = [words["status"].format(holder=holder, kind=kind, status=status)]
    if app.decided_at is not None and app.status in (Status.APPROVED, Status.REJECTED, Status.APPEALED):
        lines.append(words["decided"].format(day=date_words(timezone.localtime(app.decided_at).date())[language]))
        if app.points is not None:
            lines.append(words["points"].format(points=app.points))
    if app.deadline:
        lines.append(words["deadline"].format(day=date_words(app.deadline)[language]))
    if corrections:
        lines.append(words["corrections"])
        lines += [
            words["item"].format(name=name or words["no_material"], reason=reason) for name, reason in corrections
        ]
    if app.status == Status.REJECTED and app.reasons:
        lines.append(words["reasons"])
        said = {"zh": "复核理由：", "en": "Reason given for the re-check: "}[language]
        lines += [f"- {said if appeal else ''}{text}" for appeal, text in app.reason_lines()]
    if routes:
        lines.append(words["routes"])
        lines += [f"- {route.text[language]}" for route in routes]
    lines.append(words["link"].format(url=application_link(app)))
    return subject, "\n".join(lines)
