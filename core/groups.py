"""The "Content editors" group, kept by data migrations in each content app.

Editors may add, change, delete and view catalogue and comparison content.
They get no permission on users, groups or permissions, so they cannot grant
themselves more. Used by migrations: keep it free of model imports.
"""

from django.contrib.auth.management import create_permissions

GROUP = "Content editors"
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, app_label, model_names):
    """Give the group every action on these models of `app_label`."""
    # Permissions are normally created after all migrations have run; create
    # this app's now so the group can be given them.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in model_names for action in ACTIONS]
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    )


def revoke(apps, app_label):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label=app_label)
        )
