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
    # The fields whose text the public reads as sentences, in the order the
    # pages show them (editorial/prose.py): measured for their reading age.
    # A treatment's page shows its own and its facts'; conditions show on
    # the home page and the pages of the treatments for them, a source's
    # notes under "About this source".
    public_prose = {
        "treatment": [
            "summary",
            "how_it_works",
            "what_happens",
            "anaesthesia_details",
            "how_it_feels",
            "performed_by",
            "before_first_session",
            "effectiveness",
            "results_duration",
            "maintenance_details",
            "cautions",
            "where_to_have_it",
            "questions_to_ask",
            "reading_notes",
        ],
        "sessionplan": [
            "sessions_wording",
            "interval_wording",
            "results_wording",
            "reading_note",
        ],
        "sideeffect": ["frequency_wording", "duration", "what_is_normal"],
        "milestone": ["wording", "reading_note"],
        "treatedarea": ["note"],
        "condition": ["summary"],
        "conditionfact": ["text"],
        "source": ["notes"],
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
        # The reading of a treatment's page, stored on it for the admin's
        # list (editorial/prose.py), changes with its texts and its facts':
        # restated once the change commits.
        for model in (SessionPlan, SideEffect, Milestone, TreatedArea):
            uid = f"reading-{model._meta.model_name}"
            post_save.connect(texts_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(
                texts_changed, sender=model, dispatch_uid=f"{uid}-delete"
            )
        post_save.connect(
            texts_changed, sender=Treatment, dispatch_uid="reading-treatment-save"
        )


def areas_changed(sender, action=None, **kwargs):
    from .areas import recount_after_commit

    if action is None or action.startswith("post_"):  # m2m_changed: once done
        recount_after_commit()


def daily_activities_changed(sender, instance, **kwargs):
    from .models import Treatment

    treatment = instance.pk if sender is Treatment else instance.treatment_id
    Treatment.objects.filter(pk=treatment).restate_daily_activities()


def texts_changed(sender, instance, **kwargs):
    from core.aftercommit import gather

    from .models import Treatment
    from .quality import restate_reading

    treatment = instance.pk if sender is Treatment else instance.treatment_id
    gather(restate_reading, [treatment])
