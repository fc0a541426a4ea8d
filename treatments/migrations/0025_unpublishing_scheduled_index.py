"""An index of the treatments scheduled to be unpublished, which "Needs
attention" lists (editorial/queue.py): without it the admin's home page
read every treatment for them, 32 to 54 ms at 10,000 (bench/admin.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0024_reading_age_stored"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="treatment",
            index=models.Index(
                condition=models.Q(("unpublish_at__isnull", False)),
                fields=["unpublish_at"],
                name="treatment_unpublish_idx",
            ),
        ),
    ]
