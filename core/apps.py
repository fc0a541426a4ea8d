from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site that asks staff for a second factor
    (core/sites.py). Named in INSTALLED_APPS; "core" is CoreConfig."""

    default = False
    default_site = "core.sites.EditorsAdminSite"


class CoreConfig(AppConfig):
    """The site's machinery: HTTP caching and content versions, what to do
    when Redis or the database fail, security, the seed, /healthz."""

    default = True
    name = "core"
    verbose_name = "Site"

    def ready(self):
        # purge registers its system check (FRONT_CACHE_URLS) on import.
        from .cache import mark_editor_session, purge  # noqa: F401

        user_logged_in.connect(mark_editor_session, dispatch_uid="page-cache-editor")
