"""
HTTP caching: the origin's page cache, the headers that let a CDN or
Varnish keep pages, and purging them the moment an editor saves.

The path of a request (middleware.py, its one entry point): a GET of a
page that a view marked `cached_on` and that no staff session asks for
is served from the page cache while the numbers of the scopes it shows
have not moved (keys.py, versions.py), else rendered and kept; either way
it leaves as a public page, with lifetimes for shared caches and browsers,
an ETag and Last-Modified from what it shows, and its scopes as surrogate
keys. Anything else leaves `private, no-store`, or short-lived for a 404.

The path of an edit (hooks.py, models.py, purge.py): any save or delete of
content bumps, in its own transaction, the numbers of the scopes it
touches; the origin's cached pages that show them go cold at once, and
once the change commits those keys are purged from every front cache in
FRONT_CACHE_URLS, in the background, retried until they are.

docs/caching.md describes it for operators. What the rest of the site uses:

- views: `cached_on(*params)`, `depends_on(request, *scopes)`, the scopes
  SITE, LISTS, NAMES and `record(obj)`, `reader(request)` (whom a page is
  rendered for), `page_query`, `absolute_url`, `site_root`;
- models: `cache_scopes(deleted=...)` naming scopes with `record_scope`,
  LISTS and NAMES; apps call `watch(app_config)`, and a bulk update calls
  `ContentVersion.bump()`.
"""

from .hooks import content_changed, mark_editor_session, watch
from .keys import LISTS, NAMES, SITE, depends_on, record, record_scope
from .models import ContentScope, ContentVersion
from .pages import absolute_url, cached_on, page_query, reader, site_root

__all__ = [
    "LISTS",
    "NAMES",
    "SITE",
    "ContentScope",
    "ContentVersion",
    "absolute_url",
    "cached_on",
    "content_changed",
    "depends_on",
    "mark_editor_session",
    "page_query",
    "reader",
    "record",
    "record_scope",
    "site_root",
    "watch",
]
