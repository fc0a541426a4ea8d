"""Create the "Content editors" group, allowed to keep the catalogue right.

Editors may add, change, delete and view catalogue content. They get no
permission on users, groups or permissions, so they cannot grant themselves
more.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"
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
ACTIONS = ["add", "change", "delete", "view"]


def ensure_permissions(apps):
    # Permissions are normally created after all migrations have run; create
    # this app's now so the group can be given them.
    app_config = apps.get_app_config("treatments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def create_group(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="treatments", codename__in=codenames
        )
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("treatments", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
