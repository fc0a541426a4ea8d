"""The comparison pages through the client: every rule of the issues."""

import datetime
import html
import re

import pytest

from comparisons.models import Comparison, ComparisonItem
from core.models import ContentVersion
from tests.factories import add_facts, make_area, make_source, make_treatment
from tests.support.content import made_once
from treatments.models import NOT_STATED, Effect, Milestone, SideEffect, Treatment

pytestmark = pytest.mark.django_db

LASER = "laser-cellulite-reduction"
MESO = "mesotherapy"
PAIR = f"/compare/?treatments={LASER}&treatments={MESO}"
THREE = PAIR + "&treatments=no-treatment"
NO_PROCEDURE = "Does not apply: no procedure"

EVERY_ROW = [
    "What it is",
    "How invasive",
    "How many, how often",
    "Anaesthesia",
    "How it feels",
    "Back to daily activities",
    "Back to exercise",
    "First visible results",
    "Final result",
    "Still improving",
    "What results to expect",
    "How long results last",
    "Maintenance",
    "Bruising",
    "Soreness",
    "Infection",
    "Irritation",
    "Itching",
    "Swelling",
    "Fluid leaking",
    "Scarring",
    "Body areas it is used on",
    "Before the first session",
    "Who performs it",
    "Where to have it done",
    "Cautions",
    "Questions to ask",
    "Evidence",
]

HIDDEN = re.compile(r'<span class="visually-hidden">.*?</span>', re.S)
BADGE = re.compile(r'<span class="badge badge--[^"]*">(.*?)</span>', re.S)


def text(fragment):
    """What a reader sees of an HTML fragment (screen-reader text left out)."""
    fragment = HIDDEN.sub("", fragment)
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r" ([,.;:])", r"\1", words)


ROW = re.compile(
    r'<tr id="row-[^"]+" class="compare__row[^"]*"( hidden)?>\s*'
    r'<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>',
    re.S,
)


def rows(response):
    """{row label: (shown?, [each cell's short answer])}, from the HTML as
    served."""
    found = {}
    for hidden, header, cells in ROW.findall(response.content.decode()):
        label = text(BADGE.sub("", HIDDEN.sub("", header)))
        shorts = re.findall(
            r'<(p|summary) class="short[^"]*">(.*?)</\1>', HIDDEN.sub("", cells), re.S
        )
        found[label] = (not hidden, [text(short) for _tag, short in shorts])
    return found


def badges(response):
    """{row label: {"wide": badge, "narrow": badge}}: what a wide screen's
    badge says, and a narrow screen's (the same badge where they agree)."""
    found = {}
    for _hidden, header, _cells in ROW.findall(response.content.decode()):
        label = text(BADGE.sub("", HIDDEN.sub("", header)))
        shown = {}
        for match in re.finditer(
            r'<span class="badge badge--[^" ]+( badge--(wide|narrow))?">(.*?)</span>',
            HIDDEN.sub("", header),
            re.S,
        ):
            screens = [match.group(2)] if match.group(2) else ["wide", "narrow"]
            for screen in screens:
                shown[screen] = text(match.group(3))
        found[label] = shown
    return found


