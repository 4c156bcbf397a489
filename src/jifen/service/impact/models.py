"""An evaluation of a proposed policy change over the population, run as a background task (issue 16.2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jifen.service import clock


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ImpactRun(models.Model):
    """One maintainer's request: the proposal (``proposal.saved`` text) and the day, the progress while it runs
    (``done`` of ``total`` holders, written every JIFEN_IMPACT_PROGRESS_EVERY holders) and, once done, the result
    (:func:`jifen.service.impact.tasks.result_json`: enough to draw the page and the CSV again without
    scoring anyone). ``error`` holds the reason in both languages ({"zh", "en"}) when it failed."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="impact_runs")
    proposal = models.TextField()
    on = models.DateField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)  # the service's clock
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.status == RunStatus.DONE else (100 * self.done // self.total if self.total else 0)
