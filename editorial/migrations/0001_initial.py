"""Public change notes and former addresses, moved here from core.

Their tables were made by core's migrations 0003 and 0005: this records the
models in this app without touching the database; 0002 renames the tables.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0006_editorial_models_moved"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ChangeNote",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("text", models.CharField(help_text="Public: shown on the page and in the site's feed of changes.", max_length=300, verbose_name="what changed")),
                        ("created", models.DateTimeField(default=django.utils.timezone.now, verbose_name="date")),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype")),
                        ("revision", models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="change_notes", to="reversion.revision")),
                    ],
                    options={
                        "db_table": "core_changenote",
                        "verbose_name": "public change note",
                        "ordering": ["-created", "-pk"],
                        "indexes": [models.Index(fields=["content_type", "object_id", "created"], name="changenote_record_idx")],
                        "constraints": [models.CheckConstraint(condition=models.Q(("text", ""), _negated=True), name="core_changenote_has_text", violation_error_message="A change note needs its text.")],
                    },
                ),
                migrations.CreateModel(
                    name="FormerAddress",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("path", models.CharField(max_length=300, unique=True)),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("moved", models.DateTimeField(auto_now=True)),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype")),
                    ],
                    options={
                        "db_table": "core_formeraddress",
                        "verbose_name": "former address",
                        "verbose_name_plural": "former addresses",
                    },
                ),
            ],
        ),
    ]
