"""
The lines of "About this information" that pages store for "Needs
attention" (treatments/attention.py), worked out again where they may be
out of date: the pages' models say how (`restate_quality()` and
`quality_unknown()` on their querysets); this module works on any of them.

- `manage.py restate_quality` works out every page's, after a release that
  changes how a report is worked out (or from cron, to be sure);
- when `migrate` (or `flush`) finishes, those not worked out yet: what a
  migration adding the column left (NULL), or a bulk write. Not in the
  migration itself, which runs with the code as it is now: a later
  migration adding a column that the code reads would make it fail.
"""

from django.apps import apps as global_apps
from django.db import router


def restating_models():
    return [
        model
        for model in global_apps.get_models()
        if hasattr(model._default_manager, "restate_quality")
    ]


def restate(model, *, unknown_only=False, using=None):
    """Work out and store the lines the pages of `model` fail; returns how
    many changed."""
    records = model._default_manager.db_manager(using).all()
    if unknown_only:
        records = records.quality_unknown()
    return records.restate_quality()


def schema_is_current(state_apps):
    """Whether the migrations' state has every column the code reads: if it
    does not (a migration back, or part of the way), the code's queries
    would ask for columns that are not there yet."""
    for model in global_apps.get_models():
        try:
            state = state_apps.get_model(model._meta.label)
        except LookupError:
            return False
        if {f.column for f in model._meta.concrete_fields} != {
            f.column for f in state._meta.concrete_fields
        }:
            return False
    return True


def restate_after_migrate(sender, apps=global_apps, using="default", **kwargs):
    """post_migrate, once per migrate or flush (on the editorial app's
    signal): the pages not worked out yet, if the database is as the code
    expects it."""
    if sender.label != "editorial" or not schema_is_current(apps):
        return
    for model in restating_models():
        if router.allow_migrate_model(using, model):
            restate(model, unknown_only=True, using=using)
