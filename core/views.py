from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from comparisons.models import Comparison
from treatments.areas import AreaTree
from treatments.models import CatalogueCount, Condition, ConditionFact, Treatment

from .cachekeys import cached_on
from .outages import cache_call, cache_outage, database_outage
from .scopes import LISTS, depends_on

HOME_TREATMENTS = 6
HOME_COMPARISONS = 6


@cached_on()
def home(request):
    """What the site is, and the ways into the catalogue."""
    conditions = Condition.objects.prefetch_related(
        Prefetch("facts", queryset=ConditionFact.objects.select_related("source"))
    )
    sources = dict.fromkeys(
        fact.source for condition in conditions for fact in condition.facts.all()
    )
    # A few, and whether there are more to list on their own page.
    comparisons = list(Comparison.objects.published()[: HOME_COMPARISONS + 1])
    depends_on(request, LISTS)
    return render(
        request,
        "home.html",
        {
            "areas": AreaTree.load().ordered(),
            # A few to start from; the catalogue has them all.
            "treatments": Treatment.objects.catalogue().for_list()[:HOME_TREATMENTS],
            # Stored, not counted (treatments/areas.py).
            "treatment_count": CatalogueCount.objects.current(),
            "conditions": conditions,
            "sources": list(sources),
            "comparisons": comparisons[:HOME_COMPARISONS],
            "more_comparisons": len(comparisons) > HOME_COMPARISONS,
        },
    )


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


@require_safe
def favicon(request):
    """Browsers and bots that ask for /favicon.ico get the real one."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


@require_safe
def robots_txt(request):
    return HttpResponse(
        "User-agent: *\nDisallow: /admin/\n", content_type="text/plain; charset=utf-8"
    )
