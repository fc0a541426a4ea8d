"""/sitemap.xml lists every published page a search engine should find,
each with when it last changed, at absolute addresses; robots.txt names it.
Drafts never. Cached like a page, and cold after an edit."""

import datetime
import re

import pytest
import reversion
from django.utils import timezone

from comparisons.models import Comparison
from tests.factories import make_area, make_treatment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content_types_known")]

# The content version; the home page's latest change of the catalogue and of
# the comparisons; the catalogue's; the areas with treatments; how many
# treatments (the sitemap's pages), and each with its latest revision; the
# comparisons with theirs, and their treatments'; what it shows.
SITEMAP_QUERIES = 10


def entries(response):
    """{address: lastmod} of the sitemap."""
    body = response.content.decode()
    return dict(
        re.findall(r"<url><loc>([^<]+)</loc>(?:<lastmod>([^<]+)</lastmod>)?", body)
    )


def curated(slug, treatments, status="published"):
    comparison = Comparison.objects.create(
        title=slug,
        slug=slug,
        introduction="Which?",
        status=status,
        last_reviewed=datetime.date(2026, 11, 21),
    )
    for position, treatment in enumerate(treatments, start=1):
        comparison.items.create(treatment=treatment, position=position)
    return comparison


def test_every_published_page_and_no_draft(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the areas' counts
        thighs = make_area("Thighs")
        make_area("Arms")  # no treatment: no page to list
        shown = [make_treatment(f"Shown {n}", areas=[thighs]) for n in range(2)]
        draft = make_treatment("Draft", status="draft", areas=[make_area("Back")])
    curated("both", shown)
    curated("hidden", shown, status="draft")
    curated("with-draft", [shown[0], draft])
    found = entries(client.get("/sitemap.xml"))
    assert sorted(found) == [
        "http://testserver/",
        "http://testserver/compare/both/",
        "http://testserver/compare/ready-made/",
        "http://testserver/treatments/",
        "http://testserver/treatments/?body_area=thighs",
        "http://testserver/treatments/shown-0/",
        "http://testserver/treatments/shown-1/",
    ]
    assert all(found.values())  # each with a lastmod


def test_addresses_are_on_the_site_s_address(client, settings):
    settings.SITE_URL = "https://treatments.example.org"
    make_treatment("Shown")
    found = entries(client.get("/sitemap.xml", HTTP_HOST="testserver"))
    assert "https://treatments.example.org/treatments/shown/" in found
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://treatments.example.org/sitemap.xml\n" in robots
    assert "Disallow: /admin/" in robots


def test_robots_txt_names_the_sitemap_on_the_request_s_host(client):
    robots = client.get("/robots.txt").content.decode()
    assert robots.endswith("Sitemap: http://testserver/sitemap.xml\n")


def test_lastmod_is_the_latest_revision_or_the_last_review(client):
    reviewed = make_treatment("Reviewed", last_reviewed=datetime.date(2026, 3, 1))
    edited = make_treatment("Edited", last_reviewed=datetime.date(2026, 3, 1))
    with reversion.create_revision():
        edited.summary = "Changed."
        edited.save()
    today = timezone.now().date().isoformat()
    found = entries(client.get("/sitemap.xml"))
    assert found["http://testserver/treatments/reviewed/"] == "2026-03-01"
    assert found["http://testserver/treatments/edited/"] == today
    assert found["http://testserver/treatments/"] == today
    assert reviewed.slug == "reviewed"


def test_cached_and_fresh_after_an_edit(client):
    make_treatment("First")
    assert client.get("/sitemap.xml")["X-Cache"] == "miss"
    assert client.get("/sitemap.xml")["X-Cache"] == "hit"
    make_treatment("Second")
    response = client.get("/sitemap.xml")
    assert "http://testserver/treatments/second/" in entries(response)


@pytest.mark.parametrize("size", [2, 60])
def test_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    area = make_area("Thighs")
    treatments = [make_treatment(f"T{n:02}", areas=[area]) for n in range(size)]
    for n in range(0, size, 2):
        curated(f"c{n:02}", treatments[n : n + 2])
    with django_assert_num_queries(SITEMAP_QUERIES):
        response = client.get("/sitemap.xml")
    # home, catalogue, treatments, comparisons and their list (the areas'
    # counts are kept on commit, which a test never reaches: no area pages)
    assert len(entries(response)) == 2 + size + size // 2 + 1


def test_the_sitemap_is_xml_for_crawlers(client):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    # No policy for a browser's XML viewer to trip over; pages keep theirs.
    assert "Content-Security-Policy" not in response
    assert "Content-Security-Policy" in client.get("/robots.txt")
