"""
Where the content and its scopes are (models.ContentVersion and
ContentScope), read on every request for a page.

The database rows are the source of truth. With a cache that every worker
shares (Redis), a copy of them is kept there too, so that a cached page
needs no database round trip, and survives the database being down:

- When a transaction that changed content commits, the new numbers are
  written to the shared copy: every worker sees them at once. The copies
  are also dropped as the change is made, so that whatever reads them
  before the commit (this transaction, or the test suite's transactions,
  which never commit) goes to the database.
- A worker that finds no copy reads the rows and adds them (`add`, so it
  never overwrites a newer number written by a commit meanwhile).
- The copies expire after PAGE_CACHE_VERSION_SECONDS, so the database
  is asked again at least that often: any slip (two commits at the same
  instant, Redis restored from a snapshot) lasts no longer than that.

With each process's own memory cache there is nothing to share: the
numbers are read from the database on every request.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from ..outages import DATABASE_DOWN, cache_call, database_outage
from .keys import EVERYTHING
from .models import ContentScope, ContentVersion

KEY = "content-version"
# (number, changed_at as a timestamp) of one scope.
SCOPE_KEY = "content-scope-at:{}"


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def shared_cache():
    """The page cache if every worker sees it, else None."""
    cache = page_cache()
    return None if isinstance(cache, LocMemCache) else cache


def current():
    """(number, changed_at) of the content, or None if it cannot be known
    now: the database is down and no shared copy is at hand."""
    shared = shared_cache()
    if shared is not None:
        version = cache_call(shared.get, KEY)
        if version is not None:
            return version
    if database_outage.resting:
        return None
    try:
        version = ContentVersion.current()
    except DATABASE_DOWN as error:
        database_outage.failed(error, rest=settings.DATABASE_RETRY_SECONDS)
        return None
    database_outage.succeeded()
    if shared is not None:
        cache_call(
            shared.add, KEY, version, settings.PAGE_CACHE_VERSION_SECONDS, write=True
        )
    return version


def numbers(names):
    """{scope: (number, changed_at timestamp)} for these scopes, or None if
    they cannot be known now: the database is down and no shared copy is at
    hand. With a shared cache, one read of it, and the database only for
    the scopes it lacks."""
    names = set(names)
    found = {}
    shared = shared_cache()
    if shared is not None:
        copies = cache_call(
            shared.get_many, [SCOPE_KEY.format(name) for name in names], default={}
        )
        found = {
            name: copies[SCOPE_KEY.format(name)]
            for name in names
            if SCOPE_KEY.format(name) in copies
        }
        if EVERYTHING in names - found.keys():
            version = cache_call(shared.get, KEY)
            if version is not None:
                found[EVERYTHING] = (version[0], version[1].timestamp())
    missing = names - found.keys()
    if not missing:
        return found
    if database_outage.resting:
        return None
    try:
        read = ContentScope.numbers(missing)
    except DATABASE_DOWN as error:
        database_outage.failed(error, rest=settings.DATABASE_RETRY_SECONDS)
        return None
    database_outage.succeeded()
    if shared is not None:
        for name, at in read.items():
            if name != EVERYTHING:
                cache_call(
                    shared.add,
                    SCOPE_KEY.format(name),
                    at,
                    settings.PAGE_CACHE_VERSION_SECONDS,
                    write=True,
                )
    return {**found, **read}


def changing(scopes=()):
    """Called as content changes, inside its transaction."""
    shared = shared_cache()
    if shared is not None:
        cache_call(
            shared.delete_many,
            [KEY, *(SCOPE_KEY.format(name) for name in scopes)],
            write=True,
        )


def changed(scopes=()):
    """Called once the change has committed: publish the new numbers."""
    shared = shared_cache()
    if shared is None:
        return
    try:
        version = ContentVersion.current()
        numbers = ContentScope.numbers(scopes)
    except DATABASE_DOWN:
        return  # the next reader fetches them
    timeout = settings.PAGE_CACHE_VERSION_SECONDS
    cache_call(shared.set, KEY, version, timeout, write=True)
    cache_call(
        shared.set_many,
        {SCOPE_KEY.format(name): at for name, at in numbers.items()},
        timeout,
        write=True,
    )
