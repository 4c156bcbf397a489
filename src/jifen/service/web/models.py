"""The API's call counts (issue 16, item 7): one row per throttle key, read and written by one statement
(jifen.service.api.throttles.count_call) when the shared cache is the database's."""

from __future__ import annotations

from django.db import models


class CallCount(models.Model):
    """The calls of ``key``'s current window, which ends at ``ends`` (seconds since the epoch)."""

    key = models.CharField(max_length=255, primary_key=True)
    ends = models.FloatField(db_index=True)
    calls = models.PositiveIntegerField()

    class Meta:
        db_table = "jifen_call_counts"

    def __str__(self) -> str:
        return f"{self.key}: {self.calls} until {self.ends}"
