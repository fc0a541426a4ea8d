"""
Whole-page caching that never shows stale content.

- Every save, delete or many-to-many change of a content model (the apps
  that call `watch()`: treatments and comparisons), from the admin, the seed
  or anywhere else that saves models, bumps ContentVersion in the same
  transaction. A bulk `QuerySet.update()` sends no signal: call
  `ContentVersion.bump()` after one.
- PageCacheMiddleware keys each anonymous GET by that version, so the first
  request after a change, in any worker process, misses the cache and
  renders the new content. Old entries are never read again and expire.
- Responses carry an ETag and Last-Modified from the version, so a
  browser's repeat visit gets a 304 without the page being rendered.
- A request with a session cookie (an editor, logged in) is neither served
  from nor stored in the cache, and its response is marked private.
- Keys also carry a fingerprint of the code, templates and static files, so
  a deploy never serves pages rendered by the release before it (with Redis,
  the cache outlives the processes). Under runserver (DEBUG) templates
  change while the process runs, so nothing is cached.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from .models import ContentVersion

EXEMPT_PREFIXES = ("/admin/", "/healthz", "/static/")
RELEASE_FOLDERS = ("config", "core", "treatments", "comparisons", "templates", "static")
RELEASE_SUFFIXES = {".py", ".html", ".svg", ".css", ".js", ".json"}


@cache
def release():
    """A fingerprint of what renders pages: code, templates, static files.

    The same in every process of one deploy; different after any change.
    """
    digest = hashlib.sha256()
    for folder in RELEASE_FOLDERS:
        for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def content_changed(sender, **kwargs):
    ContentVersion.bump()


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
        if (
            settings.DEBUG
            or request.method not in ("GET", "HEAD")
            or request.path.startswith(EXEMPT_PREFIXES)
        ):
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Possibly an editor: never from or into the shared cache.
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_cache=True)
            return response

        number, changed_at = ContentVersion.current()
        path = request.get_full_path()
        digest = hashlib.sha256(path.encode()).hexdigest()[:32]
        etag = quote_etag(f"{release()}-{number}-{digest}")
        last_modified = changed_at.timestamp()
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified)
        )
        if not_modified is not None:
            return self.finish(not_modified, etag, last_modified)

        cache = caches[settings.PAGE_CACHE_ALIAS]
        key = f"page:{release()}:{number}:{last_modified}:{digest}"
        response = cache.get(key)
        if response is not None:
            response["X-Cache"] = "hit"
            return self.finish(response, etag, last_modified)

        response = self.get_response(request)
        if self.is_cacheable(response):
            response["X-Cache"] = "miss"
            self.finish(response, etag, last_modified)
            if request.method == "GET":
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def is_cacheable(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def finish(response, etag, last_modified):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        # Browsers keep the page but ask again each time: a 304 is cheap,
        # and a change shows at once.
        patch_cache_control(response, no_cache=True, public=True)
        return response
