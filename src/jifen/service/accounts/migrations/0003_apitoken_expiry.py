"""API tokens end: an expiry, a revocation and the browser session they were issued from (issue 13.2).

Tokens issued before this migration get ``expires_at`` = the time it runs: they stop working at the upgrade
and their clients ask for new ones."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_account_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="session_hash",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
    ]
