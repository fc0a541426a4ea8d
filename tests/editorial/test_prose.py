"""The registry of public prose (editorial/prose.py) and what reads it: the
reading each page stores, the reading age under each text on the admin's
forms, the endpoint that measures a text as the editor types, and the
lists' column and filter."""

import datetime
import json
import re

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from comparisons.models import Comparison, ComparisonItem
from editorial import prose, readability
from editorial.admin import READING_TEXT_LIMIT
from tests.factories import add_facts, make_treatment
from tests.support.admin import change_form_data
from treatments import quality
from treatments.models import SideEffect, Treatment

pytestmark = pytest.mark.django_db

PLAIN = "You lie down. The nurse puts a cold gel on your skin."
HARD = (
    "Pharmacologically heterogeneous formulations, administered intradermally "
    "throughout multiple consecutive appointments, purportedly facilitate "
    "lipolysis notwithstanding considerable interindividual variability."
)
LONG = " ".join(["Then the nurse puts a cold gel on the skin"] * 3) + "."


def stored(record):
    record.refresh_from_db()
    return record.reading_age, record.texts_too_hard


# The registry.


def test_each_app_declares_its_public_prose():
    found = {model._meta.label: names for model, names in prose.registry().items()}
    assert found["treatments.Treatment"][:2] == ("summary", "how_it_works")
    assert found["treatments.SideEffect"] == (
        "frequency_wording",
        "duration",
        "what_is_normal",
    )
    assert found["comparisons.Comparison"] == ("introduction",)
    assert {"treatments.Condition", "treatments.ConditionFact"} <= found.keys()
    assert found["treatments.Source"] == ("notes",)


def test_every_registered_field_is_text_and_no_short_answer_is():
    for model, names in prose.registry().items():
        for name in names:
            field = model._meta.get_field(name)
            assert isinstance(field, models.CharField | models.TextField), name
            assert not field.choices and field.editable, name
    # "Usually a doctor": a few words for the comparison, not a sentence.
    assert not any(name.endswith("_brief") for name in prose.fields_of(Treatment))


def test_no_long_text_of_the_content_is_left_out():
    """A text box added to a content model is public prose until someone
    says otherwise: it must be registered."""
    for app in ("treatments", "comparisons"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.TextField) and field.editable:
                    assert prose.is_prose(model, field.name), (model, field.name)


def test_a_page_reading():
    plain, hard = readability.measure(PLAIN), readability.measure(HARD)
    page = prose.page_reading([plain, plain, hard, None])
    assert page.median == plain.age and page.measured == 3 and page.too_hard == 1
    assert not page.met
    assert prose.page_reading([plain, None]).met
    nothing = prose.page_reading([None])
    assert nothing.median is None and nothing.met


# The reading a page stores, restated when the change commits.


@pytest.fixture
def plain(committed):
    with committed():
        treatment = add_facts(
            make_treatment("Plain", summary=PLAIN, how_it_works=PLAIN)
        )
    return treatment


def test_a_treatment_stores_the_reading_of_its_page(plain, committed):
    age, too_hard = stored(plain)
    assert age == readability.measure(PLAIN).age and too_hard == 0
    # A fact's text is the page's too.
    effect = SideEffect.objects.filter(treatment=plain).first()
    with committed():
        effect.what_is_normal = HARD
        effect.save()
    assert stored(plain) == (age, 1)
    with committed():
        effect.delete()
    assert stored(plain) == (age, 0)
    with committed():
        Treatment.objects.get(pk=plain.pk).save()
    assert stored(plain) == (age, 0)


def test_the_stored_reading_is_the_reports(plain, committed):
    with committed():
        plain.how_it_works = LONG
        plain.save()
    loaded = Treatment.objects.for_comparison().get(pk=plain.pk)
    line = quality.for_treatment(loaded).line(quality.READING)
    plain.refresh_from_db()
    assert plain.reading().met == line.met is False
    assert f"Reading age about {plain.reading_age:.0f}" in line.detail


def test_nothing_is_restated_for_a_change_rolled_back(plain, committed, editor_client):
    """An editor's change to a published page waits for a publisher (it is
    made in a transaction rolled back): the public page, and so its
    reading, stay as they are."""
    before = stored(plain)
    url = f"/admin/treatments/treatment/{plain.pk}/change/"
    data = change_form_data(editor_client, url)
    data["how_it_works"] = HARD
    with committed():
        response = editor_client.post(url, data)
    assert response.status_code == 302
    assert Treatment.objects.get(pk=plain.pk).how_it_works == PLAIN
    assert stored(plain) == before


def test_a_comparison_stores_the_reading_of_its_page(plain, committed):
    with committed():
        other = add_facts(make_treatment("Other", summary=PLAIN))
        comparison = Comparison.objects.create(
            title="Plain or other?",
            slug="plain-or-other",
            introduction=PLAIN,
            status="published",
            last_reviewed=datetime.date(2026, 11, 21),
        )
        for position, treatment in enumerate([plain, other], start=1):
            ComparisonItem.objects.create(
                comparison=comparison, treatment=treatment, position=position
            )
    assert stored(comparison) == (readability.measure(PLAIN).age, 0)
    # Its own text, and any text of a treatment it shows.
    with committed():
        comparison.introduction = HARD
        comparison.save()
    assert stored(comparison)[1] == 1
    with committed():
        effect = SideEffect.objects.filter(treatment=other).first()
        effect.duration = HARD
        effect.save()
    assert stored(comparison)[1] == 2
    # A treatment it no longer shows is no longer its text.
    with committed():
        ComparisonItem.objects.filter(treatment=other).delete()
    assert stored(comparison)[1] == 1


