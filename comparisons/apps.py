from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    # What the editors' groups may do with these records (editorial/groups.py).
    editors_may_edit = ["comparison", "comparisonitem"]
    publishers_may = ["publish_comparison"]
    # Each fixture record's natural key, as the fixture writes it
    # (core/seeding.py).
    natural_key_fields = {
        "comparison": ["slug"],
        "comparisonitem": ["comparison", "position"],
    }
    # The fields whose text the public reads as sentences (editorial/
    # prose.py). A comparison's page shows its treatments' texts too.
    public_prose = {"comparison": ["introduction"]}

    def ready(self):
        from core.cache import watch
        from core.text import tidy_on_save

        watch(self)
        tidy_on_save(self)
        # The reading of a comparison's page, stored on it for the admin's
        # list (editorial/prose.py), changes with its introduction, with
        # which treatments it shows, and with their texts and their facts':
        # restated once the change commits.
        from treatments.models import (
            Milestone,
            SessionPlan,
            SideEffect,
            TreatedArea,
            Treatment,
        )

        from .models import Comparison, ComparisonItem

        post_save.connect(
            comparison_changed, sender=Comparison, dispatch_uid="reading-comparison"
        )
        for model in (ComparisonItem, Treatment):
            uid = f"comparison-reading-{model._meta.model_name}"
            post_save.connect(item_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(
            item_changed,
            sender=ComparisonItem,
            dispatch_uid="comparison-reading-comparisonitem-delete",
        )
        for model in (SessionPlan, SideEffect, Milestone, TreatedArea):
            uid = f"comparison-reading-{model._meta.model_name}"
            for signal, name in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(item_changed, sender=model, dispatch_uid=f"{uid}-{name}")


def comparison_changed(sender, instance, **kwargs):
    from editorial.prose import restate_after_commit

    from .quality import restate_reading

    restate_after_commit("comparisons", [instance.pk], restate_reading)


def item_changed(sender, instance, **kwargs):
    """A comparison's treatment changed (its item, or the treatment or one of
    its facts): restate, once the change commits, the comparisons that show
    it."""
    from editorial.prose import restate_after_commit
    from treatments.models import Treatment

    from .models import ComparisonItem
    from .quality import restate_reading, restate_reading_of_treatments

    if sender is ComparisonItem:
        restate_after_commit("comparisons", [instance.comparison_id], restate_reading)
        return
    treatment = instance.pk if sender is Treatment else instance.treatment_id
    restate_after_commit(
        "comparisons-by-treatment", [treatment], restate_reading_of_treatments
    )
