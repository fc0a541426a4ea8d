"""
Check that each source's address still answers.

One GET per source (no HEAD first: some servers refuse HEAD), redirects
followed, and the final status, or why there was none, and when, recorded
on the source. The admin's list of sources flags the broken ones. Run it
from cron, daily or weekly:

    python manage.py check_sources

It fetches public web addresses only (docs/security.md): http and https on
their usual ports (80 and 443), and a host whose every address is public.
Loopback, private, link-local, shared, reserved and multicast addresses are
refused, whatever way they are written (`localhost`, `0.0.0.0`, `[::1]`,
`2130706433`, a name that resolves to one), at the first address and at
every redirect. The connection goes to the address that was checked, so a
name cannot resolve to a public address for the check and a private one
for the request. A refused address is recorded as "not a public address"
and nothing more: the admin never shows what a private address answered.

Each address gets `--timeout` seconds in all, however slowly its server
answers and however many redirects it sends; any failure of one address
(a server that speaks no HTTP, say) is recorded against it and the run goes
on to the next.

CHECK_SOURCES_ALLOW (a setting, empty by default) lists "host:port"
addresses fetched although they are not public: the tests' local servers.

The results are written with QuerySet.update(): a check is not an edit, so
it neither enters the history nor changes the content version (no page
shows whether an address answers).

It also watches what each source says: from a page that answered (HTML or
plain text, at most MAX_BYTES), it keeps the fingerprint of the main text
(treatments/sourcetext.py: the article without its ads, disclosures,
newsletter and share boxes, dates and view counts). When the fingerprint
differs from the last one, the source is marked "changed since its facts
were checked": every page citing it says so beside those facts, and it is
in the review queue, until an editor confirms that the facts still hold
(the sources' admin action). That marking does change the pages, so the
content version moves with it. A source that cannot be fetched, or whose
page has no text to read, is not a change; its first fingerprint is not
either.
"""

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.parse

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.cache import ContentVersion
from treatments.attention import sources_rechecked
from treatments.models import Source
from treatments.sourcetext import fingerprint

USER_AGENT = f"{settings.SITE_NAME} source checker"
PORTS = {"http": 80, "https": 443}
MAX_REDIRECTS = 5
NOT_PUBLIC = "not a public address"
# The most of a page read for its text; a longer one is not fingerprinted.
MAX_BYTES = 2_000_000
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


class Refused(Exception):
    """An address the checker will not fetch; the message is recorded."""


class TooSlow(Exception):
    pass


