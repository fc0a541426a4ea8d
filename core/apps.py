from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in
from django_otp.plugins.otp_static import apps as otp_static_apps
from django_otp.plugins.otp_totp import apps as otp_totp_apps


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


# The third-party apps whose models the admin lists, named as an editor or an
# administrator would name them rather than by their labels ("OTP_TOTP").
# Each keeps its app's own config (axes connects its signals in ready()).


class AuthenticatorAppsConfig(otp_totp_apps.DefaultConfig):
    verbose_name = "Two-factor sign-in: authenticator apps"


class RecoveryCodesConfig(otp_static_apps.DefaultConfig):
    verbose_name = "Two-factor sign-in: recovery codes"


class SignInAttemptsConfig(axes_apps.AppConfig):
    verbose_name = "Sign-in attempts and lockouts"
