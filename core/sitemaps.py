"""What every sitemap of the site shares: absolute addresses on
DJANGO_SITE_URL when it is set, as pages' own links are
(core/cache/pages.py), else on the request's scheme and host."""

from django.conf import settings
from django.contrib import sitemaps


class Sitemap(sitemaps.Sitemap):
    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return settings.SITE_URL.split("://", 1)[0]
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return settings.SITE_URL.split("://", 1)[1]
        return super().get_domain(site)