def public(address):
    """Whether an IP address is on the public internet."""
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def target(url):
    """(scheme, host, port, path, address to connect to) of a URL the
    checker may fetch; Refused if it may not."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise Refused("not a web address") from error
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in PORTS or not host:
        raise Refused("not an http or https address")
    port = port or PORTS[scheme]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    allowed = f"{host}:{port}" in settings.CHECK_SOURCES_ALLOW
    if port != PORTS[scheme] and not allowed:
        raise Refused(NOT_PUBLIC)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused("no such host") from error
    addresses = [info[4][0] for info in found]
    if not addresses or not (allowed or all(public(a) for a in addresses)):
        raise Refused(NOT_PUBLIC)
    return scheme, host, port, path, addresses[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the host
    name resolves to by then."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(url, deadline):
    """(status, location, page) of one GET, within `deadline` (a monotonic
    time): a server that trickles its answer is cut off when time is up.
    `page` is (text, content type) of an answer of 200 in HTML or plain
    text, else None."""
    scheme, host, port, path, address = target(url)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TooSlow
    kind = PinnedHTTPSConnection if scheme == "https" else PinnedHTTPConnection
    connection = kind(host, port, address, timeout=remaining)
    timer = threading.Timer(remaining, cut, [connection])
    timer.start()
    try:
        connection.request(
            "GET",
            path,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"},
        )
        response = connection.getresponse()
        return response.status, response.getheader("Location"), read(response)
    except (OSError, http.client.HTTPException):
        if time.monotonic() >= deadline:
            raise TooSlow from None
        raise
    finally:
        timer.cancel()
        connection.close()


def read(response):
    """(text, content type) of a page whose text can be watched, or None."""
    content_type = response.getheader("Content-Type") or ""
    media_type = content_type.split(";")[0].strip().lower()
    if response.status != 200 or media_type not in TEXT_TYPES:
        return None
    body = response.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        return None
    charset = "utf-8"
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    try:
        return body.decode(charset, errors="replace"), media_type
    except LookupError:
        return body.decode("utf-8", errors="replace"), media_type


def cut(connection):
    """Time is up: end the connection wherever it is."""
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def check(url, timeout):
    """(status, error, page): the final HTTP status after redirects, or None
    and why there was none; and the page's (text, content type) if it can
    be watched, else None."""
    deadline = time.monotonic() + timeout
    try:
        for _ in range(MAX_REDIRECTS + 1):
            status, location, page = fetch(url, deadline)
            if status in (301, 302, 303, 307, 308) and location:
                url = urllib.parse.urljoin(url, location)
                continue
            if status >= 400:
                return status, http.client.responses.get(status, ""), None
            return status, "", page
        return None, f"too many redirects ({status})", None
    except Refused as refused:
        return None, str(refused), None
    except (TooSlow, TimeoutError):
        return None, f"no answer within {timeout:g} seconds", None
    except ssl.SSLError as error:
        return None, f"secure connection failed ({error.reason or 'TLS'})", None
    except http.client.HTTPException:
        return None, "the server did not answer in HTTP", None
    except OSError as error:
        return None, (error.strerror or str(error))[:300], None


def watch_text(source, page, now):
    """The fields to write for the text of `source` found in `page`, and
    whether it changed since the facts were checked: {} for nothing to
    write (no text to read, or the same text)."""
    if page is None:
        return {}, False
    found = fingerprint(*page)
    if not found or found == source.text_fingerprint:
        return {}, False
    fields = {"text_fingerprint": found}
    changed = bool(source.text_fingerprint)
    if changed and source.text_changed_at is None:
        fields["text_changed_at"] = now
    return fields, changed


class Command(BaseCommand):
    help = "Fetch each source's address and record whether it answers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=15,
            help="Seconds for each address in all, redirects included (default 15).",
        )

    def handle(self, *args, timeout, **options):
        broken = changed = 0
        sources = Source.objects.exclude(url="").order_by("title")
        for source in sources:
            try:
                status, error, page = check(source.url, timeout)
            # One bad source never stops the run, whatever went wrong.
            except Exception as error:  # noqa: BLE001
                status, error, page = (
                    None,
                    f"check failed ({type(error).__name__})",
                    None,
                )
            now = timezone.now()
            try:
                text, text_changed = watch_text(source, page, now)
            except Exception:  # noqa: BLE001 (a page it cannot read is no change)
                text, text_changed = {}, False
            works = status is not None and status < 400
            with transaction.atomic():
                Source.objects.filter(pk=source.pk).update(
                    link_status=status, link_error=error, link_checked_at=now, **text
                )
                if "text_changed_at" in text:
                    # Every page citing it now says so beside those facts.
                    ContentVersion.bump()
                if source.link_broken != (not works) or "text_changed_at" in text:
                    # Its pages' "About this information", as the admin
                    # indexes it (treatments/attention.py).
                    sources_rechecked.send(sender=Source, pks=[source.pk])
            broken += not works
            changed += text_changed
            self.stdout.write(
                f"{'ok' if works else 'BROKEN'} {status or '-'} {source.title} "
                f"<{source.url}>{'' if works else f': {error}'}"
                f"{'; its text has changed' if text_changed else ''}"
            )
        self.stdout.write(
            f"{len(sources)} sources checked, {broken} broken."
            + (f" {changed} changed since their facts were checked." if changed else "")
        )
