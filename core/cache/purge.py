"""
Purging the front caches by surrogate key when content changes.

FRONT_CACHE_URLS lists them (comma-separated; none by default):

- http://host:port (or https://): a Varnish with the configuration in
  deploy/varnish, sent `PURGE /` with the keys in an `xkey-purge` header.
- fastly://SERVICE_ID: Fastly's purge by surrogate key (POST
  <FASTLY_API_URL>/service/<id>/purge with the keys in `Surrogate-Key`),
  with the API token in FASTLY_API_TOKEN.
- cloudflare://ZONE_ID: Cloudflare's purge by cache tag (POST
  <CLOUDFLARE_API_URL>/zones/<id>/purge_cache), with the API token in
  CLOUDFLARE_API_TOKEN.

Each is a FrontCache with one method, `purge(keys)`, as Wagtail's
frontend_cache backends have `purge(url)`.

The path of an edit: ContentVersion.bump moves the number of each scope it
touches past the number up to which the front caches were purged of it
(models.py), in the edit's own transaction: what is owed to the front
caches is committed with the edit, or not at all. Once it commits, the
process's Sender thread wakes up, reads everything owed (by any process),
sends those keys to every front cache, and marks them purged at the
numbers it read. The save never waits for it. A failure is logged and tried
again after FRONT_CACHE_RETRY_SECONDS (1, 2 and 4 s); then what is owed
waits for the next edit or for `manage.py purge_front_caches` (cron), and
/healthz says purges are failing. A purge that went through is sent again
FRONT_CACHE_REPEAT_SECONDS later, for a page that was on its way to a
front cache, rendered before the commit, as the first purge arrived.
"""

import atexit
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from .keys import ALL
from .models import ContentScope

logger = logging.getLogger(__name__)

# At exit (a management command that saved something), wait this long at
# most for the purge under way.
FLUSH_SECONDS = 10


class PurgeFailed(Exception):
    pass


class FrontCache:
    """A front cache, purged by key, `batch` keys a request at most."""

    batch = 100

    def __init__(self, location):
        self.location = location

    def __str__(self):
        return self.location

    def purge(self, keys):
        """Purge these keys; PurgeFailed if the front cache did not."""
        keys = list(keys)
        for start in range(0, len(keys), self.batch):
            self.purge_batch(keys[start : start + self.batch])

    def purge_batch(self, keys):
        raise NotImplementedError

    def send(self, url, *, method="POST", headers=None, body=None):
        """The response's body; PurgeFailed for anything but a 2xx."""
        request = urllib.request.Request(
            url, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(
                request, timeout=settings.FRONT_CACHE_TIMEOUT
            ) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            with error:
                raise PurgeFailed(
                    f"{self} answered {error.code} {error.reason}"
                ) from None
        except (OSError, ValueError) as error:
            raise PurgeFailed(f"{self} could not be reached: {error}") from None


class Varnish(FrontCache):
    """PURGE with the keys in `xkey-purge`, read by deploy/varnish's VCL."""

    def purge_batch(self, keys):
        self.send(
            self.location.rstrip("/") + "/",
            method="PURGE",
            headers={"xkey-purge": " ".join(keys)},
        )


class Fastly(FrontCache):
    """Fastly's batch purge by surrogate key (up to 256 keys a request)."""

    batch = 256

    def __init__(self, location):
        super().__init__(location)
        self.service = urlsplit(location).netloc
        self.token = settings.FASTLY_API_TOKEN

    def purge_batch(self, keys):
        self.send(
            f"{settings.FASTLY_API_URL}/service/{self.service}/purge",
            headers={
                "Fastly-Key": self.token,
                "Surrogate-Key": " ".join(keys),
                "Accept": "application/json",
            },
        )


class Cloudflare(FrontCache):
    """Cloudflare's purge by cache tag (30 tags a request, which every plan
    accepts)."""

    batch = 30

    def __init__(self, location):
        super().__init__(location)
        self.zone = urlsplit(location).netloc
        self.token = settings.CLOUDFLARE_API_TOKEN

    def purge_batch(self, keys):
        body = self.send(
            f"{settings.CLOUDFLARE_API_URL}/zones/{self.zone}/purge_cache",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
            },
            body=json.dumps({"tags": keys}).encode(),
        )
        try:
            answer = json.loads(body)
        except ValueError:
            raise PurgeFailed(f"{self} answered something other than JSON") from None
        if not answer.get("success"):
            errors = "; ".join(
                str(error.get("message", error)) for error in answer.get("errors", [])
            )
            raise PurgeFailed(f"{self} refused the purge: {errors or answer}")


KINDS = {"http": Varnish, "https": Varnish, "fastly": Fastly, "cloudflare": Cloudflare}
TOKENS = {Fastly: "FASTLY_API_TOKEN", Cloudflare: "CLOUDFLARE_API_TOKEN"}


def front_cache(url):
    parts = urlsplit(url)
    kind = KINDS.get(parts.scheme)
    if kind is None or not parts.netloc:
        raise ImproperlyConfigured(
            f"FRONT_CACHE_URLS: {url!r} is none of http://host:port (Varnish), "
            "fastly://SERVICE_ID, cloudflare://ZONE_ID"
        )
    token = TOKENS.get(kind)
    if token and not getattr(settings, token):
        raise ImproperlyConfigured(f"FRONT_CACHE_URLS names {url}: set {token}")
    return kind(url)


def front_caches():
    return [front_cache(url) for url in settings.FRONT_CACHE_URLS]


