"""The service's one clock: every decision that depends on "now" or "today" asks it.

Decision dates, notice dates, deadlines, appeal periods and reminders are all taken from here, so that a
test (or a demonstration) can put the whole service on another day in one place. ``JIFEN_NOW`` (an ISO
date-time with its offset, e.g. ``2026-11-27T10:00:00+08:00``) pins it for a server started in another
process; tests in the same process travel with time-machine, which moves this clock too.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone


def now() -> datetime:
    """The current instant (aware), or the pinned one."""
    pinned: datetime | None = getattr(settings, "JIFEN_NOW", None)
    return pinned if pinned is not None else timezone.now()


def today() -> date:
    """Today's date in the service's time zone (Asia/Shanghai)."""
    return timezone.localdate(now())
