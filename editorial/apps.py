from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save


class EditorialConfig(AppConfig):
    """How content is kept right: publishing and review dates, public change
    notes and their feed, former addresses of renamed pages, the editors'
    and publishers' groups, and what they do in the admin."""

    name = "editorial"
    verbose_name = "Editorial"

    # What the editors' groups may do with this app's records (groups.py).
    editors_may_edit = ["changenote"]
    publishers_may_edit = ["changenote"]

    def ready(self):
        from core.caching import content_changed
        from core.text import tidy_text_fields

        from .changes import ChangeNote
        from .groups import ensure_groups

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
