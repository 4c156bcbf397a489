import django.db.models.deletion
from django.db import migrations, models

import jifen.service.clock


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_one_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="material",
            name="replaces",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="replaced_by",
                to="applications.material",
            ),
        ),
        migrations.AlterField(
            model_name="material",
            name="uploaded_at",
            field=models.DateTimeField(default=jifen.service.clock.now, editable=False),
        ),
    ]
