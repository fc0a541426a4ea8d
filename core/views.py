"""The health check that load balancers and monitors read."""

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .outages import cache_call, cache_outage, database_outage


@require_safe
@never_cache
def healthz(request):
    """200 while pages can be served, 503 when the database does not answer
    (within the database's timeouts). The body says how the database and
    the page cache are: a cache that is down costs speed, not pages."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        database_outage.failed(error)
        database = f"unavailable ({type(error).__name__})"
    else:
        database_outage.succeeded()
        database = "ok"
    cache = caches[settings.PAGE_CACHE_ALIAS]
    # A write: a full Redis still reads, but stores nothing.
    cache_call(cache.set, "healthz", 1, 60, write=True)
    body = f"database: {database}\ncache: {cache_outage.describe()}\n"
    return HttpResponse(
        body, status=200 if database == "ok" else 503, content_type="text/plain"
    )
