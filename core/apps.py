from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site that asks staff for a second factor
    (core/sites.py). Named in INSTALLED_APPS; "core" is CoreConfig."""

    default = False
    default_site = "core.sites.EditorsAdminSite"


class CoreConfig(AppConfig):
    """The site's machinery: the page cache and content versions, what to do
    when Redis or the database fail, security, the seed, /healthz."""

    default = True
    name = "core"
    verbose_name = "Site"

    def ready(self):
        user_logged_in.connect(mark_editor_session, dispatch_uid="page-cache-editor")


def mark_editor_session(sender, request, user, **kwargs):
    """Staff sessions bypass the page cache (core/caching.py); the mark
    lets the cache tell them from any other cookie in one lookup."""
    from .caching import EDITOR_SESSION_KEY

    request.session[EDITOR_SESSION_KEY] = user.is_staff
