"""Cases 1 and 6: the cache key is the page, and nothing in a request plants
another address in a page served to others."""

import json
import re

import pytest
from django.core.cache import caches

from tests.factories import make_treatment

pytestmark = pytest.mark.django_db

JUNK = "utm_source=news&utm_medium=email&fbclid=IwAR0x&gclid=Cj0K&w2={n}"
PAGES = [
    "/",
    "/treatments/",
    "/treatments/?body_area=legs&sort=daily",
    "/treatments/mesotherapy/",
    "/compare/?treatments=mesotherapy&treatments=laser-cellulite-reduction",
    "/compare/laser-vs-mesotherapy/?differences=1",
]


def with_junk(path, n):
    return path + ("&" if "?" in path else "?") + JUNK.format(n=n)


def page_keys(server):
    return [key for key in server.client.keys("*") if b":page:" in key]


@pytest.mark.parametrize("path", PAGES)
def test_junk_parameters_add_no_entries(seeded, client, private_redis, path):
    assert client.get(path)["X-Cache"] == "miss"
    keys = page_keys(private_redis)
    assert len(keys) == 1
    for n in range(5):
        response = client.get(with_junk(path, n))
        assert response.status_code == 200
        assert response["X-Cache"] == "hit"
    assert page_keys(private_redis) == keys


@pytest.mark.parametrize("path", PAGES)
def test_junk_parameters_change_nothing_on_the_page(seeded, client, path):
    clean = client.get(path).content
    caches["default"].clear()
    junk = client.get(with_junk(path, 1))
    assert junk["X-Cache"] == "miss"  # rendered afresh, with the junk
    assert junk.content == clean


def test_the_order_of_known_parameters_does_not_matter(seeded, client):
    client.get("/treatments/?sort=daily&body_area=legs&body_area=arms")
    again = client.get("/treatments/?body_area=legs&sort=daily&body_area=arms")
    assert again["X-Cache"] == "hit"


def test_the_order_of_compared_treatments_does(seeded, client):
    """Treatments are shown in the order asked for: another order is
    another page."""
    client.get(PAGES[4])
    other = client.get(
        "/compare/?treatments=laser-cellulite-reduction&treatments=mesotherapy"
    )
    assert other["X-Cache"] == "miss"


def test_the_catalogue_links_keep_only_what_it_understands(seeded, client, committed):
    with committed():
        for n in range(13):  # a second page of results
            make_treatment(f"Extra {n:02}")
    page = client.get("/treatments/?sort=name&utm_source=x&fbclid=y").content
    links = re.findall(rb'href="(\?[^"]*page=2)"', page)
    assert links == [b"?sort=name&amp;page=2"]


# Twice and two and a half times as many pages as the cache has slots: a
# page's slots are its key's hash modulo PAGE_CACHE_ENTRIES (core/cache/
# pages.py), the same at 10 slots as at 2,000, so 10 show it with a
# quarter of the pages rendered that 40 took.
def test_no_request_pattern_grows_the_cache(seeded, client, private_redis, settings):
    settings.PAGE_CACHE_ENTRIES = 10
    for n in range(20):  # a search is a page the catalogue understands
        assert client.get(f"/treatments/?q=word{n}").status_code == 200
    assert len(page_keys(private_redis)) <= 10
    # The pages asked for last are served from the cache.
    assert client.get("/treatments/?q=word19")["X-Cache"] == "hit"


def test_the_memory_cache_is_bounded_too(seeded, client, memory_cache, settings):
    settings.PAGE_CACHE_ENTRIES = 10
    for n in range(25):
        client.get(f"/treatments/?q=word{n}")
    assert len(caches["default"]._cache) <= 10


def absolute_addresses(response):
    """The page's own absolute addresses: canonical, og:url, og:image, and
    in JSON-LD the page's and each treatment's (its citations are other
    sites')."""
    html = response.content.decode()
    found = re.findall(r'<link rel="canonical" href="([^"]+)"', html)
    found += re.findall(r'<meta property="og:(?:url|image)" content="([^"]+)"', html)
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    for block in blocks:
        data = json.loads(block)
        about = data.get("about", [])
        found += [data["url"]] + [
            entity["url"] for entity in (about if isinstance(about, list) else [about])
        ]
    return found


ATTACK = {"HTTP_HOST": "127.0.0.1:6666"}


@pytest.mark.parametrize("path", ["/treatments/mesotherapy/", PAGES[4], "/"])
def test_with_a_site_url_the_host_header_reaches_no_page(
    seeded, client, settings, path
):
    settings.SITE_URL = "https://treatments.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    for _ in range(12):
        attacked = client.get(path, **ATTACK)
        assert attacked.status_code == 200
    addresses = absolute_addresses(attacked)
    assert len(addresses) >= 3  # canonical, og:url, og:image (and JSON-LD)
    assert all(a.startswith("https://treatments.example.org/") for a in addresses)
    # Everyone shares that one page.
    assert client.get(path)["X-Cache"] == "hit"


def test_without_a_site_url_the_host_is_part_of_the_key(seeded, client, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    path = "/treatments/mesotherapy/"
    for _ in range(12):
        client.get(path, **ATTACK)
    assert client.get(path, **ATTACK)["X-Cache"] == "hit"
    mine = client.get(path)
    assert mine["X-Cache"] == "miss"
    assert b"6666" not in mine.content
    assert all(a.startswith("http://testserver/") for a in absolute_addresses(mine))
