from __future__ import annotations

from django.conf import settings
from django.db import models


class Message(models.Model):
    """One inbox message. ``dedupe_key`` is unique: a periodic reminder inserted twice (two nodes running
    ``jifen tick`` at once) fails the second insert, and only the inserter sends the e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    application_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