# The admin: under each text, its reading age.


def test_each_text_shows_its_reading_age_under_it(plain, editor_client):
    Treatment.objects.filter(pk=plain.pk).update(how_it_works=LONG, cautions=PLAIN)
    page = editor_client.get(f"/admin/treatments/treatment/{plain.pk}/change/")
    html = page.content.decode()
    hint = re.search(
        r'<p class="reading-age" id="id_how_it_works_reading"[^>]*>(.*?)</p>', html
    )
    assert hint, "no reading age under “How it works”"
    assert hint.group(1).startswith("Reading age about")
    assert "split the sentence of 30 words" in hint.group(1)
    # Tied to its box for screen readers, after its help text if it has one.
    assert re.search(r'<textarea[^>]*aria-describedby="id_how_it_works_reading"', html)
    assert re.search(
        r'aria-describedby="id_cautions_helptext id_cautions_reading"', html
    )
    assert "easy to read (the aim is 11 or under)" in html
    # The facts' texts too, in the inlines.
    assert 'id="id_side_effects-0-what_is_normal_reading"' in html
    # The few words for comparisons are not measured.
    assert "id_how_it_feels_brief_reading" not in html


def test_the_reading_age_is_measured_again_on_save(plain, publisher_client):
    url = f"/admin/treatments/treatment/{plain.pk}/change/"
    data = change_form_data(publisher_client, url)
    data["how_it_works"] = HARD
    data["_continue"] = "Save and continue editing"
    page = publisher_client.post(url, data, follow=True).content.decode()
    assert Treatment.objects.get(pk=plain.pk).how_it_works == HARD
    hint = re.search(r'id="id_how_it_works_reading"[^>]*>(.*?)</p>', page).group(1)
    assert f"aim for {readability.TARGET_AGE} or under" in hint


def test_a_comparisons_introduction_shows_its_reading_age(plain, editor_client):
    comparison = Comparison.objects.create(
        title="A comparison", slug="a-comparison", introduction=HARD
    )
    page = editor_client.get(f"/admin/comparisons/comparison/{comparison.pk}/change/")
    assert 'id="id_introduction_reading"' in page.content.decode()


def test_the_endpoint_measures_as_the_server_does(editor_client):
    response = editor_client.post("/admin/reading-age/", {"text": HARD})
    assert response.status_code == 200
    found = json.loads(response.content)
    assert found == {
        "advice": readability.measure(HARD).advice(),
        "age": readability.measure(HARD).age,
    }
    short = json.loads(
        editor_client.post("/admin/reading-age/", {"text": "Hi"}).content
    )
    assert short == {"advice": "", "age": None}
    assert (
        response["Cache-Control"].startswith("private")
        or "no-store" in response["Cache-Control"]
    )


def test_the_endpoint_refuses_what_it_cannot_measure(editor_client):
    too_long = editor_client.post(
        "/admin/reading-age/", {"text": "word " * (READING_TEXT_LIMIT // 5 + 1)}
    )
    assert too_long.status_code == 400
    assert "It is measured when saved" in json.loads(too_long.content)["error"]
    assert editor_client.get("/admin/reading-age/").status_code == 405
    # Behind the admin's sign-in.
    anonymous = Client().post("/admin/reading-age/", {"text": HARD})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


# The lists: a column, and a filter on what is stored.


def listed(client, url):
    context = client.get(url).context
    return {str(record) for record in context["cl"].result_list}


def test_the_list_filters_on_the_reading_level(plain, committed, editor_client):
    with committed():
        make_treatment("Hard", summary=HARD)
        make_treatment("Short", summary="Just a few words.")
    url = "/admin/treatments/treatment/"
    assert listed(editor_client, url + "?reading=above") == {"Hard"}
    assert listed(editor_client, url + "?reading=on") == {"Plain"}
    assert listed(editor_client, url) == {"Plain", "Hard", "Short"}
    page = editor_client.get(url).content.decode()
    assert "By reading level" in page and "Above the target" in page
    cells = re.findall(r'<td class="field-reading_age_column">(.*?)</td>', page)
    hard_age = readability.measure(HARD).age
    assert sorted(cells) == sorted(
        [
            f"{hard_age:.1f}: above the target, 1 text too hard",
            f"{readability.measure(PLAIN).age:.1f}",
            "Too short to measure",
        ]
    )


def test_the_comparison_list_filters_on_it_too(plain, committed, editor_client):
    with committed():
        for title, introduction in (("Easy", PLAIN), ("Hard", HARD)):
            Comparison.objects.create(
                title=title, slug=title.lower(), introduction=introduction
            )
    url = "/admin/comparisons/comparison/"
    assert listed(editor_client, url + "?reading=above") == {"Hard"}
    assert listed(editor_client, url + "?reading=on") == {"Easy"}
