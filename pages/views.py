"""The home page, and the files browsers and crawlers ask the site for."""

from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from comparisons.models import Comparison
from core.cachekeys import cached_on
from core.scopes import LISTS, depends_on
from treatments.areas import AreaTree
from treatments.models import CatalogueCount, Condition, ConditionFact, Treatment

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
        "pages/home.html",
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
def favicon(request):
    """Browsers and bots that ask for /favicon.ico get the real one."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


@require_safe
def robots_txt(request):
    return HttpResponse(
        "User-agent: *\nDisallow: /admin/\n", content_type="text/plain; charset=utf-8"
    )
