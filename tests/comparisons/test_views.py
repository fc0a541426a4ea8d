"""The comparison pages through the client: every rule of the issue."""

import datetime
import re

import pytest

from comparisons.models import Comparison, ComparisonItem
from tests.factories import make_area, make_source, make_treatment
from treatments.models import NOT_STATED, Treatment

pytestmark = pytest.mark.django_db

LASER = "laser-cellulite-reduction"
MESO = "mesotherapy"
PAIR = f"/compare/?treatments={LASER}&treatments={MESO}"

EVERY_ROW = [
    "What it is",
    "How it works",
    "What happens during a session",
    "How invasive",
    "Anaesthesia",
    "How it feels",
    "Who performs it",
    "Body areas it is used on",
    "How many sessions",
    "How often",
    "When results usually show",
    "Bruising",
    "Soreness",
    "Infection",
    "Irritation",
    "Itching",
    "Swelling",
    "Fluid leaking from the incisions",
    "Scarring",
    "Back to daily activities",
    "Back to exercise",
    "First visible results",
    "Final result",
    "Still improving",
    "What results to expect",
    "How long results last",
    "Maintenance",
    "Before the first session",
    "Where to have it done",
    "Cautions",
    "Questions worth asking",
    "Sources",
    "Last reviewed",
]


def rows(response):
    """{row label: (shown?, [cell texts])}, from the HTML as served."""
    html = response.content.decode()
    found = {}
    row = r'<tr class="compare__row[^"]*"( hidden)?>\s*<th scope="row">(.*?)</th>'
    for match in re.finditer(row + r"(.*?)</tr>", html, re.S):
        hidden, header, cells = match.groups()
        label = re.sub(r"<[^>]+>|\bDiffers\b", "", header).strip()
        texts = [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td>(.*?)</td>", cells, re.S)
        ]
        found[label] = (not hidden, texts)
    return found


def columns(response):
    return [t.slug for t in response.context["treatments"]]


class TestAdHoc:
    def test_shows_every_row_with_the_seeded_facts(self, seeded, client):
        response = client.get(PAIR)
        assert response.status_code == 200
        table = rows(response)
        assert list(table) == EVERY_ROW
        assert table["How many sessions"][1] == [
            NOT_STATED,
            "Typically 10 (the source: about ten, for most patients)",
        ]
        assert table["How often"][1][1].startswith("Every 7–14 days")
        assert table["Back to daily activities"][1] == [
            "After the first couple of days (days 2–3)",
            NOT_STATED,
        ]
        assert table["First visible results"][1] == [
            NOT_STATED,
            "After two or three sessions (days 7–28 (1–4 weeks))",
        ]
        assert table["Final result"][1][0] == "At twelve months (day 365 (12 months))"
        assert table["Soreness"][1] == [
            "Not listed",
            "Common , at the injection site. Many patients.",
        ]
        assert table["Before the first session"][1][1].startswith(
            "Most clinics require an allergy test first"
        )
        assert (
            "Exactly which ingredients will be in my injections?"
            in (table["Questions worth asking"][1][1])
        )
        assert "WiseGeek, updated 17 May 2024" in table["Sources"][1][1]
        assert "(undated)" in table["Sources"][1][0]

    def test_no_cell_is_ever_blank(self, seeded, client):
        for label, (_shown, cells) in rows(client.get(PAIR)).items():
            assert all(cell.strip() for cell in cells), label

    def test_treatments_appear_in_the_order_given(self, seeded, client):
        response = client.get(f"/compare/?treatments={MESO}&treatments={LASER}")
        assert columns(response) == [MESO, LASER]

    def test_a_repeated_slug_is_dropped(self, seeded, client):
        response = client.get(PAIR + f"&treatments={LASER}")
        assert response.status_code == 200
        assert columns(response) == [LASER, MESO]

    def test_the_baseline_compares_like_any_treatment(self, seeded, client):
        response = client.get(PAIR + "&treatments=no-treatment")
        assert columns(response) == [LASER, MESO, "no-treatment"]
        table = rows(response)
        assert (
            table["Back to exercise"][1][2] == "Does not apply: there is no procedure"
        )
        assert table["Bruising"][1][2] == "Not listed"
        assert table["How many sessions"][1][2] == "No sessions"

    def test_offers_the_baseline_in_one_click(self, seeded, client):
        page = client.get(PAIR).content.decode()
        assert (
            f'href="/compare/?treatments={LASER}&amp;treatments={MESO}'
            '&amp;treatments=no-treatment"'
        ) in page
        # Once it is in the comparison, it is not offered again.
        page = client.get(PAIR + "&treatments=no-treatment").content.decode()
        assert "Add “No treatment" not in page

    def test_staff_may_compare_unpublished_treatments(self, seeded, editor_client):
        Treatment.objects.filter(slug=MESO).update(status="draft")
        assert editor_client.get(PAIR).status_code == 200


