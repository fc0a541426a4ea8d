"""Each curated comparison stores the keys of the lines of "About this
information" it fails (comparisons/attention.py). Existing ones start
with NULL, not worked out yet: `migrate` works them out when it finishes
(editorial/attention.py), as treatments' 0023 says."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0006_reviewed_when_published_and_unpublish_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="comparison",
            name="failing_lines",
            field=models.CharField(
                editable=False,
                max_length=100,
                null=True,
                serialize=False,
                verbose_name="lines of “About this information” not met",
            ),
        ),
    ]
