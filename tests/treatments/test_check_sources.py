"""manage.py check_sources, against local servers the tests start: never
against outside addresses. The good server is allowed by
CHECK_SOURCES_ALLOW; every other loopback or private address is refused, as
by default."""

import socket
import socketserver
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from tests.factories import make_source
from treatments.models import Source

pytestmark = pytest.mark.django_db

LOOPBACK = {"127.0.0.1", "::1"}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Whatever the command does, no test connects beyond this machine: a
    connection to any other address fails the check (and so the test)
    before a packet leaves."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        if address[0] not in LOOPBACK:
            raise AssertionError(f"tried to connect to {address[0]}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


class Handler(BaseHTTPRequestHandler):
    routes = {
        "/ok": (200, None),
        "/gone": (404, None),
        "/broken": (500, None),
        "/moved": (301, "/landing"),
        "/loop": (302, "/loop"),
    }
    # Set per test: where the redirects of the SSRF tests point.
    redirects = {}

    def do_GET(self):
        self.server.requests[self.path] += 1
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path in self.redirects:
            status, location = 302, self.redirects[self.path]
        else:
            status, location = self.routes.get(self.path, (200, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def serve(handler=Handler, server_class=ThreadingHTTPServer):
    httpd = server_class(("127.0.0.1", 0), handler)
    httpd.server_port = httpd.server_address[1]
    httpd.requests = Counter()
    httpd.daemon_threads = True
    # Polled often: shutdown() waits for the next poll (0.5 s by default).
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    return httpd


def stop(httpd):
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(settings):
    """The good server, allowed although it is on loopback."""
    httpd = serve()
    settings.CHECK_SOURCES_ALLOW = [f"127.0.0.1:{httpd.server_port}"]
    yield httpd
    stop(httpd)


@pytest.fixture
def other_server():
    """A server on loopback that nothing allows."""
    httpd = serve()
    yield httpd
    stop(httpd)


def run(capsys):
    call_command("check_sources", "--timeout", "0.5")
    return capsys.readouterr().out


def test_each_address_is_checked_once_and_recorded(server, capsys):
    base = f"http://127.0.0.1:{server.server_port}"
    paths = ["/ok", "/gone", "/broken", "/moved", "/loop", "/slow"]
    sources = {path: make_source(url=base + path) for path in paths}
    unchecked = make_source(url="")
    out = run(capsys)

    found = {path: Source.objects.get(pk=s.pk) for path, s in sources.items()}
    assert {path: s.link_status for path, s in found.items()} == {
        "/ok": 200,
        "/gone": 404,
        "/broken": 500,
        "/moved": 200,  # the redirect was followed
        "/loop": None,
        "/slow": None,
    }
    assert {path for path, s in found.items() if s.link_broken} == {
        "/gone",
        "/broken",
        "/loop",
        "/slow",
    }
    assert "redirects" in found["/loop"].link_error
    assert "no answer within 0.5 seconds" in found["/slow"].link_error
    assert all(s.link_checked_at is not None for s in found.values())
    # One request a source (a redirect is the same request, followed).
    for path in ("/ok", "/gone", "/broken", "/moved", "/landing", "/slow"):
        assert server.requests[path] == 1, path
    assert Source.objects.get(pk=unchecked.pk).link_checked_at is None
    assert "6 sources checked, 4 broken." in out


def test_a_check_is_not_an_edit(server, capsys):
    from reversion.models import Version

    from core.models import ContentVersion

    source = make_source(url=f"http://127.0.0.1:{server.server_port}/gone")
    number = ContentVersion.current()[0]
    run(capsys)
    assert ContentVersion.current()[0] == number
    assert not Version.objects.get_for_object(source).exists()


def test_the_admin_flags_broken_sources(server, capsys, editor_client):
    base = f"http://127.0.0.1:{server.server_port}"
    good = make_source(title="Good", url=base + "/ok")
    bad = make_source(title="Bad", url=base + "/gone")
    never = make_source(title="Never checked", url="")
    run(capsys)
    response = editor_client.get("/admin/treatments/source/", {"link": "broken"})
    assert [s.title for s in response.context["cl"].result_list] == ["Bad"]
    page = editor_client.get("/admin/treatments/source/").content.decode()
    assert 'alt="False"' in page and 'alt="True"' in page
    change = editor_client.get(f"/admin/treatments/source/{bad.pk}/change/")
    assert "Broken on" in change.content.decode()
    assert "answered 404" in change.content.decode()
    assert good.pk and never.pk


def test_a_new_address_forgets_the_old_check(server, capsys, publisher_client):
    from tests.support.admin import change_form_data

    source = make_source(
        title="Moved", url=f"http://127.0.0.1:{server.server_port}/gone"
    )
    run(capsys)
    url = f"/admin/treatments/source/{source.pk}/change/"
    data = change_form_data(publisher_client, url)
    data["url"] = f"http://127.0.0.1:{server.server_port}/ok"
    assert publisher_client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.link_checked_at is None and source.link_status is None


def test_an_editors_new_address_forgets_the_old_check_once_published(
    server, capsys, editor_client, publisher
):
    from editorial import review
    from editorial.pending import PendingVersion
    from tests.support.admin import change_form_data

    source = make_source(
        title="Moved", url=f"http://127.0.0.1:{server.server_port}/gone"
    )
    run(capsys)
    url = f"/admin/treatments/source/{source.pk}/change/"
    data = change_form_data(editor_client, url)
    data["url"] = f"http://127.0.0.1:{server.server_port}/ok"
    assert editor_client.post(url, data).status_code == 302
    source.refresh_from_db()
    # Waiting for a publisher: the check is still of the address in use.
    assert source.url.endswith("/gone") and source.link_status == 404
    review.publish(source, user=publisher, pending=PendingVersion.objects.get())
    source.refresh_from_db()
    assert source.url.endswith("/ok")
    assert source.link_checked_at is None and source.link_status is None


def test_by_default_nothing_on_this_machine_is_fetched(other_server, capsys):
    port = other_server.server_port
    urls = [
        f"http://127.0.0.1:{port}/ok",
        f"http://localhost:{port}/ok",
        f"http://[::1]:{port}/ok",
        f"http://2130706433:{port}/ok",  # 127.0.0.1 as one number
        f"http://0x7f.1:{port}/ok",
        "http://127.0.0.1/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://172.16.5.4/",
        "http://100.64.0.1/",  # shared address space
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://224.0.0.1/",
        "http://240.0.0.1/",  # reserved
    ]
    sources = [make_source(url=url) for url in urls]
    out = run(capsys)
    for source in sources:
        source.refresh_from_db()
        assert (source.link_status, source.link_error) == (
            None,
            "not a public address",
        ), source.url
    assert sum(other_server.requests.values()) == 0
    assert f"{len(urls)} sources checked, {len(urls)} broken." in out


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/file",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "http://example.org:6379/",
        "https://example.org:22/",
    ],
)
def test_only_http_and_https_on_their_usual_ports(url, capsys):
    source = make_source(url=url)
    run(capsys)
    source.refresh_from_db()
    assert source.link_status is None
    assert source.link_error in {"not a public address", "not an http or https address"}


def test_every_redirect_is_checked_too(server, other_server, capsys):
    other = other_server.server_port
    Handler.redirects = {
        "/to-redis": "http://127.0.0.1:6379/",
        "/to-other": f"http://127.0.0.1:{other}/ok",
        "/to-localhost": f"http://localhost:{other}/ok",
        "/to-decimal": f"http://2130706433:{other}/ok",
        "/to-ipv6": f"http://[::1]:{other}/ok",
        "/to-private": "http://10.0.0.1/",
        "/to-metadata": "http://169.254.169.254/",
        "/to-file": "file:///etc/passwd",
    }
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        sources = [make_source(url=base + path) for path in Handler.redirects]
        run(capsys)
    finally:
        Handler.redirects = {}
    for source in sources:
        source.refresh_from_db()
        assert source.link_status is None, source.url
        assert source.link_error in {
            "not a public address",
            "not an http or https address",
        }, source.url
    assert sum(other_server.requests.values()) == 0


class Banner(socketserver.BaseRequestHandler):
    """A server that is not a web server."""

    def handle(self):
        self.request.sendall(b"SSH-2.0-OpenSSH_9.6 secret-banner\r\n")


class Trickle(socketserver.BaseRequestHandler):
    """A web server that sends its answer a byte every tenth of a second."""

    def handle(self):
        self.server.sent = 0
        try:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 200:
                self.request.sendall(bytes([byte]))
                self.server.sent += 1
                time.sleep(0.1)
        except OSError:
            self.server.cut_off = True


@pytest.fixture
def odd_servers(settings):
    servers = {
        name: serve(handler, socketserver.ThreadingTCPServer)
        for name, handler in [("banner", Banner), ("trickle", Trickle)]
    }
    for httpd in servers.values():
        httpd.cut_off = False
    settings.CHECK_SOURCES_ALLOW = [
        f"127.0.0.1:{httpd.server_port}" for httpd in servers.values()
    ]
    yield servers
    for httpd in servers.values():
        stop(httpd)


def test_one_bad_source_never_stops_the_run(odd_servers, server, settings, capsys):
    settings.CHECK_SOURCES_ALLOW = [
        f"127.0.0.1:{httpd.server_port}" for httpd in (server, *odd_servers.values())
    ]
    banner = make_source(
        title="A banner", url=f"http://127.0.0.1:{odd_servers['banner'].server_port}/"
    )
    after = make_source(
        title="B after it", url=f"http://127.0.0.1:{server.server_port}/ok"
    )
    out = run(capsys)
    banner.refresh_from_db()
    after.refresh_from_db()
    assert (banner.link_status, banner.link_error) == (
        None,
        "the server did not answer in HTTP",
    )
    assert "secret-banner" not in out
    assert after.link_status == 200
    assert "2 sources checked, 1 broken." in out


def test_a_trickling_server_gets_the_deadline_not_more(odd_servers, capsys):
    trickle = odd_servers["trickle"]
    source = make_source(url=f"http://127.0.0.1:{trickle.server_port}/")
    run(capsys)  # 0.5 s in all for the address
    source.refresh_from_db()
    assert (source.link_status, source.link_error) == (
        None,
        "no answer within 0.5 seconds",
    )
    # Cut off after a few bytes, not the 200 and more a byte at a time.
    deadline = time.monotonic() + 5
    while not trickle.cut_off and time.monotonic() < deadline:
        time.sleep(0.05)
    assert trickle.cut_off
    assert trickle.sent < 30


def test_a_name_is_connected_to_at_the_address_checked(monkeypatch, capsys):
    """A name that resolves to a public address for the check and to a
    private one afterwards (DNS rebinding) is still fetched from the public
    address: the connection goes where the check looked."""
    from treatments.management.commands import check_sources

    answers = iter(
        [
            [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 80))],
            [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80))],
        ]
    )
    monkeypatch.setattr(
        check_sources.socket, "getaddrinfo", lambda *args, **kwargs: next(answers)
    )
    connected = []

    def refuse(address, timeout):
        connected.append(address)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(check_sources.socket, "create_connection", refuse)
    source = make_source(url="http://rebinding.example/")
    run(capsys)
    assert connected == [("93.184.215.14", 80)]
    source.refresh_from_db()
    assert source.link_error == "Connection refused"
