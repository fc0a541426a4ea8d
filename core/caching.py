"""
Whole-page caching that never shows stale content, and keeps the site up
when its parts fail.

- Every save, delete or many-to-many change of a content model (the apps
  that call `watch()`: treatments and comparisons), from the admin, the seed
  or anywhere else that saves models, bumps ContentVersion in the same
  transaction. A bulk `QuerySet.update()` sends no signal: call
  `ContentVersion.bump()` after one.
- PageCacheMiddleware serves each anonymous GET of a page that declares its
  query parameters (core/cachekeys.py) from the version it was rendered
  at, so the first request after a change, in any worker process, renders
  the new content. The version comes from the shared cache where there is
  one (core/versions.py): then a cached page needs no database at all.
- Responses carry an ETag and Last-Modified from the version, so a
  browser's repeat visit gets a 304 without the page being rendered.
- A request with a logged-in editor's session is neither served from nor
  stored in the cache, and its response is marked private. Any other
  session cookie (an old one, a forged one) costs one session lookup and
  gets the public page, from the cache.
- While the database is down, a page cached in the last
  PAGE_CACHE_STALE_SECONDS is served as it was, marked `X-Cache: stale`;
  another gets the 503 page (core/outages.py). A failing cache is never a
  failing page.
- Entries also carry a fingerprint of the code, templates and static files,
  so a deploy never serves pages rendered by the release before it (with
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
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from . import scopes, versions
from .cachekeys import PageKey, page_params
from .models import ContentVersion
from .outages import DATABASE_DOWN, cache_call, database_outage

# Set at login (core/apps.py): whether the session is a staff member's.
EDITOR_SESSION_KEY = "_page_cache_bypass"
# The form of the session keys Django makes: anything else is not looked up.
SESSION_KEY_FORM = re.compile(r"[a-z0-9]{32}")
# Beside the site's own apps, which render pages too (`release_folders`).
RELEASE_FOLDERS = ("config", "templates", "static")
RELEASE_SUFFIXES = {".py", ".html", ".svg", ".css", ".js", ".json"}


@cache
def release():
    """A fingerprint of what renders pages: code, templates, static files.

    The same in every process of one deploy; different after any change.
    """
    digest = hashlib.sha256()
    for folder in release_folders():
        for path in sorted(folder.rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


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


def content_changed(sender, instance=None, signal=None, **kwargs):
    """Bump the content version, and the scopes the change touches
    (core/scopes.py): a change can make cold only the pages that show it."""
    if instance is None:
        ContentVersion.bump()
    else:
        ContentVersion.bump(scopes.of_change(instance, deleted=signal is post_delete))


def watch(app_config):
    """Bump the content version on any change to this app's models."""
    for model in app_config.get_models():
        uid = f"content-version-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid + "-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                content_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}-m2m",
            )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        params = None
        if not settings.DEBUG and request.method in ("GET", "HEAD"):
            params = page_params(request.path_info)
        if params is None:
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            if is_editor(request):
                # Never from or into the shared cache.
                response = self.get_response(request)
                patch_cache_control(response, private=True, no_cache=True)
                return response
            # Not an editor's session: the page as anyone else sees it.
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        return self.cached(request, PageKey.of(request, params))

    def cached(self, request, key):
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
            etag = entity_tag(key, numbers)
            last_modified = stored["stored_at"]
            not_modified = get_conditional_response(
                request, etag=etag, last_modified=int(last_modified)
            )
            if not_modified is not None:
                return finish(not_modified, etag, last_modified)
            if (
                numbers == stored["scopes"]
                and time.time() - stored["stored_at"] < settings.PAGE_CACHE_SECONDS
            ):
                response = stored["response"]
                response["X-Cache"] = "hit"
                return finish(response, etag, last_modified)

        version = versions.current()
        if version is None:  # the database is down
            if usable_when_stale(stored):
                return stale(request, stored)
            return self.get_response(request)
        response = self.get_response(request)
        if getattr(response, "database_unavailable", False):
            return stale(request, stored) if usable_when_stale(stored) else response
        if is_cacheable(response):
            response["X-Cache"] = "miss"
            shows = scopes.page_scopes(request)
            numbers = versions.numbers({*shows, scopes.EVERYTHING})
            last_modified = time.time()
            if numbers is None:
                return response
            # Only if nothing changed while the page was rendered: the
            # numbers read now would be newer than what it shows.
            unchanged = numbers.pop(scopes.EVERYTHING) == version[0]
            if scopes.EVERYTHING in shows:
                numbers[scopes.EVERYTHING] = version[0]
            finish(response, entity_tag(key, numbers), last_modified)
            if request.method == "GET" and unchanged:
                store(cache, key, entries, response, numbers, last_modified)
        return response


def entity_tag(key, numbers):
    """The page's ETag: the release, what its scopes are at, the page."""
    at = ",".join(f"{name}={number}" for name, number in sorted(numbers.items()))
    digest = hashlib.sha256(at.encode()).hexdigest()[:16]
    return quote_etag(f"{release()}-{digest}-{key.digest}")


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


def store(cache, key, entries, response, numbers, stored_at):
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
        "stored_at": stored_at,
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
    """The copy cached before the database went down, marked as such."""
    response = stored["response"]
    response["X-Cache"] = "stale"
    not_modified = get_conditional_response(
        request, etag=response.get("ETag"), response=response
    )
    return not_modified or response


def is_cacheable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def finish(response, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Browsers keep the page but ask again each time: a 304 is cheap,
    # and a change shows at once.
    patch_cache_control(response, no_cache=True, public=True)
    return response
