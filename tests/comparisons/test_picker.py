"""The comparison picker: a search and a short page of the catalogue, never
all of it, that keeps what was ticked across searches and pages."""

import re

import pytest

from tests.factories import make_treatment
from tests.support.content import made_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content_types_known")]

LASER = "laser-cellulite-reduction"
MESO = "mesotherapy"


def offered(response):
    """The slugs of the treatments the picker offers on this page."""
    assert response.status_code == 200
    return [treatment.slug for treatment in response.context["offered"]]


def boxes(response):
    """Every treatment checkbox on the page: {slug: ticked}."""
    page = response.content.decode()
    found = re.findall(r'name="treatments" value="([^"]+)"( checked)?', page)
    slugs = [slug for slug, _ in found]
    assert len(slugs) == len(set(slugs)), "a treatment offered twice"
    return {slug: bool(checked) for slug, checked in found}


@made_once(scope="class", committed=True)
def many():
    """45 treatments: three pages of the picker, made once for the class's
    tests (each made them anew: 45 saves a test)."""
    return [make_treatment(f"Wave {n:02}").slug for n in range(45)]


class TestThreePages:
    def test_offers_one_short_page_by_name_never_every_treatment(self, many, client):
        response = client.get("/compare/")
        assert offered(response) == many[:20]
        page = response.content.decode()
        assert "45 treatments, by name" in page
        assert "Page 1 of 3" in page
        assert '<button type="submit" name="page" value="2"' in page
        assert offered(client.get("/compare/?page=3")) == many[40:]
        # Out of range or not a number: the nearest page, not an error.
        assert offered(client.get("/compare/?page=9")) == many[40:]
        assert offered(client.get("/compare/?page=abc")) == many[:20]

    def test_a_search_narrows_the_list(self, many, client):
        make_treatment("Radiofrequency tightening")
        response = client.get("/compare/?q=radiofrequency&page=1")
        assert offered(response) == ["radiofrequency-tightening"]
        assert "1 treatment matches “radiofrequency”" in response.content.decode()
        response = client.get("/compare/?q=nothing-like-it&page=1")
        assert offered(response) == []
        assert "No treatment matches “nothing-like-it”" in response.content.decode()

    def test_what_was_ticked_is_kept_across_searches_and_pages(self, many, client):
        response = client.get(
            "/compare/", {"treatments": [many[30], many[1]], "page": 1}
        )
        ticked = {slug for slug, on in boxes(response).items() if on}
        assert ticked == {many[30], many[1]}
        # Not on this page: shown apart, so it can be unticked.
        assert [t.slug for t in response.context["chosen_elsewhere"]] == [many[30]]
        assert "Chosen so far" in response.content.decode()
        # On this page: ticked where it is listed, and only there.
        response = client.get(f"/compare/?treatments={many[30]}&page=2")
        assert boxes(response)[many[30]] is True
        assert response.context["chosen_elsewhere"] == []

    def test_each_search_and_page_is_cached_apart(self, many, client, settings):
        """The page cache keys the picker by its search and page too (its
        view declares them): a second search is never the first one's
        cached page."""
        settings.DEBUG = False
        first = client.get("/compare/?q=Wave+01&page=1")
        assert first["X-Cache"] == "miss"
        second = client.get("/compare/?q=Wave+02&page=1")
        assert second["X-Cache"] == "miss"
        assert "Wave 02" in second.content.decode()
        later = client.get("/compare/?page=3")
        assert "Wave 44" in later.content.decode()
        assert client.get("/compare/?q=Wave+01&page=1")["X-Cache"] == "hit"


def test_compare_without_page_compares(seeded, client):
    response = client.get(f"/compare/?q=laser&treatments={LASER}&treatments={MESO}")
    assert response.status_code == 200
    assert response.templates[0].name == "comparisons/compare.html"


def test_too_few_ticked_says_so_and_keeps_the_search(seeded, client):
    response = client.get(f"/compare/?q=laser&treatments={LASER}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose at least 2 treatments to compare; you chose 1." in page
    assert 'value="laser"' in page  # the search box
    assert boxes(response)[LASER] is True


def test_the_baselines_are_always_offered(seeded, client):
    assert boxes(client.get("/compare/"))["no-treatment"] is False
    response = client.get("/compare/?treatments=no-treatment&page=1")
    assert boxes(response)["no-treatment"] is True


def test_a_search_too_long_is_named_and_the_list_still_shown(seeded, client):
    response = client.get("/compare/?page=1&q=" + "x" * 101)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Search for at most 100 letters." in page
    assert 'aria-invalid="true"' in page
    assert offered(response) == [LASER, MESO]


def test_searches_and_pages_are_not_for_search_engines(seeded, client):
    assert 'name="robots"' not in client.get("/compare/").content.decode()
    assert 'name="robots"' in client.get("/compare/?q=laser").content.decode()


def test_the_focus_area_chosen_is_kept(seeded, client):
    page = client.get("/compare/?page=1&body_area=thighs").content.decode()
    assert '<option value="thighs" selected>' in page


def test_a_treatment_page_leads_to_the_picker_with_it_chosen(seeded, client):
    page = client.get(f"/treatments/{MESO}/").content.decode()
    assert f'href="/compare/?treatments={MESO}&amp;page=1"' in page
    assert boxes(client.get(f"/compare/?treatments={MESO}&page=1"))[MESO] is True


@made_once(scope="class", params=[2, 30])
def waves(size):
    """The catalogue the counts are taken with, made once for the class's
    tests of each size (each made it anew)."""
    for n in range(size):
        make_treatment(f"Wave {n:02}")


class TestQueries:
    @pytest.mark.parametrize(
        "query",
        ["", "?page=2", "?q=wave&page=1", "?q=wave&treatments=wave-01&page=1"],
    )
    def test_queries(self, waves, client, django_assert_num_queries, query):
        # the content version, the area tree, what was chosen with the
        # baselines, how many there are, the page, what it shows
        with django_assert_num_queries(6):
            response = client.get(f"/compare/{query}")
        assert response.status_code == 200
