"""
Scopes: what a page shows and what a change touches, named once. Each scope
is also a surrogate key: the page carries the keys of its scopes to the
front caches (Surrogate-Key, xkey, Cache-Tag), and a change purges the keys
of the scopes it touched, from the origin's page cache and from the edge.

Every change of content bumps the global content version (EVERYTHING) and,
beside it, the numbers of the scopes it touches (models.ContentScope):

- SITE: what any page may show: body areas, sources, side-effect kinds,
  conditions. A model that does not say what it touches touches SITE.
- LISTS: what the lists show (catalogue, home, picker, feed): any change
  to a treatment or a comparison, a recount of the body areas.
- NAMES: which treatments there are, and what they are called and where
  they are used (name, slug, status, baseline, body areas): what pages
  that offer other treatments show (a treatment's "compare with", a
  comparison's baselines to add). A change to NAMES is also one to LISTS.
- One scope per treatment or comparison, "<app.model>:<pk>": the record,
  its facts and its public change notes.
- EVERYTHING: touched by every change. A page that declares nothing shows
  it (so does every error page that may become a page, a 404 of a slug
  about to be published): any change makes it cold.
- ALL: carried by every page and touched by no change: purging it empties
  the front caches of the site's pages (`manage.py purge_front_caches
  --all`, after a deploy).

A model says what a change to it touches with `cache_scopes(deleted=...)`;
a view says what its page shows with `depends_on(request, ...)`, and every
such page shows SITE too.
"""

import re

SITE = "site"
LISTS = "lists"
NAMES = "names"
EVERYTHING = "content"
ALL = "all"

# What every front cache accepts in a key: no spaces or commas (the
# separators of Surrogate-Key and Cache-Tag), no "*".
KEY_FORM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")


def record(obj):
    """The scope of one treatment or comparison."""
    return record_scope(obj._meta.label_lower, obj.pk)


def record_scope(label, pk):
    return checked(f"{label}:{pk}")


def checked(scope):
    if not KEY_FORM.fullmatch(scope):
        raise ValueError(f"{scope!r} cannot be a surrogate key")
    return scope


def depends_on(request, *scopes):
    """Say that the page being rendered shows these scopes."""
    request.__dict__.setdefault("page_scopes", {SITE}).update(map(checked, scopes))


def page_scopes(request):
    """What the page rendered for `request` declared it shows."""
    return request.__dict__.get("page_scopes") or {EVERYTHING}


def of_change(instance, *, deleted=False):
    """The scopes a change to `instance` touches."""
    cache_scopes = getattr(instance, "cache_scopes", None)
    if cache_scopes is None:
        return {SITE}
    scopes = set(cache_scopes(deleted=deleted))
    if NAMES in scopes:
        scopes.add(LISTS)
    return scopes


def key_headers(scopes):
    """The response headers that give front caches a page's keys: its
    scopes and ALL. Varnish's xkey and Fastly read space-separated keys,
    Cloudflare comma-separated ones."""
    keys = sorted({*scopes, ALL})
    return {
        "Surrogate-Key": " ".join(keys),
        "xkey": " ".join(keys),
        "Cache-Tag": ",".join(keys),
    }
