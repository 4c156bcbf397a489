from __future__ import annotations

from django.db import models

from jifen.service.applications.models import Application


class Notice(models.Model):
    code = models.CharField(max_length=20, unique=True)
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="notice")
    holder_name = models.CharField(max_length=100)
    points = models.IntegerField()
    policy_version = models.CharField(max_length=50)
    issued_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
