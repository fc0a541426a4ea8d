"""Preview links: a reviewer without an account reads a draft, or a change
waiting, as the public will see it; the link expires, can be revoked, is
never cached or indexed, and opens nothing else."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import ContentVersion
from editorial.pending import PendingVersion
from editorial.previews import PreviewLink
from tests.factories import make_treatment
from tests.support.admin import change_form_data
from treatments.models import Treatment

pytestmark = pytest.mark.django_db


def review_url(record):
    return reverse("admin:treatments_treatment_review", args=[record.pk])


def text(response):
    page = re.sub(
        r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S
    )
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def make_link(client, record):
    """A link made on the record's review page, as an editor makes it."""
    assert client.post(review_url(record), {"action": "link"}).status_code == 302
    return PreviewLink.objects.of(record).latest("pk")


@pytest.fixture
def draft():
    return make_treatment(
        "Radiofrequency",
        status="draft",
        last_reviewed=None,
        summary="Heat under the skin.",
    )


class TestALinkToADraft:
    def test_shows_it_as_the_public_will_see_it(self, draft, editor_client):
        link = make_link(editor_client, draft)
        response = Client().get(link.get_absolute_url())
        assert response.status_code == 200
        page = text(response)
        assert "Heat under the skin." in page
        assert "Preview: not published yet." in page
        assert f"stops working on {link.expires_at:%-d %B %Y}" in page
        # As published: reviewed today, no "draft" banner, no editor's name.
        assert f"Last reviewed {datetime.date.today():%-d %B %Y}" in page
        assert "Draft: not visible" not in page
        assert "editor" not in page
        # Shown, never saved.
        draft.refresh_from_db()
        assert draft.status == "draft" and draft.last_reviewed is None
        assert Client().get(draft.get_absolute_url()).status_code == 404

    def test_is_never_cached_indexed_or_followed(
        self, draft, editor_client, monkeypatch, settings
    ):
        cache = caches[settings.PAGE_CACHE_ALIAS]
        stored = []
        monkeypatch.setattr(cache, "set", lambda *args, **kwargs: stored.append(args))
        link = make_link(editor_client, draft)
        before = ContentVersion.current()[0]
        response = Client().get(link.get_absolute_url())
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "no-referrer"
        assert "X-Cache" not in response
        assert stored == []
        # Rendering it published it in a transaction rolled back: nothing
        # bumped, nothing purged.
        assert ContentVersion.current()[0] == before

    def test_lasts_a_week_by_default(self, draft, editor_client):
        link = make_link(editor_client, draft)
        assert link.expires_at - link.created_at == datetime.timedelta(days=7)

    def test_the_setting_says_how_long(self, draft, editor_client, settings):
        settings.PREVIEW_LINK_DAYS = 2
        link = make_link(editor_client, draft)
        assert link.expires_at - link.created_at == datetime.timedelta(days=2)

    def test_stops_after_it_expires(self, draft, editor_client):
        link = make_link(editor_client, draft)
        PreviewLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        response = Client().get(link.get_absolute_url())
        assert response.status_code == 410
        page = text(response)
        assert "This preview has ended" in page
        assert "expired" in page
        assert "Heat under the skin." not in page
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"

    def test_stops_once_revoked_and_only_that_one(self, draft, editor_client):
        kept, revoked = make_link(editor_client, draft), make_link(editor_client, draft)
        page = editor_client.get(review_url(draft))
        assert [link.pk for link in page.context["links"]] == [revoked.pk, kept.pk]
        listed = text(page)
        assert "editor" in listed and f"{revoked.expires_at:%-d %B %Y}" in listed
        editor_client.post(review_url(draft), {"action": "revoke", "link": revoked.pk})
        response = Client().get(revoked.get_absolute_url())
        assert response.status_code == 410
        assert "withdrawn" in text(response)
        assert "Heat under the skin." not in text(response)
        assert Client().get(kept.get_absolute_url()).status_code == 200
        assert [
            link.pk for link in editor_client.get(review_url(draft)).context["links"]
        ] == [kept.pk]

    def test_cannot_be_turned_into_a_link_to_another_record(self, draft, editor_client):
        other = make_treatment("Other draft", status="draft", summary="Secret.")
        mine = make_link(editor_client, draft)
        theirs = make_link(editor_client, other)
        token = mine.token()
        value, signature = token.split(":", 1)
        link_pk, content_type, object_id = value.split(".")
        forged = [
            f"{link_pk}.{content_type}.{other.pk}:{signature}",
            f"{theirs.pk}.{content_type}.{draft.pk}:{signature}",
            f"{theirs.pk}.{content_type}.{other.pk}:{signature}",
            token[:-1] + ("A" if token[-1] != "A" else "B"),
            "junk",
            f"{link_pk}",
        ]
        for bad in forged:
            response = Client().get(reverse("preview-link", args=[bad]))
            assert response.status_code == 404, bad
            assert "Secret." not in response.content.decode()
        assert Client().get(mine.get_absolute_url()).status_code == 200

    def test_a_published_page_with_nothing_waiting_is_the_page(self, editor_client):
        published = make_treatment("Published")
        link = PreviewLink.make(published, user=None)
        response = Client().get(link.get_absolute_url())
        assert response.status_code == 302
        assert response["Location"] == published.get_absolute_url()


def test_a_link_to_a_change_waiting(seeded, editor_client):
    meso = Treatment.objects.get(slug="mesotherapy")
    url = reverse("admin:treatments_treatment_change", args=[meso.pk])
    data = change_form_data(editor_client, url)
    data["summary"] = "A summary a reviewer should check."
    data["change_note"] = "Summary rewritten."
    editor_client.post(url, data)
    assert PendingVersion.objects.exists()
    link = make_link(editor_client, meso)
    page = text(Client().get(link.get_absolute_url()))
    assert "A summary a reviewer should check." in page
    assert "Summary rewritten." in page  # the note, as it will be published
    assert "Preview: not published yet." in page
    public = text(Client().get(meso.get_absolute_url()))
    assert "A summary a reviewer should check." not in public


def test_a_link_to_a_comparison(seeded, editor_client):
    from comparisons.models import Comparison

    comparison = Comparison.objects.get()
    Comparison.objects.filter(pk=comparison.pk).update(status="draft")
    link = PreviewLink.make(comparison, user=None)
    response = Client().get(link.get_absolute_url())
    assert response.status_code == 200
    assert comparison.title in text(response)
    assert "Preview: not published yet." in text(response)


def test_only_staff_who_edit_or_publish_make_links(draft, publisher_only_client):
    response = publisher_only_client.post(review_url(draft), {"action": "link"})
    assert response.status_code == 302
    assert PreviewLink.objects.count() == 1
    stranger = Client()
    response = stranger.post(review_url(draft), {"action": "link"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert PreviewLink.objects.count() == 1
