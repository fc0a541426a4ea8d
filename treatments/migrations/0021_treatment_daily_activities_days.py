"""Each treatment stores the earliest day of its first "back to daily
activities" milestone, with an index, so that the catalogue sorted by it
reads a page at a time instead of every match's milestones (issue 20)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def restate(apps, schema_editor):
    Treatment = apps.get_model("treatments", "Treatment")
    Milestone = apps.get_model("treatments", "Milestone")
    # As TreatmentQuerySet.restate_daily_activities() at this migration.
    first = (
        Milestone.objects.filter(treatment=OuterRef("pk"), kind="daily-activities")
        .order_by("days_max", "days_min", "order")  # the timeline's order
        .values("days_min")[:1]
    )
    Treatment.objects.update(daily_activities_days=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0020_catalogue_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="treatment",
            name="daily_activities_days",
            field=models.IntegerField(editable=False, null=True, serialize=False),
        ),
        migrations.AddIndex(
            model_name="treatment",
            index=models.Index(
                fields=["status", "is_baseline", "daily_activities_days", "name"],
                name="treatment_daily_idx",
            ),
        ),
        migrations.RunPython(restate, migrations.RunPython.noop),
    ]
