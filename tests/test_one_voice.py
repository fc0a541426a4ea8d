"""What a patient reads, on every page type (issue 23): one wording for a
silence, said once where a whole section is silent; the articles' claims
in the articles' voice; no dead ends."""

import html
import json
import re

import pytest

from tests.factories import make_treatment
from treatments.models import NOT_STATED, Treatment

pytestmark = pytest.mark.django_db

LASER = "laser-cellulite-reduction"
MESO = "mesotherapy"
PAIR = f"treatments={LASER}&treatments={MESO}"

PAGE_TYPES = [
    "/",
    "/treatments/",
    f"/treatments/{LASER}/",
    f"/treatments/{MESO}/",
    "/treatments/no-treatment/",
    f"/compare/?{PAIR}",
    f"/compare/?{PAIR}&treatments=no-treatment&matters=pain",
    "/compare/laser-vs-mesotherapy/",
    f"/compare/summary/?{PAIR}&matters=downtime",
    "/compare/",
]

# How silences used to read, each a different way of saying the same.
OTHER_WORDINGS = [
    "Not stated in its source",
    "not stated in its source",
    "Not mentioned in its source",
    "Not given in the source",
    "Not stated in the source",
    "Stated in its source",
    "how common: not stated",
    "Not stated”",
    "Not mentioned”",
]