class TestDifferences:
    @pytest.fixture
    def pair(self, db):
        """Two treatments that agree on some rows and differ on others."""
        source = make_source()
        arms = make_area("Arms")
        common = {
            "source": source,
            "areas": [arms],
            "how_it_works": "Heat.",
            "anaesthesia": "none",
            "plan": {"kind": "course", "sessions_typical": 3},
        }
        make_treatment("Alpha", summary="First.", how_it_feels="Warm.", **common)
        make_treatment("Beta", summary="Second.", how_it_feels="Hot.", **common)
        return "/compare/?treatments=alpha&treatments=beta"

    SAME = {
        "How it works",
        "How invasive",
        "Anaesthesia",
        "Body areas it is used on",
        "How many sessions",
        "What happens during a session",
        "Who performs it",
        "Back to daily activities",
        "Back to exercise",
        "First visible results",
        "Final result",
        "Last reviewed",
        "Sources",
    }
    DIFFERENT = {"What it is", "How it feels"}

    def test_all_rows_are_shown_and_the_differing_ones_marked(self, pair, client):
        response = client.get(pair)
        table = rows(response)
        assert all(shown for shown, _cells in table.values())
        page = response.content.decode()
        for label in self.DIFFERENT:
            assert re.search(rf"{label} <span class=\"differs\">Differs</span>", page)
        for label in self.SAME:
            assert not re.search(rf"{label} <span class=\"differs\">", page), label

    def test_differences_only_hides_the_rows_that_agree(self, pair, client):
        table = rows(client.get(pair + "&differences=1"))
        shown = {label for label, (visible, _) in table.items() if visible}
        hidden = {label for label, (visible, _) in table.items() if not visible}
        assert shown == self.DIFFERENT
        assert self.SAME <= hidden

    def test_a_group_with_no_difference_is_hidden_whole(self, pair, client):
        page = client.get(pair + "&differences=1").content.decode()
        assert '<tbody id="group-sessions" hidden>' in page
        assert '<tbody id="group-what">' in page

    def test_the_toggle_is_a_link_both_ways(self, pair, client):
        page = client.get(pair).content.decode()
        assert 'href="?treatments=alpha&amp;treatments=beta&amp;differences=1"' in page
        assert "Show only the differences" in page
        page = client.get(pair + "&differences=1").content.decode()
        assert "Show every row" in page
        assert "2 rows where they differ" in page


class TestFocus:
    @pytest.mark.parametrize(
        ("area", "laser", "meso"),
        [
            (
                "thighs",
                "Yes: its source names the thighs",
                "Yes: its source names the legs, which include the thighs",
            ),
            (
                "legs",
                "Partly: its source names the thighs, part of the legs",
                "Yes: its source names the legs",
            ),
            (
                "back",
                "No: its source does not name the back",
                "Yes: its source names the back",
            ),
        ],
    )
    def test_says_which_treat_the_area(self, seeded, client, area, laser, meso):
        response = client.get(PAIR + f"&body_area={area}")
        assert response.status_code == 200
        answers = [answer.text for _t, answer in response.context["focus_answers"]]
        assert answers == [laser, meso]
        table = rows(response)
        assert table[f"Used on the {area}?"][1] == [
            f"✓ {laser}" if laser[0] != "N" else f"✗ {laser}",
            f"✓ {meso}",
        ]

    def test_unknown_area_is_a_404_that_says_so(self, seeded, client):
        response = client.get(PAIR + "&body_area=elbows")
        assert response.status_code == 404
        assert "We have no body area called “elbows”." in response.content.decode()


