"""The API's call counts (issue 16, item 7): jifen.service.web.models.CallCount."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("web", "0001_cache_table")]

    operations = [
        migrations.CreateModel(
            name="CallCount",
            fields=[
                ("key", models.CharField(max_length=255, primary_key=True, serialize=False)),
                ("ends", models.FloatField(db_index=True)),
                ("calls", models.PositiveIntegerField()),
            ],
            options={"db_table": "jifen_call_counts"},
        ),
    ]
