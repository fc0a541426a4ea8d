"""Who a request comes from (for the admin lockout), headers Django does
not set itself, and sessions that count only with a second factor."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject


def client_ip(request):
    """The client's address.

    Behind DJANGO_PROXY_COUNT trusted proxies, that is the address the
    outermost of them saw: the Nth entry from the right of X-Forwarded-For
    (each proxy appends the address it received the request from). Without
    a proxy the header is the client's own words and is ignored.
    """
    count = settings.PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.headers.get("x-forwarded-for", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


class CrossOriginResourcePolicyMiddleware:
    """Cross-Origin-Resource-Policy on every response (Django sets the
    opener policy, not this one): other sites cannot load our pages, images
    or files into theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


class AdminQueryMiddleware:
    """A NUL character in the admin's query string (a search, a filter, the
    autocomplete's term) is refused with a 400 that says so.

    The admin passes them to the database as they come, and PostgreSQL
    refuses NUL in text: it was a 500. No real search holds one. (Public
    pages take NUL in their stride; forms refuse it field by field.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(reverse("admin:index")) and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            reason = (
                "The address holds a NUL character (%00), which no search or "
                "filter can contain. Remove it and try again."
            )
            return HttpResponseBadRequest(
                render_to_string("400.html", {"reason": reason}, request)
            )
        return self.get_response(request)


class SecondFactorMiddleware:
    """A session signed in without a second factor is nobody's.

    The admin's sign-in (core/signin.py) logs a user in only once their
    code is checked, so every session it makes is verified. A session made
    any other way (before two-factor sign-in existed, or by a device reset
    since: django-otp then finds no device) counts as anonymous everywhere,
    not just in the admin: no draft previews, no staff detail, no admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user  # lazy: nothing is read unless a view asks
        request.user = SimpleLazyObject(lambda: verified_or_anonymous(user))
        return self.get_response(request)


def verified_or_anonymous(user):
    if user.is_authenticated and not user.is_verified():
        anonymous = AnonymousUser()
        anonymous.otp_device = None
        anonymous.is_verified = lambda: False
        return anonymous
    return user
