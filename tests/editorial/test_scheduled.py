"""Scheduled publishing: a publisher approves a draft or a change for a time
to come, or a page to be unpublished; `manage.py publish_scheduled` does
what is due, and only that."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from editorial import review
from editorial.changes import ChangeNote
from editorial.pending import PendingVersion
from tests.factories import make_treatment
from tests.support.admin import change_form_data

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def review_url(record):
    return reverse("admin:treatments_treatment_review", args=[record.pk])


def text(response):
    page = re.sub(
        r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S
    )
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def local(moment):
    """As a datetime-local box posts it, in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def run():
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()


def schedule(client, record, at, **fields):
    page = client.get(review_url(record))
    form = page.context["forms"]["schedule"]
    return client.post(
        review_url(record),
        {
            "action": "schedule",
            "schedule-version": form.initial.get("version", ""),
            "schedule-seen": form.initial.get("seen", ""),
            "schedule-publish_at": local(at),
            **{f"schedule-{name}": value for name, value in fields.items()},
        },
    )


def change(client, treatment, **fields):
    url = reverse("admin:treatments_treatment_change", args=[treatment.pk])
    data = change_form_data(client, url)
    data.update(fields)
    assert client.post(url, data).status_code == 302


class TestScheduling:
    def test_a_publisher_schedules_a_draft(self, publisher_client):
        draft = make_treatment("Draft", status="review", last_reviewed=None)
        at = timezone.now() + HOUR
        assert schedule(publisher_client, draft, at, reviewed="on").status_code == 302
        pending = PendingVersion.objects.get()
        assert pending.is_scheduled
        assert abs(pending.publish_at - at) < datetime.timedelta(minutes=1)
        draft.refresh_from_db()
        assert draft.status == "review"  # not yet
        # The admin shows what is scheduled: the list, the record, the queue.
        listing = text(publisher_client.get("/admin/treatments/treatment/"))
        assert "Publishes" in listing
        assert "Scheduled to be published on" in text(
            publisher_client.get(review_url(draft))
        )
        assert "Scheduled" in text(publisher_client.get("/admin/"))

    def test_a_time_past_is_refused(self, publisher_client):
        draft = make_treatment("Draft", status="review", last_reviewed=None)
        response = schedule(publisher_client, draft, timezone.now() - HOUR)
        assert response.status_code == 200
        assert "this one has passed" in text(response)
        assert not PendingVersion.objects.filter(publish_at__isnull=False).exists()

    def test_scheduling_needs_the_publish_permission(self, editor_client):
        draft = make_treatment("Draft", status="review", last_reviewed=None)
        response = editor_client.post(
            review_url(draft),
            {"action": "schedule", "schedule-publish_at": local(timezone.now() + HOUR)},
        )
        assert response.status_code == 403
        assert not PendingVersion.objects.filter(publish_at__isnull=False).exists()
        response = editor_client.post(
            review_url(draft),
            {
                "action": "unpublish_at",
                "unpublish_at-unpublish_at": local(timezone.now() + HOUR),
            },
        )
        assert response.status_code == 403

    def test_an_editors_change_to_a_scheduled_draft_waits(
        self, editor_client, publisher_client
    ):
        draft = make_treatment("Draft", status="review", last_reviewed=None)
        schedule(publisher_client, draft, timezone.now() + HOUR, reviewed="on")
        change(editor_client, draft, summary="Changed after approval.")
        draft.refresh_from_db()
        # What was approved is what goes out; the change waits on its own.
        assert draft.summary != "Changed after approval."
        assert PendingVersion.objects.filter(kind="change", state="waiting").exists()

    def test_a_publisher_schedules_unpublishing(self, publisher_client):
        published = make_treatment("Published")
        at = timezone.now() + HOUR
        response = publisher_client.post(
            review_url(published),
            {"action": "unpublish_at", "unpublish_at-unpublish_at": local(at)},
        )
        assert response.status_code == 302
        published.refresh_from_db()
        assert abs(published.unpublish_at - at) < datetime.timedelta(minutes=1)
        assert "Unpublishes" in text(
            publisher_client.get("/admin/treatments/treatment/")
        )


