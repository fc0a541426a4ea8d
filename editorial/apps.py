from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save


class EditorialConfig(AppConfig):
    """How content is kept right: publishing and review dates, public change
    notes and their feed, former addresses of renamed pages, the editors'
    and publishers' groups, and what they do in the admin."""

    name = "editorial"
    verbose_name = "Editorial"

    # What the editors' groups may do with this app's records (groups.py):
    # public notes are published by publishers; both groups read the
    # review queue (the versions waiting for a publisher).
    editors_may = ["view_changenote", "view_pendingversion"]
    publishers_may_edit = ["changenote"]
    publishers_may = ["view_pendingversion"]

    def ready(self):
        from core.cache import content_changed
        from core.text import tidy_text_fields

        from .attention import restate_after_migrate
        from .changes import ChangeNote, publishable_models
        from .groups import ensure_groups
        from .review import needs_review, record_deleted, status_changed

        # Change notes are shown on public pages and in the feed: a new or
        # corrected note is a change of content for the page cache.
        for signal in (post_save, post_delete):
            signal.connect(
                content_changed, sender=ChangeNote, dispatch_uid="content-version-note"
            )
        pre_save.connect(
            tidy_text_fields, sender=ChangeNote, dispatch_uid="tidy-text-note"
        )
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="groups")
        # The lines pages store for "Needs attention", where not worked out
        # yet (attention.py).
        post_migrate.connect(
            restate_after_migrate, sender=self, dispatch_uid="attention-restate"
        )
        # What waited for a publisher goes with its record (review.py).
        for model in apps.get_models():
            if needs_review(model):
                post_delete.connect(
                    record_deleted,
                    sender=model,
                    dispatch_uid=f"review-deleted-{model._meta.label_lower}",
                )
        # A draft put in review waits for a publisher (review.py).
        for model in publishable_models():
            post_save.connect(
                status_changed,
                sender=model,
                dispatch_uid=f"review-status-{model._meta.label_lower}",
            )
