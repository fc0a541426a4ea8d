"""The catalogue and treatment pages, through the client."""

import re

import pytest
from django.db import OperationalError
from django.test import Client

from tests.factories import make_area, make_treatment
from tests.support.content import made_once
from treatments import paging
from treatments.models import BodyArea

pytestmark = pytest.mark.django_db

LASER = "Laser cellulite reduction"
MESO = "Mesotherapy"


def listed(response):
    """The names of the treatments the catalogue lists, in order."""
    assert response.status_code == 200
    return [treatment.name for treatment in response.context["treatments"]]


def problems(response):
    """The filter problems the page reports, by field."""
    return {
        name: [str(error) for error in errors]
        for name, errors in response.context["filter"].form.errors.items()
    }


class TestBodyAreaFilter:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("", [LASER, MESO]),
            # A source that names the legs speaks of the thighs too.
            ("?body_area=thighs", [LASER, MESO]),
            ("?body_area=back", [MESO]),
            # Legs includes thighs: mesotherapy treats legs, laser thighs.
            ("?body_area=legs", [LASER, MESO]),
            ("?body_area=buttocks", [LASER, MESO]),
            # Several areas: a treatment of any of them.
            ("?body_area=back&body_area=thighs", [LASER, MESO]),
        ],
    )
    def test_seeded_catalogue(self, seeded, client, query, expected):
        assert listed(client.get(f"/treatments/{query}")) == expected

    def test_parent_area_finds_treatments_of_inner_areas_only_once(self, client):
        legs = make_area("Legs")
        thighs = make_area("Thighs", parent=legs)
        calves = make_area("Calves", parent=legs)
        arms = make_area("Arms")
        make_treatment("Both", areas=[thighs, calves, legs])
        make_treatment("Calves only", areas=[calves])
        make_treatment("Arms only", areas=[arms])
        assert listed(client.get("/treatments/?body_area=legs")) == [
            "Both",
            "Calves only",
        ]
        # Thighs: its own treatments, and those of the legs around it.
        assert listed(client.get("/treatments/?body_area=thighs")) == ["Both"]
        assert listed(client.get("/treatments/?body_area=calves")) == [
            "Both",
            "Calves only",
        ]
        assert listed(client.get("/treatments/?body_area=arms")) == ["Arms only"]

    def test_each_choice_says_how_many_treatments_it_has(self, seeded, client):
        page = client.get("/treatments/").content.decode()
        assert "Legs, including thighs (2 treatments)" in page
        assert "Thighs (2 treatments)" in page
        assert "Back (1 treatment)" in page

    def test_unpublished_treatments_are_not_counted_or_listed(
        self, client, django_capture_on_commit_callbacks
    ):
        # The areas' counts are recounted when a change commits.
        with django_capture_on_commit_callbacks(execute=True):
            arms = make_area("Arms")
            make_treatment("Public", areas=[arms])
            make_treatment("Draft", areas=[arms], status="draft")
        response = client.get("/treatments/?body_area=arms")
        assert listed(response) == ["Public"]
        assert "Arms (1 treatment)" in response.content.decode()

    def test_heading_names_the_chosen_area(self, seeded, client):
        response = client.get("/treatments/?body_area=thighs")
        assert re.search(
            r"<h1>\s*Treatments for thighs\s*</h1>", response.content.decode()
        )


