"""What a person deciding reads on the treatment pages and the catalogue:
how strong the evidence is, when the page is next reviewed, the "no
treatment" baseline as what it is, and results first on a phone."""

import datetime
import html
import re

import pytest

from tests.factories import make_source, make_treatment
from treatments.models import Source, Treatment

pytestmark = pytest.mark.django_db

LASER = "/treatments/laser-cellulite-reduction/"
MESO = "/treatments/mesotherapy/"
BASELINE = "/treatments/no-treatment/"


def text(response):
    words = " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split()
    )
    return re.sub(r" ([,.;:])", r"\1", words)


class TestEvidence:
    def test_each_treatment_says_how_strong_its_evidence_is(self, seeded, client):
        page = text(client.get(LASER))
        assert (
            "Evidence: low. Its source is a general-interest article that cites no "
            "studies or figures." in page
        )
        assert "Limits of this information" in page
        assert "names no publisher, author or date" in page
        page = text(client.get(MESO))
        assert (
            "cites no studies or figures. WiseGeek says it is funded by advertising."
            in page
        )
        # One treatment, one source: no note about comparing two sources.
        assert "Each treatment is described by a different source" not in page

    def test_the_sources_kinds_come_from_the_articles(self, seeded):
        sources = {s.slug: s for s in Source.objects.all()}
        laser = sources["laser-cellulite-reduction-article"]
        meso = sources["wisegeek-mesotherapy-for-cellulite"]
        assert laser.kind == meso.kind == Source.Kind.GENERAL_INTEREST
        assert not laser.cites_studies and not meso.cites_studies
        assert meso.funded_by_advertising and not laser.funded_by_advertising
        assert laser.publisher == "" and laser.unnamed_details == [
            "publisher",
            "author",
            "date",
        ]

    @pytest.mark.parametrize(
        ("kind", "cites", "statement"),
        [
            (
                "general-interest-article",
                True,
                "Evidence: low. Its source is a general-interest article that cites "
                "studies or figures.",
            ),
            (
                "advertising-funded-article",
                False,
                "Evidence: low. Its source is an advertising-funded article that "
                "cites no studies or figures.",
            ),
            (
                "systematic-review",
                False,
                "Evidence: high. Its source is a systematic review.",
            ),
        ],
    )
    def test_the_statement_follows_the_kind(self, client, kind, cites, statement):
        make_treatment("T", source=make_source(kind=kind, cites_studies=cites))
        assert statement in text(client.get("/treatments/t/"))


class TestReviewDates:
    def test_last_reviewed_and_next_review_due(self, seeded, client):
        page = text(client.get(LASER))
        assert (
            "Last reviewed 21 November 2026; next review due 21 November 2027." in page
        )

    def test_twelve_months_unless_an_editor_sets_another_date(self, client):
        make_treatment("Yearly", last_reviewed=datetime.date(2026, 2, 3))
        make_treatment(
            "Sooner",
            last_reviewed=datetime.date(2026, 2, 3),
            next_review_due=datetime.date(2026, 8, 1),
        )
        assert "next review due 3 February 2027" in text(
            client.get("/treatments/yearly/")
        )
        assert "next review due 1 August 2026" in text(
            client.get("/treatments/sooner/")
        )


class TestBaseline:
    def test_reads_as_what_it_is(self, seeded, client):
        response = client.get(BASELINE)
        page = text(response)
        assert "A treatment for" not in page
        assert "Living without a procedure" in page
        # Named for what it is, in the reader's words, not the designer's.
        assert "No procedure: living with cellulite" in page
        assert "decision aid" not in page
        assert "diet and exercise alone" not in page
        assert "What the sources say" in page
        assert (
            "In most cases, weight loss, diet and exercise do not make it go away. "
            "The mesotherapy article says so." in page
        )
        for row in (
            "Who performs it",
            "Number of sessions",
            "Side effects",
            "Before you book",
            "How it feels",
        ):
            assert row not in page, row
        assert "Evidence: low." in page


class TestSmallThings:
    def test_silences_read_alike(self, seeded, client):
        page = client.get(LASER).content.decode()
        # Maintenance, not stated: set as every other silence is.
        assert (
            '<dt>Maintenance</dt><dd><span class="not-stated">'
            "The source does not say</span>" in page
        )

    def test_the_side_effects_name_does_not_repeat_its_site(self, seeded, client):
        page = text(client.get(LASER))
        assert "Fluid leaking, around the incisions" in page
        assert "from the incisions, around the incisions" not in page

    def test_the_sources_words_first_and_how_we_read_them_behind(self, seeded, client):
        page = text(client.get(LASER))
        assert (
            "Back to daily activities: After the first couple of days How we read "
            "this: back to daily activities On a timeline: about days 2–3 after the "
            "procedure. “A couple of days” read as 2 to 3 days." in page
        )


class TestCatalogueOnAPhone:
    def test_arriving_with_a_filter_the_filters_are_folded_and_summarised(
        self, seeded, client
    ):
        page = client.get(
            "/treatments/?body_area=thighs&invasiveness=minimally-invasive"
        ).content.decode()
        assert '<details class="filters-disclosure">' in page
        assert "Now: Thighs, Minimally invasive." in text_of(page)
        assert "Change filters" in page

    def test_a_filter_not_understood_opens_them(self, seeded, client):
        page = client.get(
            "/treatments/?body_area=nonsense&invasiveness=minimally-invasive"
        ).content.decode()
        assert '<details class="filters-disclosure" open>' in page
        assert "2 treatments match the filters we could use" in page
        assert "Now: Minimally invasive." in text_of(page)

    def test_without_a_filter_nothing_is_summarised(self, seeded, client):
        page = client.get("/treatments/").content.decode()
        assert "Now:" not in page
        assert "match your filters" not in page


def text_of(page):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_a_treatment_with_nothing_to_compare_offers_the_baseline(seeded, client):
    # A treatment with no areas in common with any other still gets the
    # "no treatment" baseline to compare with.
    make_treatment("Lonely")
    offered = [
        t.slug for t in client.get("/treatments/lonely/").context["compare_with"]
    ]
    assert offered == ["no-treatment"]


def test_editors_edit_the_short_answers_and_the_sources_kind(seeded, editor_client):
    treatment = Treatment.objects.get(slug="mesotherapy")
    page = editor_client.get(
        f"/admin/treatments/treatment/{treatment.pk}/change/"
    ).content.decode()
    for field in (
        "how_it_feels_brief",
        "performed_by_brief",
        "before_first_session_brief",
        "effectiveness_brief",
        "results_duration_brief",
        "cautions_brief",
        "where_to_have_it_brief",
    ):
        assert f'name="{field}"' in page, field
    source = Source.objects.get(slug="wisegeek-mesotherapy-for-cellulite")
    page = editor_client.get(f"/admin/treatments/source/{source.pk}/change/").content
    for field in (
        b'name="kind"',
        b'name="cites_studies"',
        b'name="funded_by_advertising"',
    ):
        assert field in page
