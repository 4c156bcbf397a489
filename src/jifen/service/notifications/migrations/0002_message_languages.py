"""Each message's subject and body in both languages.

Messages written before were in one language, or in both: a "中文 / English" subject over a Chinese line,
its English line and lines in both languages ("核定期限 / decision due by: …"), as ``jifen tick``'s reminders
and the first application messages were. Those are split (what a subject named after a colon in its English
half only is added to the Chinese); a message in one language keeps its text in that language's fields and
the other falls back to it (:meth:`Message.subject_in`).
"""

from __future__ import annotations

import re

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

import jifen.service.clock

LATIN_START = re.compile(r"^[A-Za-z]")


def split_subject(subject: str) -> tuple[str, str]:
    """ "核定期限临近 / deadline in 3 working days" → the Chinese and the English subject."""
    zh, en = (part.strip() for part in subject.split(" / ", 1))
    _, colon, named = en.partition(": ")
    return (f"{zh}：{named}" if colon and "：" not in zh else zh), en[:1].upper() + en[1:]


def split_body(body: str) -> tuple[str, str]:
    """A Chinese line, its English line, then lines in both languages → the Chinese and the English body."""
    lines = body.split("\n")
    if len(lines) < 2:
        return body, body
    return "\n".join([lines[0], *lines[2:]]), "\n".join(lines[1:])


def split_languages(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    message_model = apps.get_model("notifications", "Message")
    for message in message_model.objects.all().iterator():
        if " / " in message.subject:
            message.subject_zh, message.subject_en = split_subject(message.subject)
            message.body_zh, message.body_en = split_body(message.body)
        elif LATIN_START.match(message.subject):
            message.subject_en, message.body_en = message.subject, message.body
        else:
            message.subject_zh, message.body_zh = message.subject, message.body
        message.save(update_fields=["subject_zh", "subject_en", "body_zh", "body_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="subject_zh",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="message",
            name="subject_en",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="message",
            name="body_zh",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="message",
            name="body_en",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AlterField(
            model_name="message",
            name="created_at",
            field=models.DateTimeField(default=jifen.service.clock.now),
        ),
        migrations.RunPython(split_languages, migrations.RunPython.noop),
    ]
