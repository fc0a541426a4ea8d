from django.conf import settings

from .cache import site_root


def site(request):
    """The site's name and tagline, and the page's canonical address: on
    DJANGO_SITE_URL when set, so no Host header reaches a cached page."""
    root = site_root(request)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "site_root": root,
        # Filters and page numbers are views of the same page.
        "canonical_url": root + request.path,
    }
