"""What changed, in public: change notes written on save, listed on the
treatment's page, and the Atom feed of them."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from editorial.changes import ChangeNote, note_change
from tests.factories import make_treatment
from tests.support.admin import change_form_data

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/changes/feed/"


def change_url(record):
    return reverse("admin:treatments_treatment_change", args=[record.pk])


def save_with_note(client, treatment, note, **changes):
    data = change_form_data(client, change_url(treatment))
    data.update(changes, change_note=note)
    response = client.post(change_url(treatment), data)
    assert response.status_code == 302
    return response


def feed_entries(client=None):
    response = (client or Client()).get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    response.author = root.findtext(f"{ATOM}author/{ATOM}name")
    return response, [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_a_note_is_kept_with_the_revision_of_its_save(editor_client, editor):
    treatment = make_treatment("Laser")
    save_with_note(
        editor_client,
        treatment,
        "Added the cost of a session.",
        cautions="Mind the sun.",
    )
    note = ChangeNote.objects.get()
    assert note.record == treatment
    assert note.text == "Added the cost of a session."
    latest = Version.objects.get_for_object(treatment).first()
    assert note.revision == latest.revision
    assert latest.revision.user == editor
    # The admin's own record of the change does not mention the note.
    assert "note" not in latest.revision.comment.lower()


def test_no_note_unless_one_is_written(editor_client):
    treatment = make_treatment("Laser")
    save_with_note(editor_client, treatment, "   ")
    assert not ChangeNote.objects.exists()


def test_the_treatment_page_lists_its_changes_dated(editor_client):
    treatment = make_treatment("Laser")
    save_with_note(editor_client, treatment, "Side effects checked again.")
    note = ChangeNote.objects.get()
    page = Client().get(treatment.get_absolute_url()).content.decode()
    assert "What changed" in page
    assert (
        f'<li id="change-{note.pk}"><time datetime="{note.created:%Y-%m-%d}">' in page
    )
    assert "Side effects checked again." in page


def test_a_new_note_shows_at_once_past_the_page_cache(editor_client):
    treatment = make_treatment("Laser")
    anonymous = Client()
    assert anonymous.get(FEED)["X-Cache"] == "miss"
    assert anonymous.get(FEED)["X-Cache"] == "hit"  # public and cacheable
    anonymous.get(treatment.get_absolute_url())
    note_change(treatment, "A new note.")
    assert "A new note." in anonymous.get(treatment.get_absolute_url()).content.decode()
    assert "A new note." in anonymous.get(FEED).content.decode()


def test_the_feed_has_public_changes_and_nothing_private(editor_client, editor):
    published = make_treatment("Laser")
    editor.username, editor.first_name, editor.last_name = "ada.l", "Ada", "Lovelace"
    editor.save()
    save_with_note(editor_client, published, "Recovery times corrected.")
    response, entries = feed_entries()
    (entry,) = entries
    assert entry["title"] == "Laser: Recovery times corrected."
    assert entry["summary"] == "Recovery times corrected."
    note = ChangeNote.objects.get()
    assert entry["link"] == f"http://testserver/treatments/laser/#change-{note.pk}"
    assert response.author == "Side by Side"  # the site, never an editor
    feed = response.content.decode()
    for private in ("ada.l", "Ada", "Lovelace", "Changed", "Cautions", "revision"):
        assert private not in feed


def test_no_feed_entry_for_a_draft(editor_client):
    draft = make_treatment("Draft", status="draft")
    save_with_note(editor_client, draft, "First written.")
    assert ChangeNote.objects.count() == 1
    _, entries = feed_entries()
    assert entries == []
    assert "First written." not in Client().get("/treatments/draft/").content.decode()
    # Once published, its notes are public.
    draft.status = "published"
    draft.save()
    _, entries = feed_entries()
    assert [entry["summary"] for entry in entries] == ["First written."]


def test_every_page_links_to_the_feed(client):
    make_treatment("Laser")
    for path in ("/", "/treatments/", "/treatments/laser/", "/no-such-page/"):
        page = client.get(path).content.decode()
        assert (
            '<link rel="alternate" type="application/atom+xml" '
            'title="Side by Side: what changed" href="/changes/feed/">'
        ) in page, path


def test_notes_go_with_their_treatment(editor_client):
    treatment = make_treatment("Laser")
    note_change(treatment, "A note.")
    treatment.delete()
    assert not ChangeNote.objects.exists()


@pytest.mark.parametrize("site_url", ["", "https://treatments.example.org"])
def test_no_request_plants_its_host_in_the_cached_feed(client, settings, site_url):
    settings.SITE_URL = site_url
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    treatment = make_treatment("Laser")
    note_change(treatment, "A new note.")
    for _ in range(3):
        client.get(FEED, HTTP_HOST="127.0.0.1:6666")
    feed = client.get(FEED).content.decode()
    assert "6666" not in feed
    if site_url:
        assert f"{site_url}/treatments/laser/#change-" in feed
