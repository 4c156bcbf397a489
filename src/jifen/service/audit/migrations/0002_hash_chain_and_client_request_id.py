"""The hash chain and the client's request id (issue 13.5): the rows already written are hashed in id order."""

from typing import Any

import django.utils.timezone
from django.db import migrations, models

from jifen.service.audit.chain import GENESIS, Content, row_hash


def hash_existing_rows(apps: Any, schema_editor: Any) -> None:
    entry_model = apps.get_model("audit", "AuditEntry")
    previous = GENESIS
    for row in entry_model.objects.using(schema_editor.connection.alias).order_by("id").iterator(chunk_size=1000):
        content = Content(
            at=row.at,
            actor_id=row.actor_id,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            request_id=row.request_id,
            client_request_id=row.client_request_id,
            before=row.before,
            after=row.after,
        )
        previous = row_hash(previous, content)
        entry_model.objects.using(schema_editor.connection.alias).filter(pk=row.pk).update(hash=previous)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="client_request_id",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(hash_existing_rows, migrations.RunPython.noop),
    ]
