"""E-mails and inbox entries read as words (issue 14 item 1): every message the demo's journey sends, in
both languages, names no identifier of the code or the policy data and says its dates in words."""

from __future__ import annotations

from typing import Any

import pytest

from jifen.service.demo import seed
from jifen.service.notifications.models import Message
from tests.text_scan import id_tokens, iso_dates


@pytest.mark.django_db
def test_every_message_of_the_demo_reads_as_words(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # messages go out once each step has committed
        seed()
    messages = list(Message.objects.all())
    assert len(messages) >= 10  # submissions, acceptances, a correction, decisions, an appeal
    for message in messages:
        for text in (message.subject_zh, message.body_zh, message.subject_en, message.body_en):
            assert id_tokens(text) == [], (message.kind, text)
            assert iso_dates(text) == [], (message.kind, text)
