from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

from .groups import ensure_groups


class CoreConfig(AppConfig):
    """The site's machinery, beside the content apps: what seeds the content
    from fixtures/ and remembers what it loaded."""

    name = "core"
    verbose_name = "Site"

    def ready(self):
        from .cache import content_changed, mark_editor_session, purge  # noqa: F401
        from .changes import ChangeNote
        from .text import tidy_text_fields

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
        user_logged_in.connect(mark_editor_session, dispatch_uid="page-cache-editor")
        # purge registers its system check (FRONT_CACHE_URLS) on import.
