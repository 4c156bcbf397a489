"""The hash chain and the client's request id (issue 13.5): the rows already written are hashed in id order."""

from typing import Any

import django.utils.timezone
from django.db import migrations, models

from jifen.service.audit.chain import GENESIS, content_of, row_hash


def hash_existing_rows(apps: Any, schema_editor: Any) -> None:
    entry_model = apps.get_model("audit", "AuditEntry")
    previous = GENESIS
    for row in entry_model.objects.using(schema_editor.connection.alias).order_by("id").iterator(chunk_size=1000):
        previous = row_hash(previous, content_of(row))
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
