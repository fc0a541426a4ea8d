"""Each treatment stores the keys of the lines of "About this information"
it fails, for "Needs attention" and the changelist's filter (treatments/
attention.py), with an index of the published ones that fail a line and
one of the review dates.

Existing treatments start with NULL, not worked out yet; `migrate` works
their lines out when it finishes (editorial/attention.py), with the report
as the code has it then. A RunPython here would run the code of today
against the schema of this migration, and fail once a later migration
adds a column that the code reads."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0022_source_text_watched"),
    ]

    operations = [
        migrations.AddField(
            model_name="treatment",
            name="failing_lines",
            field=models.CharField(
                editable=False,
                max_length=100,
                null=True,
                serialize=False,
                verbose_name="lines of “About this information” not met",
            ),
        ),
        migrations.AddIndex(
            model_name="treatment",
            index=models.Index(
                condition=models.Q(("failing_lines__gt", ""), ("status", "published")),
                fields=["name"],
                name="treatment_failing_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="treatment",
            index=models.Index(
                fields=["next_review_due"], name="treatment_review_due_idx"
            ),
        ),
    ]
