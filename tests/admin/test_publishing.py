"""Drafts and publishing rights through the admin, and drafts at their real
address: editors write and submit for review, only publishers publish."""

import datetime

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from comparisons.models import Comparison, ComparisonItem
from tests.factories import make_treatment
from tests.support.admin import change_form_data
from treatments.models import Treatment

pytestmark = pytest.mark.django_db


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def make_comparison(status="draft"):
    comparison = Comparison.objects.create(
        title="Laser or injections?",
        slug="laser-or-injections",
        introduction="Which suits you.",
        status=status,
        last_reviewed=datetime.date(2026, 11, 21),
    )
    for position in (1, 2):
        ComparisonItem.objects.create(
            comparison=comparison, treatment=make_treatment(), position=position
        )
    return comparison


@pytest.fixture(params=["treatment", "comparison"])
def draft(request):
    if request.param == "treatment":
        return make_treatment("Draft", status="draft")
    return make_comparison()


def save(client, record, **changes):
    data = change_form_data(client, change_url(record))
    data.update(changes)
    response = client.post(change_url(record), data)
    record.refresh_from_db()
    return response


class TestTheStatusField:
    def test_an_editor_chooses_draft_or_in_review(self, editor_client, draft):
        form = editor_client.get(change_url(draft)).context["adminform"].form
        assert [value for value, _ in form.fields["status"].choices] == [
            "draft",
            "review",
        ]

    def test_an_editor_submits_for_review(self, editor_client, draft):
        assert save(editor_client, draft, status="review").status_code == 302
        assert draft.status == "review"

    def test_an_editor_cannot_publish(self, editor_client, draft):
        response = save(editor_client, draft, status="published")
        assert response.status_code == 200
        assert draft.status == "draft"
        assert "status" in response.context["adminform"].form.errors

    def test_the_form_refuses_it_even_so(self, editor, rf, draft):
        # Past the choices: the form's own rule.
        from django.contrib import admin

        model_admin = admin.site.get_model_admin(type(draft))
        request = rf.get("/")
        request.user = editor
        form_class = model_admin.get_form(request, draft, change=True)
        form = form_class(instance=draft)
        form.cleaned_data = {"status": "published"}
        with pytest.raises(Exception, match="Only publishers may publish"):
            form.clean_status()

    def test_a_publisher_publishes(self, publisher_client, draft):
        assert save(publisher_client, draft, status="published").status_code == 302
        assert draft.status == "published"

    def test_an_editor_edits_a_published_record_but_cannot_unpublish_it(
        self, editor_client, draft
    ):
        type(draft).objects.filter(pk=draft.pk).update(status="published")
        draft.refresh_from_db()
        form = editor_client.get(change_url(draft)).context["adminform"].form
        assert "status" not in form.fields  # shown, read-only
        # A posted status is ignored: it stays published.
        assert save(editor_client, draft, status="draft").status_code == 302
        assert draft.status == "published"

    def test_a_publisher_unpublishes(self, publisher_client, draft):
        type(draft).objects.filter(pk=draft.pk).update(status="published")
        assert save(publisher_client, draft, status="draft").status_code == 302
        assert draft.status == "draft"


class TestTheListActions:
    def changelist(self, record):
        opts = record._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def actions(self, client, record):
        form = client.get(self.changelist(record)).context["action_form"]
        return set(dict(form.fields["action"].choices))

    def act(self, client, record, action):
        client.post(
            self.changelist(record), {"action": action, "_selected_action": [record.pk]}
        )
        record.refresh_from_db()

    def test_editors_submit_for_review_and_cannot_publish(self, editor_client, draft):
        assert {"submit_for_review"} <= self.actions(editor_client, draft)
        assert not {"publish", "unpublish"} & self.actions(editor_client, draft)
        self.act(editor_client, draft, "publish")
        assert draft.status == "draft"
        self.act(editor_client, draft, "submit_for_review")
        assert draft.status == "review"

    def test_publishers_publish_and_unpublish(self, publisher_client, draft):
        assert {"publish", "unpublish"} <= self.actions(publisher_client, draft)
        self.act(publisher_client, draft, "publish")
        assert draft.status == "published"
        self.act(publisher_client, draft, "unpublish")
        assert draft.status == "draft"


class TestDraftPreview:
    """A draft at its real address: editors see it with a banner, the
    public get a 404, and no cache keeps it."""

    def url(self, draft):
        return draft.get_absolute_url()

    def test_staff_see_it_with_a_banner_and_nothing_is_cached(
        self, editor_client, draft
    ):
        response = editor_client.get(self.url(draft))
        assert response.status_code == 200
        assert "Draft: not visible to the public." in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert "X-Cache" not in response
        # The anonymous request that follows is not served the editor's page.
        anonymous = Client().get(self.url(draft))
        assert anonymous.status_code == 404
        assert "X-Cache" not in anonymous

    def test_nothing_of_it_enters_the_page_cache(
        self, editor_client, draft, monkeypatch, settings
    ):
        cache = caches[settings.PAGE_CACHE_ALIAS]
        stored = []
        monkeypatch.setattr(cache, "set", lambda *args, **kwargs: stored.append(args))
        assert editor_client.get(self.url(draft)).status_code == 200
        assert stored == []
        # The same spy sees what a published page stores, so it would have
        # seen the draft.
        type(draft).objects.filter(pk=draft.pk).update(status="published")
        Client().get(self.url(draft))
        assert len(stored) == 1

    def test_the_public_get_a_404(self, client, draft):
        assert client.get(self.url(draft)).status_code == 404

    def test_in_review_is_a_draft_too(self, editor_client, draft):
        type(draft).objects.filter(pk=draft.pk).update(status="review")
        assert Client().get(self.url(draft)).status_code == 404
        page = editor_client.get(self.url(draft)).content.decode()
        assert "Draft: not visible to the public." in page

    def test_a_published_page_has_no_banner_and_is_cached(self, client, draft):
        type(draft).objects.filter(pk=draft.pk).update(status="published")
        first = client.get(self.url(draft))
        assert "Draft: not visible" not in first.content.decode()
        assert first["X-Cache"] == "miss"
        assert client.get(self.url(draft))["X-Cache"] == "hit"


def test_a_draft_treatment_in_an_ad_hoc_comparison_is_marked(editor_client):
    draft = make_treatment("Draft", status="draft")
    other = make_treatment("Other")
    response = editor_client.get(
        f"/compare/?treatments={draft.slug}&treatments={other.slug}"
    )
    assert response.status_code == 200
    assert "Draft is not published" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_status_default_for_a_new_treatment_is_draft(editor_client):
    form = (
        editor_client.get(reverse("admin:treatments_treatment_add"))
        .context["adminform"]
        .form
    )
    assert form["status"].value() == "draft"
    # Reviewed is what a publisher says when publishing it: not for editors
    # to set, and not today by default.
    assert "last_reviewed" not in form.fields
    assert Treatment.objects.count() == 0
