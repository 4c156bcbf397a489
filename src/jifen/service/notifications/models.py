from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation

from jifen.service import clock

LANGUAGES = ("zh", "en")


def page_language() -> str:
    """The language of the page being made ("zh" or "en")."""
    return "en" if (translation.get_language() or "").startswith("en") else "zh"


class Message(models.Model):
    """One inbox message. ``dedupe_key`` is unique: a periodic reminder inserted twice (two nodes running
    ``jifen tick`` at once) fails the second insert, and only the inserter sends the e-mail.

    The subject and body are kept in both languages (``subject_zh``, ``subject_en``, ``body_zh``,
    ``body_en``): the pages show the reader's. ``subject`` and ``body`` are what was e-mailed, in the
    recipient's language (``Account.language``) when it was sent. A message written before both languages
    were kept may have one only: the other falls back to ``subject`` and ``body``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    subject_zh = models.CharField(max_length=200, blank=True, default="")
    subject_en = models.CharField(max_length=200, blank=True, default="")
    body_zh = models.TextField(blank=True, default="")
    body_en = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=clock.now)  # the service's clock, as every date it shows
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)  # sends tried (the e-mail task's retries)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    application_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def subject_in(self, language: str) -> str:
        """The subject in ``language`` ("zh" or "en"), else as e-mailed."""
        return (self.subject_en if language == "en" else self.subject_zh) or self.subject

    def body_in(self, language: str) -> str:
        """The body in ``language`` ("zh" or "en"), else as e-mailed."""
        return (self.body_en if language == "en" else self.body_zh) or self.body

    @property
    def shown_subject(self) -> str:
        """The subject in the language of the page being made."""
        return self.subject_in(page_language())

    @property
    def shown_body(self) -> str:
        """The body in the language of the page being made."""
        return self.body_in(page_language())

    @property
    def unread(self) -> bool:
        return self.read_at is None
