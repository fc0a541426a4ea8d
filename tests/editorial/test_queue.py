"""The review queue, for an editor, a publisher and an account only in
"Publishers"; and what the review pages cost, in exact query counts."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial import review
from editorial.pending import PendingVersion
from tests.factories import add_facts, make_source, make_treatment
from tests.support.admin import change_form_data, make_editor, make_publisher, sign_in
from tests.support.content import made_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content_types_known")]

QUEUE = "/admin/editorial/pendingversion/"


def text(response):
    page = re.sub(
        r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S
    )
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def section(page, title):
    """The words of one section of the queue, up to the next heading."""
    match = re.search(rf"<h3>{re.escape(title)}</h3>(.*?)(?=<h3>|</div>)", page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()) if match else None


def edit(client, record, **fields):
    opts = record._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    data = change_form_data(client, url)
    data.update(fields)
    assert client.post(url, data).status_code == 302


@made_once
def work():
    """A queue with something in every section, made once for the module's
    tests that read it."""
    editor_client = sign_in(Client(), make_editor())
    publisher = make_publisher()
    today = datetime.date.today()
    changed = make_treatment("Changed")
    edit(editor_client, changed, summary="New words.")
    submitted = make_treatment("Submitted", status="draft", last_reviewed=None)
    edit(editor_client, submitted, status="review")
    sent_back = make_treatment("Sent back", status="draft", last_reviewed=None)
    edit(editor_client, sent_back, status="review")
    review.send_back(
        PendingVersion.objects.of(sent_back).get(),
        user=publisher,
        note="Which source says so?",
    )
    mine = make_treatment("My draft", status="draft", last_reviewed=None)
    edit(editor_client, mine, summary="Still writing.")
    make_treatment("Someone's draft", status="draft", last_reviewed=None)
    make_treatment("Overdue", last_reviewed=today - datetime.timedelta(days=400))
    make_treatment("Due soon", last_reviewed=today - datetime.timedelta(days=350))
    scheduled = make_treatment("Scheduled", status="review", last_reviewed=None)
    review.schedule(
        scheduled, user=publisher, at=timezone.now() + datetime.timedelta(days=2)
    )
    make_treatment("Leaving", unpublish_at=timezone.now() + datetime.timedelta(days=3))
    make_source(
        title="Gone away",
        url="https://example.org/gone",
        link_status=404,
        link_checked_at=timezone.now(),
    )
    make_source(title="Rewritten", text_changed_at=timezone.now())


def test_a_publisher_sees_what_waits_for_them(work, publisher_client):
    page = publisher_client.get(QUEUE).content.decode()
    waiting = section(page, "Waiting for a publisher")
    assert "Changed : a change by editor" in waiting
    assert "Changed One-line summary." in waiting
    assert "Submitted : a new page by editor" in waiting
    assert "Sent back" not in waiting and "Scheduled" not in waiting
    # Linked to the record's review page.
    changed = PendingVersion.objects.get(kind="change")
    assert f'href="{changed.get_absolute_url()}"' in page
    assert "Scheduled : published on" in section(page, "Scheduled")
    assert "Leaving : unpublished on" in section(page, "Scheduled")
    assert "Overdue" in section(page, "Reviews overdue")
    assert "Due soon" in section(page, "Reviews due within 30 days")
    assert "Gone away" in section(page, "Sources whose address is broken")
    assert "Rewritten : the facts citing it wait to be checked" in section(
        page, "Sources changed since their facts were checked"
    )
    assert section(page, "Sent back to you") is None  # not theirs
    assert "Nothing needs you" not in page


def test_an_editor_sees_their_own_work(work, editor_client):
    page = editor_client.get(QUEUE).content.decode()
    assert section(page, "Waiting for a publisher") is None
    sent_back = section(page, "Sent back to you")
    assert "Sent back" in sent_back and "Which source says so?" in sent_back
    mine = section(page, "Your changes waiting for a publisher")
    assert "Changed" in mine and "Submitted" in mine
    drafts = section(page, "Your drafts")
    assert "My draft" in drafts and "Sent back" in drafts
    assert "Someone's draft" not in drafts
    assert "Overdue" in section(page, "Reviews overdue")
    assert "Rewritten" in section(
        page, "Sources changed since their facts were checked"
    )


def test_an_account_only_in_publishers_sees_and_acts(work, publisher_only_client):
    page = publisher_only_client.get("/admin/").content.decode()
    assert "Changed : a change by editor" in section(page, "Waiting for a publisher")
    # It writes nothing: no drafts of its own.
    assert section(page, "Your drafts") is None
    changed = PendingVersion.objects.get(kind="change")
    review_page = publisher_only_client.get(changed.get_absolute_url())
    assert review_page.status_code == 200
    form = review_page.context["forms"]["publish"]
    response = publisher_only_client.post(
        changed.get_absolute_url(),
        {
            "action": "publish",
            "publish-version": form.initial["version"],
            "publish-seen": form.initial["seen"],
        },
    )
    assert response.status_code == 302
    changed.refresh_from_db()
    assert changed.state == "published"
    assert changed.record.summary == "New words."
    # And reads the record's form, without saving it.
    record_form = publisher_only_client.get(
        reverse("admin:treatments_treatment_change", args=[changed.object_id])
    )
    assert record_form.status_code == 200
    assert "New words." in text(record_form)


def test_nothing_needs_you(editor_client):
    page = editor_client.get(QUEUE).content.decode()
    assert "Nothing needs you." in page
    assert "Nothing needs you." in editor_client.get("/admin/").content.decode()


def test_staff_outside_the_groups_do_not_see_it(client):
    staff = User.objects.create_user("staff", is_staff=True)
    sign_in(client, staff)
    assert client.get(QUEUE).status_code == 403


# Exact counts, with few and with many things waiting: the session, the
# user, the two-factor device, the permissions of the user and of the
# groups; then the queue's own
# (editorial/queue.py): the versions waiting, then for treatments and for
# comparisons those scheduled to be unpublished, your drafts, overdue and
# due soon, those that fail a line of "About this information" and how
# many, then the broken sources and the sources whose text changed.
@pytest.mark.parametrize("size", [1, 6])
def test_the_queue_costs_the_same_however_long(
    editor_client, publisher_client, publisher, django_assert_num_queries, size
):
    today = datetime.date.today()
    for n in range(size):
        edit(editor_client, make_treatment(f"Changed {n}"), summary=f"Words {n}.")
        make_treatment(f"Overdue {n}", last_reviewed=today - datetime.timedelta(400))
        draft = make_treatment(f"Draft {n}", status="draft", last_reviewed=None)
        edit(editor_client, draft, summary=f"Draft {n}.")
        make_source(link_status=500, link_checked_at=timezone.now())
        make_source(text_changed_at=timezone.now())
    for client in (editor_client, publisher_client):
        client.get(QUEUE)
        with django_assert_num_queries(20):
            assert client.get(QUEUE).status_code == 200


# A review page: the session, the user, the permissions; the record, what
# waits, then for a change what is published now (the record, its plan,
# areas, side effects and milestones) and what the versions name (sources,
# body areas, side-effect kinds), and the preview links.
@pytest.mark.parametrize("size", [2, 8])
def test_a_review_page_costs_the_same_however_many_facts(
    editor_client, publisher_client, django_assert_num_queries, size
):
    treatment = add_facts(make_treatment("Changed"), side_effects=size, milestones=size)
    edit(editor_client, treatment, summary="New words.")
    url = reverse("admin:treatments_treatment_review", args=[treatment.pk])
    publisher_client.get(url)
    with django_assert_num_queries(16):
        assert publisher_client.get(url).status_code == 200


# The change form of a record with a change waiting: the session, the user,
# the permissions; the record and what waits; then, in a transaction rolled
# back, the version applied (the facts it drops, the record, its conditions,
# the facts it changes: none written that it leaves as they are, and the
# treatment's stored day for the catalogue's sort) and the admin's change
# form as for any record, with its "About this information" (six queries:
# tests/admin/test_queries.py).
@pytest.mark.parametrize("size", [2, 8])
def test_the_change_form_of_a_change_waiting_costs_the_same(
    editor_client, django_assert_num_queries, size
):
    treatment = add_facts(make_treatment("Changed"), side_effects=size, milestones=size)
    edit(editor_client, treatment, summary="New words.")
    url = reverse("admin:treatments_treatment_change", args=[treatment.pk])
    editor_client.get(url)
    with django_assert_num_queries(39):
        assert editor_client.get(url).status_code == 200


# The public page of it, for staff: the session (read by the page cache and
# by the login), the user, what waits; then the version applied, as above,
# and the page as ever, in a transaction rolled back.
@pytest.mark.parametrize("size", [2, 8])
def test_a_page_with_a_change_waiting_costs_the_same_for_staff(
    editor_client, django_assert_num_queries, size
):
    treatment = add_facts(make_treatment("Changed"), side_effects=size, milestones=size)
    edit(editor_client, treatment, summary="New words.")
    editor_client.get(treatment.get_absolute_url())
    with django_assert_num_queries(29):
        response = editor_client.get(treatment.get_absolute_url())
    assert "New words." in text(response)
