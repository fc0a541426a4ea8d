"""
The one entry point of HTTP caching: every request passes through
CacheMiddleware once, and leaves it with the headers that say what a
browser or a shared cache may do with the answer.

- A public page (a view marked `cached_on`, asked for without a staff
  session) is served from the origin's page cache while the numbers of
  the scopes it shows have not moved (keys.py, versions.py): the first
  request after a change, in any worker process, renders the new content.
  With Redis the numbers are read from it: a cached page needs no
  database at all. Its answer tells shared caches (Varnish, a CDN) to
  keep it for HTTP_SHARED_SECONDS and browsers to ask again after
  HTTP_BROWSER_SECONDS, with stale-while-revalidate and stale-if-error;
  it carries the keys of its scopes for the front caches, which are
  purged of them when a change commits (purge.py). It neither sets nor
  reads cookies, and does not vary on them.
- Its ETag comes from what it shows (the release, the numbers of its
  scopes, the page) and its Last-Modified from when that last changed; a
  conditional GET of a cached page gets its 304 before anything renders.
- A request with a logged-in editor's session is neither served from nor
  stored in the cache, and its answer is `private, no-store`; so is a
  draft's or a preview's, whoever asks. Any other session cookie (an old
  one, a forged one) costs one session lookup and gets the public page.
  Front caches tell staff apart by the session cookie alone: they pass
  requests that carry it (deploy/varnish).
- A public address's answer that is not a page (a 404, a redirect, a 400)
  is kept by shared caches for HTTP_SHORT_SECONDS only, with the key
  EVERYTHING that any change purges: a 404 of a slug about to be
  published does not outlive the publishing.
- While the database is down, a page cached in the last
  PAGE_CACHE_STALE_SECONDS is served as it was, marked `X-Cache: stale`
  and `no-store` (a shared cache keeps its own copy of the page, not this
  one); another gets the 503 page, `no-store` too (core/outages.py). A
  failing cache is never a failing page.
- Entries carry a fingerprint of the code, templates and static files, so
  a deploy never serves pages rendered by the release before it (with
  Redis, the cache outlives the processes). Under runserver (DEBUG)
  templates change while the process runs, so nothing is cached.
"""

import hashlib
import re
import time
from functools import cache
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils.cache import (
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
)
from django.utils.http import http_date, quote_etag

from ..outages import DATABASE_DOWN, cache_call, database_outage
from . import versions
from .keys import EVERYTHING, key_headers, page_scopes
from .pages import PUBLIC_PAGE, PageKey, page_params

# Set at login (hooks.py): whether the session is a staff member's.
EDITOR_SESSION_KEY = "_page_cache_bypass"
# The form of the session keys Django makes: anything else is not looked up.
SESSION_KEY_FORM = re.compile(r"[a-z0-9]{32}")
# Beside the site's own apps, which render pages too (`release_folders`).
RELEASE_FOLDERS = ("config", "templates", "static")
RELEASE_SUFFIXES = {".py", ".html", ".svg", ".css", ".js", ".json"}
SAFE_METHODS = {"GET", "HEAD"}
# What a public address may answer besides a page, kept briefly.
SHORT_LIVED = {301, 302, 307, 308, 400, 404, 410}


def release_folders():
    """RELEASE_FOLDERS and the site's own apps (those at the project's top
    level; not the libraries in its virtualenv)."""
    base = Path(settings.BASE_DIR)
    local_apps = sorted(
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).parent == base
    )
    return [*(base / folder for folder in RELEASE_FOLDERS), *local_apps]


def release_files():
    for folder in release_folders():
        for path in sorted(folder.rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and path.is_file():
                yield path


@cache
def release():
    """A fingerprint of what renders pages: code, templates, static files.

    The same in every process of one deploy; different after any change.
    """
    digest = hashlib.sha256()
    for path in release_files():
        digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def released_at():
    """When the newest of those files changed: no page is older."""
    return max((path.stat().st_mtime for path in release_files()), default=0.0)


class CacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG or request.method not in SAFE_METHODS:
            return self.get_response(request)
        params = page_params(request.path_info)
        if params is None:
            return not_a_page(request, self.get_response(request))
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            if is_editor(request):
                # Never from or into any cache.
                return private(self.get_response(request))
            # Not an editor's session: the page as anyone else sees it.
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        setattr(request, PUBLIC_PAGE, True)
        return self.public_page(request, PageKey.of(request, params))

    def public_page(self, request, key):
        cache = versions.page_cache()
        entries, stored = lookup(cache, key)
        if stored is not None:
            # Served while nothing it shows has changed: one read of the
            # numbers of its scopes, from the shared cache where there is one.
            numbers = versions.numbers(stored["scopes"])
            if numbers is None:  # the database is down
                if usable_when_stale(stored):
                    return stale(request, stored)
                return self.get_response(request)  # the 503 page, or it is back
            page = Validators(key, numbers)
            not_modified = page.not_modified(request)
            if not_modified is not None:
                return page.shared(not_modified)
            if (
                numbers == stored["scopes"]
                and time.time() - stored["stored_at"] < settings.PAGE_CACHE_SECONDS
            ):
                response = stored["response"]
                response["X-Cache"] = "hit"
                return page.shared(response)

        version = versions.current()
        if version is None:  # the database is down
            if usable_when_stale(stored):
                return stale(request, stored)
            return self.get_response(request)
        response = self.get_response(request)
        if getattr(response, "database_unavailable", False):
            return stale(request, stored) if usable_when_stale(stored) else response
        shows = page_scopes(request)
        if response.status_code != 200:
            return short_lived(response, shows)
        if not is_public(response):
            return private(response)
        response["X-Cache"] = "miss"
        numbers = versions.numbers({*shows, EVERYTHING})
        if numbers is None:
            return no_store(response)
        # Kept only if nothing changed while the page was rendered: the
        # numbers read now would be newer than what it shows, and a front
        # cache purged of them meanwhile would keep it.
        unchanged = numbers.pop(EVERYTHING)[0] == version[0]
        if EVERYTHING in shows:
            numbers[EVERYTHING] = (version[0], version[1].timestamp())
        page = Validators(key, numbers)
        if not unchanged:
            return no_store(page.validated(response))
        page.shared(response)
        if request.method == "GET":
            store(cache, key, entries, response, numbers)
        not_modified = page.not_modified(request)
        return response if not_modified is None else page.shared(not_modified)


class Validators:
    """A page's ETag and Last-Modified, from what it shows."""

    def __init__(self, key, numbers):
        self.scopes = numbers.keys()
        at = ",".join(
            f"{name}={number}" for name, (number, _) in sorted(numbers.items())
        )
        digest = hashlib.sha256(at.encode()).hexdigest()[:16]
        self.etag = quote_etag(f"{release()}-{digest}-{key.digest}")
        changed = [changed_at for _number, changed_at in numbers.values()]
        self.last_modified = int(max(released_at(), *changed))

    def not_modified(self, request):
        """The 304 (or 412) that a conditional request gets, or None."""
        return get_conditional_response(
            request, etag=self.etag, last_modified=self.last_modified
        )

    def validated(self, response):
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.last_modified)
        return response

    def shared(self, response):
        """The page as a public one: validators, lifetimes, keys."""
        self.validated(response)
        response["Cache-Control"] = public_lifetimes(settings.HTTP_SHARED_SECONDS)
        return with_keys(response, self.scopes)


