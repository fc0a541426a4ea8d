"""The catalogue stores how many treatments it lists, beside each body
area's count, so that no page counts the catalogue to say so (issue 20)."""

import django.db.models.manager
from django.db import migrations, models


def count(apps, schema_editor):
    Treatment = apps.get_model("treatments", "Treatment")
    CatalogueCount = apps.get_model("treatments", "CatalogueCount")
    # The catalogue as it stands at this migration: published, no baselines.
    listed = Treatment.objects.filter(status="published", is_baseline=False)
    # Its default manager in the migration state is a plain one.
    CatalogueCount._default_manager.create(pk=1, treatments=listed.count())


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0019_the_source_does_not_say"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("treatments", models.PositiveIntegerField(default=0)),
            ],
            options={
                "default_manager_name": "not_content",
            },
            managers=[
                ("not_content", django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
