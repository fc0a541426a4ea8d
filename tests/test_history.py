"""Editors' changes are never lost: history, compare, restore, and deletes
refused while a comparison uses a treatment."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from tests.support.admin import change_form_data, make_publisher, sign_in
from tests.support.content import made_once
from treatments.models import BodyArea, Milestone, SideEffect, TreatedArea, Treatment

pytestmark = pytest.mark.django_db

MESO = "mesotherapy"


def change_url(treatment):
    return reverse("admin:treatments_treatment_change", args=[treatment.pk])


def save_in_admin(client, treatment, edit):
    """Post the treatment's change form after `edit(data)`; like a browser."""
    data = change_form_data(client, change_url(treatment))
    edit(data)
    response = client.post(change_url(treatment), data)
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"]
    ]


def form_index(data, prefix, field, value):
    """The index of the inline form whose `field` holds `value`."""
    for key, posted in data.items():
        if key.startswith(f"{prefix}-") and key.endswith(f"-{field}"):
            if str(posted) == str(value):
                return key.split("-")[1]
    raise KeyError(value)


@made_once(after=["seeded_module"])
def meso_edited():
    """Mesotherapy edited in the admin by a publisher (whose edits are
    published at once): summary changed, itching deleted, a milestone and
    a body area added. Made once for the module's tests that read it."""
    publisher_client = sign_in(Client(), make_publisher())
    treatment = Treatment.objects.get(slug=MESO)
    itching = SideEffect.objects.get(treatment=treatment, effect__slug="itching")
    thighs = BodyArea.objects.get(slug="thighs")

    def edit(data):
        data["summary"] = "An edited summary."
        index = form_index(data, "side_effects", "id", itching.pk)
        data[f"side_effects-{index}-DELETE"] = "on"
        total = int(data["milestones-TOTAL_FORMS"])
        data.update(
            {
                "milestones-TOTAL_FORMS": str(total + 1),
                f"milestones-{total}-order": "2",
                f"milestones-{total}-kind": "final-result",
                f"milestones-{total}-days_min": "90",
                f"milestones-{total}-days_max": "120",
                f"milestones-{total}-wording": "An invented final result",
                f"milestones-{total}-source": treatment.source_id,
                f"milestones-{total}-source_location": "Paragraph 9",
            }
        )
        areas = int(data["treated_areas-TOTAL_FORMS"])
        data.update(
            {
                "treated_areas-TOTAL_FORMS": str(areas + 1),
                f"treated_areas-{areas}-body_area": thighs.pk,
                f"treated_areas-{areas}-source": treatment.source_id,
                f"treated_areas-{areas}-source_location": "Paragraph 2",
            }
        )

    save_in_admin(publisher_client, treatment, edit)
    treatment.refresh_from_db()
    assert treatment.summary == "An edited summary."
    assert not treatment.side_effects.filter(effect__slug="itching").exists()
    assert treatment.milestones.count() == 2
    assert treatment.treated_areas.filter(body_area=thighs).exists()


@pytest.fixture
def edited(meso_edited, seeded):
    return Treatment.objects.get(slug=MESO)


def versions(treatment):
    return list(Version.objects.get_for_object(treatment).select_related("revision"))


def test_the_seed_is_recorded(seeded):
    (version,) = versions(Treatment.objects.get(slug=MESO))
    assert version.revision.comment == "Loaded from fixtures/ by manage.py seed"
    assert version.revision.user is None


def test_an_admin_edit_is_recorded_with_who_and_when(edited, publisher):
    latest, seeded_version = versions(edited)
    assert latest.revision.user == publisher
    assert latest.revision.date_created > seeded_version.revision.date_created
    # The revision holds the treatment with its facts, as they now are.
    held = {v.content_type.model for v in latest.revision.version_set.all()}
    assert {
        "treatment",
        "sideeffect",
        "milestone",
        "treatedarea",
        "sessionplan",
    } <= held


