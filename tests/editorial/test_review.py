"""Nothing reaches the public without a publisher: an editor's change to a
published page waits, the publisher reads what changed and publishes it or
sends it back, and the history never publishes (issues 21 and 22)."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from comparisons.models import Comparison, ComparisonItem
from core.models import ContentVersion
from editorial.changes import ChangeNote
from editorial.pending import PendingVersion
from tests.factories import make_source, make_treatment
from tests.support.admin import change_form_data, make_editor, sign_in
from tests.support.content import made_once
from treatments.models import BodyArea, Milestone, SideEffect, Source, Treatment

pytestmark = pytest.mark.django_db

MESO = "mesotherapy"


def admin_url(record, view="change", *args):
    opts = record._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[record.pk, *args]
    )


def text(response):
    """The page's words, without its markup."""
    page = re.sub(
        r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S
    )
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def form_index(data, prefix, field, value):
    for key, posted in data.items():
        if key.startswith(f"{prefix}-") and key.endswith(f"-{field}"):
            if str(posted) == str(value):
                return key.split("-")[1]
    raise KeyError(value)


def edit_meso(data, treatment):
    """The summary changed, itching deleted, a milestone and an area added."""
    data["summary"] = "An edited summary."
    itching = SideEffect.objects.get(treatment=treatment, effect__slug="itching")
    data[
        f"side_effects-{form_index(data, 'side_effects', 'id', itching.pk)}-DELETE"
    ] = "on"
    total = int(data["milestones-TOTAL_FORMS"])
    data.update(
        {
            "milestones-TOTAL_FORMS": str(total + 1),
            f"milestones-{total}-order": "2",
            f"milestones-{total}-kind": "final-result",
            f"milestones-{total}-days_min": "90",
            f"milestones-{total}-days_max": "120",
            f"milestones-{total}-wording": "After three months",
            f"milestones-{total}-source": treatment.source_id,
        }
    )
    areas = int(data["treated_areas-TOTAL_FORMS"])
    data.update(
        {
            "treated_areas-TOTAL_FORMS": str(areas + 1),
            f"treated_areas-{areas}-body_area": BodyArea.objects.get(slug="thighs").pk,
            f"treated_areas-{areas}-source": treatment.source_id,
        }
    )
    data["change_note"] = "Added when the final result shows."


def save(client, record, edit=None, url=None):
    url = url or admin_url(record)
    data = change_form_data(client, url)
    if edit is not None:
        edit(data)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        *[
            inline.formset.errors
            for inline in response.context["inline_admin_formsets"]
        ],
    ]
    return response


def decide(client, record, action, **fields):
    """Post the review page's form for `action`, as the page shows it."""
    url = admin_url(record, "review")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["forms"][action]
    data = {"action": action}
    for name in ("version", "seen"):
        data[f"{action}-{name}"] = form.initial.get(name, "")
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(url, data)


@pytest.fixture
def meso(seeded):
    return Treatment.objects.get(slug=MESO)


@pytest.fixture
def waiting(meso, editor_client):
    """An editor's change to mesotherapy, waiting for a publisher."""
    save(editor_client, meso, lambda data: edit_meso(data, meso))
    return PendingVersion.objects.get(kind="change")


@made_once(scope="class", after=["seeded_module"])
def change_to_meso_waiting():
    """The `waiting` change, made once for a class's tests."""
    meso = Treatment.objects.get(slug=MESO)
    save(sign_in(Client(), make_editor()), meso, lambda data: edit_meso(data, meso))


