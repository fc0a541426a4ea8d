"""The comparison's rows, cells, citations and timeline marks are written in
Python (comparisons/templatetags/comparing.py, the citation line in
treatments/templatetags/catalogue.py) rather than by templates: what an
editor typed is escaped there as a template escapes it, on the comparison
and the printed summary, and each cell cites its own places."""

import datetime
import re

import pytest

from tests.factories import make_source, make_treatment
from treatments.models import Effect, Milestone, SideEffect

pytestmark = pytest.mark.django_db

# Markup an editor (or an imported file) might put in any text.
TAG = '<img src=x onerror="alert(1)">'
ESCAPED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
PAGE = "/compare/?treatments=alpha&treatments=beta"


@pytest.fixture
def typed_markup():
    """Two treatments whose every text shown in the table holds markup."""
    source = make_source(title=f"Guide {TAG}")
    treatments = []
    for name in ("Alpha", "Beta"):
        treatment = make_treatment(
            name,
            source=source,
            source_location=f"paragraph {TAG}",
            summary=f"Summary {TAG}",
            how_it_works=f"Works {TAG}",
            how_it_feels=f"Feels {TAG}",
            how_it_feels_brief=f"Brief {TAG}",
            questions_to_ask=f"Question {TAG}",
        )
        Milestone.objects.create(
            treatment=treatment,
            order=1,
            kind=Milestone.Kind.DAILY_ACTIVITIES,
            days_min=2,
            days_max=3,
            wording=f"after a while {TAG}",
            reading_note=f"read as {TAG}",
            source=source,
            source_location="p. 5",
        )
        treatments.append(treatment)
    effect = Effect.objects.create(name=f"Redness {TAG}", slug="redness")
    SideEffect.objects.create(
        treatment=treatments[0],
        effect=effect,
        frequency=SideEffect.Frequency.COMMON,
        duration=f"a day {TAG}",
        source=source,
        source_location="p. 4",
    )
    return treatments


def table_of(page):
    return page.split('<table class="compare', 1)[1].split("</table>", 1)[0]


def test_what_an_editor_typed_is_escaped_in_every_row_and_mark(client, typed_markup):
    page = client.get(PAGE).content.decode()
    table = table_of(page)
    timeline = page.split('<svg class="timeline"', 1)[1].split("</svg>", 1)[0]
    assert TAG not in page
    for shown in (
        f"Summary {ESCAPED}",  # a short answer
        f"Works {ESCAPED}",  # its details
        f"Brief {ESCAPED}",
        f"<li>Question {ESCAPED}</li>",  # the questions to ask
        f"after a while {ESCAPED}",  # a milestone's words
        f"a day {ESCAPED}",  # a side effect's details
        f"Redness {ESCAPED}",  # its row's question
        f">Guide {ESCAPED}</a>, paragraph {ESCAPED}</p>",  # a citation
    ):
        assert shown in table, shown
    assert f"Back to daily activities: after a while {ESCAPED}</text>" in timeline


def test_the_printed_summary_escapes_its_short_answers(client, typed_markup):
    page = client.get(PAGE.replace("/compare/", "/compare/summary/")).content.decode()
    table = table_of(page)
    assert TAG not in page
    assert f"Summary {ESCAPED}" in table
    assert f"Works {ESCAPED}" not in table  # the short answers alone


def test_each_cell_cites_its_own_places_and_changed_sources(client):
    source = make_source(title="The article")
    changed = make_source(
        title="The rewritten article",
        text_changed_at=datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC),
    )
    for name in ("Alpha", "Beta"):
        make_treatment(
            name,
            source=source if name == "Alpha" else changed,
            source_location=f"{name}'s paragraph",
            how_it_feels="Warm.",
        )
    table = table_of(client.get(PAGE).content.decode())
    feels = table.split('id="row-how-it-feels"', 1)[1].split("</tr>", 1)[0]
    cites = re.findall(r'<p class="cite">(.*?)</p>', feels)
    assert cites == [
        f'Source: <a href="#source-{source.slug}">The article</a>, '
        "Alpha&#x27;s paragraph",
        f'Source: <a href="#source-{changed.slug}">The rewritten article</a>, '
        "Beta&#x27;s paragraph",
    ]
    # The changed source's warning follows its line, in each cell citing it.
    assert feels.count("cite--changed") == 1
    assert table.count("The source has been updated since the last review") == (
        table.count(f'href="#source-{changed.slug}"')
    )
