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
