from django.conf import settings


def site(request):
    """The site's name and tagline, and the page's canonical address."""
    root = f"{request.scheme}://{request.get_host()}"
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "site_root": root,
        # Filters and page numbers are views of the same page.
        "canonical_url": root + request.path,
    }
