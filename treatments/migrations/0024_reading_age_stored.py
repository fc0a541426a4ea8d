"""Each treatment stores the reading of its page (editorial/prose.py), so
that the admin's list shows it and filters on it without reading every
treatment's texts."""

from collections import defaultdict

from django.db import migrations, models

from editorial import prose, readability

# The registry of public prose (treatments/apps.py) at this migration.
TREATMENT = [
    "summary",
    "how_it_works",
    "what_happens",
    "anaesthesia_details",
    "how_it_feels",
    "performed_by",
    "before_first_session",
    "effectiveness",
    "results_duration",
    "maintenance_details",
    "cautions",
    "where_to_have_it",
    "questions_to_ask",
    "reading_notes",
]
FACTS = {
    "SessionPlan": [
        "sessions_wording",
        "interval_wording",
        "results_wording",
        "reading_note",
    ],
    "SideEffect": ["frequency_wording", "duration", "what_is_normal"],
    "Milestone": ["wording", "reading_note"],
    "TreatedArea": ["note"],
}


def texts_by_treatment(apps):
    """{treatment pk: [each text of its page]}, as at this migration."""
    Treatment = apps.get_model("treatments", "Treatment")
    texts = defaultdict(list)
    for pk, *found in Treatment.objects.values_list("pk", *TREATMENT):
        texts[pk] += found
    for model, names in FACTS.items():
        rows = apps.get_model("treatments", model).objects.values_list(
            "treatment_id", *names
        )
        for pk, *found in rows:
            texts[pk] += found
    return texts


def restate(apps, schema_editor):
    Treatment = apps.get_model("treatments", "Treatment")
    for pk, texts in texts_by_treatment(apps).items():
        reading = prose.page_reading(readability.measure(text) for text in texts)
        Treatment.objects.filter(pk=pk).update(
            reading_age=reading.median, texts_too_hard=reading.too_hard
        )


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0023_failing_lines"),
    ]

    operations = [
        migrations.AddField(
            model_name="treatment",
            name="reading_age",
            field=models.FloatField(
                editable=False, null=True, serialize=False, verbose_name="reading age"
            ),
        ),
        migrations.AddField(
            model_name="treatment",
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
