from __future__ import annotations

from django.db import models

from jifen.service.applications.models import Application


class Notice(models.Model):
    code = models.CharField(max_length=20, unique=True)
    # An application re-approved after a re-check (复核) gets a new notice; the earlier one is withdrawn.
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="notices")
    holder_name = models.CharField(max_length=100)
    points = models.IntegerField()
    policy_version = models.CharField(max_length=50)
    issued_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    # Set when a re-check changed the decision the notice states (jifen.service.notices.issue).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
