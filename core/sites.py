"""The admin site: Django's, asking every staff member for a second factor.

Signing in is two steps (core/signin.py): the password, then a code from
an authenticator app or a recovery code; a staff member without an app is
taken to set one up. Nobody is logged in until both steps pass, and a
session without a verified device counts as nobody's
(core.security.SecondFactorMiddleware); `has_permission` checks it too.
"""

from django.contrib import admin
from django.urls import path

from . import signin


class EditorsAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        return signin.password_step(self, request, extra_context)

    def get_urls(self):
        return [
            path("login/code/", signin.code_step(self), name="signin-code"),
            path("login/setup/", signin.setup_step(self), name="signin-setup"),
            path(
                "two-factor/recovery-codes/",
                self.admin_view(signin.recovery_codes(self)),
                name="signin-recovery-codes",
            ),
            path(
                "two-factor/",
                self.admin_view(signin.own_devices(self)),
                name="signin-devices",
            ),
            *super().get_urls(),
        ]
