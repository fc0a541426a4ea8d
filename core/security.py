"""Who a request comes from, for the admin lockout."""

from django.conf import settings


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
