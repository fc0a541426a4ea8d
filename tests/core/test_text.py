"""Text that cannot break anything: control characters are dropped on save
and import (core/text.py), and the feed carries notes as plain text."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from core.text import tidy
from editorial.changes import ChangeNote, note_change
from tests.factories import make_source, make_treatment
from treatments.models import Source, Treatment

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed():
    response = Client().get("/changes/feed/")
    assert response.status_code == 200
    return ET.fromstring(response.content)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("a\x0bb", "ab"),
        ("a\x00b\x07c\x1bd\x7fe\x85f", "abcdef"),
        ("line one\r\nline two\r", "line one\nline two"),
        ("keeps\ttabs\nand newlines", "keeps\ttabs\nand newlines"),
        ("café – “quotes” ✓", "café – “quotes” ✓"),
    ],
)
def test_tidy_drops_control_characters_only(typed, kept):
    assert tidy(typed) == kept


def test_every_text_field_is_tidied_on_save():
    source = make_source(title="Vertical\x0btab", notes="Bell\x07 here")
    treatment = make_treatment("Laser\x0c", source=source, summary="One\x0btwo")
    note_change(treatment, "Checked\x0b again.")
    source.refresh_from_db()
    assert (source.title, source.notes) == ("Verticaltab", "Bell here")
    treatment.refresh_from_db()
    assert (treatment.name, treatment.summary) == ("Laser", "Onetwo")
    assert ChangeNote.objects.get().text == "Checked again."


def test_the_feed_survives_a_control_character_stored_before(editor_client):
    treatment = make_treatment("Laser")
    note_change(treatment, "A note.")
    # Stored before saving dropped them: bypass save().
    ChangeNote.objects.update(text="A\x0b note.")
    Treatment.objects.filter(pk=treatment.pk).update(name="Las\x0ber")
    (entry,) = feed().iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Laser: A note."
    assert entry.findtext(f"{ATOM}summary") == "A note."


def test_the_feed_carries_a_note_as_text_not_markup():
    treatment = make_treatment("Laser")
    ChangeNote.objects.create(
        content_type=ContentType.objects.get_for_model(Treatment),
        object_id=treatment.pk,
        text='See <a href="https://x.example/">this</a><img src="https://t.example/p">',
    )
    (entry,) = feed().iter(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # What a reader renders as HTML is the escaped text: the words typed,
    # no link, no image.
    assert summary.text == (
        "See &lt;a href=&quot;https://x.example/&quot;&gt;this&lt;/a&gt;"
        "&lt;img src=&quot;https://t.example/p&quot;&gt;"
    )


def test_a_source_title_with_a_control_character_from_the_admin(editor_client):
    source = make_source(title="Plain")
    url = f"/admin/treatments/source/{source.pk}/change/"
    form = editor_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["title"] = "Pasted\x0b title"
    data = {k: v for k, v in data.items() if v is not False}
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Source.objects.get(pk=source.pk).title == "Pasted title"