class TestAnEditorsChangeWaits:
    @pytest.fixture
    def waiting(self, change_to_meso_waiting, meso):
        """An editor's change to mesotherapy, waiting for a publisher."""
        return PendingVersion.objects.get(kind="change")

    def test_the_public_page_is_left_alone(self, meso, waiting):
        client = Client()
        meso.refresh_from_db()
        assert meso.summary.startswith("A course of small injections")
        assert meso.side_effects.filter(effect__slug="itching").exists()
        assert meso.milestones.count() == 1
        page = text(client.get(meso.get_absolute_url()))
        assert "An edited summary." not in page
        assert "After three months" not in page
        assert "Itching" in page
        assert not ChangeNote.objects.exists()
        # What waits: who, what, the note.
        assert waiting.submitted_by.username == "editor"
        assert waiting.state == "waiting"
        assert waiting.change_note == "Added when the final result shows."
        assert "One-line summary" in waiting.summary

    def test_nothing_public_changed_so_nothing_is_purged(self, meso, editor_client):
        before = ContentVersion.current()[0]
        anonymous = Client()
        anonymous.get(meso.get_absolute_url())
        assert anonymous.get(meso.get_absolute_url())["X-Cache"] == "hit"
        save(editor_client, meso, lambda data: edit_meso(data, meso))
        assert ContentVersion.current()[0] == before
        assert anonymous.get(meso.get_absolute_url())["X-Cache"] == "hit"

    def test_staff_see_the_waiting_version_at_the_real_address(
        self, meso, waiting, editor_client, publisher_client
    ):
        for staff in (editor_client, publisher_client):
            response = staff.get(meso.get_absolute_url())
            page = text(response)
            assert "A change waits for a publisher." in page
            assert "An edited summary." in page
            assert "After three months" in page
            assert "Itching" not in page
            assert "no-store" in response["Cache-Control"]
        # Shown, not saved: the database still holds the published page.
        meso.refresh_from_db()
        assert meso.summary.startswith("A course of small injections")
        assert Milestone.objects.filter(wording="After three months").count() == 0

    def test_the_change_form_shows_the_waiting_version(
        self, meso, waiting, editor_client
    ):
        response = editor_client.get(admin_url(meso))
        form = response.context["adminform"].form
        assert form["summary"].value() == "An edited summary."
        assert form["change_note"].value() == "Added when the final result shows."
        assert "A change waits for a publisher." in text(response)
        milestones = next(
            inline.formset
            for inline in response.context["inline_admin_formsets"]
            if inline.formset.prefix == "milestones"
        )
        wordings = [form["wording"].value() for form in milestones.forms]
        assert len(wordings) == 2
        assert "After three months" in wordings

    def test_editing_it_again_keeps_one_waiting_version(
        self, meso, waiting, editor_client
    ):
        new_milestone = next(
            item["pk"]
            for item in waiting.data["facts"]["milestones"]
            if item["fields"]["wording"] == "After three months"
        )

        def again(data):
            data["cautions"] = "Mind the sun."

        save(editor_client, meso, again)
        (pending,) = PendingVersion.objects.open()
        assert pending.pk == waiting.pk
        assert pending.data["record"]["fields"]["summary"] == "An edited summary."
        assert pending.data["record"]["fields"]["cautions"] == "Mind the sun."
        # The new milestone kept its key: every preview and the publication
        # apply it under the same one.
        assert new_milestone in [
            item["pk"] for item in pending.data["facts"]["milestones"]
        ]
        assert not Milestone.objects.filter(pk=new_milestone).exists()
        # Nothing else takes that key meanwhile (SQLite reuses rolled-back keys).
        other = Milestone.objects.create(
            treatment=make_treatment("Other"),
            order=1,
            kind="exercise",
            days_min=1,
            days_max=2,
            wording="soon",
            source=make_source(),
        )
        assert other.pk != new_milestone

    def test_the_publisher_reads_what_changed_in_plain_words(
        self, meso, waiting, publisher_client
    ):
        page = text(publisher_client.get(admin_url(meso, "review")))
        assert "A change waiting for a publisher" in page
        assert "By editor" in page
        assert "One-line summary" in page  # the form's label, not "summary"
        assert "An edited summary." in page
        assert "Itching (less common) : removed" in page
        assert "Final result: After three months : added" in page
        assert "Mesotherapy: Thighs : added" in page
        assert "Added when the final result shows." in page
        assert "side_effects" not in page

    def test_publishing_it(self, meso, waiting, publisher_client, editor):
        client = Client()
        client.get(meso.get_absolute_url())  # cached
        response = decide(publisher_client, meso, "publish", reviewed="on")
        assert response.status_code == 302
        meso.refresh_from_db()
        assert meso.summary == "An edited summary."
        assert not meso.side_effects.filter(effect__slug="itching").exists()
        assert meso.milestones.count() == 2
        assert meso.treated_areas.filter(body_area__slug="thighs").exists()
        assert meso.last_reviewed == datetime.date.today()
        assert meso.next_review_due > datetime.date.today()
        page = text(client.get(meso.get_absolute_url()))
        assert "An edited summary." in page
        assert "Added when the final result shows." in page
        waiting.refresh_from_db()
        assert waiting.state == "published"
        assert waiting.decided_by.username == "publisher"
        latest = Version.objects.get_for_object(meso).first()
        assert latest.revision.user == editor
        assert ChangeNote.objects.get().revision == latest.revision

    def test_a_correction_that_is_not_a_review(self, meso, waiting, publisher_client):
        reviewed = meso.last_reviewed
        decide(publisher_client, meso, "publish")  # the box unticked
        meso.refresh_from_db()
        assert meso.summary == "An edited summary."
        assert meso.last_reviewed == reviewed

    def test_sending_it_back_shows_the_note_to_the_editor(
        self, meso, waiting, publisher_client, editor_client
    ):
        response = decide(
            publisher_client, meso, "send_back", note="Which paragraph says 90 days?"
        )
        assert response.status_code == 302
        waiting.refresh_from_db()
        assert waiting.state == "sent-back"
        form_page = text(editor_client.get(admin_url(meso)))
        assert "Sent back by publisher" in form_page
        assert "Which paragraph says 90 days?" in form_page
        index = text(editor_client.get("/admin/"))
        assert "Sent back to you" in index
        assert "Which paragraph says 90 days?" in index
        # Still not public; saved again, it waits again.
        assert "An edited summary." not in text(Client().get(meso.get_absolute_url()))
        save(editor_client, meso)
        waiting.refresh_from_db()
        assert waiting.state == "waiting"

    def test_a_decision_on_a_version_edited_since_is_refused(
        self, meso, waiting, publisher_client, editor_client
    ):
        url = admin_url(meso, "review")
        form = publisher_client.get(url).context["forms"]["publish"]
        save(editor_client, meso, lambda data: data.update(cautions="Later edit."))
        publisher_client.post(
            url,
            {
                "action": "publish",
                "publish-version": form.initial["version"],
                "publish-seen": form.initial["seen"],
                "publish-reviewed": "on",
            },
        )
        meso.refresh_from_db()
        assert meso.summary != "An edited summary."
        assert PendingVersion.objects.get().state == "waiting"

    def test_an_editor_cannot_publish_it(self, meso, waiting, editor_client):
        url = admin_url(meso, "review")
        assert "Publish it now" not in text(editor_client.get(url))
        response = editor_client.post(
            url,
            {
                "action": "publish",
                "publish-version": waiting.pk,
                "publish-reviewed": "on",
            },
        )
        assert response.status_code == 403
        meso.refresh_from_db()
        assert meso.summary != "An edited summary."

    def test_the_editor_may_withdraw_it(self, meso, waiting, editor_client):
        editor_client.post(
            admin_url(meso, "review"), {"action": "withdraw", "kind": "change"}
        )
        waiting.refresh_from_db()
        assert waiting.state == "withdrawn"
        form = editor_client.get(admin_url(meso)).context["adminform"].form
        assert form["summary"].value().startswith("A course of small injections")

    def test_a_publisher_who_saves_it_publishes_it(
        self, meso, waiting, publisher_client
    ):
        save(publisher_client, meso)
        meso.refresh_from_db()
        assert meso.summary == "An edited summary."
        assert ChangeNote.objects.get().text == "Added when the final result shows."
        waiting.refresh_from_db()
        assert waiting.state == "published"

    def test_a_change_undone_leaves_nothing_waiting(self, meso, editor_client):
        summary = meso.summary
        save(editor_client, meso, lambda data: data.update(summary="Changed."))
        pending = PendingVersion.objects.get()
        assert pending.state == "waiting"
        save(editor_client, meso, lambda data: data.update(summary=summary))
        pending.refresh_from_db()
        assert pending.state == "withdrawn"


