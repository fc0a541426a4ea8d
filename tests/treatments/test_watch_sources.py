"""Sources watched: `manage.py check_sources` keeps a fingerprint of each
source's main text, and a rewritten article flags the facts that cite it,
on the public pages and in the review queue, until an editor confirms
them. Against a local server the test starts (allowed by
CHECK_SOURCES_ALLOW), never an outside address."""

import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from tests.factories import make_source
from treatments.models import Source
from treatments.sourcetext import fingerprint, main_text

pytestmark = pytest.mark.django_db

MESO_SOURCE = "wisegeek-mesotherapy-for-cellulite"
NOTICE = "been updated since the last review of these facts"


def article(
    *,
    second="Cellulite is fat held in compartments, which diet and exercise "
    "do not usually remove.",
    updated="Updated: May 17, 2024",
    views="Views: 4,336",
    advert="Save 20% on laser treatments this week!",
    disclosure="We are independent and ad-supported.",
):
    """A page as the publisher serves it: the article, and around it (and
    inside it) the furniture the source README lists."""
    return f"""<!doctype html>
<html lang="en"><head><title>How do I Use Mesotherapy for Cellulite?</title>
<style>.ad {{ color: red; }}</style><script>var tracking = "{views}";</script></head>
<body>
<header><nav><a href="/">WiseGeek</a> <a href="/beauty">Beauty</a></nav></header>
<div class="advertiser-disclosure"><p>{disclosure}</p><p>Advertiser Disclosure</p></div>
<aside class="our-promise"><h2>Our Promise to you</h2><p>Founded in 2002.</p></aside>
<main>
<article>
<h1>How do I Use Mesotherapy for Cellulite?</h1>
<p class="byline">By T. Flanagan</p>
<p>{updated}</p>
<p>{views}</p>
<div class="share-links"><a href="#">Share</a></div>
<p>Mesotherapy is a cosmetic procedure: small amounts of vitamins and drugs
are injected into the skin.</p>
<div class="ad-slot">{advert}</div>
<p>{second}</p>
<p>Following treatment, many patients have bruising and soreness.</p>
<div class="newsletter"><form><label>Email <input name="email"></label>
<button>Subscribe</button></form><p>WiseGeek, in your inbox</p></div>
</article>
</main>
<footer><p>Copyright WiseGeek. {updated}</p></footer>
</body></html>"""


# The main text, without a server.


def test_the_main_text_is_the_article_without_its_furniture():
    text = main_text(article())
    assert text.splitlines() == [
        "How do I Use Mesotherapy for Cellulite?",
        "By T. Flanagan",
        "Mesotherapy is a cosmetic procedure: small amounts of vitamins and drugs "
        "are injected into the skin.",
        "Cellulite is fat held in compartments, which diet and exercise do not "
        "usually remove.",
        "Following treatment, many patients have bruising and soreness.",
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"updated": "Updated: June 2, 2025"},
        {"updated": "Last updated on 2 June 2025"},
        {"views": "Views: 9,871"},
        {"advert": "Mesotherapy from £99: book now"},
        {"disclosure": "We earn commissions from our partners."},
    ],
    ids=["date", "date-words", "views", "advert", "disclosure"],
)
def test_furniture_and_dates_do_not_change_the_fingerprint(change):
    assert fingerprint(article(**change)) == fingerprint(article())


def test_a_rewritten_paragraph_changes_the_fingerprint():
    rewritten = article(second="Cellulite can be removed with diet alone.")
    assert fingerprint(rewritten) != fingerprint(article())
    # Whitespace and line breaks are not a change.
    assert fingerprint(article().replace("\n<p>", "\n\n   <p>")) == fingerprint(
        article()
    )


def test_a_plain_text_source_and_a_page_with_no_text():
    text = "An article.\nUpdated: May 17, 2024\nIt says this.\n"
    assert main_text(text, "text/plain") == "An article.\nIt says this."
    assert fingerprint("<html><body><script>app()</script></body></html>") == ""


# The check, against a local server.