class TestOtherFilters:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("?invasiveness=minimally-invasive", [LASER, MESO]),
            ("?invasiveness=non-invasive", []),
            ("?invasiveness=surgical&invasiveness=minimally-invasive", [LASER, MESO]),
            ("?anaesthesia=local", [LASER]),
            ("?anaesthesia=optional-topical", [MESO]),
            ("?anaesthesia=general", []),
            # Mesotherapy takes about ten; laser does not say, so never fits.
            ("?max_sessions=10", [MESO]),
            ("?max_sessions=9", []),
            ("?max_sessions=100", [MESO]),
            ("?q=injection", [MESO]),
            ("?q=LASER", [LASER]),
            ("?q=collagen", [LASER]),
            ("?q=nothing-matches-this", []),
            ("?body_area=back&anaesthesia=local", []),
        ],
    )
    def test_seeded_catalogue(self, seeded, client, query, expected):
        assert listed(client.get(f"/treatments/{query}")) == expected

    def test_sessions_use_the_range_then_the_typical_figure(self, client):
        make_treatment(
            "Range 3-6",
            plan={
                "kind": "course",
                "sessions_min": 3,
                "sessions_max": 6,
                "sessions_typical": 4,
            },
        )
        make_treatment("Typical 4", plan={"kind": "course", "sessions_typical": 4})
        make_treatment("Once", plan={"kind": "single"})
        make_treatment("Unknown")
        assert listed(client.get("/treatments/?max_sessions=4")) == [
            "Once",
            "Typical 4",
        ]
        assert listed(client.get("/treatments/?max_sessions=6")) == [
            "Once",
            "Range 3-6",
            "Typical 4",
        ]
        assert listed(client.get("/treatments/?max_sessions=1")) == ["Once"]

    def test_sort_by_days_until_daily_activities_puts_unknown_last(
        self, seeded, client
    ):
        alpha = make_treatment("Alpha")
        alpha.milestones.create(
            order=1,
            kind="daily-activities",
            days_min=1,
            days_max=1,
            wording="the next day",
            source=alpha.source,
            source_location="p. 1",
        )
        assert listed(client.get("/treatments/?sort=daily")) == ["Alpha", LASER, MESO]
        assert listed(client.get("/treatments/?sort=name")) == ["Alpha", LASER, MESO]


class TestMalformedFilters:
    @pytest.mark.parametrize(
        ("query", "field", "message"),
        [
            (
                "?body_area=nonsense",
                "body_area",
                "“nonsense” is not a body area on this site. Choose from the list.",
            ),
            (
                "?max_sessions=abc",
                "max_sessions",
                "Enter a whole number of sessions, such as 3.",
            ),
            (
                "?max_sessions=2.5",
                "max_sessions",
                "Enter a whole number of sessions, such as 3.",
            ),
            ("?max_sessions=0", "max_sessions", "Enter at least 1 session."),
            (
                "?max_sessions=99999999999999999999999",
                "max_sessions",
                "Enter at most 100 sessions.",
            ),
            (
                "?invasiveness=very",
                "invasiveness",
                "“very” is not a level of invasiveness. Choose from the list.",
            ),
            ("?anaesthesia=%00", "anaesthesia", None),
            (
                "?sort=price",
                "sort",
                "“price” is not a way to sort. Choose from the list.",
            ),
            ("?q=" + "x" * 101, "q", None),
        ],
    )
    def test_says_which_filter_was_not_understood(
        self, seeded, client, query, field, message
    ):
        response = client.get(f"/treatments/{query}")
        assert response.status_code == 200
        errors = problems(response)
        assert list(errors) == [field]
        if message:
            assert errors[field] == [message]
        page = response.content.decode()
        assert "Some filters were not understood" in page
        # Not an empty list that looks like "no treatments".
        assert listed(response) == [LASER, MESO]
        assert "No treatment matches" not in page

    def test_the_filters_that_were_understood_still_apply(self, seeded, client):
        response = client.get("/treatments/?body_area=back&max_sessions=abc")
        assert listed(response) == [MESO]
        assert list(problems(response)) == ["max_sessions"]

    @pytest.mark.parametrize(
        ("query", "value"),
        [("abc", None), ("1e", None), ("2.5", "2.5"), ("0", "0"), ("12", "12")],
    )
    def test_the_number_field_keeps_only_a_number(self, seeded, client, query, value):
        # value="abc" on a number field is invalid HTML; browsers show none.
        response = client.get(f"/treatments/?max_sessions={query}")
        field = re.search(
            r'<input type="number" name="max_sessions"[^>]*>', str(response.content)
        )
        assert field
        shown = re.search(r' value="([^"]*)"', field[0])
        assert (shown and shown[1]) == value

    def test_the_message_is_escaped(self, seeded, client):
        response = client.get("/treatments/?body_area=<script>alert(1)</script>")
        page = response.content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    def test_no_match_says_so(self, seeded, client):
        response = client.get("/treatments/?body_area=back&anaesthesia=local")
        assert "No treatment matches all of these filters." in response.content.decode()
        assert "Some filters were not understood" not in response.content.decode()


