"""The curated comparisons in /sitemap.xml (config/urls.py): each published
one, and their list. A comparison changes when it or one of its treatments
does."""

from django.db.models import Prefetch
from django.urls import reverse

from core.sitemaps import Sitemap
from treatments.models import Treatment

from .models import Comparison


class ComparisonSitemap(Sitemap):
    def items(self):
        comparisons = list(
            Comparison.objects.published()
            .with_last_change()
            .only("slug", "last_reviewed")
            .prefetch_related(
                Prefetch(
                    "treatments",
                    queryset=Treatment.objects.published()
                    .with_last_change()
                    .only("last_reviewed"),
                )
            )
            .order_by("slug")
        )
        self.list_changed = max(
            (self.lastmod(comparison) for comparison in comparisons), default=None
        )
        # The list of them, when there is one to list.
        return [*comparisons, None] if comparisons else []

    def location(self, comparison):
        if comparison is None:
            return reverse("comparisons:ready-made")
        return comparison.get_absolute_url()

    def lastmod(self, comparison):
        if comparison is None:
            return self.list_changed
        return max(
            [comparison.last_change()]
            + [treatment.last_change() for treatment in comparison.treatments.all()]
        )