class TestPublishScheduled:
    def test_publishes_and_unpublishes_what_is_due_and_only_that(
        self, editor_client, publisher, editor, client
    ):
        now = timezone.now()
        due_draft = make_treatment("Due draft", status="review", last_reviewed=None)
        later_draft = make_treatment("Later draft", status="review", last_reviewed=None)
        published = make_treatment("Changed")
        change(
            editor_client, published, summary="The change due.", change_note="Checked."
        )
        leaving = make_treatment("Leaving", unpublish_at=now - HOUR)
        staying = make_treatment("Staying", unpublish_at=now + HOUR)
        # Approved an hour ago, for a minute ago (times past are refused in
        # the admin: they were to come when approved).
        for record, pending in (
            (due_draft, None),
            (later_draft, None),
            (published, PendingVersion.objects.get(kind="change")),
        ):
            review.schedule(record, user=publisher, at=now + HOUR, pending=pending)
        PendingVersion.objects.exclude(object_id=later_draft.pk).update(
            publish_at=now - datetime.timedelta(minutes=1),
            approved_at=now - HOUR,
        )
        Client().get(published.get_absolute_url())  # cached as it was

        out = run()

        for record in (due_draft, later_draft, published, leaving, staying):
            record.refresh_from_db()
        assert due_draft.status == "published"
        assert due_draft.last_reviewed == timezone.localdate(now - HOUR)
        assert later_draft.status == "review"
        assert published.summary == "The change due."
        assert leaving.status == "draft" and leaving.unpublish_at is None
        assert staying.status == "published" and staying.unpublish_at is not None
        assert "Published: Due draft" in out
        assert "Published: Changed" in out
        assert "Unpublished: Leaving" in out
        assert "Later draft" not in out and "Staying" not in out
        # With a revision (by its editor) and its change note, and the
        # cache purged as for any save.
        latest = Version.objects.get_for_object(published).first()
        assert latest.revision.user == editor
        assert "Published as scheduled" in latest.revision.comment
        assert ChangeNote.objects.get().text == "Checked."
        page = text(Client().get(published.get_absolute_url()))
        assert "The change due." in page and "Checked." in page
        assert Client().get(due_draft.get_absolute_url()).status_code == 200
        assert Client().get(leaving.get_absolute_url()).status_code == 404
        assert Version.objects.get_for_object(leaving).first().revision.comment == (
            "Unpublished as scheduled."
        )

        # Run again: nothing more is due.
        assert run() == ""
        assert ChangeNote.objects.count() == 1

    def test_a_dry_run_publishes_nothing(self, publisher):
        draft = make_treatment("Draft", status="review", last_reviewed=None)
        review.schedule(draft, user=publisher, at=timezone.now() + HOUR)
        PendingVersion.objects.update(publish_at=timezone.now() - HOUR)
        out = io.StringIO()
        call_command("publish_scheduled", "--dry-run", stdout=out)
        assert "Due: Draft" in out.getvalue()
        draft.refresh_from_db()
        assert draft.status == "review"

    def test_a_version_sent_back_is_not_published(self, publisher):
        draft = make_treatment("Draft", status="review", last_reviewed=None)
        pending = review.schedule(draft, user=publisher, at=timezone.now() + HOUR)
        review.send_back(pending, user=publisher, note="Not yet.")
        PendingVersion.objects.update(publish_at=None)
        run()
        draft.refresh_from_db()
        assert draft.status == "draft"


def test_the_cron_line_is_documented():
    from pathlib import Path

    from django.conf import settings

    docs = (Path(settings.BASE_DIR) / "docs" / "editing.md").read_text()
    assert "manage.py publish_scheduled" in docs
    assert re.search(r"^\* \* \* \* \* .*manage\.py publish_scheduled", docs, re.M)
