"""The history in plain words (editorial/history.py): the form's labels,
only what changed, status changes and public change notes, and none of the
library's jargon."""

import html
import re

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from tests.factories import make_treatment
from tests.support.admin import change_form_data, make_editor, sign_in
from tests.support.content import made_once
from treatments.models import Effect, Source, Treatment

pytestmark = pytest.mark.django_db


def url(name, record, *args):
    opts = record._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[record.pk, *args]
    )


def text(response):
    """The page's main content as a reader reads it."""
    assert response.status_code == 200
    page = response.content.decode()
    main = page[page.index('<div class="breadcrumbs"') :]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def versions(record):
    return list(Version.objects.get_for_object(record).select_related("revision"))


def save(client, record, **changes):
    data = change_form_data(client, url("change", record))
    data.update(changes)
    response = client.post(url("change", record), data)
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        *[i.formset.errors for i in response.context["inline_admin_formsets"]],
    ]


def compare(client, record, older, newer):
    return client.get(
        url("compare", record),
        {"version_id1": older.pk, "version_id2": newer.pk},
    )


@made_once(scope="class")
def laser_with_history():
    """A treatment with two side effects, in the history once, then saved
    in the admin with a change to one side effect only, and a public note:
    made once for a class's tests."""
    editor_client = sign_in(Client(), make_editor())
    treatment = make_treatment("Laser", status="draft")
    bruising = treatment.side_effects.create(
        effect=Effect.objects.create(name="Bruising", slug="bruising"),
        frequency="common",
    )
    treatment.side_effects.create(
        effect=Effect.objects.create(name="Swelling", slug="swelling"),
        frequency="rare",
    )
    with reversion.create_revision():
        treatment.save()
    data = change_form_data(editor_client, url("change", treatment))
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and value == bruising.pk
    )
    data[f"side_effects-{index}-duration"] = "A few days."
    data["change_note"] = "Said how long bruising lasts."
    assert editor_client.post(url("change", treatment), data).status_code == 302


@pytest.fixture
def treatment(laser_with_history, db):
    return Treatment.objects.get(slug="laser")


class TestTheCompareView:
    def test_only_what_changed_under_the_forms_labels(self, treatment, editor_client):
        newer, older = versions(treatment)[:2]
        page = text(compare(editor_client, treatment, older, newer))
        assert (
            "Side effects Changed: Bruising (common) How long it lasts "
            "Before: (blank) → . After: A few days."
        ) in page
        # What did not change is not there: the other side effect, the
        # source (which the library marked changed whenever anything was),
        # the summary.
        assert "Swelling" not in page
        assert "One-line summary" not in page
        assert not re.search(r"\bSource\b", page)

    def test_none_of_the_librarys_jargon(self, treatment, editor_client):
        newer, older = versions(treatment)[:2]
        page = text(compare(editor_client, treatment, older, newer))
        for jargon in (
            "It may be that not all marked information are correct",
            "not under reversion control",
            "side_effects",
            "Revert",
            "Edit comment",
            "Go back to history list",
        ):
            assert jargon not in page, jargon
        assert "See or restore the earlier version" in page

    def test_the_saves_between_with_their_public_notes(self, treatment, editor_client):
        newer, older = versions(treatment)[:2]
        page = text(compare(editor_client, treatment, older, newer))
        assert (
            "Changed How long it lasts for side effect “Bruising (common)”. "
            "Public change note: “Said how long bruising lasts.”"
        ) in page

    def test_a_status_change_reads_before_and_after(
        self, treatment, editor_client, publisher_client
    ):
        publisher_client.post(
            reverse("admin:treatments_treatment_changelist"),
            {"action": "publish", "_selected_action": [treatment.pk]},
        )
        treatment.refresh_from_db()
        assert treatment.status == "published"
        newer, older = versions(treatment)[:2]
        assert newer.revision.comment == "Published by publisher."
        page = text(compare(editor_client, treatment, older, newer))
        assert "Status Before: Draft → . After: Published" in page
        assert "Published" in page and "Side effects" not in page

    def test_a_changed_source_is_named(self, treatment, editor_client):
        other = Source.objects.create(
            slug="other", title="Another article", kind="peer-reviewed-study"
        )
        before = treatment.source
        save(editor_client, treatment, source=other.pk)
        newer, older = versions(treatment)[:2]
        page = text(compare(editor_client, treatment, older, newer))
        assert f"Source Before: {before.title} → . After: Another article" in page


class TestTheHistoryList:
    def test_status_comment_and_note_in_each_row(
        self, treatment, editor_client, publisher_client
    ):
        publisher_client.post(
            reverse("admin:treatments_treatment_changelist"),
            {"action": "publish", "_selected_action": [treatment.pk]},
        )
        page = text(editor_client.get(url("history", treatment)))
        assert "From To When Who What changed Status Public change note" in page
        rows = re.findall(r"a\.m\.|p\.m\.", page)
        assert len(rows) == 3
        assert "publisher Published by publisher. Published" in page
        assert (
            "editor Changed How long it lasts for side effect “Bruising (common)”. "
            "Draft “Said how long bruising lasts.”"
        ) in page
        assert "revert" not in page.lower()

    def test_machinery_is_named_in_words(self, seeded, editor_client):
        meso = Treatment.objects.get(slug="mesotherapy")
        page = text(editor_client.get(url("history", meso)))
        assert "The site First version: the site's starting content Published" in page
        assert "manage.py" not in page
        assert "fixtures/" not in page

    def test_a_restore_is_named_in_words(self, treatment, editor_client):
        older = versions(treatment)[1]
        restore = url("revision", treatment, older.pk)
        save_data = change_form_data(editor_client, restore)
        assert editor_client.post(restore, save_data).status_code == 302
        page = text(editor_client.get(url("history", treatment)))
        assert "Restored the version saved on" in page
        assert "Reverted to previous version" not in page

    def test_the_compare_radios_have_labels(self, treatment, editor_client):
        page = editor_client.get(url("history", treatment)).content.decode()
        radios = re.findall(r'<input type="radio"[^>]*>', page)
        assert len(radios) == 4
        assert all('aria-label="Compare ' in radio for radio in radios)


class TestRestoringAndRecovering:
    def test_the_earlier_version_page(self, treatment, editor_client):
        older = versions(treatment)[1]
        page = text(editor_client.get(url("revision", treatment, older.pk)))
        assert page.startswith("Home › Treatment catalogue › Treatments › Laser")
        assert "An earlier version of Laser" in page
        assert "To restore it, check it and press Save" in page
        assert "revert" not in page.lower()

    def test_deleted_records_in_words(self, seeded, editor_client, publisher_client):
        # A publisher's: editors may not delete what the public sees.
        baseline = Treatment.objects.get(slug="no-treatment")
        publisher_client.post(url("delete", baseline), {"post": "yes"})
        listing = text(
            editor_client.get(reverse("admin:treatments_treatment_changelist"))
        )
        assert "Deleted treatments" in listing
        assert "Recover" not in listing
        page = text(
            editor_client.get(reverse("admin:treatments_treatment_recoverlist"))
        )
        assert "Deleted treatments" in page
        assert "No procedure: living with cellulite" in page
        (version,) = Version.objects.get_deleted(Treatment)
        form = text(
            editor_client.get(
                reverse("admin:treatments_treatment_recover", args=[version.pk])
            )
        )
        assert "Bring back No procedure: living with cellulite" in form
        assert not re.search(r"\brecover\b", form, re.IGNORECASE)
