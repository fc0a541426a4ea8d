"""Create the "Content editors" group and let it keep the catalogue right."""

from django.db import migrations

from editorial import groups

MODELS = [
    "source",
    "bodyarea",
    "condition",
    "conditionfact",
    "effect",
    "treatment",
    "treatedarea",
    "sessionplan",
    "sideeffect",
    "milestone",
]


def create_group(apps, schema_editor):
    groups.grant(apps, "treatments", MODELS)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=groups.GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("treatments", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
