"""Template filters of the inbox."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from jifen.service.notifications.models import Message

register = template.Library()


@register.filter
def unread_count(messages: Iterable[Message]) -> int:
    """How many of ``messages`` are unread."""
    return sum(1 for m in messages if m.read_at is None)
