"""
Old addresses keep working: when an editor renames a page's slug, its
former address answers with a permanent redirect to the page, so
bookmarks, shared links and search engines follow it.

Publishable.save() records the address a saved page leaves
(`FormerAddress.remember`); a fixture loaded by the seed never moves a
page, so it records nothing. FormerAddressMiddleware looks an address up
only when a view found nothing at an address of its own (a 404), and
sends the reader to wherever the page is now: a page renamed twice sends
both of its former addresses straight to the third. A page the reader may
not see (a draft, for the public) keeps its 404, so its new address is
not given away. An ad-hoc comparison's link names treatments by slug in
its query string; the comparison follows their renames the same way
(ComparisonForm.renamed).

django.contrib.redirects does this for paths an editor types in; it needs
the sites framework, whose domain would then have to be kept in step with
DJANGO_SITE_URL, and it records no renames by itself.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpResponsePermanentRedirect


class FormerAddress(models.Model):
    path = models.CharField(max_length=300, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")
    moved = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "former address"
        verbose_name_plural = "former addresses"

    def __str__(self):
        return self.path

    @classmethod
    def pages_at(cls, paths):
        """{path: the page now} for each of `paths` that a page has left
        and that still exists."""
        found = cls.objects.filter(path__in=paths).prefetch_related("page")
        return {former.path: former.page for former in found if former.page}

    @classmethod
    def remember(cls, path, page):
        """`page` has left `path`; it is now at page.get_absolute_url()."""
        cls.objects.update_or_create(
            path=path,
            defaults={
                "content_type": ContentType.objects.get_for_model(page),
                "object_id": page.pk,
            },
        )


def may_see(request, page):
    """Whether to tell this reader where `page` is now: not for a page
    deleted since, nor for a draft, except to staff."""
    return page is not None and page.is_visible_to(request.user)


class FormerAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 404
            or request.method not in ("GET", "HEAD")
            # A path no view answers was never a page's: the 404 page
            # needs no database, and junk costs no query.
            or request.resolver_match is None
        ):
            return response
        page = FormerAddress.pages_at([request.path]).get(request.path)
        if not may_see(request, page):
            return response
        url = page.get_absolute_url()
        if url == request.path:
            return response
        if query := request.META.get("QUERY_STRING"):
            url = f"{url}?{query}"
        return HttpResponsePermanentRedirect(url)