class TestBadPicks:
    @pytest.mark.parametrize(
        ("query", "status", "message"),
        [
            (
                f"?treatments={LASER}",
                400,
                "Choose at least 2 treatments to compare; you chose 1.",
            ),
            (f"?treatments={LASER}&treatments={LASER}", 400, "you chose 1."),
            ("?treatments=", 400, "you chose 0."),
            (
                "?treatments=a&treatments=b&treatments=c&treatments=d&treatments=e",
                404,
                "We have no treatment called “a”.",
            ),
            (
                f"?treatments={LASER}&treatments=botox",
                404,
                "We have no treatment called “botox”.",
            ),
            (f"?treatments={LASER}&treatments=<script>", 404, "“&lt;script&gt;”"),
        ],
    )
    def test_says_what_was_wrong_and_offers_the_picker(
        self, seeded, client, query, status, message
    ):
        response = client.get(f"/compare/{query}")
        assert response.status_code == status
        page = response.content.decode()
        assert message in page
        assert "We could not make that comparison" in page
        assert 'name="treatments" value="mesotherapy"' in page  # the picker
        assert "<script>" not in page.split("<body>")[1].split("<footer")[0]

    def test_more_than_four_known_treatments(self, seeded, client):
        for n in range(3):
            make_treatment(f"Extra {n}")
        slugs = [LASER, MESO, "extra-0", "extra-1", "extra-2"]
        response = client.get("/compare/?" + "&".join(f"treatments={s}" for s in slugs))
        assert response.status_code == 400
        assert (
            "Choose at most 4 treatments to compare; you chose 5."
            in response.content.decode()
        )

    def test_the_picker_keeps_what_was_valid(self, seeded, client):
        page = client.get(f"/compare/?treatments={MESO}").content.decode()
        assert 'value="mesotherapy" checked' in page
        assert 'value="laser-cellulite-reduction" checked' not in page

    @pytest.mark.parametrize(
        "query", ["?treatments=%00", f"?treatments={MESO}%00&treatments={LASER}"]
    )
    def test_a_nul_byte_is_an_unknown_treatment(self, seeded, client, query):
        # Found by the fuzzer (tests/test_fuzz.py): a 500 on PostgreSQL, which
        # refuses a NUL byte in a query.
        response = client.get(f"/compare/{query}")
        assert response.status_code == 404
        page = response.content.decode()
        assert "We have no treatment called" in page
        assert 'value="mesotherapy" checked' not in page

    def test_unpublished_is_unknown_to_the_public(self, seeded, client):
        Treatment.objects.filter(slug=MESO).update(status="draft")
        assert client.get(PAIR).status_code == 404

    def test_the_bare_address_is_the_picker(self, seeded, client):
        response = client.get("/compare/")
        assert response.status_code == 200
        assert "We could not make that comparison" not in response.content.decode()
        assert 'name="treatments" value="no-treatment"' in response.content.decode()


class TestCurated:
    def test_shows_the_same_table(self, seeded, client):
        response = client.get("/compare/laser-vs-mesotherapy/")
        assert response.status_code == 200
        assert columns(response) == [LASER, MESO]
        assert list(rows(response)) == EVERY_ROW
        page = response.content.decode()
        assert "Laser cellulite reduction or mesotherapy?" in page
        assert "Add “no treatment” to set both beside diet and exercise alone." in page

    def test_differences_and_focus_work_here_too(self, seeded, client):
        response = client.get(
            "/compare/laser-vs-mesotherapy/?differences=1&body_area=back"
        )
        table = rows(response)
        assert table["How invasive"][0] is False
        assert table["What it is"][0] is True
        assert "Used on the back?" in table

    def test_columns_follow_the_editors_order(self, seeded, client):
        ComparisonItem.objects.filter(treatment__slug=LASER).update(position=3)
        assert columns(client.get("/compare/laser-vs-mesotherapy/")) == [MESO, LASER]

    def test_focus_area_set_by_the_editor(self, seeded, client):
        Comparison.objects.update(focus_area=make_area("Calves"))
        response = client.get("/compare/laser-vs-mesotherapy/")
        assert "For the calves" in response.content.decode()

    def test_unknown_or_unpublished_is_404(self, seeded, client):
        assert client.get("/compare/no-such-comparison/").status_code == 404
        Comparison.objects.update(status="draft")
        assert client.get("/compare/laser-vs-mesotherapy/").status_code == 404

    def test_fewer_than_two_published_treatments_is_404(self, seeded, client):
        Treatment.objects.filter(slug=MESO).update(status="draft")
        assert client.get("/compare/laser-vs-mesotherapy/").status_code == 404

    def test_home_links_only_published_comparisons(self, seeded, client):
        Comparison.objects.create(
            title="Draft",
            slug="draft",
            introduction="x",
            last_reviewed=datetime.date(2026, 11, 21),
        )
        page = client.get("/").content.decode()
        assert 'href="/compare/laser-vs-mesotherapy/"' in page
        assert 'href="/compare/draft/"' not in page


