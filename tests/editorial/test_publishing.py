"""Status and review dates, shared by treatments and comparisons."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from comparisons.models import Comparison
from editorial.publishing import a_year_after
from tests.factories import make_treatment
from tests.support.rules import refused_by
from treatments.models import Treatment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "due"),
    [
        (datetime.date(2026, 11, 21), datetime.date(2027, 11, 21)),
        (datetime.date(2028, 2, 29), datetime.date(2029, 2, 28)),
    ],
)
def test_a_review_falls_due_a_year_later(day, due):
    assert a_year_after(day) == due
    assert make_treatment(last_reviewed=day).next_review_due == due


def test_an_editor_may_set_another_review_date():
    day = datetime.date(2027, 3, 1)
    assert make_treatment(next_review_due=day).next_review_due == day


@pytest.mark.parametrize("model", [Treatment, Comparison])
def test_a_review_cannot_fall_due_before_the_last_one(model):
    record = model(
        last_reviewed=datetime.date(2026, 11, 21),
        next_review_due=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        record.clean()
    assert "next_review_due" in error.value.message_dict
    treatment = make_treatment()
    refused_by(
        Treatment,
        "treatments_treatment_review_due_after_review",
        lambda: Treatment.objects.filter(pk=treatment.pk).update(
            next_review_due=datetime.date(2020, 1, 1)
        ),
    )


def test_only_published_content_is_public():
    published = make_treatment("Published")
    make_treatment("Draft", status="draft")
    make_treatment("In review", status="review")
    assert list(Treatment.objects.published()) == [published]


def test_editors_cannot_publish_and_publishers_can(
    editor_client, publisher_client, editor
):
    draft = make_treatment("Draft", status="draft")
    changelist = "/admin/treatments/treatment/"
    actions = editor_client.get(changelist).context["action_form"].fields["action"]
    assert "publish" not in dict(actions.choices)
    editor_client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == "draft"

    actions = publisher_client.get(changelist).context["action_form"].fields["action"]
    assert "publish" in dict(actions.choices)
    publisher_client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == "published"
