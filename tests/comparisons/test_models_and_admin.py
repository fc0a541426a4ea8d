"""Curated comparisons: rules in the database, and the admin that edits them."""

import datetime

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from comparisons.models import Comparison, ComparisonItem
from tests.factories import make_treatment
from tests.support.rules import refused_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def comparison():
    return Comparison.objects.create(
        title="A or B?",
        slug="a-or-b",
        introduction="Which?",
        last_reviewed=datetime.date(2026, 11, 21),
    )


def test_positions_run_from_one_to_four(comparison):
    treatment = make_treatment()
    for position in (0, 5):
        refused_by(
            ComparisonItem,
            "comparisons_item_position_in_range",
            lambda p=position: ComparisonItem.objects.create(
                comparison=comparison, treatment=treatment, position=p
            ),
        )


def test_a_column_holds_one_treatment_and_a_treatment_one_column(comparison):
    first, second = make_treatment(), make_treatment()
    comparison.items.create(treatment=first, position=1)
    refused_by(
        ComparisonItem,
        "comparisons_item_unique_position",
        lambda: comparison.items.create(treatment=second, position=1),
    )
    refused_by(
        ComparisonItem,
        "comparisons_item_unique_treatment",
        lambda: comparison.items.create(treatment=first, position=2),
    )
    assert comparison.items.count() == 1


def test_a_comparison_cannot_take_the_address_of_another_page():
    """/compare/summary/ is the printable summary: a comparison with that
    slug could never be reached."""
    refused_by(
        Comparison,
        "comparisons_comparison_slug_not_reserved",
        lambda: Comparison.objects.create(
            title="Summary",
            slug="summary",
            introduction="Which?",
            last_reviewed=datetime.date(2026, 11, 21),
        ),
    )


def test_the_admin_names_a_reserved_slug_on_its_field(editor_client):
    response = post_comparison(
        editor_client, [make_treatment(), make_treatment()], slug="summary"
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "address of another page" in errors["slug"][0]
    assert not Comparison.objects.exists()


def test_a_treatment_in_a_comparison_cannot_be_deleted(comparison):
    treatment = make_treatment()
    comparison.items.create(treatment=treatment, position=1)
    with pytest.raises(ProtectedError):
        treatment.delete()


def test_natural_keys_round_trip(comparison):
    item = comparison.items.create(treatment=make_treatment(), position=2)
    assert ComparisonItem.objects.get_by_natural_key("a-or-b", 2) == item
    assert (
        Comparison.objects.get_by_natural_key(*comparison.natural_key()) == comparison
    )


def post_comparison(client, treatments, **extra):
    data = {
        "title": "Two or more?",
        "slug": "two-or-more",
        "introduction": "Which one?",
        "focus_area": "",
        "status": "draft",
        "last_reviewed": "2026-11-21",
        "items-TOTAL_FORMS": str(len(treatments)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "2",
        "items-MAX_NUM_FORMS": "4",
        **extra,
    }
    for index, treatment in enumerate(treatments):
        data[f"items-{index}-position"] = str(index + 1)
        data[f"items-{index}-treatment"] = str(treatment.pk)
    return client.post(reverse("admin:comparisons_comparison_add"), data)


def test_an_editor_builds_a_comparison(editor_client):
    treatments = [make_treatment(), make_treatment(), make_treatment()]
    response = post_comparison(editor_client, treatments)
    assert response.status_code == 302
    comparison = Comparison.objects.get(slug="two-or-more")
    assert [item.treatment for item in comparison.items.all()] == treatments
    # A draft: not reviewed until a publisher publishes it.
    assert comparison.last_reviewed is None
    assert comparison.next_review_due is None


@pytest.mark.parametrize(("count", "message"), [(1, "at least 2"), (5, "at most 4")])
def test_the_admin_wants_two_to_four(editor_client, count, message):
    treatments = [make_treatment() for _ in range(count)]
    response = post_comparison(editor_client, treatments)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert any(message in error for error in errors)
    assert not Comparison.objects.exists()


def test_editor_opens_every_comparison_admin_page(editor_client, comparison):
    comparison.items.create(treatment=make_treatment(), position=1)
    for url in [
        reverse("admin:comparisons_comparison_changelist"),
        reverse("admin:comparisons_comparison_add"),
        reverse("admin:comparisons_comparison_change", args=[comparison.pk]),
        reverse("admin:comparisons_comparison_history", args=[comparison.pk]),
        reverse("admin:comparisons_comparison_delete", args=[comparison.pk]),
    ]:
        assert editor_client.get(url).status_code == 200, url


def test_strangers_are_sent_to_log_in(client, comparison):
    response = client.get(reverse("admin:comparisons_comparison_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