class TestDrafts:
    def test_an_editor_edits_a_draft_in_place(self, editor_client):
        draft = make_treatment("Draft", status="draft")
        save(editor_client, draft, lambda data: data.update(summary="Draft words."))
        draft.refresh_from_db()
        assert draft.summary == "Draft words."
        assert not PendingVersion.objects.exists()

    def test_submitted_it_waits_with_who_and_when(
        self, editor_client, publisher_client, editor
    ):
        draft = make_treatment("Draft", status="draft", last_reviewed=None)
        save(editor_client, draft, lambda data: data.update(status="review"))
        pending = PendingVersion.objects.get()
        assert (pending.kind, pending.state) == ("new", "waiting")
        assert pending.submitted_by == editor
        page = text(publisher_client.get("/admin/"))
        assert "Draft : a new page by editor" in page

    def test_published_it_is_reviewed_today(self, publisher_client):
        draft = make_treatment("Draft", status="review", last_reviewed=None)
        assert draft.next_review_due is None
        decide(publisher_client, draft, "publish")
        draft.refresh_from_db()
        assert draft.status == "published"
        # A first publication is always a review.
        assert draft.last_reviewed == datetime.date.today()
        assert PendingVersion.objects.get().state == "published"
        assert Client().get(draft.get_absolute_url()).status_code == 200

    def test_sent_back_it_is_a_draft_with_the_note(
        self, editor_client, publisher_client
    ):
        draft = make_treatment("Draft", status="review", last_reviewed=None)
        decide(publisher_client, draft, "send_back", note="Cite the dosage.")
        draft.refresh_from_db()
        assert draft.status == "draft"
        assert "Cite the dosage." in text(editor_client.get(admin_url(draft)))

    def test_a_draft_never_reads_as_reviewed(self, editor_client):
        draft = make_treatment("Draft", status="draft", last_reviewed=None)
        page = text(editor_client.get(draft.get_absolute_url()))
        assert "Not reviewed yet" in page
        assert "Last reviewed" not in page


