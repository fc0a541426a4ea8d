"""The editors' groups, and what each app lets them do.

- "Content editors" may add, change, delete and view catalogue and
  comparison content and public change notes (editorial.ChangeNote), and submit
  content for review; they cannot publish.
- "Publishers" hold the publish permissions (publish_treatment,
  publish_comparison): they publish and unpublish. A publisher is usually
  in both groups.

Neither gets a permission on users, groups or permissions, so no one can
grant themselves more. Used by migrations: keep it free of model imports.

Migrations made the groups; `ensure_groups` (connected to post_migrate in
editorial/apps.py) gives them what each app declares in its AppConfig
(`declared`) after every migrate and every flush (the test suite's
transactional tests flush), so a model added later is covered without a
migration of its own, and a group deleted by mistake comes back.
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


def declared(app_config):
    """{group: (models with every action, other permissions)} that an app
    gives the editors' groups, from its AppConfig:

    - `editors_may_edit`: models that "Content editors" add, change, delete
      and view;
    - `publishers_may_edit`: the same for "Publishers";
    - `publishers_may`: other permissions of the app for "Publishers",
      such as publish_treatment.

    Each app says what its own records need, so a new content app adds
    itself without a change here."""
    return {
        GROUP: (list(getattr(app_config, "editors_may_edit", ())), []),
        PUBLISHERS: (
            list(getattr(app_config, "publishers_may_edit", ())),
            list(getattr(app_config, "publishers_may", ())),
        ),
    }


def ensure_groups(sender, apps=global_apps, **kwargs):
    """post_migrate: once per migrate or flush (on the editorial app's
    signal), give each group what the apps declare (`declared`)."""
    if sender.label != "editorial":
        return
    labels = {config.label for config in apps.get_app_configs()}
    if "auth" not in labels:
        return
    for app_config in global_apps.get_app_configs():
        if app_config.label not in labels:
            continue
        for group, (model_names, codenames) in declared(app_config).items():
            if model_names or codenames:
                grant(
                    apps,
                    app_config.label,
                    model_names,
                    group=group,
                    codenames=codenames,
                )


def revoke(apps, app_label, *, group=GROUP):
    Group = apps.get_model("auth", "Group")
    for found in Group.objects.filter(name=group):
        found.permissions.remove(
            *found.permissions.filter(content_type__app_label=app_label)
        )