def text(response):
    """The page as a reader meets it: its text, with the JSON-LD's."""
    page = response.content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_a_silence_reads_one_way_on_every_page_type(seeded, client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = text(response)
    for wording in OTHER_WORDINGS:
        assert wording not in page, f"{path} says {wording!r}"


def test_the_one_wording_is_on_each_kind_of_page(seeded, client):
    for path in (
        f"/treatments/{LASER}/",  # facts
        "/treatments/",  # the cards
        f"/compare/?{PAIR}",  # the table, the timeline, the key differences
        f"/compare/summary/?{PAIR}",
    ):
        assert NOT_STATED in text(client.get(path)), path
    # The choices an editor picks say it too, and the catalogue's filter.
    assert Treatment.Anaesthesia.NOT_STATED.label == NOT_STATED


def test_a_section_silent_throughout_says_so_once(seeded, client):
    page = text(client.get(f"/treatments/{MESO}/"))
    # Six side effects, none with how long it lasts or whether it is normal:
    # one line for them all, not two blanks under each.
    line = (
        "The source does not say how long any of them lasts, or whether any of "
        "them is normal."
    )
    assert page.count(line) == 1
    assert "How long it lasts" not in page and "Is it normal?" not in page
    # Where only some are silent, it names them.
    page = text(client.get(f"/treatments/{LASER}/"))
    assert (
        "The source does not say how long scarring lasts, or whether scarring is "
        "normal." in page
    )


def test_silence_is_said_far_less_often(seeded, client):
    """The issue counted 17 silences on the laser page and 38 on the
    comparison; each is now said once, in one wording."""
    laser = text(client.get(f"/treatments/{LASER}/"))
    # Each thing its source leaves out, once (sessions also in the header's
    # summary; the limits and the reading notes say what the wording means).
    assert laser.count(NOT_STATED) <= 13
    assert laser.count("how many sessions it takes, how far apart") == 1
    comparison = client.get(f"/compare/?{PAIR}")
    # One a cell where a source is silent, one line a lane on the timeline.
    cells = sum(
        row.cells[index].silent
        for row in comparison.context["table"].rows.values()
        for index in range(2)
    )
    # The picture of the timeline is for wide screens, its dated list for
    # narrow ones: a reader meets one of them.
    page = re.sub(r"<svg.*?</svg>", "", comparison.content.decode(), flags=re.S)
    said = html.unescape(re.sub(r"<[^>]+>", " ", page)).count(NOT_STATED)
    # One a silent cell, one a lane of the timeline, and the laser's own
    # "where to have it done" and the limits of the information.
    assert said == cells + 2 + 2


def test_a_source_without_a_title_is_named_for_what_it_is(seeded, client):
    page = text(client.get(f"/treatments/{LASER}/"))
    assert "Untitled" not in page
    assert "Unsigned article on laser cellulite reduction" in page
    # Its missing details are said once, not a line each.
    assert "Publisher" not in page and "Author" not in page


def test_one_source_line_a_section(seeded, client):
    page = client.get(f"/treatments/{LASER}/").content.decode()
    sections = re.findall(r"<section id=\"[^\"]+\".*?</section>", page, re.S)
    for section in sections:
        assert section.count('<p class="cite">') <= 1, section[:80]
    # The recovery section's places in the article, the source named once.
    assert (
        "Source: Unsigned article on laser cellulite reduction, “What happens during "
        "the procedure?”, paragraph 1, and the paragraph after the numbered list; "
        "Numbered list of what to expect afterwards, item 2; Numbered list of what "
        "to expect afterwards, item 3" in text_of(page).replace(" ,", ",")
    )


def text_of(page):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


# The article's claims the issue found in the site's own voice, and how
# the site says them now.
CLAIMS = [
    (
        MESO,
        "The injections also help blood flow and lymphatic drainage",
        "It says the injections also help blood flow and lymphatic drainage",
    ),
    (
        LASER,
        "the laser makes the skin produce more collagen",
        "It also says the laser makes the skin produce more collagen",
    ),
    (
        LASER,
        "or even after six months. ",
        "Do not worry if you do not see the result you hoped for at once, or even "
        "after six months, it says.",
    ),
    (
        MESO,
        "Not especially painful, but",
        "The article says it is not especially painful",
    ),
]


@pytest.mark.parametrize(("slug", "before", "now"), CLAIMS)
def test_the_articles_speak_as_the_articles(seeded, client, slug, before, now):
    page = text(client.get(f"/treatments/{slug}/"))
    assert now in page
    assert before not in page.replace(now, "")


def test_the_comparison_title_reads_as_a_sentence(seeded, client):
    response = client.get(f"/compare/?{PAIR}")
    assert "Laser cellulite reduction and mesotherapy compared" in text(response)
    data = json.loads(
        re.search(
            r'<script type="application/ld\+json">(.*?)</script>',
            response.content.decode(),
            re.S,
        ).group(1)
    )
    assert data["name"] == "Laser cellulite reduction and mesotherapy compared"


class TestNoDeadEnds:
    def test_the_baseline_is_offered_every_treatment_for_its_condition(
        self, seeded, client
    ):
        response = client.get("/treatments/no-treatment/")
        offered = [t.slug for t in response.context["compare_with"]]
        # Never itself: comparing it with itself was "you chose 1".
        assert offered == [LASER, MESO]
        page = text(response)
        assert "Set it beside a treatment for cellulite" in page
        # Pressing Compare gives a comparison.
        response = client.get(f"/compare/?treatments=no-treatment&treatments={LASER}")
        assert response.status_code == 200
        assert "Living with cellulite and laser cellulite reduction compared" in text(
            response
        )

    def test_a_treatment_for_another_condition_is_not_offered(self, seeded, client):
        make_treatment("Unrelated")
        offered = [
            t.slug
            for t in client.get("/treatments/no-treatment/").context["compare_with"]
        ]
        assert "unrelated" not in offered

    def test_filter_choices_that_match_nothing_are_not_offered(self, seeded, client):
        page = client.get("/treatments/").content.decode()
        # Both treatments are minimally invasive, one under a local
        # anaesthetic, one with optional numbing cream.
        offered = re.findall(r'name="anaesthesia" value="([^"]+)"', page)
        assert offered == ["optional-topical", "local"]
        assert re.findall(r'name="invasiveness" value="([^"]+)"', page) == [
            "minimally-invasive"
        ]
        assert "Sedation" not in page and "General anaesthetic" not in page
        # Asked for by a link, one that matches nothing is still understood,
        # shown ticked so that it can be unticked, and finds nothing.
        response = client.get("/treatments/?anaesthesia=general")
        page = response.content.decode()
        assert re.search(r'name="anaesthesia" value="general"[^>]* checked', page)
        assert "No treatment matches all of these filters." in page
        assert "not a kind of anaesthesia" not in page
        # A new treatment under sedation: offered from then on.
        make_treatment("Sedated", anaesthesia="sedation")
        page = client.get("/treatments/").content.decode()
        assert 'name="anaesthesia" value="sedation"' in page

    def test_the_sort_reads_plainly(self, seeded, client):
        page = client.get("/treatments/").content.decode()
        assert ">Best match</option>" in page
        assert "else name" not in page

    def test_the_compare_button_follows_the_cards(self, seeded, client):
        page = client.get("/treatments/").content.decode()
        form = re.search(r'<form[^>]*class="compare-form".*?</form>', page, re.S)
        cards = form.group(0).rindex('class="card"')
        assert form.group(0).index('class="compare-bar"') > cards