class TestPicking:
    def test_the_catalogue_is_a_plain_get_form_to_compare(self, seeded, client):
        page = client.get("/treatments/").content.decode()
        assert '<form method="get" action="/compare/" class="compare-form"' in page
        for slug in (LASER, MESO, "no-treatment"):
            assert f'name="treatments" value="{slug}"' in page
        assert "Compare ticked treatments" in page

    def test_a_single_area_filter_carries_over_as_the_focus(self, seeded, client):
        page = client.get("/treatments/?body_area=thighs").content.decode()
        assert '<input type="hidden" name="body_area" value="thighs">' in page

    def test_a_treatment_page_offers_compare_with(self, seeded, client):
        page = client.get(f"/treatments/{LASER}/").content.decode()
        assert (
            '<input type="hidden" name="treatments" value="laser-cellulite-reduction">'
            in page
        )
        assert '<option value="mesotherapy">Mesotherapy</option>' in page
        assert '<option value="no-treatment">' in page
        assert '<option value="laser-cellulite-reduction">' not in page


class TestTimeline:
    def test_draws_one_lane_per_treatment_with_a_title_and_description(
        self, seeded, client
    ):
        response = client.get(PAIR + "&treatments=no-treatment")
        page = response.content.decode()
        svg = page[page.index("<svg") : page.index("</svg>")]
        assert 'role="img"' in svg
        assert '<title id="timeline-title">' in svg
        assert svg.count('class="tl-lane__name"') == 3
        description = response.context["timeline"]["description"]
        for words in [
            "Back to daily activities: days 2–3",
            "Back to exercise: days 14–21",
            "Final result: day 365",
            "Course of sessions: typically 10, every 7–14 days",
            "First visible results: days 7–28",
        ]:
            assert words in description
            assert words in svg  # labelled in the picture too
        # Ranges are drawn as ranges, single days as points.
        assert svg.count("<rect") >= 5
        assert svg.count("<circle") >= 2


class TestQueries:
    """Comparing 4 costs what comparing 2 does, with many treatments around."""

    @pytest.fixture
    def many(self, db):
        from tests.factories import add_facts

        source = make_source()
        legs = make_area("Legs")
        areas = [legs, make_area("Thighs", parent=legs)]
        return [
            add_facts(make_treatment(f"T{n:02}", areas=areas, source=source))
            for n in range(40)
        ]

    @pytest.mark.parametrize("count", [2, 3, 4])
    def test_ad_hoc(self, many, client, django_assert_num_queries, count):
        query = "&".join(f"treatments={t.slug}" for t in many[:count])
        # the content version, the area tree, treatments (with the baselines
        # to offer), side effects, milestones, areas, conditions
        with django_assert_num_queries(7):
            response = client.get(f"/compare/?{query}&body_area=thighs")
        assert len(response.context["treatments"]) == count

    @pytest.mark.parametrize("count", [2, 4])
    def test_curated(self, many, client, django_assert_num_queries, count):
        comparison = Comparison.objects.create(
            title="C",
            slug="c",
            introduction="i",
            status="published",
            last_reviewed=datetime.date(2026, 11, 21),
        )
        for position, treatment in enumerate(many[:count], start=1):
            comparison.items.create(treatment=treatment, position=position)
        # the comparison, its items, then what the ad-hoc page costs
        with django_assert_num_queries(9):
            response = client.get("/compare/c/")
        assert len(response.context["treatments"]) == count
