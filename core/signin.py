"""
Two-factor sign-in to the admin, with django-otp's devices.

1. The password (the admin's own form, core.admin.LoginForm). Right, it
   logs nobody in: the session only remembers, for
   TWO_FACTOR_SIGNIN_SECONDS, whose password it was.
2. A code: six digits from the person's authenticator app (a TOTP device),
   or one of their recovery codes (a static device, each code good once).
   A staff member without an app is taken to set one up instead: a QR code
   drawn here (segno, as SVG; no outside service), then the app's first
   code, then ten recovery codes shown once.

Only then is the user logged in, with the device that verified them kept in
the session (django-otp's OTPMiddleware reads it back); a session without
one counts as nobody's (core.security.SecondFactorMiddleware).

A code is good once: an app's code is refused at or before the last one
used (TOTPDevice.last_t, checked with the device row locked), a recovery
code is deleted when used. A wrong code counts toward the login lockout as
a wrong password does (django-axes: the same signal, the same address).

Each sign-in that reaches step 2 without an app starts a fresh secret, so a
set-up page someone else opened with the password is worth nothing later.
Superusers reset another person's devices from the list of users
(core/admin.py); docs/security.md says how, and how developers sign in.
"""

import time
from base64 import b32encode
from binascii import unhexlify

import segno
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model, login
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# Whose password was right, when, and where they were going.
PENDING = "_signin_pending"
# New recovery codes, shown once on the next page.
NEW_CODES = "_signin_recovery_codes"

APP_NAME = "Authenticator app"
CODES_NAME = "Recovery codes"


# Step 1: the password.


class PasswordStep(LoginView):
    """Django's LoginView, remembering the user instead of logging in."""

    def form_valid(self, form):
        user = form.get_user()
        request = self.request
        # A fresh secret for every sign-in that sets up an app.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        request.session.cycle_key()
        request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "hash": user.get_session_auth_hash(),
            "since": time.time(),
            "next": self.get_redirect_url() or reverse("admin:index"),
        }
        step = "admin:signin-code" if user_has_device(user) else "admin:signin-setup"
        return redirect(step)


def password_step(site, request, extra_context=None):
    """AdminSite.login, with PasswordStep for Django's LoginView."""
    if request.method == "GET" and site.has_permission(request):
        return redirect("admin:index")
    context = {
        **site.each_context(request),
        "title": "Log in",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
    }
    if (
        REDIRECT_FIELD_NAME not in request.GET
        and REDIRECT_FIELD_NAME not in request.POST
    ):
        context[REDIRECT_FIELD_NAME] = reverse("admin:index")
    context.update(extra_context or {})
    request.current_app = site.name
    return PasswordStep.as_view(
        extra_context=context,
        authentication_form=site.login_form or AdminAuthenticationForm,
        template_name=site.login_template or "admin/login.html",
    )(request)


def pending_user(request):
    """The user whose password was given in this session, if that was
    recently and they may still sign in; else None."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("since", 0) > settings.TWO_FACTOR_SIGNIN_SECONDS:
        del request.session[PENDING]
        return None
    user = get_user_model()._default_manager.filter(pk=pending.get("user")).first()
    if (
        user is None
        or not (user.is_active and user.is_staff)
        # The password changed since: start again.
        or not constant_time_compare(
            pending.get("hash", ""), user.get_session_auth_hash()
        )
    ):
        del request.session[PENDING]
        return None
    return user


# Step 2: the code.


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="Six digits from your authenticator app, or one of your "
        "recovery codes.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self):
        # As people copy it: "123 456", "abcd-efgh", capitals.
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


WRONG_CODE = (
    "That code is not right, or was already used. Codes from an app change "
    "every 30 seconds: wait for the next one and try again."
)


def verify(user, code):
    """The user's device that accepts `code`, or None. Each device is
    locked while it checks, so a code cannot be used twice at once."""
    if code.isdigit():
        devices = TOTPDevice.objects.devices_for_user(user)
    else:
        devices = StaticDevice.objects.devices_for_user(user)
    with transaction.atomic():
        for device in devices.select_for_update():
            if device.verify_token(code):
                return device
    return None


def locked_out(request, user):
    """Whether this address is locked out (django-axes); if so, the lockout
    middleware answers with its page."""
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_allowed(request, credentials):
        return False
    request.axes_locked_out = True
    request.axes_credentials = credentials
    request.session.pop(PENDING, None)
    return True


def count_failure(request, user):
    """A wrong code counts as a wrong password does."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username()},
        request=request,
    )
    if getattr(request, "axes_locked_out", False):
        request.session.pop(PENDING, None)


