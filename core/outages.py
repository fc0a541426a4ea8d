"""
When Redis or the database fails, readers keep reading.

- The cache: any error from it (down, full, slow past its socket timeout)
  is a miss or a write skipped, never a failed page. After a connection
  error or a timeout the cache is left alone for CACHE_RETRY_SECONDS, so
  a dead Redis costs one timeout now and then, not one per request.
- The database: a view that cannot reach it gets the friendly 503 page
  with Retry-After (DatabaseOutageMiddleware), and the page cache serves
  what it holds, marked stale (core/cache/middleware.py). After a failure, the
  content version is not asked of the database again for
  DATABASE_RETRY_SECONDS (cached pages are served stale meanwhile).
- Each is logged once when it goes down (again every LOG_EVERY_SECONDS
  while it stays down) and once when it is back: not on every request.
- /healthz reports both (`state()`).
"""

import logging
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from redis import ConnectionError as RedisConnectionError
from redis import RedisError
from redis import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60
# Errors that mean "the database cannot be reached or did not answer", as
# opposed to a query it refused (an IntegrityError is a bug, not an outage).
DATABASE_DOWN = (OperationalError, InterfaceError)
CACHE_ERRORS = (RedisError, OSError)
CACHE_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class Outage:
    """Whether one part the site depends on is failing, in this process."""

    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        """Forget what happened (between tests)."""
        self.down_since = None
        self.writes_only = False
        self.resting_until = 0.0
        self.logged_at = 0.0
        self.error = ""

    def failed(self, error, *, rest=0.0, writes_only=False):
        """Record a failure; with `rest`, skip this part for that long.
        `writes_only`: it still reads (a full Redis), so only a write that
        works again ends the outage."""
        now = time.monotonic()
        with self.lock:
            first = self.down_since is None
            if first:
                self.down_since = now
            self.writes_only = writes_only and (first or self.writes_only)
            self.error = f"{type(error).__name__}: {error}".strip()
            self.resting_until = max(self.resting_until, now + rest)
            log = first or now - self.logged_at >= LOG_EVERY_SECONDS
            if log:
                self.logged_at = now
        if log:
            logger.warning(
                "%s unavailable (%s); pages are served %s",
                self.name,
                self.error,
                "without it" if self.name == "cache" else "from the cache, or 503",
            )

    def succeeded(self, write=True):
        if self.down_since is None:  # the usual case: no lock needed
            return
        with self.lock:
            if self.down_since is None or (self.writes_only and not write):
                return
            seconds = time.monotonic() - self.down_since
            self.down_since = None
            self.resting_until = 0.0
        logger.warning("%s is back after %.0f s", self.name, seconds)

    @property
    def resting(self):
        return time.monotonic() < self.resting_until

    def describe(self):
        if self.down_since is None:
            return "ok"
        state = "refusing writes" if self.writes_only else "unavailable"
        return f"{state} ({self.error})"


cache_outage = Outage("cache")
database_outage = Outage("database")


def cache_call(method, *args, default=None, write=False, **kwargs):
    """`method(*args)` of a cache, or `default` if the cache fails."""
    if cache_outage.resting:
        return default
    try:
        result = method(*args, **kwargs)
    except CACHE_ERRORS as error:
        unreachable = isinstance(error, CACHE_UNREACHABLE)
        cache_outage.failed(
            error,
            rest=settings.CACHE_RETRY_SECONDS if unreachable else 0.0,
            writes_only=write and not unreachable,
        )
        return default
    cache_outage.succeeded(write)
    return result


def unavailable_response(request=None):
    """The friendly 503 page: rendered without the database or a request,
    so it works whatever is down."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"  # no proxy keeps the outage
    response.database_unavailable = True
    return response


class DatabaseOutageMiddleware:
    """A view that cannot reach the database answers 503, not 500.

    Placed just below the page cache, which serves a stale copy instead
    where it has one (it looks for `database_unavailable`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG or not isinstance(exception, DATABASE_DOWN):
            return None  # Django's 500 page (or, in debug, the traceback)
        database_outage.failed(exception)
        return unavailable_response(request)
