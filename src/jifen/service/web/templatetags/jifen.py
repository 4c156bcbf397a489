"""Template filters of the pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def short(value: object) -> object:
    """A parameter value as a basis line shows it: tables and lists of records are summarised."""
    if isinstance(value, dict) or (isinstance(value, list | tuple) and value and isinstance(value[0], dict)):
        return "…"
    return value