def finish(request, user, device):
    """Log the user in, verified by `device`; where to go next."""
    pending = request.session.pop(PENDING)
    # django-otp keeps the device in the session on login.
    user.otp_device = device
    login(request, user, backend=pending["backend"])
    target = pending.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    return target


def step_view(view):
    return never_cache(csrf_protect(sensitive_post_parameters("code")(view)))


def code_step(site):
    @step_view
    def code_view(request):
        user = pending_user(request)
        if user is None:
            return redirect("admin:login")
        if not user_has_device(user):
            return redirect("admin:signin-setup")
        form = CodeForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if locked_out(request, user):
                return redirect("admin:login")
            if form.is_valid():
                device = verify(user, form.cleaned_data["code"])
                if device is not None:
                    return redirect(finish(request, user, device))
                form.add_error("code", WRONG_CODE)
                count_failure(request, user)
        context = {
            **site.each_context(request),
            "title": "Your sign-in code",
            "form": form,
            "signing_in": user,
        }
        return TemplateResponse(request, "admin/signin/code.html", context)

    return code_view


# Or step 2: an app set up.


def setup_device(request, user):
    """The app this sign-in is setting up: the same secret for as long as
    the sign-in lasts, a new one for the next."""
    pending = request.session[PENDING]
    device = TOTPDevice.objects.filter(
        pk=pending.get("setup"), user=user, confirmed=False
    ).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
        pending["setup"] = device.pk
        request.session.modified = True
    return device


QR_SCALE = 5  # pixels a module
QR_BORDER = 4  # modules, as the standard asks


def qr_code(device):
    """The app's set-up address as an SVG image in a data: address (the
    Content-Security-Policy allows data: images), dark on white, and its
    width and height."""
    code = segno.make(device.config_url, error="m")
    uri = code.svg_data_uri(scale=QR_SCALE, border=QR_BORDER, dark="#000", light="#fff")
    width, height = code.symbol_size(scale=QR_SCALE, border=QR_BORDER)
    return {"src": uri, "width": width, "height": height}


def grouped(key):
    """The hex secret as people type it into an app: base32, in fours."""
    text = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def new_recovery_codes(user):
    """Replace the user's recovery codes with new ones; the new codes."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=CODES_NAME)
    codes = [
        StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


def setup_step(site):
    @step_view
    def setup_view(request):
        user = pending_user(request)
        if user is None:
            return redirect("admin:login")
        if user_has_device(user):
            # A password alone never adds a device to an account that has one.
            return redirect("admin:signin-code")
        device = setup_device(request, user)
        form = CodeForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if locked_out(request, user):
                return redirect("admin:login")
            if form.is_valid():
                with transaction.atomic():
                    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
                    if locked.verify_token(form.cleaned_data["code"]):
                        locked.confirmed = True
                        locked.save(update_fields=["confirmed"])
                        codes = new_recovery_codes(user)
                if locked.confirmed:
                    target = finish(request, user, locked)
                    request.session[NEW_CODES] = {"codes": codes, "next": target}
                    return redirect("admin:signin-recovery-codes")
                form.add_error("code", WRONG_CODE)
                count_failure(request, user)
        context = {
            **site.each_context(request),
            "title": "Set up two-factor sign-in",
            "form": form,
            "qr_code": qr_code(device),
            "secret": grouped(device.key),
            "signing_in": user,
        }
        return TemplateResponse(request, "admin/signin/setup.html", context)

    return setup_view


# Once signed in.


def recovery_codes(site):
    def recovery_codes_view(request):
        new = request.session.pop(NEW_CODES, None)
        if not new:
            return redirect("admin:signin-devices")
        context = {
            **site.each_context(request),
            "title": "Your recovery codes",
            "codes": new["codes"],
            "next": new["next"],
        }
        return TemplateResponse(request, "admin/signin/recovery_codes.html", context)

    return never_cache(recovery_codes_view)


def own_devices(site):
    def own_devices_view(request):
        user = request.user
        if request.method == "POST":
            codes = new_recovery_codes(user)
            request.session[NEW_CODES] = {
                "codes": codes,
                "next": reverse("admin:signin-devices"),
            }
            return redirect("admin:signin-recovery-codes")
        context = {
            **site.each_context(request),
            "title": "Two-factor sign-in",
            "apps": TOTPDevice.objects.devices_for_user(user),
            "codes_left": StaticToken.objects.filter(device__user=user).count(),
        }
        return TemplateResponse(request, "admin/signin/devices.html", context)

    return never_cache(csrf_protect(own_devices_view))
