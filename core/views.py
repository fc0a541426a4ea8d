"""The health check that load balancers and monitors read."""

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .outages import cache_call, cache_outage, database_outage


def database_health():
    """("database", ok, detail)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        database_outage.failed(error)  # logged there, with the error
        return "database", False, f"unavailable ({type(error).__name__}: {error})"
    database_outage.succeeded()
    return "database", True, "ok"


def cache_health():
    """("cache", ok, detail): a write, since a full Redis still reads but
    stores nothing."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    cache_call(cache.set, "healthz", 1, 60, write=True)
    detail = cache_outage.describe()  # the outage is logged when it starts
    return "cache", detail == "ok", detail


# Each part of the site /healthz reports on, in order: a function returning
# (name, ok, detail). Only the database decides the status code.
PARTS = [database_health, cache_health]


@require_safe
@never_cache
def healthz(request):
    """200 while pages can be served, 503 when the database does not answer
    (within the database's timeouts); monitors read the status code. The
    body says how each part is: to the public only "ok" or "unavailable",
    never a host, a port or an error (those go to the log); a signed-in
    staff member also sees why. A cache that is down costs speed, not
    pages."""
    reports = [part() for part in PARTS]
    detailed = staff(request)
    lines = [
        f"{name}: {detail if detailed else ('ok' if ok else 'unavailable')}\n"
        for name, ok, detail in reports
    ]
    database_ok = reports[0][1]
    return HttpResponse(
        "".join(lines),
        status=200 if database_ok else 503,
        content_type="text/plain",
    )


def staff(request):
    """Whether a signed-in staff member asks. Sessions live in the
    database: while it is down nobody can be told from the public."""
    try:
        return request.user.is_staff
    except DatabaseError:
        return False
