"""People, roles and employers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jifen.service import clock


class Role(models.TextChoices):
    HOLDER = "holder", _("持证人")
    AGENT = "agent", _("单位经办人")
    REVIEWER = "reviewer", _("审核人员")
    MAINTAINER = "maintainer", _("政策维护人员")


class Employer(models.Model):
    """An employer (用人单位); it files for its employees once a reviewer has verified it."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField(max_length=200)
    district = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)  # the service's clock
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    def __str__(self) -> str:
        return f"{self.name} ({self.uscc})"


class Language(models.TextChoices):
    """The language a person reads the service's messages in: the page language they chose last."""

    ZH = "zh", "中文"
    EN = "en", "English"


class Account(models.Model):
    """The role of a user, the employer of an agent or holder, and a holder's identity and permit."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    role = models.CharField(max_length=20, choices=Role.choices)
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts")
    display_name = models.CharField(max_length=100)
    id_number = models.CharField(max_length=18, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    permit_valid_from = models.DateField(null=True, blank=True)
    permit_valid_until = models.DateField(null=True, blank=True)
    # Inbox messages and e-mails are written in this language (set from the page language at sign-in and
    # whenever the signed-in person switches it).
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ZH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["id_number"], condition=~models.Q(id_number=""), name="unique_id_number")
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.role})"


class ApiToken(models.Model):
    """A bearer token for API clients; only its SHA-256 is stored.

    It works until ``expires_at`` (JIFEN_TOKEN_HOURS after it was issued, on the service's clock) unless
    revoked before (``revoked_at``): by ``DELETE /api/v1/auth/token``, by the pages' logout of the browser
    session it was issued from (``session_hash``, the SHA-256 of that session's key), or by the user's
    JIFEN_TOKENS_PER_USER-th newer token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)  # the service's clock
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    session_hash = models.CharField(max_length=64, blank=True, db_index=True)
