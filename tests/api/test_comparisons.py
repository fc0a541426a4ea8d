"""Comparisons in the API: the curated ones, and any 2 to 4 treatments,
with the key differences the comparison page gives (comparisons/
differences.py builds both); published content only."""

import datetime

import pytest

from comparisons.models import Comparison
from tests.factories import add_facts, make_treatment

pytestmark = pytest.mark.django_db

LASER, MESO, BASELINE = "laser-cellulite-reduction", "mesotherapy", "no-treatment"


def curated(slug, treatments, status="published"):
    comparison = Comparison.objects.create(
        title=slug.title(),
        slug=slug,
        introduction="Which of them?",
        status=status,
        last_reviewed=datetime.date(2026, 11, 21),
    )
    for position, treatment in enumerate(treatments, start=1):
        comparison.items.create(treatment=treatment, position=position)
    return comparison


def texts(differences):
    return [(d["name"], d["text"]) for d in differences]


@pytest.mark.parametrize(
    "slugs", [[LASER, MESO], [MESO, LASER, BASELINE], [BASELINE, MESO]]
)
def test_an_ad_hoc_comparison_has_the_page_s_key_differences(
    api, client, seeded, slugs
):
    query = "&".join(f"treatments={slug}" for slug in slugs)
    data = api.get(f"/api/v1/compare/?{query}").json()
    page = client.get(f"/compare/?{query}").context
    assert [t["identifier"] for t in data["treatments"]] == slugs
    assert texts(data["keyDifferences"]) == [
        (d.label, d.text) for d in page["key_differences"].items
    ]
    unsaid = page["key_differences"].unsaid
    assert data["leftOut"] == (
        {"stated": True, "text": unsaid} if unsaid else {"stated": False}
    )
    assert data["keyDifferences"][0]["url"].startswith(
        f"http://testserver/compare/?{query}#row-"
    )
    assert data["name"] == page["title"]
    assert data["identifier"] is None
    assert data["evidence"]["statement"] == page["evidence"].statement
    note = data["baselineNote"]
    assert note == (
        {"stated": True, "text": page["key_differences"].baseline}
        if BASELINE in slugs
        else {"stated": False}
    )


def test_a_curated_comparison(api, client, seeded):
    data = api.get("/api/v1/comparisons/laser-vs-mesotherapy/").json()
    page = client.get("/compare/laser-vs-mesotherapy/").context
    assert data["identifier"] == "laser-vs-mesotherapy"
    assert data["description"] == page["comparison"].introduction
    assert texts(data["keyDifferences"]) == [
        (d.label, d.text) for d in page["key_differences"].items
    ]
    assert data["lastReviewed"] == page["comparison"].last_reviewed.isoformat()
    listed = api.get("/api/v1/comparisons/").json()["results"]
    assert [c["identifier"] for c in listed] == ["laser-vs-mesotherapy"]
    assert [t["identifier"] for t in listed[0]["treatments"]] == [LASER, MESO]


@pytest.mark.parametrize(
    ("slugs", "status"),
    [
        (["a"], 400),
        (["a", "a"], 400),
        (["a", "b", "c", "d", "e"], 400),
        ([], 400),
        (["a", "nowhere"], 404),
        (["a", "draft"], 404),
        (["a", "b\x00"], 404),
    ],
)
def test_a_comparison_it_cannot_make_is_a_problem_naming_treatments(api, slugs, status):
    for slug in "abcde":
        make_treatment(slug.upper(), slug=slug)
    make_treatment("Draft", status="draft")
    query = "&".join(f"treatments={slug}" for slug in slugs)
    response = api.get(f"/api/v1/compare/?{query}")
    assert response.status_code == status
    assert {p["name"] for p in response.json()["invalid-params"]} == {"treatments"}


def test_drafts_are_in_no_comparison(api):
    shown = [add_facts(make_treatment(f"Shown {n}")) for n in range(2)]
    hidden = make_treatment("Hidden", status="draft")
    curated("both-shown", shown)
    curated("with-a-draft", [shown[0], hidden])
    curated("a-draft", shown, status="draft")
    listed = api.get("/api/v1/comparisons/").json()["results"]
    assert [c["identifier"] for c in listed] == ["both-shown"]
    for slug in ("with-a-draft", "a-draft"):
        assert api.get(f"/api/v1/comparisons/{slug}/").status_code == 404
    data = api.get("/api/v1/comparisons/both-shown/").json()
    assert [t["identifier"] for t in data["treatments"]] == ["shown-0", "shown-1"]
    assert 3 <= len(data["keyDifferences"]) <= 5
