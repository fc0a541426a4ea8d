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
shows it).
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
from django.utils import timezone

from treatments.models import Source

USER_AGENT = f"{settings.SITE_NAME} source checker"
PORTS = {"http": 80, "https": 443}
MAX_REDIRECTS = 5
NOT_PUBLIC = "not a public address"


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
    """(status, location) of one GET, within `deadline` (a monotonic time):
    a server that trickles its answer is cut off when time is up."""
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
        return response.status, response.getheader("Location")
    except (OSError, http.client.HTTPException):
        if time.monotonic() >= deadline:
            raise TooSlow from None
        raise
    finally:
        timer.cancel()
        connection.close()


def cut(connection):
    """Time is up: end the connection wherever it is."""
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def check(url, timeout):
    """(status, error): the final HTTP status after redirects, or None and
    why there was none."""
    deadline = time.monotonic() + timeout
    try:
        for _ in range(MAX_REDIRECTS + 1):
            status, location = fetch(url, deadline)
            if status in (301, 302, 303, 307, 308) and location:
                url = urllib.parse.urljoin(url, location)
                continue
            return status, "" if status < 400 else http.client.responses.get(status, "")
        return None, f"too many redirects ({status})"
    except Refused as refused:
        return None, str(refused)
    except (TooSlow, TimeoutError):
        return None, f"no answer within {timeout:g} seconds"
    except ssl.SSLError as error:
        return None, f"secure connection failed ({error.reason or 'TLS'})"
    except http.client.HTTPException:
        return None, "the server did not answer in HTTP"
    except OSError as error:
        return None, (error.strerror or str(error))[:300]


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
        broken = 0
        sources = Source.objects.exclude(url="").order_by("title")
        for source in sources:
            try:
                status, error = check(source.url, timeout)
            # One bad source never stops the run, whatever went wrong.
            except Exception as error:  # noqa: BLE001
                status, error = None, f"check failed ({type(error).__name__})"
            Source.objects.filter(pk=source.pk).update(
                link_status=status, link_error=error, link_checked_at=timezone.now()
            )
            works = status is not None and status < 400
            broken += not works
            self.stdout.write(
                f"{'ok' if works else 'BROKEN'} {status or '-'} {source.title} "
                f"<{source.url}>{'' if works else f': {error}'}"
            )
        self.stdout.write(f"{len(sources)} sources checked, {broken} broken.")
