"""
The admin's shared machinery, for any model admin of the site.

- Text boxes that grow to fit their text (static/css/admin.css, with
  field-sizing, and static/js/admin.js for browsers without it) and compare
  tidy text (core/text.py), so an unchanged form records "No fields
  changed."
- Select lists built once per page, not once per inline form.
- The lockout's tables (django-axes) and the two-factor devices
  (django-otp) are for superusers only, and the login form checks the
  length of the name. Superusers reset a person's two-factor sign-in from
  the list of users (core/signin.py has the sign-in itself).

What editors do with content (history, publishing, import and export,
change notes) is the editorial app's (editorial/admin.py).
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.widgets import AdminTextareaWidget
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .text import tidy


class TidyTextField(forms.CharField):
    """Text as the site stores it (core/text.py): the browser's "\\r\\n"
    line endings compare equal to the stored "\\n"."""

    def to_python(self, value):
        return tidy(super().to_python(value))


class GrowingTextarea(AdminTextareaWidget):
    """Two lines when empty, as tall as its text when not: see
    static/css/admin.css (field-sizing) and static/js/admin.js (for browsers
    without it)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"rows": 2, "class": "vLargeTextField grows", **(attrs or {})}
        )


class EditorFormsMixin:
    """For model admins and inlines alike."""

    # Foreign keys shown as plain select lists: their choices are read once
    # per page and shared by every form on it, so a page with many facts
    # costs no more queries than one with few.
    shared_choice_fields = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", TidyTextField)
            kwargs.setdefault("widget", GrowingTextarea)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name in self.shared_choice_fields:
            field.choices = shared_choices(request, field, db_field)
        return field


def shared_choices(request, field, db_field):
    """The field's choices, read once per request."""
    cache = request.__dict__.setdefault("_shared_admin_choices", {})
    key = (db_field.related_model._meta.label, field.empty_label)
    if key not in cache:
        # Iterated, not list(choices): that would COUNT them first.
        cache[key] = [*iter(field.choices)]
    return cache[key]


class EditorInlineMixin(EditorFormsMixin):
    """Inlines: what they show of each record is loaded with it."""

    list_select_related = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


# The lockout's tables (django-axes) and the two-factor devices
# (django-otp), registered before this module is imported: addresses, login
# attempts and other people's devices are not editors' business.


class SuperusersOnly:
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)


for model in (AccessAttempt, AccessFailureLog, AccessLog, TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        registered = type(admin.site.get_model_admin(model))
        admin.site.unregister(model)
        admin.site.register(
            model, type(registered.__name__, (SuperusersOnly, registered), {})
        )


class LoginForm(AdminAuthenticationForm):
    """The admin's login form, with the length of the name checked.

    Django's form sets the username's max_length after building the field,
    so it only reaches the HTML: a 300-character name went on to the
    lockout's record of failed logins (255 characters) and was a 500 on
    PostgreSQL. Now it is a message on the form, and no login attempt."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


# Users: who has set up two-factor sign-in, and a superuser's reset.

User = get_user_model()


class TwoFactorUserAdmin(UserAdmin):
    list_display = [*UserAdmin.list_display, "two_factor"]
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        apps = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_app=Exists(apps))

    @admin.display(description="two-factor app", boolean=True, ordering="has_app")
    def two_factor(self, user):
        return user.has_app

    def has_reset_two_factor_permission(self, request):
        return request.user.is_superuser

    @admin.action(
        description="Reset two-factor sign-in of the selected users (they set "
        "up an app at their next sign-in)",
        permissions=["reset_two_factor"],
    )
    def reset_two_factor(self, request, queryset):
        """Delete their apps and recovery codes. Their sessions stop
        counting at once (core.security.SecondFactorMiddleware); at their
        next sign-in, their password takes them to set up an app."""
        users = list(queryset)
        names = ", ".join(user.get_username() for user in users)
        for device_model in (TOTPDevice, StaticDevice):
            device_model.objects.filter(user__in=users).delete()
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in reset for %(count)d user: %(names)s.",
                "Two-factor sign-in reset for %(count)d users: %(names)s.",
                len(users),
            )
            % {
                "count": len(users),
                "names": names,
            },
            messages.SUCCESS,
        )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, TwoFactorUserAdmin)
