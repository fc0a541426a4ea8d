from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from comparisons.models import Comparison
from treatments.areas import AreaTree
from treatments.models import Condition, ConditionFact, Treatment

HOME_TREATMENTS = 6


def home(request):
    """What the site is, and the ways into the catalogue."""
    conditions = Condition.objects.prefetch_related(
        Prefetch("facts", queryset=ConditionFact.objects.select_related("source"))
    )
    sources = dict.fromkeys(
        fact.source for condition in conditions for fact in condition.facts.all()
    )
    return render(
        request,
        "home.html",
        {
            "areas": AreaTree.load().ordered(),
            # A few to start from; the catalogue has them all.
            "treatments": Treatment.objects.catalogue().for_list()[:HOME_TREATMENTS],
            "treatment_count": Treatment.objects.catalogue().count(),
            "conditions": conditions,
            "sources": list(sources),
            "comparisons": Comparison.objects.published(),
        },
    )


@require_safe
@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse(
            "database unavailable\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def favicon(request):
    """Browsers and bots that ask for /favicon.ico get the real one."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


@require_safe
def robots_txt(request):
    return HttpResponse(
        "User-agent: *\nDisallow: /admin/\n", content_type="text/plain; charset=utf-8"
    )