def test_an_editor_sees_the_history(edited, editor_client):
    response = editor_client.get(
        reverse("admin:treatments_treatment_history", args=[edited.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "publisher" in page
    assert "First version: the site&#x27;s starting content" in page


def test_an_editor_compares_two_versions(edited, editor_client):
    latest, seeded_version = versions(edited)
    response = editor_client.get(
        reverse("admin:treatments_treatment_compare", args=[edited.pk]),
        {"version_id1": seeded_version.pk, "version_id2": latest.pk},
    )
    assert response.status_code == 200
    page = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    # The summary is shown as a character diff; the facts as added/removed.
    assert "One-line summary A course of small injections" in page
    assert "Side effects Removed: Itching (less common)" in page
    assert (
        "Recovery and results: milestones Added: Final result: An invented final result"
    ) in page
    assert "Body areas it is used on Added: Mesotherapy: Thighs" in page


def test_a_publisher_restores_the_earlier_version_with_its_facts(
    edited, publisher_client
):
    _latest, seeded_version = versions(edited)
    url = reverse(
        "admin:treatments_treatment_revision", args=[edited.pk, seeded_version.pk]
    )
    data = change_form_data(publisher_client, url)
    assert data["summary"].startswith("A course of small injections")
    response = publisher_client.post(url, data)
    assert response.status_code == 302

    treatment = Treatment.objects.get(slug=MESO)
    assert treatment.summary.startswith("A course of small injections")
    assert set(treatment.side_effects.values_list("effect__slug", flat=True)) == {
        "bruising",
        "soreness",
        "itching",
        "swelling",
        "irritation",
        "infection",
    }
    assert list(treatment.milestones.values_list("kind", flat=True)) == [
        "first-results"
    ]
    assert not TreatedArea.objects.filter(
        treatment=treatment, body_area__slug="thighs"
    ).exists()
    assert not Milestone.objects.filter(wording="An invented final result").exists()
    # The restore is itself a recorded change.
    assert len(versions(treatment)) == 3
    assert versions(treatment)[0].revision.comment.startswith("Restored the version")


class TestDeleting:
    def test_a_treatment_in_a_comparison_is_not_deleted(self, seeded, editor_client):
        laser = Treatment.objects.get(slug="laser-cellulite-reduction")
        url = reverse("admin:treatments_treatment_delete", args=[laser.pk])
        for response in (
            editor_client.get(url),
            editor_client.post(url, {"post": "yes"}),
        ):
            assert response.status_code == 302
            assert response["Location"] == change_url(laser)
        messages = [
            str(m) for m in editor_client.get(change_url(laser)).context["messages"]
        ]
        assert any(
            "“Laser cellulite reduction or mesotherapy?”" in message
            and "unpublish it" in message
            for message in messages
        ), messages
        assert Treatment.objects.filter(pk=laser.pk).exists()

    def test_bulk_delete_names_the_comparison_too(self, seeded, publisher_client):
        laser = Treatment.objects.get(slug="laser-cellulite-reduction")
        response = publisher_client.post(
            reverse("admin:treatments_treatment_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [laser.pk],
                "post": "yes",
            },
        )
        assert "Laser cellulite reduction or mesotherapy?" in response.content.decode()
        assert Treatment.objects.filter(pk=laser.pk).exists()

    def test_a_treatment_no_comparison_uses_can_be_deleted(
        self, seeded, publisher_client
    ):
        baseline = Treatment.objects.get(slug="no-treatment")
        url = reverse("admin:treatments_treatment_delete", args=[baseline.pk])
        assert publisher_client.post(url, {"post": "yes"}).status_code == 302
        assert not Treatment.objects.filter(pk=baseline.pk).exists()

    def test_an_editor_may_not_delete_a_published_treatment(
        self, seeded, editor_client
    ):
        baseline = Treatment.objects.get(slug="no-treatment")
        url = reverse("admin:treatments_treatment_delete", args=[baseline.pk])
        assert editor_client.post(url, {"post": "yes"}).status_code == 403
        assert Treatment.objects.filter(pk=baseline.pk).exists()
        baseline.status = "draft"
        baseline.save()
        assert editor_client.post(url, {"post": "yes"}).status_code == 302
        assert not Treatment.objects.filter(pk=baseline.pk).exists()

    def test_a_deleted_treatment_can_be_recovered(
        self, seeded, editor_client, publisher_client
    ):
        baseline = Treatment.objects.get(slug="no-treatment")
        publisher_client.post(
            reverse("admin:treatments_treatment_delete", args=[baseline.pk]),
            {"post": "yes"},
        )
        (version,) = Version.objects.get_deleted(Treatment)
        url = reverse("admin:treatments_treatment_recover", args=[version.pk])
        data = change_form_data(editor_client, url)
        assert editor_client.post(url, data).status_code == 302
        restored = Treatment.objects.get(slug="no-treatment")
        assert restored.session_plan.kind == "none"
        # By an editor, as a draft: a publisher publishes it.
        assert restored.status == "draft"
