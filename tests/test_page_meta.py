"""Every page has its own title, description, canonical link and social tags;
treatment and comparison pages carry schema.org JSON-LD."""

import json
import re

import pytest

from tests.factories import make_treatment

pytestmark = pytest.mark.django_db

PAGES = {
    "/": "Side by Side: cosmetic treatments compared from their sources",
    "/treatments/": "Treatments · Side by Side",
    "/treatments/?body_area=thighs": "Treatments for thighs · Side by Side",
    "/treatments/mesotherapy/": "Mesotherapy: how it works, sessions, side effects",
    "/compare/laser-vs-mesotherapy/": "Laser cellulite reduction or mesotherapy? · ",
    "/compare/?treatments=mesotherapy&treatments=no-treatment": (
        "Mesotherapy and living with cellulite compared"
    ),
}


def head(response):
    return response.content.decode().split("</head>")[0]


def meta(html, attribute, name):
    found = re.findall(
        rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html
    )
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.mark.parametrize(("path", "title"), PAGES.items())
def test_each_page_has_its_own_title_and_tags(seeded, client, path, title):
    html = head(client.get(path))
    titles = re.findall(r"<title>(.*?)</title>", html)
    assert len(titles) == 1 and title in titles[0]
    assert meta(html, "name", "description")
    canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
    assert len(canonical) == 1 and canonical[0].startswith("http://testserver/")
    assert meta(html, "property", "og:url") == canonical[0]
    assert meta(html, "property", "og:title") in titles[0]
    assert meta(html, "property", "og:image").endswith(".png")
    assert meta(html, "name", "twitter:card") == "summary_large_image"


def test_descriptions_differ_between_pages(seeded, client):
    descriptions = {
        meta(head(client.get(path)), "name", "description") for path in PAGES
    }
    assert len(descriptions) == len(PAGES)


def test_filters_do_not_change_the_canonical_address(seeded, client):
    html = head(client.get("/treatments/?body_area=thighs&page=1"))
    assert '<link rel="canonical" href="http://testserver/treatments/">' in html


def test_an_ad_hoc_comparison_is_canonical_with_its_treatments(seeded, client):
    html = head(
        client.get(
            "/compare/?treatments=mesotherapy&treatments=laser-cellulite-reduction"
            "&differences=1&body_area=back"
        )
    )
    assert (
        '<link rel="canonical" href="http://testserver/compare/?treatments=mesotherapy'
        '&amp;treatments=laser-cellulite-reduction">'
    ) in html


@pytest.mark.parametrize("path", ["/no-such-page/", "/compare/?treatments=mesotherapy"])
def test_error_pages_are_not_indexed(seeded, client, path):
    html = head(client.get(path))
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


def test_treatment_json_ld(seeded, client):
    data = json_ld(client.get("/treatments/laser-cellulite-reduction/"))
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2026-11-21"
    about = data["about"]
    assert about["@type"] == "MedicalProcedure"
    assert about["bodyLocation"] == "Arms, Buttocks, Stomach, Thighs"
    assert about["howPerformed"].startswith(
        "You are given a local anaesthetic, a medicine that numbs the area."
    )
    assert about["procedureType"] == "https://schema.org/PercutaneousProcedure"
    assert "Back to exercise: After a couple of weeks" in about["followup"]
    # The laser article states no preparation: it is left out, not invented.
    assert "preparation" not in about
    assert data["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "Unsigned article on laser cellulite reduction",
        }
    ]


def test_a_course_of_sessions_is_a_medical_therapy(seeded, client):
    about = json_ld(client.get("/treatments/mesotherapy/"))["about"]
    assert about["@type"] == "MedicalTherapy"
    assert about["preparation"].startswith("Most clinics require an allergy test")
    assert {"@type": "MedicalEntity", "name": "Soreness"} in about["adverseOutcome"]


def test_comparison_json_ld_is_about_each_treatment(seeded, client):
    data = json_ld(client.get("/compare/laser-vs-mesotherapy/"))
    assert [entity["name"] for entity in data["about"]] == [
        "Laser cellulite reduction",
        "Mesotherapy",
    ]
    assert {c["name"] for c in data["citation"]} == {
        "Unsigned article on laser cellulite reduction",
        "How do I Use Mesotherapy for Cellulite?",
    }
    publisher = next(c for c in data["citation"] if "url" in c)["publisher"]
    assert publisher == {"@type": "Organization", "name": "WiseGeek"}


def test_json_ld_cannot_be_broken_out_of(client):
    make_treatment("Odd", summary='</script><script>alert("x")</script> & more')
    response = client.get("/treatments/odd/")
    page = response.content.decode()
    assert '</script><script>alert("x")' not in page
    assert json_ld(response)["description"].startswith("</script><script>")


def test_favicon_and_robots(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")
    robots = client.get("/robots.txt")
    assert robots.content == (
        b"User-agent: *\nDisallow: /admin/\n\nSitemap: http://testserver/sitemap.xml\n"
    )
