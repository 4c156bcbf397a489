"""Template filters of the pages."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from jifen.policy.basis_words import basis_lines
from jifen.policy.loader import default_policy
from jifen.policy.wording import date_words

register = template.Library()


def _language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh"


@register.filter
def day(value: date | datetime | str | None) -> SafeString | str:
    """A date in the page's one style ("2018年1月1日", "1 January 2018"), machine-readable in ``<time>``."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        shown = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    elif isinstance(value, str):
        try:
            shown = date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        shown = value
    return format_html('<time datetime="{}">{}</time>', shown.isoformat(), date_words(shown)[_language()])


@register.filter
def moment(value: datetime | None) -> SafeString | str:
    """A point in time: the day in the page's style and the local hour ("2026年11月27日 10:00")."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_html(
        '<time datetime="{}">{} {}</time>',
        local.isoformat(timespec="minutes"),
        date_words(local.date())[_language()],
        f"{local:%H:%M}",
    )


@register.filter
def in_words(basis: object) -> list[dict[str, object]]:
    """An item's basis as sentences in the page's language, identical consecutive values folded."""
    rows = [b.to_dict() if hasattr(b, "to_dict") else b for b in (basis or [])]  # type: ignore[attr-defined]
    language = _language()
    return [
        {"text": line.text[language], "href": line.href, "provisional": line.provisional}
        for line in basis_lines(rows, default_policy())
    ]


@register.filter
def with_code(text: str | None) -> SafeString:
    """Text whose `backticked` parts (ids, file paths) are shown as code, the rest escaped."""
    parts = escape(text or "").split("`")
    return mark_safe("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))  # noqa: S308
