from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The site's machinery, beside the content apps: what seeds the content
    from fixtures/ and remembers what it loaded."""

    name = "core"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(mark_editor_session, dispatch_uid="page-cache-editor")


def mark_editor_session(sender, request, user, **kwargs):
    """Staff sessions bypass the page cache (core/caching.py); the mark
    lets the cache tell them from any other cookie in one lookup."""
    from .caching import EDITOR_SESSION_KEY

    request.session[EDITOR_SESSION_KEY] = user.is_staff
