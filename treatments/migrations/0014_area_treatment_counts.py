"""Each body area stores how many catalogue treatments it takes in, so that
pages stop counting the whole catalogue on every request (issue 14)."""

from django.db import migrations, models

from treatments.areas import AreaTree


def count(apps, schema_editor):
    BodyArea = apps.get_model("treatments", "BodyArea")
    TreatedArea = apps.get_model("treatments", "TreatedArea")
    areas = list(BodyArea.objects.all())
    # The catalogue as it stands at this migration: published, no baselines.
    counts = AreaTree(areas).count_treatments(
        TreatedArea.objects.filter(
            treatment__status="published", treatment__is_baseline=False
        ).values_list("body_area_id", "treatment_id")
    )
    for area in areas:
        area.treatment_count = counts[area.pk]
    BodyArea.objects.bulk_update(areas, ["treatment_count"])


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0013_not_stated_in_its_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="bodyarea",
            name="treatment_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, serialize=False
            ),
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
