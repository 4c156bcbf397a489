"""Source links as every page shows them: the link, and "转载 · <publisher>" beside a reprint."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from jifen.policy.loader import default_policy
from jifen.policy.model import Source
from jifen.policy.reprints import reprints

register = template.Library()


@register.simple_tag
def source_link(target: Source | str, text: str = "") -> SafeString:
    """A link to ``target`` (a source, or the address of one the policy data cite) reading ``text`` (by
    default 来源), followed by "转载 · <publisher>" when the page is not the issuing authority's own."""
    if isinstance(target, Source):
        href, publisher = target.href, target.publisher
    else:
        href, publisher = target, reprints(default_policy()).get(target)
    link = format_html('<a href="{}" rel="noopener noreferrer">{}</a>', href, text or gettext("来源"))
    if publisher is None:
        return link
    return format_html('{} <span class="reprint">{} · {}</span>', link, gettext("转载"), publisher)