class TestOtherContentWaitsToo:
    def test_a_source_renamed_by_an_editor(
        self, seeded, editor_client, publisher_client
    ):
        source = Treatment.objects.get(slug=MESO).source
        title = source.title
        save(editor_client, source, lambda data: data.update(title="A new title"))
        source.refresh_from_db()
        assert source.title == title
        assert title in text(Client().get(f"/treatments/{MESO}/"))
        page = publisher_client.get(admin_url(source, "review"))
        assert "Title" in text(page) and "A new title" in text(page)
        # No review dates to ask about.
        assert "reviewed" not in page.context["forms"]["publish"].fields
        decide(publisher_client, source, "publish")
        assert "A new title" in text(Client().get(f"/treatments/{MESO}/"))

    def test_a_new_source_is_added_at_once(self, editor_client):
        response = editor_client.post(
            reverse("admin:treatments_source_add"),
            {
                "title": "New",
                "slug": "new",
                "kind": "general-interest-article",
                "publisher": "",
                "author": "",
                "url": "",
                "date_updated": "",
                "notes": "",
            },
        )
        assert response.status_code == 302
        assert Source.objects.filter(slug="new").exists()

    def test_a_new_condition_is_public_once_a_published_treatment_treats_it(
        self, seeded, client
    ):
        from treatments.models import Condition

        condition = Condition.objects.create(
            name="Stretch marks", slug="stretch-marks", summary="Lines in the skin."
        )
        assert "Lines in the skin." not in text(client.get("/"))
        make_treatment("A draft for stretch marks", status="draft").conditions.add(
            condition
        )
        assert "Lines in the skin." not in text(client.get("/"))
        Treatment.objects.get(slug=MESO).conditions.add(condition)
        assert "Lines in the skin." in text(client.get("/"))


@pytest.fixture(params=["treatment", "comparison"])
def published(request, seeded):
    if request.param == "treatment":
        return Treatment.objects.get(slug=MESO)
    return Comparison.objects.get()


def versions_of(record):
    return list(Version.objects.get_for_object(record).select_related("revision"))


