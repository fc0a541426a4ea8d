"""
What a cached page shows, so that an edit makes cold only the pages it
touches, not every page (issue 14).

Every change of content bumps the global content version (core/models.py)
and, beside it, the numbers of the scopes it touches (ContentScope):

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

A model says what a change to it touches with `cache_scopes(deleted=...)`;
a view says what its page shows with `depends_on(request, ...)`, and every
such page shows SITE too. The page cache (core/caching.py) keeps a page
with the numbers of its scopes and serves it while none has moved. A page
that declares nothing depends on EVERYTHING, the global content version:
any change makes it cold, as every page was before.
"""

SITE = "site"
LISTS = "lists"
NAMES = "names"
# The global content version, bumped by every change.
EVERYTHING = "*"


def record(obj):
    """The scope of one treatment or comparison."""
    return record_scope(obj._meta.label_lower, obj.pk)


def record_scope(label, pk):
    return f"{label}:{pk}"


def depends_on(request, *scopes):
    """Say that the page being rendered shows these scopes."""
    request.__dict__.setdefault("page_scopes", {SITE}).update(scopes)


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
