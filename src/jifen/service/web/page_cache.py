"""The empty calculator and advisor forms, rendered once per language and day (issue 16, item 7).

An empty form is the same for every visitor: its labels are in the page's language, its "as of" date is the
service's today, and what the policy in force says can only change with the day or with the policy data. So
the form's HTML (the expensive part of the page: some sixty fields) is kept in this process, keyed by the
fragment, the language, the service's today, the policy data's folder and the version in force that day,
and the page around it -- header, CSRF token, messages -- is rendered for each request as before. Nothing
personal is in a kept fragment: it is rendered without the request (no CSRF token, no user), and the
token of each visitor is put in by the page's own ``{% csrf_token %}``.
"""

from __future__ import annotations

import threading
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from jifen.policy.loader import default_policy, policy_dir
from jifen.service import clock

MAX_KEPT = 64  # fragments kept in a process: two pages x two languages x a few days and policy folders
_kept: dict[tuple[str, ...], SafeString] = {}
_lock = threading.Lock()


def key(template: str) -> tuple[str, ...]:
    today = clock.today()
    version = default_policy().version_at(today).id
    return (template, get_language() or "", today.isoformat(), str(policy_dir()), version)


def empty_form(template: str, context: dict[str, Any]) -> SafeString:
    """``template`` rendered with ``context`` (an empty form), or the HTML kept from the first time."""
    wanted = key(template)
    html = _kept.get(wanted)
    if html is None:
        html = mark_safe(render_to_string(template, context))  # noqa: S308 - rendered by Django's templates
        with _lock:
            if len(_kept) >= MAX_KEPT:
                _kept.clear()
            _kept[wanted] = html
    return html


def forget() -> None:
    """Drop every kept fragment (tests)."""
    with _lock:
        _kept.clear()