class TestHistoryNeverPublishes:
    """Issue 22: reverting and recovering never change who can see a record."""

    def unpublished_version(self, record, publisher_client):
        """A version of `record` saved while it was a draft; then published
        again."""
        for status in ("draft", "published"):
            save(publisher_client, record, lambda data, s=status: data.update(status=s))
        return next(
            version
            for version in versions_of(record)
            if version.field_dict["status"] == "draft"
        )

    def test_reverting_to_a_draft_version_does_not_unpublish(
        self, published, publisher_client, editor_client
    ):
        version = self.unpublished_version(published, publisher_client)
        url = admin_url(published, "revision", version.pk)
        editor_client.post(url, change_form_data(editor_client, url))
        published.refresh_from_db()
        assert published.status == "published"
        assert Client().get(published.get_absolute_url()).status_code == 200

    def test_reverting_to_a_published_version_does_not_publish(
        self, published, publisher_client, editor_client
    ):
        version = next(
            v for v in versions_of(published) if v.field_dict["status"] == "published"
        )
        type(published).objects.filter(pk=published.pk).update(status="draft")
        url = admin_url(published, "revision", version.pk)
        response = editor_client.post(url, change_form_data(editor_client, url))
        assert response.status_code == 302
        published.refresh_from_db()
        assert published.status == "draft"
        assert Client().get(published.get_absolute_url()).status_code == 404

    def test_an_editors_restore_of_a_published_page_waits_like_any_change(
        self, meso, publisher_client, editor_client
    ):
        save(publisher_client, meso, lambda data: data.update(summary="Newer."))
        first = versions_of(meso)[-1]
        url = admin_url(meso, "revision", first.pk)
        editor_client.post(url, change_form_data(editor_client, url))
        meso.refresh_from_db()
        assert meso.summary == "Newer."
        pending = PendingVersion.objects.get()
        assert pending.data["record"]["fields"]["summary"].startswith("A course")

    def test_a_history_page_restores_only_its_own_record(
        self, meso, publisher_client, editor_client
    ):
        # A version of another model whose key is the treatment's.
        side_effect = meso.side_effects.first()
        foreign = Version.objects.get_for_object(side_effect).first()
        url = reverse("admin:treatments_treatment_revision", args=[meso.pk, foreign.pk])
        assert editor_client.get(url).status_code == 404
        assert editor_client.post(url, {}).status_code == 404

    def test_a_revision_of_several_records_restores_one(
        self, seeded, publisher_client, editor_client
    ):
        laser = Treatment.objects.get(slug="laser-cellulite-reduction")
        meso = Treatment.objects.get(slug=MESO)
        # Both published by one list action: one revision holding both.
        Treatment.objects.filter(pk__in=[laser.pk, meso.pk]).update(status="draft")
        publisher_client.post(
            reverse("admin:treatments_treatment_changelist"),
            {"action": "publish", "_selected_action": [laser.pk, meso.pk]},
        )
        save(publisher_client, laser, lambda data: data.update(summary="Laser now."))
        shared = versions_of(meso)[0]
        assert {
            v.object_id
            for v in shared.revision.version_set.filter(content_type__model="treatment")
        } == {str(laser.pk), str(meso.pk)}
        url = admin_url(meso, "revision", shared.pk)
        publisher_client.post(url, change_form_data(publisher_client, url))
        laser.refresh_from_db()
        assert laser.summary == "Laser now."

    def test_a_recover_page_takes_only_deleted_records_of_its_model(
        self, seeded, publisher_client, editor_client
    ):
        meso = Treatment.objects.get(slug=MESO)
        version = versions_of(meso)[0]
        # A treatment's version at the sources' recover page: refused.
        url = reverse("admin:treatments_source_recover", args=[version.pk])
        assert editor_client.post(url, {}).status_code == 404
        # And a version of a record that is not deleted, at its own.
        url = reverse("admin:treatments_treatment_recover", args=[version.pk])
        assert editor_client.get(url).status_code == 404

    def test_an_editors_recover_of_a_published_page_is_a_draft(
        self, published, publisher_client, editor_client
    ):
        model = type(published)
        if model is Treatment:
            ComparisonItem.objects.filter(treatment=published).delete()
        slug = published.slug
        publisher_client.post(admin_url(published, "delete"), {"post": "yes"})
        assert not model.objects.filter(slug=slug).exists()
        (version,) = Version.objects.get_deleted(model).filter(
            object_id=str(published.pk)
        )
        assert version.field_dict["status"] == "published"
        opts = model._meta
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_recover", args=[version.pk]
        )
        page = text(editor_client.get(url))
        assert "It comes back as a draft" in page
        assert (
            editor_client.post(url, change_form_data(editor_client, url)).status_code
            == 302
        )
        recovered = model.objects.get(slug=slug)
        assert recovered.status == "draft"
        assert Client().get(recovered.get_absolute_url()).status_code == 404

    def test_a_publishers_recover_restores_it_as_it_was(self, seeded, publisher_client):
        baseline = Treatment.objects.get(slug="no-treatment")
        publisher_client.post(admin_url(baseline, "delete"), {"post": "yes"})
        (version,) = Version.objects.get_deleted(Treatment)
        url = reverse("admin:treatments_treatment_recover", args=[version.pk])
        publisher_client.post(url, change_form_data(publisher_client, url))
        assert Treatment.objects.get(slug="no-treatment").status == "published"