def details(response, anchor):
    """Each cell's details in row `anchor`, as text."""
    page = response.content.decode()
    row = re.search(rf'<tr id="{anchor}".*?</tr>', page, re.S).group(0)
    return [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def section(response, css_class):
    page = response.content.decode()
    return text(
        re.search(rf'<section class="{css_class}".*?</section>', page, re.S).group(0)
    )


@pytest.fixture(scope="module")
def pages_read():
    """{(address, content version): response}, for the module's tests."""
    return {}


@pytest.fixture
def read_page(seeded, client, pages_read):
    """read_page(address): the page as the client gets it, of the seeded
    content unchanged. The tests that take it only read (they write nothing
    to the database), so each would get the same page: it is rendered once
    for the module (the comparison of laser and mesotherapy was rendered 34
    times). Kept by content version too, so a page is never given for
    content changed since."""

    def get(path):
        key = (path, ContentVersion.current())
        if key not in pages_read:
            pages_read[key] = client.get(path)
        return pages_read[key]

    return get


def columns(response):
    return [t.slug for t in response.context["treatments"]]


def words(key_differences):
    return sum(len(line.split()) for line in key_differences.lines)


class TestShortAnswers:
    def test_every_question_is_asked_of_both_in_this_order(self, seeded, read_page):
        response = read_page(PAIR)
        assert response.status_code == 200
        assert list(rows(response)) == EVERY_ROW

    @pytest.mark.parametrize(
        ("row", "laser", "meso"),
        [
            (
                "How many, how often",
                NOT_STATED,
                "About 10, weekly or every two weeks",
            ),
            ("How invasive", "Minimally invasive", "Minimally invasive"),
            ("Anaesthesia", "Local anaesthetic", "Optional numbing cream"),
            ("How it feels", NOT_STATED, "Pinches and burns, the article says"),
            # The source's words first, as on the treatment's page and its card.
            ("Back to daily activities", "After the first couple of days", NOT_STATED),
            (
                "Back to exercise",
                "After a couple of weeks, once the incisions have healed more",
                NOT_STATED,
            ),
            ("First visible results", NOT_STATED, "After two or three sessions"),
            ("Final result", "At twelve months", NOT_STATED),
            ("Still improving", "Over a span of a year", NOT_STATED),
            ("How long results last", NOT_STATED, "Permanent, the article says"),
            ("Maintenance", NOT_STATED, "Needed by some people"),
            ("Bruising", "Common", "Common"),
            ("Soreness", NOT_STATED, "Common"),
            ("Itching", NOT_STATED, "Less common"),
            ("Fluid leaking", "Mentioned", NOT_STATED),
            ("Who performs it", NOT_STATED, "Usually a doctor"),
            (
                "Before the first session",
                NOT_STATED,
                "An allergy test, at most clinics",
            ),
            ("Questions to ask", "Show the question", "Show the 4 questions"),
            ("Evidence", "Low", "Low"),
        ],
    )
    def test_which_short_answer_each_cell_leads_with(
        self, seeded, read_page, row, laser, meso
    ):
        assert rows(read_page(PAIR))[row][1] == [laser, meso]

    def test_the_fuller_wording_and_citation_are_one_tap_away(self, seeded, read_page):
        response = read_page(PAIR)
        laser, meso = details(response, "row-sessions")
        assert "About ten, for most patients" in meso
        assert "How we read this: We keep “about ten” as the typical number" in meso
        assert (
            "Source: How do I Use Mesotherapy for Cellulite?, Paragraphs 5 and 7"
            in meso
        )
        # A silence is said once, with nothing to open.
        assert laser == NOT_STATED
        laser, _meso = details(response, "row-daily-activities")
        assert laser.startswith("After the first couple of days")
        assert (
            "How we read this: On a timeline: days 2–3 after the procedure. "
            "“A couple of days” read as 2 to 3 days." in laser
        )
        # The short answer opens its details, without JavaScript, closed
        # until tapped.
        page = response.content.decode()
        assert page.count('<details class="more">') > 25
        assert '<details class="more" open' not in page

    def test_no_cell_is_ever_blank(self, seeded, read_page):
        response = read_page(THREE)
        for label, (_shown, cells) in rows(response).items():
            assert len(cells) == 3 and all(cell.strip() for cell in cells), label

    def test_the_baseline_gets_the_same_rows_with_what_applies(self, seeded, read_page):
        response = read_page(THREE)
        assert columns(response) == [LASER, MESO, "no-treatment"]
        table = rows(response)
        assert list(table) == EVERY_ROW
        baseline = {label: cells[2] for label, (_shown, cells) in table.items()}
        assert baseline["Back to exercise"] == NO_PROCEDURE
        assert baseline["Bruising"] == NO_PROCEDURE
        assert baseline["How many, how often"] == "No sessions"
        assert baseline["What results to expect"] == (
            "Does not usually go away, the mesotherapy article says"
        )
        assert baseline["Who performs it"] == NO_PROCEDURE


class TestAdHoc:
    def test_treatments_appear_in_the_order_given(self, seeded, read_page):
        response = read_page(f"/compare/?treatments={MESO}&treatments={LASER}")
        assert columns(response) == [MESO, LASER]

    def test_a_repeated_slug_is_dropped(self, seeded, read_page):
        response = read_page(PAIR + f"&treatments={LASER}")
        assert response.status_code == 200
        assert columns(response) == [LASER, MESO]

    def test_offers_the_baseline_in_one_click(self, seeded, read_page):
        page = read_page(PAIR).content.decode()
        assert (
            f'href="/compare/?treatments={LASER}&amp;treatments={MESO}'
            '&amp;treatments=no-treatment"'
        ) in page
        assert "Add “No procedure: living with cellulite”" in page
        # Once it is in the comparison, it is not offered again.
        page = read_page(THREE).content.decode()
        assert "Add “No procedure" not in page

    def test_staff_may_compare_unpublished_treatments(self, seeded, editor_client):
        Treatment.objects.filter(slug=MESO).update(status="draft")
        assert editor_client.get(PAIR).status_code == 200

    def test_the_title_caption_and_breadcrumbs(self, seeded, read_page):
        page = read_page(PAIR).content.decode()
        # A name mid-sentence reads as one.
        assert (
            '<h1 id="comparison-title">Laser cellulite reduction and mesotherapy '
            "compared</h1>" in page
        )
        page = read_page("/compare/laser-vs-mesotherapy/").content.decode()
        assert (
            "<caption>Laser cellulite reduction and mesotherapy, question by question"
            "</caption>"
        ) in page
        assert (
            '<p class="breadcrumbs"><a href="/compare/">Compare</a> · '
            '<a href="/compare/ready-made/">Ready-made comparisons</a></p>'
        ) in page
        page = read_page(THREE).content.decode()
        assert (
            "Laser cellulite reduction, mesotherapy and living with cellulite compared"
            in page
        )


class TestDifferences:
    """A row is the same, differs (both sources answer, differently), or is
    answered by only one source, named: a gap is not a difference."""

    @pytest.fixture
    def pair(self, db):
        """Two treatments that agree on some short answers, differ on others
        and leave others to one source; both list bruising as common, in
        different places."""
        source = make_source()
        arms = make_area("Arms")
        common = {
            "source": source,
            "areas": [arms],
            "how_it_works": "Heat.",
            "anaesthesia": "none",
            "plan": {"kind": "course", "sessions_typical": 3},
        }
        alpha = make_treatment(
            "Alpha", summary="First.", how_it_feels="Warm.", **common
        )
        beta = make_treatment(
            "Beta",
            summary="Second.",
            how_it_feels="Hot.",
            how_it_feels_brief="Hot",
            maintenance="needed",
            **common,
        )
        bruising = Effect.objects.create(name="Bruising", slug="bruising")
        for treatment, site in ((alpha, "incisions"), (beta, "injection-site")):
            SideEffect.objects.create(
                treatment=treatment,
                effect=bruising,
                frequency="common",
                site=site,
                source=source,
                source_location="p. 4",
            )
        return "/compare/?treatments=alpha&treatments=beta"

    DIFFERENT = {"What it is", "How it feels"}
    SAME = {
        "How invasive",
        "How many, how often",
        "Anaesthesia",
        "Bruising",
        "Body areas it is used on",
        "Evidence",
    }
    ONE_SIDED = {"Maintenance"}
    NEITHER = {
        "Back to daily activities",
        "Back to exercise",
        "First visible results",
        "Final result",
        "What results to expect",
        "How long results last",
        "Before the first session",
        "Who performs it",
        "Where to have it done",
        "Cautions",
    }

    def test_badges_for_a_same_a_differing_and_a_one_sided_row(self, pair, client):
        response = client.get(pair)
        table = rows(response)
        assert all(shown for shown, _cells in table.values())
        # Without its few words, the opening words of the source's own.
        assert table["How it feels"][1] == ["Warm", "Hot"]
        assert table["Maintenance"][1] == [NOT_STATED, "Needed"]
        found = badges(response)
        for label in self.SAME:
            assert found[label] == {"wide": "Same", "narrow": "Same"}, label
        for label in self.DIFFERENT:
            assert found[label] == {"wide": "Differs", "narrow": "Differs"}, label
        # Which source says, named; on a phone the pair beside it show which.
        assert found["Maintenance"] == {
            "wide": "Only Beta's source says",
            "narrow": "Only one source says",
        }
        for label in self.NEITHER:
            assert found[label] == {
                "wide": "Neither source says",
                "narrow": "Neither source says",
            }, label
        # Questions to take along are not answers to weigh: no badge.
        assert found["Questions to ask"] == {}
        page = response.content.decode()
        assert (
            '<tr id="row-maintenance" class="compare__row compare__row--one-sided">'
            in page
        )
        assert (
            '<tr id="row-how-it-feels" class="compare__row compare__row--differs">'
            in page
        )

    def test_above_the_table_how_many_each_source_answers(self, seeded, read_page):
        response = read_page(PAIR)
        assert section(response, "question-by-question").startswith(
            "Question by question Both sources answer 9 of these 27 questions: "
            "3 alike, 6 differently. Only one answers the other 18: a gap in the "
            "other source, not a difference between the treatments."
        )
        table = rows(response)
        found = badges(response)
        assert sum(b.get("wide") == "Differs" for b in found.values()) == 6
        assert sum(b.get("wide", "").startswith("Only ") for b in found.values()) == 18
        assert found["Soreness"]["wide"] == "Only Mesotherapy's source says"
        assert table["Soreness"][1] == [NOT_STATED, "Common"]
        assert found["Final result"]["wide"] == (
            "Only Laser cellulite reduction's source says"
        )

    def test_only_the_differences_shows_real_differences(self, pair, client):
        response = client.get(pair + "&differences=1")
        table = rows(response)
        shown = {label for label, (visible, _) in table.items() if visible}
        assert shown == self.DIFFERENT
        # Bruising is common with both: the same short answer, hidden,
        # while its details still say where each shows.
        first, second = details(response, "row-effect-bruising")
        assert "Around the incisions" in first
        assert "At the injection site" in second
        assert (
            "Showing the 2 questions whose answers differ; 18 others are hidden."
            in response.content.decode()
        )

    def test_what_only_one_source_says_has_a_control_of_its_own(
        self, seeded, read_page
    ):
        response = read_page(PAIR + "&gaps=1")
        table = rows(response)
        shown = {label for label, (visible, _) in table.items() if visible}
        found = badges(response)
        assert shown == {
            label for label, b in found.items() if b.get("wide", "").startswith("Only ")
        }
        assert len(shown) == 18
        assert "Soreness" in shown and "Bruising" not in shown
        assert (
            "Showing the 18 questions only one source answers; 10 others are "
            "hidden." in response.content.decode()
        )
        differing = rows(read_page(PAIR + "&differences=1"))
        assert {row for row, (visible, _) in differing.items() if visible} == {
            "What it is",
            "Anaesthesia",
            "What results to expect",
            "Body areas it is used on",
            "Where to have it done",
            "Cautions",
        }
        # Asked for both, a link shows the differences.
        both = rows(read_page(PAIR + "&differences=1&gaps=1"))
        assert both == differing

    def test_a_group_with_nothing_to_show_is_hidden_whole(self, pair, client):
        page = client.get(pair + "&differences=1").content.decode()
        assert '<tbody id="group-sessions" hidden>' in page
        assert '<tbody id="group-what">' in page

    def test_each_choice_is_a_link_and_the_one_in_view_is_marked(self, pair, client):
        page = client.get(pair + "&matters=pain").content.decode()
        base = "/compare/?treatments=alpha&amp;treatments=beta&amp;matters=pain"
        assert f'data-show="all" href="{base}" aria-current="true">every row' in page
        assert (
            f'data-show="differences" href="{base}&amp;differences=1">'
            "only the differences" in page
        )
        assert (
            f'data-show="gaps" href="{base}&amp;gaps=1">what only one source says'
            in page
        )
        page = client.get(pair + "&differences=1").content.decode()
        assert (
            'data-show="differences" href="/compare/?treatments=alpha&amp;'
            'treatments=beta&amp;differences=1" aria-current="true"' in page
        )
        assert (
            'data-show="all" href="/compare/?treatments=alpha&amp;treatments=beta">'
            in page
        )


class TestKeyDifferences:
    """3 to 5 short contrasts, about 120 words at most, led by what the
    sources both answer; what only one covers in one closing line."""

    def test_laser_and_mesotherapy(self, seeded, read_page):
        response = read_page(PAIR)
        found = response.context["key_differences"]
        assert [item.label for item in found.items] == [
            "Anaesthesia",
            "When results show",
            "What results to expect",
            "Side effects",
        ]
        # Each a contrast of what both sources answer, in the table's words.
        assert all(len(item.sides) == 2 and not item.silent for item in found.items)
        assert found.lines[0] == (
            "Anaesthesia: Laser cellulite reduction: local anaesthetic. "
            "Mesotherapy: optional numbing cream."
        )
        assert found.lines[1] == (
            "When results show: Laser cellulite reduction: still improving over a "
            "span of a year; final result at twelve months. Mesotherapy: first "
            "results after two or three sessions."
        )
        # The gaps, once, in one closing line: not differences.
        assert found.unsaid == (
            "Laser cellulite reduction's source does not say how many sessions, how "
            "it feels, how long results last or what comes before the first "
            "session. Mesotherapy's does not say when daily life and exercise "
            "resume."
        )
        assert words(found) <= 120
        # Each links to its row; on a phone the first two show, the rest fold.
        page = response.content.decode()
        for item in found.items:
            assert f'id="{item.anchor}"' in page
            assert f'href="#{item.anchor}"' in page
        summary = section(response, "key-differences")
        assert "2 more, and what the sources leave out" in summary
        assert '<details class="key-differences__more js-open-when-wide">' in page

    @pytest.mark.parametrize(
        ("matters", "first"),
        [
            (
                ["downtime", "pain"],
                ["Time off", "Anaesthesia", "How it feels", "When results show"],
            ),
            (["evidence"], ["Evidence", "Anaesthesia", "When results show"]),
            (["side-effects"], ["Side effects", "Anaesthesia"]),
        ],
    )
    def test_what_matters_most_comes_first(self, seeded, read_page, matters, first):
        query = "".join(f"&matters={value}" for value in matters)
        found = read_page(PAIR + query).context["key_differences"]
        labels = [item.label for item in found.items]
        assert labels[: len(first)] == first
        assert 3 <= len(labels) <= 5
        assert words(found) <= 120

    def test_a_readers_point_one_source_answers_says_so_there(self, seeded, read_page):
        found = read_page(PAIR + "&matters=downtime").context["key_differences"]
        assert found.lines[0] == (
            "Time off: Laser cellulite reduction: daily life after the first couple "
            "of days; exercise after a couple of weeks, once the incisions have "
            "healed more. Mesotherapy's source does not say."
        )
        # Said there, so not again in the closing line.
        assert "daily life" not in found.unsaid

    def test_three_treatments_one_of_them_silent(self, client):
        source = make_source()
        plan = {
            "kind": "course",
            "sessions_min": 3,
            "sessions_max": 8,
            "sessions_typical": 5,
            "interval_min_days": 7,
            "interval_max_days": 14,
        }
        full = make_treatment(
            "Full",
            source=source,
            plan=plan,
            anaesthesia="topical",
            maintenance="needed",
        )
        Milestone.objects.create(
            treatment=full,
            order=1,
            kind="daily-activities",
            days_min=0,
            days_max=0,
            wording="The same day",
            source=source,
            source_location="p",
        )
        make_treatment(
            "Single", source=source, plan={"kind": "single"}, anaesthesia="local"
        )
        make_treatment("Silent", source=make_source())
        response = client.get(
            "/compare/?treatments=full&treatments=single&treatments=silent"
        )
        found = response.context["key_differences"]
        texts = {item.label: item.text for item in found.items}
        assert texts["Anaesthesia"] == (
            "Anaesthesia: Full: numbing cream. Single: local anaesthetic. "
            "Silent's source does not say."
        )
        assert texts["Sessions"] == (
            "Sessions: Full: 3–8, typically 5, every 1–2 weeks. Single: a single "
            "procedure. Silent's source does not say."
        )
        assert found.unsaid == (
            "Single's source does not say when daily life and exercise resume or "
            "how long results last. Silent's does not say when daily life and "
            "exercise resume or how long results last."
        )

    def test_with_the_baseline(self, seeded, read_page):
        found = read_page(THREE).context["key_differences"]
        texts = {item.label: item.text for item in found.items}
        # Where it has no procedure, said once, not in each contrast.
        assert "Living with cellulite" not in texts["Anaesthesia"]
        assert found.baseline == (
            "Living with cellulite involves no procedure: no sessions, anaesthetic, "
            "recovery or maintenance."
        )
        assert texts["What results to expect"].endswith(
            "Living with cellulite: does not usually go away, the mesotherapy "
            "article says."
        )
        assert words(found) <= 120


class TestWhatMatters:
    QUERY = PAIR + "&matters=pain&matters=downtime"

    def test_the_chosen_groups_come_first_in_the_order_ticked(self, seeded, read_page):
        groups = [g.slug for g in read_page(self.QUERY).context["table"].groups]
        assert groups[:3] == ["pain", "downtime", "what"]
        response = read_page(PAIR + "&matters=evidence")
        groups = [g.slug for g in response.context["table"].groups]
        assert groups[:2] == ["evidence", "what"]
        assert [g.slug for g in read_page(PAIR).context["table"].groups][:2] == [
            "what",
            "sessions",
        ]

    def test_unknown_and_repeated_values_are_left_out(self, seeded, read_page):
        response = read_page(
            PAIR + "&matters=cost&matters=pain&matters=pain&matters=<b>"
        )
        assert response.status_code == 200
        assert response.context["options"].matters == ["Pain and anaesthesia"]

    def test_a_summary_under_each_treatment(self, seeded, read_page):
        response = read_page(self.QUERY)
        summary = section(response, "matters")
        assert "On what matters to you" in summary
        laser, meso = response.context["summaries"]
        assert [p.label for p in laser.points] == [
            "Pain and anaesthesia",
            "Time off: getting back to daily life and exercise",
        ]
        assert laser.points[0].stated == [("Anaesthesia", "local anaesthetic")]
        assert laser.points[0].silent == ["How it feels"]
        assert laser.points[1].stated == [
            ("Back to daily activities", "after the first couple of days"),
            (
                "Back to exercise",
                "after a couple of weeks, once the incisions have healed more",
            ),
        ]
        assert meso.points[1].stated == []
        assert meso.points[1].silent == ["Back to daily activities", "Back to exercise"]
        assert (
            "The source does not say: back to daily activities, back to exercise."
            in summary
        )
        # It orders and summarises; it never scores.
        assert "score" not in summary.replace("We do not score", "")
        # Nothing ticked, no summary.
        assert read_page(PAIR).context["summaries"] == []

    def test_kept_in_the_url_the_share_link_and_the_summary(self, seeded, read_page):
        page = read_page(self.QUERY + "&body_area=thighs").content.decode()
        kept = "matters=pain&amp;matters=downtime"
        assert re.search(
            rf'id="share-link"[^>]* value="http://testserver/compare/\?[^"]*{kept}',
            page,
        )
        assert re.search(rf'href="/compare/summary/\?[^"]*{kept}', page)
        assert re.search(rf'data-show="differences" href="[^"]*{kept}', page)
        # The form lists what was ticked first, in that order, ticked.
        boxes = re.findall(r'name="matters" value="([^"]+)"( checked)?', page)
        assert boxes[:3] == [
            ("pain", " checked"),
            ("downtime", " checked"),
            ("sessions", ""),
        ]

    def test_curated_comparisons_keep_it_too(self, seeded, read_page):
        response = read_page("/compare/laser-vs-mesotherapy/?matters=side-effects")
        assert response.context["table"].groups[0].slug == "side-effects"
        assert (
            'href="/compare/laser-vs-mesotherapy/?matters=side-effects&amp;differences=1"'
            in response.content.decode()
        )


class TestSideBySide:
    THREE = PAIR + "&treatments=no-treatment"

    def roles(self, response):
        page = response.content.decode()
        head = re.search(r"<thead>.*?</thead>", page, re.S).group(0)
        return re.findall(r'<th scope="col" class="col col--(\w+)"[^>]*>', head)

    def test_two_treatments_stand_side_by_side_with_no_picker(self, seeded, read_page):
        response = read_page(PAIR)
        assert self.roles(response) == ["left", "right"]
        assert 'class="pair-picker"' not in response.content.decode()

    def test_with_three_the_first_two_unless_the_reader_picks(self, seeded, read_page):
        response = read_page(self.THREE)
        assert self.roles(response) == ["left", "right", "aside"]
        page = response.content.decode()
        assert 'class="pair-picker"' in page
        # Every cell of a row has its role, so a narrow screen shows two.
        assert page.count('<td class="col col--aside" headers=') == len(EVERY_ROW)
        picked = read_page(self.THREE + f"&pair=no-treatment&pair={MESO}")
        assert self.roles(picked) == ["aside", "right", "left"]

    def test_the_links_swap_and_pick_other_pairs(self, seeded, read_page):
        page = read_page(self.THREE).content.decode()
        base = (
            f"/compare/?treatments={LASER}&amp;treatments={MESO}"
            "&amp;treatments=no-treatment"
        )
        assert f'href="{base}&amp;pair={MESO}&amp;pair={LASER}">Swap them round' in page
        assert (
            f'href="{base}&amp;pair={LASER}&amp;pair=no-treatment">'
            "Laser cellulite reduction and living with cellulite</a>"
        ) in page
        assert (
            f'href="{base}&amp;pair={MESO}&amp;pair=no-treatment">'
            "Mesotherapy and living with cellulite</a>"
        ) in page

    def test_a_pair_that_is_not_compared_is_ignored(self, seeded, read_page):
        response = read_page(self.THREE + "&pair=botox&pair=no-treatment")
        assert self.roles(response) == ["right", "aside", "left"]


class TestFocus:
    @pytest.mark.parametrize(
        ("area", "laser", "meso"),
        [
            (
                "thighs",
                "Yes (its source names the thighs)",
                "Yes (its source says: legs)",
            ),
            (
                "legs",
                "Yes (its source names the thighs)",
                "Yes (its source names the legs)",
            ),
            (
                "back",
                "No (its source does not name the back)",
                "Yes (its source names the back)",
            ),
        ],
    )
    def test_says_which_treat_the_area_by_the_one_rule(
        self, seeded, read_page, area, laser, meso
    ):
        response = read_page(PAIR + f"&body_area={area}")
        assert response.status_code == 200
        focus = response.context["table"].rows["focus"]
        answers = [answer.text for answer in focus.cells]
        assert answers == [laser, meso]
        table = rows(response)
        mark = "✗" if laser.startswith("No") else "✓"
        assert table[f"Used on the {area}?"][1] == [f"{mark} {laser}", f"✓ {meso}"]

    def test_unknown_area_is_a_404_that_says_so(self, seeded, read_page):
        response = read_page(PAIR + "&body_area=elbows")
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
        self, seeded, read_page, query, status, message
    ):
        response = read_page(f"/compare/{query}")
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

    def test_the_picker_keeps_what_was_valid(self, seeded, read_page):
        page = read_page(f"/compare/?treatments={MESO}").content.decode()
        assert 'value="mesotherapy" checked' in page
        assert 'value="laser-cellulite-reduction" checked' not in page

    @pytest.mark.parametrize(
        "query", ["?treatments=%00", f"?treatments={MESO}%00&treatments={LASER}"]
    )
    def test_a_nul_byte_is_an_unknown_treatment(self, seeded, read_page, query):
        # Found by the fuzzer (tests/test_fuzz.py): a 500 on PostgreSQL, which
        # refuses a NUL byte in a query.
        response = read_page(f"/compare/{query}")
        assert response.status_code == 404
        page = response.content.decode()
        assert "We have no treatment called" in page
        assert 'value="mesotherapy" checked' not in page

    def test_unpublished_is_unknown_to_the_public(self, seeded, client):
        Treatment.objects.filter(slug=MESO).update(status="draft")
        assert client.get(PAIR).status_code == 404

    def test_the_bare_address_is_the_picker(self, seeded, read_page):
        response = read_page("/compare/")
        assert response.status_code == 200
        assert "We could not make that comparison" not in response.content.decode()
        assert 'name="treatments" value="no-treatment"' in response.content.decode()