def public_lifetimes(shared_seconds):
    directives = [
        "public",
        f"max-age={settings.HTTP_BROWSER_SECONDS}",
        f"s-maxage={shared_seconds}",
    ]
    if settings.HTTP_STALE_WHILE_REVALIDATE_SECONDS:
        seconds = settings.HTTP_STALE_WHILE_REVALIDATE_SECONDS
        directives.append(f"stale-while-revalidate={seconds}")
    if settings.HTTP_STALE_IF_ERROR_SECONDS:
        directives.append(f"stale-if-error={settings.HTTP_STALE_IF_ERROR_SECONDS}")
    return ", ".join(directives)


def with_keys(response, scopes):
    for header, value in key_headers(scopes).items():
        response[header] = value
    return response


def is_public(response):
    """Whether the answer is the same for everyone: no cookie set or read,
    nothing marked private."""
    cache_control = response.get("Cache-Control", "")
    return (
        not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def private(response):
    """For this reader alone, and for no cache to keep."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def short_lived(response, shows):
    """A public address's answer other than a page: a redirect, a 400 or a
    404 is kept briefly, with the key that any change purges; anything else
    not at all."""
    if not is_public(response):
        return private(response)
    if response.status_code not in SHORT_LIVED:
        return response if "Cache-Control" in response else no_store(response)
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={settings.HTTP_SHORT_SECONDS}"
    )
    return with_keys(response, {*shows, EVERYTHING})


def not_a_page(request, response):
    """A GET of an address that is no page (the admin, /healthz, a path no
    view answers): what sets a cookie is for no cache to keep, and a 404
    for the public is short-lived as on a page's address."""
    if response.cookies:
        return private(response)
    if (
        response.status_code == 404
        and "Cache-Control" not in response
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    ):
        return short_lived(response, ())
    return response


def lookup(cache, key):
    """({slot: entry} of the page's slots, the entry holding this page of
    this release or None). A failing cache holds nothing."""
    entries = cache_call(cache.get_many, key.slots, default={})
    stored = next(
        (
            entry
            for entry in entries.values()
            if entry.get("page") == key.page and entry.get("release") == release()
        ),
        None,
    )
    return entries, stored


def is_editor(request):
    """Whether the request's session is a logged-in editor's: at most one
    session lookup. A session that cannot be read (the database is down)
    is nobody's."""
    session_key = request.COOKIES[settings.SESSION_COOKIE_NAME]
    if not SESSION_KEY_FORM.fullmatch(session_key) or database_outage.resting:
        return False
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    try:
        logged_in = SESSION_KEY in session
        # A session from before the marker existed counts as an editor's.
        return logged_in and session.get(EDITOR_SESSION_KEY, True)
    except DATABASE_DOWN as error:
        database_outage.failed(error, rest=settings.DATABASE_RETRY_SECONDS)
        return False


def store(cache, key, entries, response, numbers):
    """Keep the page in whichever of its slots is free, already holds it,
    or holds the page stored longer ago."""

    def claim(slot):
        entry = entries.get(slot)
        if entry is None or entry.get("page") == key.page:
            return (0, 0)
        return (1, entry.get("stored_at", 0))

    slot = min(key.slots, key=claim)
    entry = {
        "page": key.page,
        "release": release(),
        "scopes": numbers,
        "stored_at": time.time(),
        "response": response,
    }
    timeout = max(settings.PAGE_CACHE_SECONDS, settings.PAGE_CACHE_STALE_SECONDS)
    cache_call(cache.set, slot, entry, timeout, write=True)


def usable_when_stale(stored):
    return (
        stored is not None
        and time.time() - stored["stored_at"] < settings.PAGE_CACHE_STALE_SECONDS
    )


def stale(request, stored):
    """The copy cached before the database went down, marked as such: for
    this reader, not for a shared cache to keep."""
    response = stored["response"]
    response["X-Cache"] = "stale"
    for header in key_headers(()):
        del response[header]
    no_store(response)
    not_modified = get_conditional_response(
        request, etag=response.get("ETag"), response=response
    )
    return not_modified or response
