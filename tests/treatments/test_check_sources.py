"""manage.py check_sources, against a local HTTP server the test starts:
never against outside addresses."""

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from tests.factories import make_source
from treatments.models import Source

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    routes = {
        "/ok": (200, None),
        "/gone": (404, None),
        "/broken": (500, None),
        "/moved": (301, "/landing"),
        "/loop": (302, "/loop"),
    }

    def do_GET(self):
        self.server.requests[self.path] += 1
        if self.path == "/slow":
            time.sleep(1.5)
        status, location = self.routes.get(self.path, (200, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.requests = Counter()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


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
