from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class TreatmentsConfig(AppConfig):
    name = "treatments"
    verbose_name = "Treatment catalogue"

    # What the editors' groups may do with these records (editorial/groups.py).
    editors_may_edit = [
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
    publishers_may = [
        "publish_treatment",
        "publish_source",
        "publish_bodyarea",
        "publish_effect",
        "publish_condition",
    ]
    # Each fixture record's natural key, as the fixture writes it
    # (core/seeding.py).
    natural_key_fields = {
        "source": ["slug"],
        "bodyarea": ["slug"],
        "effect": ["slug"],
        "condition": ["slug"],
        "conditionfact": ["condition", "order"],
        "treatment": ["slug"],
        "treatedarea": ["treatment", "body_area"],
        "sessionplan": ["treatment"],
        "sideeffect": ["treatment", "effect"],
        "milestone": ["treatment", "order"],
    }

    def ready(self):
        from core.cache import watch
        from core.text import tidy_on_save

        from . import attention
        from .models import (
            BodyArea,
            Milestone,
            SessionPlan,
            SideEffect,
            Source,
            TreatedArea,
            Treatment,
        )

        watch(self)
        tidy_on_save(self)
        # Each area's stored count of catalogue treatments (treatments/
        # areas.py) changes when a treatment is published, unpublished or
        # deleted, when an area is linked to a treatment or unlinked, and
        # when areas are added, moved or deleted.
        for model in (Treatment, TreatedArea, BodyArea):
            uid = f"area-counts-{model._meta.model_name}"
            post_save.connect(areas_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(
                areas_changed, sender=model, dispatch_uid=f"{uid}-delete"
            )
        m2m_changed.connect(
            areas_changed, sender=TreatedArea, dispatch_uid="area-counts-m2m"
        )
        # When a person is back to daily activities, stored on the treatment
        # for the catalogue's sort, changes with its milestones; a save of
        # the treatment itself (a restored version, an import) may carry an
        # older figure.
        for model, signal, name in [
            (Treatment, post_save, "save"),
            (Milestone, post_save, "save"),
            (Milestone, post_delete, "delete"),
        ]:
            uid = f"daily-activities-{model._meta.model_name}-{name}"
            signal.connect(daily_activities_changed, sender=model, dispatch_uid=uid)
        # The lines of "About this information" each treatment fails, stored
        # for the admin (attention.py), worked out after the commit: when it
        # or one of its facts changes, and when a source's checks may have.
        for model in (Treatment, SessionPlan, TreatedArea, SideEffect, Milestone):
            for signal, name in [(post_save, "save"), (post_delete, "delete")]:
                signal.connect(
                    attention.treatment_changed,
                    sender=model,
                    dispatch_uid=f"attention-{model._meta.model_name}-{name}",
                )
        post_save.connect(
            attention.source_saved, sender=Source, dispatch_uid="attention-source"
        )
        attention.sources_rechecked.connect(
            attention.sources_changed, dispatch_uid="attention-sources-treatments"
        )


def areas_changed(sender, action=None, **kwargs):
    from .areas import recount_after_commit

    if action is None or action.startswith("post_"):  # m2m_changed: once done
        recount_after_commit()


def daily_activities_changed(sender, instance, **kwargs):
    from .models import Treatment

    treatment = instance.pk if sender is Treatment else instance.treatment_id
    Treatment.objects.filter(pk=treatment).restate_daily_activities()
