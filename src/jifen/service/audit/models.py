"""Audit rows: written in the same transaction as the change they describe, never updated.

Rows are appended by ``jifen.service.audit.log.record`` only, which chains each to the one before
(``jifen.service.audit.chain``). The database itself refuses UPDATE and DELETE on this table (triggers of
migration 0003): a later migration that makes SQLite rebuild the table (most AlterField) drops them and
must create them again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    at = models.DateTimeField(default=timezone.now, editable=False)  # set before hashing, then stored as is
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    request_id = models.CharField(max_length=64, blank=True)  # the server's id of the request
    client_request_id = models.CharField(max_length=64, blank=True)  # the client's X-Request-ID, when usable
    action = models.CharField(max_length=50)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    hash = models.CharField(max_length=64, editable=False)  # SHA-256 chaining this row to the one before

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("audit entries are append-only")
        if not self.hash:
            raise ValueError("audit entries are written by jifen.service.audit.log.record, which chains them")
        super().save(*args, **kwargs)