class TestImportsWaitToo:
    """A file may add drafts and new records; a change to what the public
    sees is a publisher's to import."""

    def dataset(self, rows, headers):
        import tablib

        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            dataset.append(row)
        return dataset

    def test_an_editor_cannot_import_a_change_to_a_published_page(
        self, seeded, editor, publisher
    ):
        from treatments import resources

        meso = Treatment.objects.get(slug=MESO)
        file = self.dataset([[MESO, "Changed by a file."]], ["slug", "summary"])
        result = resources.TreatmentResource(fields=["slug", "summary"]).import_data(
            file, user=editor
        )
        assert result.has_validation_errors()
        (row,) = result.invalid_rows
        assert "only a publisher may import changes" in str(row.error_dict)
        meso.refresh_from_db()
        assert meso.summary != "Changed by a file."
        result = resources.TreatmentResource(fields=["slug", "summary"]).import_data(
            file, user=publisher
        )
        assert not result.has_validation_errors()
        meso.refresh_from_db()
        assert meso.summary == "Changed by a file."

    def test_nor_a_fact_of_one(self, seeded, editor):
        from treatments import resources

        file = self.dataset(
            [[MESO, "itching", "rare"]], ["treatment", "effect", "frequency"]
        )
        result = resources.SideEffectResource().import_data(file, user=editor)
        assert result.has_validation_errors()
        assert (
            SideEffect.objects.get(
                treatment__slug=MESO, effect__slug="itching"
            ).frequency
            != "rare"
        )

    def test_an_editor_imports_a_fact_of_a_draft(self, seeded, editor):
        from treatments import resources

        Treatment.objects.filter(slug=MESO).update(status="draft")
        file = self.dataset(
            [[MESO, "itching", "rare"]], ["treatment", "effect", "frequency"]
        )
        result = resources.SideEffectResource().import_data(file, user=editor)
        assert not result.has_validation_errors()
        assert (
            SideEffect.objects.get(
                treatment__slug=MESO, effect__slug="itching"
            ).frequency
            == "rare"
        )


def test_an_editor_may_not_delete_a_condition_a_published_page_treats(
    seeded, editor_client, publisher_client
):
    from treatments.models import Condition

    cellulite = Condition.objects.get(slug="cellulite")
    url = admin_url(cellulite, "delete")
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Condition.objects.filter(pk=cellulite.pk).exists()
    unused = Condition.objects.create(name="Unused", slug="unused", summary="None.")
    assert (
        editor_client.post(admin_url(unused, "delete"), {"post": "yes"}).status_code
        == 302
    )
    assert not Condition.objects.filter(pk=unused.pk).exists()


def test_a_draft_sent_back_and_submitted_again_waits_again(
    editor_client, publisher_client, editor
):
    draft = make_treatment("Draft", status="review", last_reviewed=None)
    decide(publisher_client, draft, "send_back", note="Cite the dosage.")
    save(editor_client, draft, lambda data: data.update(status="review"))
    (pending,) = PendingVersion.objects.all()
    assert pending.state == "waiting"
    assert pending.submitted_by == editor


def test_what_waits_goes_with_its_record(meso, waiting, publisher_client):
    from comparisons.models import ComparisonItem

    ComparisonItem.objects.filter(treatment=meso).delete()
    publisher_client.post(admin_url(meso, "delete"), {"post": "yes"})
    waiting.refresh_from_db()
    assert waiting.state == "withdrawn"
    assert "Waiting for a publisher" not in text(publisher_client.get("/admin/"))


def test_an_editors_change_to_a_comparison_waits(
    seeded, editor_client, publisher_client
):
    comparison = Comparison.objects.get()
    title = comparison.title
    save(editor_client, comparison, lambda data: data.update(title="A new title"))
    comparison.refresh_from_db()
    assert comparison.title == title
    assert title in text(Client().get(comparison.get_absolute_url()))
    staff = text(editor_client.get(comparison.get_absolute_url()))
    assert "A new title" in staff and "A change waits for a publisher." in staff
    decide(publisher_client, comparison, "publish", reviewed="on")
    assert "A new title" in text(Client().get(comparison.get_absolute_url()))
