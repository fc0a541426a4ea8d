"""The catalogue in /sitemap.xml (assembled in config/urls.py): each
published treatment's page, the catalogue, and the catalogue filtered by
each body area that has treatments. Drafts never."""

from django.urls import reverse

from core.sitemaps import Sitemap

from .models import BodyArea, Treatment


class TreatmentSitemap(Sitemap):
    """Each published treatment (and baseline), when it last changed."""

    def items(self):
        return (
            Treatment.objects.published()
            .with_last_change()
            .only("slug", "last_reviewed")
            .order_by("slug")
        )

    def lastmod(self, treatment):
        return treatment.last_change()


class CatalogueSitemap(Sitemap):
    """The catalogue, and the catalogue filtered by each body area that has
    treatments. Each shows every catalogue treatment, in its list or in its
    filters' counts, so each changes when any of them does."""

    def items(self):
        self.changed = Treatment.objects.catalogue().last_changed()
        areas = BodyArea.objects.filter(treatment_count__gt=0).order_by("slug")
        return [None, *areas]

    def location(self, area):
        return reverse("treatments:list") if area is None else area.get_absolute_url()

    def lastmod(self, area):
        return self.changed
