"""A page renamed by an editor keeps its old address (editorial/addresses.py)."""

import datetime

import pytest
from django.test import Client

from comparisons.models import Comparison
from editorial.models import FormerAddress
from tests.factories import make_treatment

pytestmark = pytest.mark.django_db


def rename(page, slug):
    page.slug = slug
    page.save()
    return page


def test_the_old_address_sends_readers_to_the_new_one(client):
    treatment = make_treatment("Mesotherapy")
    rename(treatment, "mesotherapy-injections")

    response = client.get("/treatments/mesotherapy/?utm_source=leaflet")

    assert response.status_code == 301
    assert (
        response["Location"] == "/treatments/mesotherapy-injections/?utm_source=leaflet"
    )
    assert client.get(response["Location"]).status_code == 200


def test_a_page_renamed_twice_sends_both_old_addresses_to_the_newest(client):
    treatment = make_treatment("Mesotherapy")
    rename(treatment, "meso")
    rename(treatment, "mesotherapy-injections")

    for old in ("/treatments/mesotherapy/", "/treatments/meso/"):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == "/treatments/mesotherapy-injections/"


def test_an_old_address_taken_by_another_page_shows_that_page(client):
    treatment = make_treatment("Mesotherapy")
    rename(treatment, "mesotherapy-injections")
    make_treatment("Mesotherapy, again", slug="mesotherapy")

    response = client.get("/treatments/mesotherapy/")

    assert response.status_code == 200
    assert response.context["treatment"].name == "Mesotherapy, again"


def test_a_draft_keeps_its_new_address_from_the_public(editor_client):
    treatment = make_treatment("Mesotherapy", status="draft")
    rename(treatment, "mesotherapy-injections")

    assert Client().get("/treatments/mesotherapy/").status_code == 404
    response = editor_client.get("/treatments/mesotherapy/")
    assert response.status_code == 301
    assert response["Location"] == "/treatments/mesotherapy-injections/"


def test_a_deleted_page_is_gone_from_its_old_address_too(client):
    treatment = make_treatment("Mesotherapy")
    rename(treatment, "mesotherapy-injections")
    treatment.delete()

    assert client.get("/treatments/mesotherapy/").status_code == 404


def test_an_address_never_used_is_still_a_404(client):
    make_treatment("Mesotherapy")
    assert client.get("/treatments/nothing-here/").status_code == 404
    assert client.post("/treatments/mesotherapy/").status_code == 405


def test_a_save_that_keeps_the_slug_records_nothing():
    treatment = make_treatment("Mesotherapy")
    treatment.summary = "Corrected."
    treatment.save()
    treatment.save(update_fields=["summary"])

    assert not FormerAddress.objects.exists()


def test_a_comparison_renamed_in_the_admin_keeps_its_old_address(
    client, publisher_client
):
    first, second = make_treatment(), make_treatment()
    comparison = Comparison.objects.create(
        title="A or B?",
        slug="a-or-b",
        introduction="Which?",
        status="published",
        last_reviewed=datetime.date(2026, 11, 21),
    )
    comparison.items.create(treatment=first, position=1)
    comparison.items.create(treatment=second, position=2)
    url = f"/admin/comparisons/comparison/{comparison.pk}/change/"
    form = publisher_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in {**form.initial, "slug": "first-or-second"}.items()
        if value is not None
    }
    data["focus_area"] = ""
    data["last_reviewed"] = "2026-11-21"
    data["next_review_due"] = "2027-11-21"
    data |= {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "2",
        "items-MAX_NUM_FORMS": "4",
    }
    for index, item in enumerate(comparison.items.all()):
        data |= {
            f"items-{index}-id": str(item.pk),
            f"items-{index}-comparison": str(comparison.pk),
            f"items-{index}-position": str(item.position),
            f"items-{index}-treatment": str(item.treatment_id),
        }

    saved = publisher_client.post(url, data)

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    response = client.get("/compare/a-or-b/")
    assert response.status_code == 301
    assert response["Location"] == "/compare/first-or-second/"


def test_a_shared_comparison_follows_its_renamed_treatments(client):
    make_treatment("Laser")
    rename(make_treatment("Mesotherapy"), "mesotherapy-injections")

    for page in ("/compare/", "/compare/summary/"):
        response = client.get(
            page, {"treatments": ["mesotherapy", "laser"], "pair": "mesotherapy"}
        )

        assert response.status_code == 301
        assert response["Location"] == (
            f"{page}?treatments=mesotherapy-injections&treatments=laser"
            "&pair=mesotherapy-injections"
        )
        assert client.get(response["Location"]).status_code == 200


def test_a_comparison_with_a_renamed_draft_says_it_has_no_such_treatment(client):
    make_treatment("Laser")
    rename(make_treatment("Mesotherapy", status="draft"), "mesotherapy-injections")

    response = client.get("/compare/", {"treatments": ["mesotherapy", "laser"]})

    assert response.status_code == 404
    assert "We have no treatment called “mesotherapy”" in response.content.decode()


@pytest.mark.parametrize("page_cache", ["memory_cache", "private_redis"])
def test_a_cached_page_gives_way_to_the_redirect(request, client, page_cache):
    request.getfixturevalue(page_cache)
    treatment = make_treatment("Mesotherapy")
    client.get("/treatments/mesotherapy/")
    assert client.get("/treatments/mesotherapy/")["X-Cache"] == "hit"

    rename(treatment, "mesotherapy-injections")

    response = client.get("/treatments/mesotherapy/")
    assert response.status_code == 301
    assert response["Location"] == "/treatments/mesotherapy-injections/"


def test_a_renamed_comparison_without_two_public_treatments_stays_a_404(client):
    """Its page is a 404 to the public (ComparisonQuerySet.published needs two
    published treatments), so its old address must not redirect to it."""
    comparison = Comparison.objects.create(
        title="A or B?",
        slug="a-or-b",
        introduction="Which?",
        status="published",
        last_reviewed=datetime.date(2026, 11, 21),
    )
    comparison.items.create(treatment=make_treatment(), position=1)
    comparison.items.create(treatment=make_treatment(status="draft"), position=2)
    rename(comparison, "first-or-second")

    assert client.get("/compare/first-or-second/").status_code == 404
    assert client.get("/compare/a-or-b/").status_code == 404