class TestCurated:
    def test_shows_the_same_table(self, seeded, read_page):
        response = read_page("/compare/laser-vs-mesotherapy/")
        assert response.status_code == 200
        assert columns(response) == [LASER, MESO]
        assert list(rows(response)) == EVERY_ROW
        page = response.content.decode()
        assert "Laser cellulite reduction or mesotherapy?" in page
        assert "Add “No procedure” to set both beside living with cellulite." in page

    def test_differences_and_focus_work_here_too(self, seeded, read_page):
        response = read_page(
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

    def test_home_shows_the_whole_first_sentence(self, seeded, read_page):
        page = text(read_page("/").content.decode())
        assert (
            "Two ways of treating cellulite, as their sources describe them. "
            "All ready-made comparisons Choose your own" in page
        )


class TestEvidenceAndReview:
    STATEMENT = (
        "Evidence: low. Both sources are general-interest articles that cite no "
        "studies or figures."
    )

    def test_the_comparison_says_how_strong_its_evidence_is(self, seeded, read_page):
        evidence = section(read_page(PAIR), "evidence")
        assert self.STATEMENT in evidence
        assert "Limits of this information" in evidence
        assert (
            "“Unsigned article on laser cellulite reduction” names no publisher, "
            "author or date." in evidence
        )
        # Said with the evidence's level, not folded among its limits.
        assert (
            f"{self.STATEMENT} WiseGeek says it is funded by advertising." in evidence
        )
        # The sources are listed there, once, each with what it gives of itself.
        assert (
            "How do I Use Mesotherapy for Cellulite? By T. Flanagan, WiseGeek, "
            "updated 17 May 2024." in evidence
        )
        assert not re.search(r"\d+ ?(%|/|out of)", evidence)  # words, not a score

    def test_stronger_sources_say_so(self, client):
        study = make_source(kind="peer-reviewed-study")
        make_treatment("Studied", source=study)
        make_treatment("Guided", source=make_source(kind="clinical-guideline"))
        page = text(client.get("/treatments/studied/").content.decode())
        assert "Evidence: moderate. Its source is a peer-reviewed study." in page
        page = text(
            client.get(
                "/compare/?treatments=studied&treatments=guided"
            ).content.decode()
        )
        assert (
            "Evidence: high. Its sources are a peer-reviewed study and a clinical "
            "guideline." in page
        )

    def test_review_dates_of_a_curated_comparison_are_its_own(self, seeded, client):
        Comparison.objects.update(
            last_reviewed=datetime.date(2026, 12, 1),
            next_review_due=datetime.date(2027, 6, 1),
        )
        page = text(client.get("/compare/laser-vs-mesotherapy/").content.decode())
        assert "Last reviewed 1 December 2026; next review due 1 June 2027." in page

    def test_an_ad_hoc_comparison_is_due_when_its_first_treatment_is(
        self, seeded, client
    ):
        laser = Treatment.objects.get(slug=LASER)
        laser.last_reviewed = datetime.date(2026, 1, 10)
        laser.next_review_due = None  # 12 months after the review
        laser.save()
        page = text(client.get(PAIR).content.decode())
        assert "Last reviewed 10 January 2026; next review due 10 January 2027." in page


class TestSummary:
    URL = f"/compare/summary/?treatments={LASER}&treatments={MESO}&matters=downtime"

    def test_the_summary_to_take_away(self, seeded, read_page):
        response = read_page(self.URL)
        assert response.status_code == 200
        page = response.content.decode()
        assert (
            "Your summary: Laser cellulite reduction and mesotherapy compared" in page
        )
        assert '<meta name="robots" content="noindex">' in page
        # One priority: a sentence, not a numbered list of one.
        assert "<p>Time off: getting back to daily life and exercise</p>" in page
        # The reader's point first in the key differences too.
        assert (
            "<li>Time off: Laser cellulite reduction: daily life after the first "
            "couple of days" in page
        )
        # The short answers, without their details; silence in its one wording.
        assert "About 10, weekly or every two weeks" in page
        assert '<details class="more">' not in page
        assert (
            '“<span class="not-stated">The source does not say</span>” does not '
            "mean “none”." in page
        )
        # The questions to ask, as boxes to tick.
        assert "<li>Exactly which ingredients will be in my injections?</li>" in page
        assert page.count('<ul class="checklist">') == 3
        assert (
            f'href="/compare/?treatments={LASER}&amp;treatments={MESO}&amp;matters=downtime"'
            in page
        )

    def test_the_bare_address_goes_to_the_picker(self, client):
        response = client.get("/compare/summary/")
        assert response.status_code == 302 and response["Location"] == "/compare/"

    def test_a_bad_pick_is_explained_as_on_the_comparison(self, seeded, read_page):
        response = read_page(f"/compare/summary/?treatments={LASER}")
        assert response.status_code == 400
        assert "We could not make that comparison" in response.content.decode()


class TestTimeline:
    def test_draws_one_lane_per_treatment_with_a_title_and_description(
        self, seeded, read_page
    ):
        response = read_page(THREE)
        page = response.content.decode()
        svg = page[page.index("<svg") : page.index("</svg>")]
        assert 'role="img"' in svg
        assert '<title id="timeline-title">' in svg
        assert svg.count('class="tl-lane__name"') == 3
        description = response.context["timeline"]["description"]
        # In the source's words, as in the table, where we drew them after.
        for label, days in [
            (
                "Back to daily activities: after the first couple of days",
                "about days 2–3",
            ),
            (
                "Back to exercise: after a couple of weeks, once the incisions have "
                "healed more",
                "about days 14–21 (2–3 weeks)",
            ),
            ("Final result: at twelve months", "about day 365 (12 months)"),
            (
                "Sessions: about 10, weekly or every two weeks",
                "about days 0–126 (up to 4 months)",
            ),
            ("First visible results: after two or three sessions", "about days 7–28"),
        ]:
            assert f"{label} ({days}" in description
            assert label in svg  # labelled in the picture too
        # Ranges are drawn as ranges, single days as points.
        assert svg.count('class="tl-mark__shape"') >= 4
        assert svg.count("<circle") >= 2

    def test_what_a_source_gives_no_time_for_is_said_once_under_its_lane(
        self, seeded, read_page
    ):
        response = read_page(PAIR)
        laser, meso = response.context["timeline"]["lanes"]
        assert meso.unsaid_text == (
            "The source does not say: back to daily activities, back to exercise, "
            "still improving, final result."
        )
        assert laser.unsaid_text == (
            "The source does not say: number of sessions, first visible results."
        )
        assert not [mark for mark in meso.marks if "does not say" in mark.label]
        page = response.content.decode()
        svg = page[page.index("<svg") : page.index("</svg>")]
        assert svg.count('class="tl-lane__unsaid"') == 2
        # The narrow screen's dated list says it in the same words.
        narrow = page[page.index('<details class="timeline-narrow">') :]
        assert meso.unsaid_text in narrow
        assert (
            "Back to daily activities: after the first couple of days "
            '<span class="tl-when">about days 2–3</span>' in narrow
        )

    def test_worked_out_figures_say_about_and_how(self, seeded, read_page):
        notes = read_page(PAIR).context["timeline"]["notes"]
        assert (
            "Mesotherapy",
            "Sessions",
            "the last session worked out from ten sessions 7 to 14 days apart: "
            "days 63–126 (2–4 months)",
        ) in notes
        assert (
            "Laser cellulite reduction",
            "Back to daily activities",
            "days 2–3. “A couple of days” read as 2 to 3 days.",
        ) in notes


@made_once(scope="class")
def many():
    """40 treatments, made once for TestQueries."""
    source = make_source()
    legs = make_area("Legs")
    areas = [legs, make_area("Thighs", parent=legs)]
    return [
        add_facts(make_treatment(f"T{n:02}", areas=areas, source=source))
        for n in range(40)
    ]


@pytest.mark.usefixtures("content_types_known")
class TestQueries:
    """Comparing 4 costs what comparing 2 does, with many treatments around."""

    @pytest.mark.parametrize("count", [2, 3, 4])
    @pytest.mark.parametrize("page", ["/compare/", "/compare/summary/"])
    def test_ad_hoc(self, many, client, django_assert_num_queries, count, page):
        query = "&".join(f"treatments={t.slug}" for t in many[:count])
        options = "&body_area=thighs&matters=pain&matters=evidence&pair=t01"
        # the content version, the area tree, treatments (with the baselines
        # to offer), side effects, milestones, areas, conditions, what it
        # shows (core/cache/keys.py)
        with django_assert_num_queries(8):
            response = client.get(f"{page}?{query}{options}")
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
        with django_assert_num_queries(10):
            response = client.get("/compare/c/?matters=downtime")
        assert len(response.context["treatments"]) == count
