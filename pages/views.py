"""The home page, and the files browsers and crawlers ask the site for."""

from csp.decorators import csp_exempt
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from comparisons.models import Comparison
from core.cache import LISTS, absolute_url, cached_on, depends_on
from treatments.areas import AreaTree
from treatments.models import CatalogueCount, Condition, ConditionFact, Treatment

HOME_TREATMENTS = 6
HOME_COMPARISONS = 6


@cached_on()
def home(request):
    """What the site is, and the ways into the catalogue."""
    # Those a published treatment treats: a condition an editor adds shows
    # once a publisher publishes a treatment of it (editorial/review.py).
    conditions = (
        Condition.objects.alias(
            treated_by=Subquery(first_published_treating(OuterRef("pk")))
        )
        .filter(treated_by__isnull=False)
        .prefetch_related(
            Prefetch("facts", queryset=ConditionFact.objects.select_related("source"))
        )
    )
    sources = dict.fromkeys(
        fact.source for condition in conditions for fact in condition.facts.all()
    )
    # A few; the ready-made page lists them all.
    comparisons = Comparison.objects.published()[:HOME_COMPARISONS]
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
            "comparisons": comparisons,
        },
    )


def first_published_treating(condition):
    """One link from a published treatment to `condition`, or none: a
    subquery that stops at the first it finds. As EXISTS, PostgreSQL made a
    join of it and read every link to a condition, whatever the catalogue
    holds (3.8 ms at 10,000 treatments for cellulite, growing with them;
    this one 0.2 ms)."""
    return (
        Treatment.conditions.through.objects.filter(
            condition=condition, treatment__in=Treatment.objects.published()
        )
        .order_by()
        .values("pk")[:1]
    )


@require_safe
def favicon(request):
    """Browsers and bots that ask for /favicon.ico get the real one."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


@cached_on()
@require_safe
def robots_txt(request):
    """Crawlers keep out of the admin, and find every public page from the
    sitemap (its absolute address, as the protocol asks)."""
    depends_on(request)
    sitemap_url = absolute_url(request, reverse("sitemap"))
    return HttpResponse(
        f"User-agent: *\nDisallow: /admin/\n\nSitemap: {sitemap_url}\n",
        content_type="text/plain; charset=utf-8",
    )


@cached_on("p")
@csp_exempt()
@require_safe
def sitemap(request, sitemaps):
    """/sitemap.xml: every published page, each with when it last changed
    (the sitemaps of each app, assembled in config/urls.py). Cached like a
    page, and cold after any change to what it lists.

    XML for crawlers, with no script or style of its own: without a
    Content-Security-Policy, so that a browser's XML viewer (which styles
    the tree inline) shows it without errors."""
    depends_on(request, LISTS)
    return django_sitemap(request, sitemaps)
