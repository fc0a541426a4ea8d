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
        from treatments import attention as treatment_attention
        from treatments.models import (
            Milestone,
            SessionPlan,
            SideEffect,
            TreatedArea,
            Treatment,
        )

        from . import attention
        from .models import Comparison, ComparisonItem

        watch(self)
        tidy_on_save(self)
        # The lines of "About this information" each comparison fails,
        # stored for the admin (attention.py), worked out after the commit:
        # when it changes, when a treatment it has in it (or a fact of one)
        # does, and when a source's checks may have.
        handlers = [(Comparison, attention.comparison_changed)]
        handlers += [(ComparisonItem, attention.comparison_changed)]
        handlers += [
            (model, attention.treatment_changed)
            for model in (Treatment, SessionPlan, TreatedArea, SideEffect, Milestone)
        ]
        for model, handler in handlers:
            for signal, name in [(post_save, "save"), (post_delete, "delete")]:
                signal.connect(
                    handler,
                    sender=model,
                    dispatch_uid=f"attention-comparisons-{model._meta.label_lower}-{name}",
                )
        treatment_attention.sources_rechecked.connect(
            attention.sources_changed, dispatch_uid="attention-sources-comparisons"
        )
        # The reading of a comparison's page, stored on it for the admin's
        # list (editorial/prose.py), changes with its introduction, with
        # which treatments it shows, and with their texts and their facts':
        # restated once the change commits.
        post_save.connect(
            comparison_text_changed,
            sender=Comparison,
            dispatch_uid="reading-comparison",
        )
        for model in (ComparisonItem, Treatment):
            uid = f"comparison-reading-{model._meta.model_name}"
            post_save.connect(
                item_text_changed, sender=model, dispatch_uid=f"{uid}-save"
            )
        post_delete.connect(
            item_text_changed,
            sender=ComparisonItem,
            dispatch_uid="comparison-reading-comparisonitem-delete",
        )
        for model in (SessionPlan, SideEffect, Milestone, TreatedArea):
            uid = f"comparison-reading-{model._meta.model_name}"
            for signal, name in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(
                    item_text_changed, sender=model, dispatch_uid=f"{uid}-{name}"
                )


def comparison_text_changed(sender, instance, **kwargs):
    from core.aftercommit import gather

    from .quality import restate_reading

    gather(restate_reading, [instance.pk])


def item_text_changed(sender, instance, **kwargs):
    """A comparison's treatment changed (its item, or the treatment or one of
    its facts): restate, once the change commits, the comparisons that show
    it."""
    from core.aftercommit import gather
    from treatments.models import Treatment

    from .models import ComparisonItem
    from .quality import restate_reading, restate_reading_of_treatments

    if sender is ComparisonItem:
        gather(restate_reading, [instance.comparison_id])
        return
    treatment = instance.pk if sender is Treatment else instance.treatment_id
    gather(restate_reading_of_treatments, [treatment])