@checks.register(checks.Tags.caches)
def check_front_caches(app_configs=None, **kwargs):
    """`manage.py check`: every front cache is one we can purge."""
    errors = []
    for url in settings.FRONT_CACHE_URLS:
        try:
            front_cache(url)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id="core.E001"))
    return errors


def purge(caches, keys):
    """Purge `keys` from each of `caches`: the errors, logged."""
    errors = []
    for cache in caches:
        try:
            cache.purge(keys)
        except PurgeFailed as error:
            logger.warning("Purge of %d keys failed: %s", len(keys), error)
            errors.append(str(error))
    return errors


def send_owed():
    """Purge every front cache of what is owed: (the keys sent, the errors).
    Marked purged only once every front cache took them."""
    caches = front_caches()
    if not caches:
        return [], []
    numbers, _oldest = ContentScope.unpurged()
    if not numbers:
        return [], []
    keys = sorted(numbers)
    errors = purge(caches, keys)
    if not errors:
        ContentScope.mark_purged(numbers)
    return keys, errors


class Sender:
    """A thread per process that purges the front caches after a commit."""

    def __init__(self):
        self.condition = threading.Condition()
        self.wanted = False  # a commit woke it
        self.busy = False
        self.retry_at = None
        self.tries = 0
        self.repeat_at = None
        self.repeat_keys = set()
        self.failing = ""  # the last error here, until a purge goes through
        self.thread = None
        self.pid = None

    def wake(self):
        """After a commit: purge soon, in the background."""
        if not settings.FRONT_CACHE_URLS:
            return
        with self.condition:
            if self.pid != os.getpid() or not self.thread.is_alive():
                # The first commit in this process (after a fork too).
                if self.pid is None:
                    atexit.register(self.flush)
                self.pid = os.getpid()
                self.thread = threading.Thread(
                    target=self.run, name="front-cache-purges", daemon=True
                )
                self.thread.start()
            self.wanted = True
            self.condition.notify()

    def flush(self, timeout=FLUSH_SECONDS):
        """Wait for the purges owed here to be sent (or to have failed):
        True if none is left."""
        with self.condition:
            return self.condition.wait_for(self.done, timeout)

    def done(self):
        return not (self.wanted or self.busy or self.retry_at)

    def run(self):
        while True:
            with self.condition:
                self.condition.notify_all()  # to flush(), if done
                self.condition.wait_for(self.due, self.timeout())
                now = time.monotonic()
                sending = self.wanted or (self.retry_at and now >= self.retry_at)
                if self.wanted:
                    self.tries = 0
                repeating = self.repeat_at is not None and now >= self.repeat_at
                repeat = sorted(self.repeat_keys) if repeating else []
                if repeating:
                    self.repeat_at, self.repeat_keys = None, set()
                self.wanted, self.busy = False, bool(sending)
            if sending:
                self.send()
            if repeat:
                self.repeat(repeat)

    def due(self):
        now = time.monotonic()
        return self.wanted or any(
            moment is not None and now >= moment
            for moment in (self.retry_at, self.repeat_at)
        )

    def timeout(self):
        moments = [m for m in (self.retry_at, self.repeat_at) if m is not None]
        return max(0.0, min(moments) - time.monotonic()) if moments else None

    def send(self):
        try:
            keys, errors = send_owed()
        except Exception as error:  # noqa: BLE001 - e.g. the database is down: tried again
            logger.warning("Purges could not be read or marked: %r", error)
            keys, errors = [], [repr(error)]
        finally:
            # This thread's own connection, not kept between purges, and
            # closed before flush() can say the purge is done: an open
            # SQLite statement would lock the tables under the next writer.
            connection.close()
        with self.condition:
            self.busy = False
            if not errors:
                self.failing, self.retry_at, self.tries = "", None, 0
                if keys and settings.FRONT_CACHE_REPEAT_SECONDS:
                    self.repeat_keys.update(keys)
                    self.repeat_at = self.repeat_at or (
                        time.monotonic() + settings.FRONT_CACHE_REPEAT_SECONDS
                    )
                return
            self.failing = errors[-1]
            delays = settings.FRONT_CACHE_RETRY_SECONDS
            if self.tries < len(delays):
                self.retry_at = time.monotonic() + delays[self.tries]
                self.tries += 1
            else:
                self.retry_at, self.tries = None, 0
                logger.error(
                    "Purges still failing after %d tries; they wait for the next "
                    "edit or `manage.py purge_front_caches`: %s",
                    len(delays) + 1,
                    self.failing,
                )

    def repeat(self, keys):
        try:
            purge(front_caches(), keys)
        except Exception as error:  # noqa: BLE001 - a second chance, not owed
            logger.warning("Purges could not be repeated: %r", error)


sender = Sender()


def purge_all():
    """Purge every page of the site from every front cache (after a
    deploy): the errors."""
    return purge(front_caches(), [ALL])


def health():
    """("ok" or "unavailable", what staff are told): unavailable while
    keys are owed to the front caches and either the last purge here
    failed or they have waited longer than FRONT_CACHE_ALERT_SECONDS."""
    numbers, oldest = ContentScope.unpurged()
    if not numbers:
        return "ok", ""
    waited = (timezone.now() - oldest).total_seconds()
    if waited <= settings.FRONT_CACHE_ALERT_SECONDS and not sender.failing:
        return "ok", f"{len(numbers)} keys being purged"
    details = f"{len(numbers)} keys waiting for up to {waited:.0f} s"
    if sender.failing:
        details += f"; the last error here: {sender.failing}"
    return "unavailable", details
