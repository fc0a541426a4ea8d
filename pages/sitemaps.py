"""The home page in /sitemap.xml (config/urls.py): it shows the catalogue
and the curated comparisons, so it changes when any of them does."""

from django.urls import reverse

from comparisons.models import Comparison
from core.sitemaps import Sitemap
from treatments.models import Treatment


class HomeSitemap(Sitemap):
    def items(self):
        return ["home"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        changes = [
            Treatment.objects.catalogue().last_changed(),
            Comparison.objects.published().last_changed(),
        ]
        return max((change for change in changes if change), default=None)
