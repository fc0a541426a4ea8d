"""
What a page is, and what it is cached by: the page, not the request.

- A view is a page, cached for the public, only if it says which query
  parameters it understands (`cached_on`); the key is the path and those
  parameters, in a canonical order (by name; the values of a name in the
  order given, as the order of compared treatments is the order shown).
  Anything else in the query string (utm_source, fbclid, gclid, junk) is
  left out of the key, so it creates no entry; the pages make sure it
  changes nothing on the page either. The Varnish configuration in
  deploy/varnish drops the same tracking parameters from its own key.
- Absolute addresses in pages come from DJANGO_SITE_URL (`absolute_url`).
  Without it they come from the request's scheme and Host header, and then
  those are part of the key: a request with another Host gets a page of
  its own, never one served to others.
- The key space is bounded whatever the requests: a key hashes to two of
  PAGE_CACHE_ENTRIES slots, and an entry says which page it holds. A new
  page takes whichever of its two slots is free or holds the older page,
  so junk evicts at worst; it never grows the cache, and two pages in
  demand rarely share both slots.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.http import urlencode

# Set on a request by the middleware when it renders a page for the public.
PUBLIC_PAGE = "public_page"


def cached_on(*params):
    """Mark a view (function or class) as a page to cache for anonymous
    visitors, keyed by these query parameters and no others.

    A parameter a view starts to understand is added here, in the view,
    and nowhere else."""

    def mark(view):
        view.page_cache_params = tuple(params)
        return view

    return mark


def reader(request):
    """Whom the page is rendered for, for views that show drafts to staff:
    anyone, on a public page, found without reading the session (a page
    that read it would vary on the session cookie, and no shared cache
    could keep it); else the logged-in user."""
    if getattr(request, PUBLIC_PAGE, False):
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return request.user


def page_params(path):
    """The query parameters the view at `path` is cached on, or None if
    it is not cached."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    view = getattr(match.func, "view_class", match.func)
    return getattr(view, "page_cache_params", None)


def page_query(request, params):
    """The query string of `request` that the page understands: `params`
    in alphabetical order, each value in the order given."""
    return urlencode(
        [
            (name, value)
            for name in sorted(params)
            for value in request.GET.getlist(name)
        ]
    )


def absolute_url(request, path):
    """`path` as an absolute address: on DJANGO_SITE_URL when set, which no
    request can change; else on the request's own scheme and host."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def site_root(request):
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


@dataclass(frozen=True)
class PageKey:
    """One page's identity in the cache, and the two slots it may use."""

    page: str
    slots: tuple

    @classmethod
    def of(cls, request, params):
        query = page_query(request, params)
        page = request.path + (f"?{query}" if query else "")
        if not settings.SITE_URL:
            # Absolute addresses in the page follow the request's host.
            page = site_root(request) + page
        digest = hashlib.sha256(page.encode()).digest()
        entries = settings.PAGE_CACHE_ENTRIES
        slots = tuple(
            f"page:{int.from_bytes(digest[start : start + 8], 'big') % entries}"
            for start in (0, 8)
        )
        return cls(page, tuple(dict.fromkeys(slots)))

    @property
    def digest(self):
        return hashlib.sha256(self.page.encode()).hexdigest()[:32]
