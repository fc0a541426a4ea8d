"""One body-area rule everywhere (treatments/areas.py, AreaTree.matching_ids):
an area takes in the areas inside it and the areas it sits inside. A
treatment whose source names a wider area (the legs) is found under the
areas inside it (the thighs) and marked "its source says: legs"; a parent
area still includes its children. Each place that asks "is this treatment
for that area?" is checked here, through the client."""

import re

import pytest

from tests.factories import make_area, make_treatment
from treatments.areas import AreaTree

pytestmark = pytest.mark.django_db


@pytest.fixture
def legs_and_thighs(db, django_capture_on_commit_callbacks):
    # The areas' stored counts are recounted when the edit commits.
    with django_capture_on_commit_callbacks(execute=True):
        legs = make_area("Legs")
        thighs = make_area("Thighs", parent=legs)
        arms = make_area("Arms")
        make_treatment("Of the thighs", areas=[thighs])
        make_treatment("Of the legs", areas=[legs])
        make_treatment("Of the arms", areas=[arms])
    return legs, thighs, arms


def listed(response):
    return [t.name for t in response.context["treatments"]]


def test_the_rule(legs_and_thighs):
    legs, thighs, arms = legs_and_thighs
    tree = AreaTree.load()
    assert tree.matching_ids([thighs.pk]) == {thighs.pk, legs.pk}
    assert tree.matching_ids([legs.pk]) == {legs.pk, thighs.pk}
    match = tree.match([legs.pk], [thighs.pk])
    assert match.only_through_wider and match.source_says == "legs"
    match = tree.match([thighs.pk], [legs.pk])
    assert match.found and not match.only_through_wider
    assert not tree.match([arms.pk], [thighs.pk]).found


def test_the_catalogue_filter_its_counts_and_its_mark(legs_and_thighs, client):
    response = client.get("/treatments/?body_area=thighs")
    assert listed(response) == ["Of the legs", "Of the thighs"]
    page = response.content.decode()
    assert "Found under thighs (its source says: legs)" in page
    assert page.count('class="card__match"') == 1
    # A parent area still includes its children, and marks nothing.
    response = client.get("/treatments/?body_area=legs")
    assert listed(response) == ["Of the legs", "Of the thighs"]
    assert 'class="card__match"' not in response.content.decode()
    page = client.get("/treatments/").content.decode()
    assert "Legs, including thighs (2 treatments)" in page
    assert "Thighs (2 treatments)" in page


def test_the_home_pages_area_links(legs_and_thighs, client):
    page = client.get("/").content.decode()
    link = r'<a href="/treatments/\?body_area={}">{}</a> <span class="count">{}</span>'
    assert re.search(link.format("thighs", "Thighs", "2 treatments"), page)
    assert re.search(link.format("legs", "Legs", "2 treatments"), page)
    assert re.search(link.format("arms", "Arms", "1 treatment"), page)


def test_compare_with(legs_and_thighs, client):
    offered = client.get("/treatments/of-the-thighs/").context["compare_with"]
    assert [t.slug for t in offered] == ["of-the-legs"]
    offered = client.get("/treatments/of-the-legs/").context["compare_with"]
    assert [t.slug for t in offered] == ["of-the-thighs"]
    assert list(client.get("/treatments/of-the-arms/").context["compare_with"]) == []


def test_the_comparisons_focus(legs_and_thighs, client):
    query = "/compare/?treatments=of-the-thighs&treatments=of-the-legs"
    query += "&treatments=of-the-arms&body_area=thighs"
    focus = client.get(query).context["table"].rows["focus"]
    answers = [a.text for a in focus.cells]
    assert answers == [
        "Yes (its source names the thighs)",
        "Yes (its source says: legs)",
        "No (its source does not name the thighs)",
    ]