@made_once(scope="class", committed=True)
def thirty():
    for number in range(30):
        make_treatment(f"Treatment {number:02}")


class TestPagination:
    def test_pages_of_twelve(self, thirty, client):
        first = client.get("/treatments/")
        assert listed(first) == [f"Treatment {n:02}" for n in range(12)]
        assert "Page 1 of 3" in first.content.decode()
        assert listed(client.get("/treatments/?page=3")) == [
            f"Treatment {n:02}" for n in range(24, 30)
        ]

    @pytest.mark.parametrize(("page", "first"), [("abc", 0), ("-1", 24), ("999", 24)])
    def test_a_bad_page_number_shows_the_nearest_page(
        self, thirty, client, page, first
    ):
        assert (
            listed(client.get(f"/treatments/?page={page}"))[0]
            == f"Treatment {first:02}"
        )

    def test_page_links_keep_the_filters(self, thirty, client):
        page = client.get("/treatments/?invasiveness=non-invasive").content.decode()
        assert 'href="?invasiveness=non-invasive&amp;page=2"' in page


def results_heading(response):
    page = response.content.decode()
    return re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', page)[1]


def pages_line(response):
    found = re.search(r"<p>(Page [^<]*)</p>", response.content.decode())
    return found and found[1]


@made_once(scope="class", committed=True)
def dense_catalogue():
    """Most of the catalogue in one area tree: 34 treatments of the thighs,
    3 for the legs (which the thighs take in), 3 of the arms."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paging, "COUNT_UP_TO", 20)
        legs = make_area("Legs")
        thighs = make_area("Thighs", parent=legs)
        arms = make_area("Arms")
        for number in range(40):
            area = thighs if number < 34 else legs if number < 37 else arms
            make_treatment(
                f"Treatment {number:02}",
                areas=[area],
                invasiveness="surgical" if number % 2 else "non-invasive",
            )
        make_treatment("Draft", areas=[thighs], status="draft")


class TestCounts:
    """What a page says of how many treatments it lists: the stored counts,
    exact, or "more than" past what it counts (treatments/paging.py)."""

    @pytest.fixture
    def dense(self, dense_catalogue, monkeypatch):
        """The dense catalogue, counted up to 20 (100 on the site)."""
        monkeypatch.setattr(paging, "COUNT_UP_TO", 20)

    @pytest.mark.parametrize(
        ("query", "heading", "pages"),
        [
            # Stored: the whole catalogue, and one area alone.
            ("", "40 treatments", "Page 1 of 4"),
            ("?body_area=thighs", "37 treatments match your filters", "Page 1 of 4"),
            ("?body_area=arms", "3 treatments match your filters", None),
            # Counted, up to 20.
            ("?body_area=arms&invasiveness=surgical", "2 treatments match", None),
            (
                "?body_area=legs&invasiveness=surgical",
                "18 treatments match your filters",
                "Page 1 of 2",
            ),
            (
                "?body_area=thighs&body_area=arms",
                "More than 20 treatments match your filters",
                "Page 1",
            ),
            ("?q=treatment", "More than 20 treatments match your filters", "Page 1"),
            # Counted to the end of the page asked for, and one more.
            (
                "?body_area=thighs&body_area=arms&page=3",
                "More than 36 treatments match your filters",
                "Page 3",
            ),
            # The last page: all of them, counted.
            (
                "?body_area=thighs&body_area=arms&page=4",
                "40 treatments match your filters",
                "Page 4 of 4",
            ),
        ],
    )
    def test_what_the_page_says(self, dense, client, query, heading, pages):
        response = client.get(f"/treatments/{query}")
        assert results_heading(response).startswith(heading)
        assert pages_line(response) == pages

    def test_past_the_count_a_next_page_is_offered_and_shown_whole(self, dense, client):
        query = "?body_area=thighs&body_area=arms"
        first = client.get(f"/treatments/{query}")
        assert 'rel="next"' in first.content.decode()
        third = client.get(f"/treatments/{query}&page=3")
        assert listed(third) == [f"Treatment {n:02}" for n in range(24, 36)]
        assert 'rel="next"' in third.content.decode()
        last = client.get(f"/treatments/{query}&page=4")
        assert listed(last) == [f"Treatment {n:02}" for n in range(36, 40)]
        assert 'rel="next"' not in last.content.decode()

    def test_a_page_number_past_any_count_shows_the_last_page(self, dense, client):
        query = "?body_area=thighs&body_area=arms&page=" + "9" * 40
        assert listed(client.get(f"/treatments/{query}"))[0] == "Treatment 36"

    def test_a_stored_count_a_moment_behind_shortens_no_page(self, client):
        # Published, but not yet recounted: its transaction has not
        # committed (here it never does). The count waits for the recount;
        # the list does not.
        for number in range(3):
            make_treatment(f"Treatment {number}")
        response = client.get("/treatments/")
        assert listed(response) == ["Treatment 0", "Treatment 1", "Treatment 2"]
        assert results_heading(response) == "0 treatments"


class TestTreatmentPage:
    def test_unknown_slug_is_a_helpful_404(self, seeded, client):
        response = client.get("/treatments/no-such-treatment/")
        assert response.status_code == 404
        page = response.content.decode()
        assert "We could not find that page" in page
        assert 'href="/treatments/"' in page

    def test_unpublished_is_hidden_from_the_public(self, client):
        make_treatment("Draft", status="draft")
        assert client.get("/treatments/draft/").status_code == 404

    def test_unpublished_is_previewed_by_editors(self, editor_client):
        make_treatment("Draft", status="draft")
        response = editor_client.get("/treatments/draft/")
        assert response.status_code == 200
        assert "Draft: not visible to the public." in response.content.decode()

    def test_side_effects_grouped_most_common_first(self, seeded, client):
        groups = client.get("/treatments/mesotherapy/").context[
            "side_effects_by_frequency"
        ]
        assert [(label, [s.effect.name for s in items]) for label, items in groups] == [
            ("Common", ["Bruising", "Soreness"]),
            ("Less common", ["Infection", "Irritation", "Itching", "Swelling"]),
        ]

    def test_sources_are_listed_and_the_review_dates_given_once(self, seeded, client):
        page = client.get("/treatments/mesotherapy/").content.decode()
        assert 'id="source-wisegeek-mesotherapy-for-cellulite"' in page
        assert (
            '<p class="source__details">By T. Flanagan, WiseGeek, updated '
            '<time datetime="2024-05-17">17 May 2024</time>.' in page
        )
        assert page.count("Last reviewed") == 1
        assert page.count("21 November 2027") == 1

    def test_content_is_escaped(self, client):
        make_treatment("Odd", summary="<b>bold</b> & <script>x()</script>")
        page = client.get("/treatments/odd/").content.decode()
        assert "<script>x()</script>" not in page
        assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt;" in page


class TestHealthz:
    def test_ok_when_the_database_answers(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.content == b"database: ok\ncache: ok\n"
        assert "no-cache" in response["Cache-Control"]

    def test_503_when_the_database_does_not(self, client, monkeypatch):
        from django.db import connection

        def broken():
            raise OperationalError("connection refused")

        monkeypatch.setattr(connection, "cursor", broken)
        response = client.get("/healthz")
        assert response.status_code == 503
        # The public learn that it is unavailable; not why.
        assert response.content == b"database: unavailable\ncache: ok\n"

    def test_staff_see_why(self, client, editor_client, monkeypatch):
        from django.core.cache import caches

        def refused(*args, **kwargs):
            raise ConnectionRefusedError(111, "Connection refused to 10.0.0.5:6379")

        monkeypatch.setattr(caches["default"], "set", refused)
        public = Client().get("/healthz")
        assert public.content == b"database: ok\ncache: unavailable\n"
        staff = editor_client.get("/healthz")
        assert staff.status_code == 200
        assert staff.content == (
            b"database: ok\ncache: unavailable (ConnectionRefusedError: "
            b"[Errno 111] Connection refused to 10.0.0.5:6379)\n"
        )

    def test_a_staff_session_without_the_database_gets_the_plain_answer(
        self, editor_client, monkeypatch
    ):
        """Sessions live in the database: while it is down, /healthz cannot
        tell staff from anyone, and answers as it does to the public."""
        from django.db import connection

        def broken():
            raise OperationalError("connection to server at 10.0.0.5 refused")

        monkeypatch.setattr(connection, "cursor", broken)
        response = editor_client.get("/healthz")
        assert response.status_code == 503
        assert response.content == b"database: unavailable\ncache: ok\n"


def test_home_page_lists_entry_points(seeded, client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/treatments/?body_area=thighs"' in page
    assert 'href="/treatments/mesotherapy/"' in page
    assert 'href="/treatments/laser-cellulite-reduction/"' in page
    assert 'href="/compare/laser-vs-mesotherapy/"' in page


def test_home_page_shows_a_few_treatments_and_the_way_to_all(client, committed):
    with committed():
        for number in range(8):
            make_treatment(f"Treatment {number}")
    response = client.get("/")
    assert [t.name for t in response.context["treatments"]] == [
        f"Treatment {number}" for number in range(6)
    ]
    assert 'href="/treatments/">See all 8 treatments</a>' in response.content.decode()


def test_compare_with_offers_the_baseline_then_the_most_related(seeded, client):
    legs, arms = BodyArea.objects.get(slug="legs"), BodyArea.objects.get(slug="arms")
    make_treatment("Both areas", areas=[legs, arms])
    make_treatment("Arms only", areas=[arms])
    make_treatment("Unrelated", areas=[make_area("Face")])
    for number in range(15):
        make_treatment(f"Filler {number:02}", areas=[arms])
    offered = [
        t.slug for t in client.get("/treatments/mesotherapy/").context["compare_with"]
    ]
    # Laser shares three of its areas (buttocks, arms, stomach), "Both" two.
    assert offered[:3] == ["no-treatment", "laser-cellulite-reduction", "both-areas"]
    assert len(offered) == 13  # the baseline and 12 treatments
    assert "unrelated" not in offered and "mesotherapy" not in offered


def card_of(page, slug):
    """The HTML of the card of the treatment with this slug."""
    start = page.index(f'<article class="card" aria-labelledby="treatment-{slug}">')
    return page[start : page.index("</article>", start)]


def test_a_card_escapes_its_values_and_states_its_silences(client):
    """The card (treatments/templatetags/catalogue.py: `card`) escapes what
    editors write as a template would, and says "The source does not say"
    where a fact is not given."""
    make_treatment('A <b>bold</b> & "odd" one', slug="odd", summary="<i>x</i> & y")
    card = card_of(client.get("/treatments/").content.decode(), "odd")
    assert "<b>" not in card and "<i>" not in card
    assert (
        '<a href="/treatments/odd/">A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;odd&quot; '
        "one</a></h2>" in card
    )
    assert '<p class="card__summary">&lt;i&gt;x&lt;/i&gt; &amp; y</p>' in card
    # No body area, sessions "not stated", no "back to daily activities".
    silence = '<span class="not-stated">The source does not say</span>'
    for fact in ("Body areas", "Sessions", "Back to daily activities"):
        assert f"<dt>{fact}</dt><dd>{silence}</dd>" in card
    # In the catalogue each card has a box to tick, named for screen readers.
    assert (
        '<input type="checkbox" id="pick-odd" name="treatments" value="odd"> '
        'Compare<span class="visually-hidden"> A &lt;b&gt;bold' in card
    )


def test_a_card_on_the_home_page_is_headed_under_treatments(client):
    make_treatment("Plain", areas=[make_area("Thighs")])
    card = card_of(client.get("/").content.decode(), "plain")
    assert '<h3 class="card__title" id="treatment-plain">' in card
    assert "<dt>Body areas</dt><dd>Thighs</dd>" in card
    assert "checkbox" not in card