class Publisher(ThreadingHTTPServer):
    """Serves `pages` ({path: (status, content type, body)}), which a test
    changes between checks."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.pages = {}

    def url(self, path):
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status, content_type, body = self.server.pages.get(
            self.path, (404, "text/plain", "Not found")
        )
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """No test connects beyond this machine."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        if address[0] not in {"127.0.0.1", "::1"}:
            raise AssertionError(f"tried to connect to {address[0]}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


@pytest.fixture
def publisher(settings):
    server = Publisher()
    # Polled often: shutdown() waits for the next poll (0.5 s by default).
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    settings.CHECK_SOURCES_ALLOW = [f"127.0.0.1:{server.server_address[1]}"]
    yield server
    server.shutdown()
    server.server_close()


def serve(publisher, body, status=200, path="/article"):
    publisher.pages[path] = (status, "text/html; charset=utf-8", body)


def check(capsys):
    call_command("check_sources", "--timeout", "2")
    return capsys.readouterr().out


def test_the_first_fingerprint_is_not_a_change(publisher, capsys):
    source = make_source(url=publisher.url("/article"))
    serve(publisher, article())
    out = check(capsys)
    source.refresh_from_db()
    assert source.text_fingerprint == fingerprint(article())
    assert source.text_changed_at is None
    assert "changed" not in out


def test_ads_or_a_new_date_alone_do_not_flag(publisher, capsys):
    source = make_source(url=publisher.url("/article"))
    serve(publisher, article())
    check(capsys)
    serve(
        publisher,
        article(updated="Updated: June 2, 2025", views="Views: 9,999", advert="New!"),
    )
    out = check(capsys)
    source.refresh_from_db()
    assert source.text_changed_at is None
    assert "1 sources checked, 0 broken." in out and "changed" not in out


def test_a_source_that_cannot_be_fetched_is_not_a_change(publisher, capsys):
    source = make_source(url=publisher.url("/article"))
    serve(publisher, article())
    check(capsys)
    kept = Source.objects.get(pk=source.pk).text_fingerprint
    for status, body in [(500, "Server error"), (200, "<html><body></body></html>")]:
        serve(publisher, body, status=status)
        check(capsys)
        source.refresh_from_db()
        assert source.text_fingerprint == kept
        assert source.text_changed_at is None
    del publisher.pages["/article"]  # gone: 404
    check(capsys)
    source.refresh_from_db()
    assert source.link_broken and source.text_changed_at is None
    # Back as it was: still no change.
    serve(publisher, article())
    check(capsys)
    source.refresh_from_db()
    assert source.text_changed_at is None and source.text_fingerprint == kept


def test_a_new_address_is_read_afresh(publisher, capsys):
    source = make_source(url=publisher.url("/article"))
    serve(publisher, article())
    check(capsys)
    source.url = publisher.url("/moved")
    source.save()
    assert Source.objects.get(pk=source.pk).text_fingerprint == ""
    serve(publisher, article(second="Another article's words."), path="/moved")
    check(capsys)
    source.refresh_from_db()
    assert source.text_changed_at is None and source.text_fingerprint


def notices(response):
    return response.content.decode().count(NOTICE)


def attention(editor_client):
    """The words of "Needs attention"'s published pages that fail a line."""
    page = editor_client.get("/admin/").content.decode()
    found = re.search(
        r"<h3>Published pages that fail a line of “About this information”</h3>"
        r"(.*?)</ul>",
        page,
        re.S,
    )
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def test_a_rewritten_article_flags_its_facts_until_an_editor_confirms(
    seeded, publisher, capsys, client, editor_client, committed
):
    source = Source.objects.get(slug=MESO_SOURCE)
    # Only the test's server is fetched: the other seeded source has no
    # address.
    Source.objects.filter(pk=source.pk).update(url=publisher.url("/article"))
    assert list(Source.objects.exclude(url="").values_list("slug", flat=True)) == [
        MESO_SOURCE
    ]
    meso, laser = "/treatments/mesotherapy/", "/treatments/laser-cellulite-reduction/"
    compare = "/compare/laser-vs-mesotherapy/"
    serve(publisher, article())
    check(capsys)
    for path in (meso, laser, compare):
        assert notices(client.get(path)) == 0, path  # and now cached

    assert "how strong the evidence is" not in attention(editor_client)
    serve(publisher, article(second="Cellulite can now be removed with diet alone."))
    with committed():  # what the check leaves for its commit, too
        out = check(capsys)
    assert "its text has changed" in out
    assert "1 changed since their facts were checked." in out
    source.refresh_from_db()
    assert source.text_changed_at is not None

    # Beside every group of facts citing it: on mesotherapy's page, each
    # section's citation (what it is, the session, sessions, side effects,
    # recovery, before you book) and its entry in the sources.
    page = client.get(meso)
    assert notices(page) == 6
    assert "Updated since the last review" in page.content.decode()
    # The laser page cites only the laser article.
    assert notices(client.get(laser)) == 0
    # The comparison: in the details of mesotherapy's answers.
    assert notices(client.get(compare)) > 0

    queue = editor_client.get("/admin/").content.decode()
    section = re.search(
        r"<h3>Sources changed since their facts were checked</h3>(.*?)</ul>",
        queue,
        re.S,
    )
    assert section and "How do I Use Mesotherapy for Cellulite?" in section.group(1)
    form = editor_client.get(f"/admin/treatments/source/{source.pk}/change/")
    assert "Mesotherapy (14 facts)" in form.content.decode()
    listed = editor_client.get("/admin/treatments/source/", {"text": "changed"})
    assert [s.slug for s in listed.context["cl"].result_list] == [MESO_SOURCE]

    # Mesotherapy and the comparison showing it fail a line of "About this
    # information" now (treatments/attention.py); the laser page does not.
    failing = attention(editor_client)
    evidence = "not met: how strong the evidence is"
    assert f"Mesotherapy : {evidence}" in failing
    assert f"Laser cellulite reduction or mesotherapy? : {evidence}" in failing
    assert f"Laser cellulite reduction : {evidence}" not in failing

    # The editor checked the facts against the new text.
    with committed():
        response = editor_client.post(
            "/admin/treatments/source/",
            {"action": "confirm_facts", "_selected_action": [source.pk]},
            follow=True,
        )
    assert "are checked against the new text" in response.content.decode()
    source.refresh_from_db()
    assert source.text_changed_at is None and source.facts_checked_at is not None
    assert "how strong the evidence is" not in attention(editor_client)
    assert notices(client.get(meso)) == 0
    assert notices(client.get(compare)) == 0
    assert (
        "Sources changed since their facts were checked"
        not in editor_client.get("/admin/").content.decode()
    )
    # The confirmation is not an edit: nothing waits for a publisher.
    from editorial.pending import PendingVersion

    assert not PendingVersion.objects.exists()
    # The same text at the next check: nothing to flag.
    check(capsys)
    source.refresh_from_db()
    assert source.text_changed_at is None


def test_confirming_a_source_that_did_not_change_says_so(editor_client):
    source = make_source(title="Steady")
    response = editor_client.post(
        "/admin/treatments/source/",
        {"action": "confirm_facts", "_selected_action": [source.pk]},
        follow=True,
    )
    assert "nothing to confirm" in response.content.decode()
    source.refresh_from_db()
    assert source.facts_checked_at is None
