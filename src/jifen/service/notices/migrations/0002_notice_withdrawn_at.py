"""Notices know when they are superseded (issue 12): an application may have several notices (a re-approval
after a re-check issues a new one), and a notice records when it was withdrawn."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notice",
            name="application",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="notices",
                to="applications.application",
            ),
        ),
        migrations.AddField(
            model_name="notice",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
