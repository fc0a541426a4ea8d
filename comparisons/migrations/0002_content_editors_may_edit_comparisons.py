"""Let the "Content editors" group build and order curated comparisons."""

from django.db import migrations

from editorial import groups


def grant(apps, schema_editor):
    groups.grant(apps, "comparisons", ["comparison", "comparisonitem"])


def revoke(apps, schema_editor):
    groups.revoke(apps, "comparisons")


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0001_initial"),
        ("treatments", "0002_content_editors_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
