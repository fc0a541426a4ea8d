"""The editors' groups, kept by data migrations in each content app.

- "Content editors" may add, change, delete and view catalogue and
  comparison content and public change notes (core.ChangeNote), and submit
  content for review; they cannot publish.
- "Publishers" hold the publish permissions (publish_treatment,
  publish_comparison): they publish and unpublish. A publisher is usually
  in both groups.

Neither gets a permission on users, groups or permissions, so no one can
grant themselves more. Used by migrations: keep it free of model imports.

Migrations made the groups; `ensure_groups` (connected to post_migrate in
core/apps.py) gives them what GROUPS says after every migrate and every
flush (the test suite's transactional tests flush), so a model added
later is covered without a migration of its own, and a group deleted by
mistake comes back.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

GROUP = "Content editors"
PUBLISHERS = "Publishers"
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, app_label, model_names=(), *, group=GROUP, codenames=()):
    """Give `group` every action on these models of `app_label`, and the
    permissions named in `codenames`."""
    # Permissions are normally created after all migrations have run; create
    # this app's now so the group can be given them.
    app_config = apps.get_app_config(app_label)
    models_module = getattr(app_config, "models_module", None)
    # A migration's app has no models module; create_permissions skips it.
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group)
    codenames = [
        *codenames,
        *(f"{action}_{model}" for model in model_names for action in ACTIONS),
    ]
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    )


# What each group may do: {group: {app label: (models with all ACTIONS,
# other permissions)}}.
GROUPS = {
    GROUP: {
        "treatments": (
            [
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
            ],
            [],
        ),
        "comparisons": (["comparison", "comparisonitem"], []),
        "core": (["changenote"], []),
    },
    PUBLISHERS: {
        "treatments": ([], ["publish_treatment"]),
        "comparisons": ([], ["publish_comparison"]),
        "core": (["changenote"], []),
    },
}


def ensure_groups(sender, apps=global_apps, **kwargs):
    """post_migrate: once per migrate or flush (on core's signal, the first
    of the site's apps), give each group what GROUPS says."""
    if sender.label != "core":
        return
    labels = {config.label for config in apps.get_app_configs()}
    if "auth" not in labels:
        return
    for group, grants in GROUPS.items():
        for app_label, (model_names, codenames) in grants.items():
            if app_label in labels:
                grant(apps, app_label, model_names, group=group, codenames=codenames)


def revoke(apps, app_label, *, group=GROUP):
    Group = apps.get_model("auth", "Group")
    for found in Group.objects.filter(name=group):
        found.permissions.remove(
            *found.permissions.filter(content_type__app_label=app_label)
        )
