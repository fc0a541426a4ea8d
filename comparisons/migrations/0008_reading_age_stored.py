"""Each comparison stores the reading of its page (editorial/prose.py): its
introduction and its published treatments' texts, so that the admin's list
shows it and filters on it."""

from collections import defaultdict
from importlib import import_module

from django.db import migrations, models

from editorial import prose, readability

# The treatments' texts, as their own migration reads them.
treatments = import_module("treatments.migrations.0024_reading_age_stored")


def restate(apps, schema_editor):
    Comparison = apps.get_model("comparisons", "Comparison")
    ComparisonItem = apps.get_model("comparisons", "ComparisonItem")
    by_treatment = treatments.texts_by_treatment(apps)
    texts = defaultdict(list)
    for pk, introduction in Comparison.objects.values_list("pk", "introduction"):
        texts[pk].append(introduction)
    shown = ComparisonItem.objects.filter(treatment__status="published")
    for pk, treatment in shown.values_list("comparison_id", "treatment_id"):
        texts[pk] += by_treatment[treatment]
    for pk, found in texts.items():
        reading = prose.page_reading(readability.measure(text) for text in found)
        Comparison.objects.filter(pk=pk).update(
            reading_age=reading.median, texts_too_hard=reading.too_hard
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0007_failing_lines"),
        ("treatments", "0024_reading_age_stored"),
    ]

    operations = [
        migrations.AddField(
            model_name="comparison",
            name="reading_age",
            field=models.FloatField(
                editable=False, null=True, serialize=False, verbose_name="reading age"
            ),
        ),
        migrations.AddField(
            model_name="comparison",
            name="texts_too_hard",
            field=models.PositiveSmallIntegerField(
                default=0,
                editable=False,
                serialize=False,
                verbose_name="texts too hard",
            ),
        ),
        migrations.RunPython(restate, migrations.RunPython.noop),
    ]
