"""Narrow screens (the comparison side by side on a phone, its timeline, the
catalogue's results first), sticky headers, the summary on paper, and the
static files as production serves them."""

import re

import pytest

from tests.browser.conftest import BASELINE, LASER, MESO, PAGES, PAIR, goto

pytestmark = pytest.mark.browser

# What sticks out past the right edge of the window, to name in a failure.
TOO_WIDE = """
() => [...document.body.querySelectorAll("*")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(0, 5)
  .map((element) => `${element.tagName.toLowerCase()}.${element.className}`
    + ` (right edge at ${Math.round(element.getBoundingClientRect().right)} px)`)
"""

# Any box that scrolls sideways inside the page.
SCROLLS_SIDEWAYS = """
() => [...document.body.querySelectorAll("*")]
  .filter((element) => {
    const overflow = getComputedStyle(element).overflowX;
    return (overflow === "auto" || overflow === "scroll")
      && element.scrollWidth > element.clientWidth + 1;
  })
  .map((element) => `${element.tagName.toLowerCase()}.${element.className}`)
"""


@pytest.mark.parametrize("width", [375, 320])
@pytest.mark.parametrize(("name", "path", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_no_page_or_element_scrolls_sideways(kept_page, width, name, path, status):
    page = kept_page(width=width)
    goto(page, path, status)
    scroll_width, window_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= window_width, (
        f"{path} is {scroll_width} px wide in a {window_width} px window; "
        f"too wide: {page.evaluate(TOO_WIDE)}"
    )
    assert page.evaluate(SCROLLS_SIDEWAYS) == []


# For each visible row of the table: its question, and where its visible
# answers are.
ROWS_IN_VIEW = """
() => [...document.querySelectorAll("table.compare tbody tr.compare__row")]
  .filter((row) => row.getClientRects().length)
  .map((row) => ({
    question: row.querySelector("th").getBoundingClientRect().toJSON(),
    answers: [...row.querySelectorAll("td")]
      .filter((cell) => cell.getClientRects().length)
      .map((cell) => ({
        name: cell.className,
        box: cell.getBoundingClientRect().toJSON(),
      })),
  }))
"""


@pytest.mark.parametrize("width", [375, 320])
@pytest.mark.parametrize(
    ("path", "left", "right"),
    [
        (PAIR, "col--left", "col--right"),
        (f"{PAIR}&treatments={BASELINE}", "col--left", "col--right"),
        (
            f"{PAIR}&treatments={BASELINE}&pair={BASELINE}&pair={LASER}",
            "col--left",
            "col--right",
        ),
    ],
    ids=["two", "three", "three-picked"],
)
def test_two_answers_stand_side_by_side_under_the_question(
    kept_page, width, path, left, right
):
    page = kept_page(width=width, height=812)
    goto(page, path)
    rows = page.evaluate(ROWS_IN_VIEW)
    assert len(rows) > 25
    for row in rows:
        # Exactly two, the others set aside; left to right as picked.
        first, second = sorted(row["answers"], key=lambda a: a["box"]["left"])
        assert [first["name"], second["name"]] == [f"col {left}", f"col {right}"]
        # The question on a line of its own, full width, above the pair.
        assert row["question"]["width"] > width - 40
        assert row["question"]["bottom"] <= first["box"]["top"] + 1
        # Both answers in view, side by side, at the same height.
        assert first["box"]["left"] >= 0 and second["box"]["right"] <= width
        assert first["box"]["right"] <= second["box"]["left"] + 1
        assert first["box"]["top"] == pytest.approx(second["box"]["top"], abs=1)
        assert first["box"]["width"] > width / 2 - 40


def side_by_side(page):
    """The names of the treatments in view, left to right."""
    links = page.locator("table.compare thead th a:visible").all()
    found = sorted((link.bounding_box()["x"], link.inner_text()) for link in links)
    return [name for _x, name in found]


def test_the_reader_picks_the_pair_and_swaps_it_without_javascript(open_page):
    page = open_page(width=375, height=812, javascript=False)
    goto(page, f"{PAIR}&treatments={BASELINE}")
    baseline = "No procedure: living with cellulite"
    assert side_by_side(page) == ["Laser cellulite reduction", "Mesotherapy"]
    page.get_by_role("link", name="Mesotherapy and living with cellulite").click()
    page.wait_for_load_state()
    assert f"pair={MESO}&pair={BASELINE}" in page.url
    assert side_by_side(page) == ["Mesotherapy", baseline]
    page.get_by_role("link", name="Swap them round").click()
    page.wait_for_load_state()
    assert side_by_side(page) == [baseline, "Mesotherapy"]
    # On a wide screen, all three.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert len(side_by_side(page)) == 3


def test_on_a_phone_the_treatment_names_stay_at_the_top_of_the_window(open_page):
    page = open_page(width=375, height=812)
    goto(page, PAIR)
    page.locator("#row-effect-soreness").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 200)")
    header = page.locator("table.compare thead").bounding_box()
    assert header["y"] == pytest.approx(0, abs=1)


def test_on_a_wide_screen_the_treatment_names_stay_at_the_top_of_the_window(
    open_page,
):
    page = open_page(width=1280, height=800)
    goto(page, PAIR)
    page.locator("table.compare tbody tr").nth(15).evaluate(
        "row => row.scrollIntoView({block: 'center'})"
    )
    header = page.locator("table.compare thead th").last.bounding_box()
    first_row = page.locator("table.compare tbody tr").first.bounding_box()
    assert first_row["y"] < 0, "the page did not scroll past the table's top"
    assert header["y"] == pytest.approx(0, abs=1)


def test_columns_are_equal_when_comparing_three(open_page):
    page = open_page(width=1280, height=800)
    goto(page, f"{PAIR}&treatments={BASELINE}")
    cells = page.locator("table.compare thead th.col").all()
    widths = [cell.bounding_box()["width"] for cell in cells]
    assert len(widths) == 3
    assert max(widths) - min(widths) < 1


# Every piece of text in the narrow timeline: its size, and whether any of
# it is cut off or outside the window.
TIMELINE_TEXT = """
() => [...document.querySelectorAll(".timeline-narrow *")]
  .filter((element) => element.getClientRects().length
    && [...element.childNodes].some(
      (node) => node.nodeType === 3 && node.textContent.trim()))
  .map((element) => {
    const box = element.getBoundingClientRect();
    return {
      text: element.textContent.trim().slice(0, 40),
      size: parseFloat(getComputedStyle(element).fontSize),
      cut: element.scrollWidth > element.clientWidth + 1,
      inside: box.left >= 0 && box.right <= window.innerWidth,
    };
  })
"""


@pytest.mark.parametrize("width", [320, 375])
def test_the_timeline_is_a_dated_list_on_a_phone(kept_page, width):
    page = kept_page(width=width)
    goto(page, f"{PAIR}&treatments={BASELINE}")
    assert not page.locator("svg.timeline").is_visible()
    # Folded, as the table above has the same steps; a tap opens it.
    narrow = page.locator("details.timeline-narrow")
    assert not narrow.locator("ul").first.is_visible()
    narrow.locator("summary").click()
    texts = page.evaluate(TIMELINE_TEXT)
    assert len(texts) > 10
    for text in texts:
        assert text["size"] >= 12, text
        assert not text["cut"] and text["inside"], text
    # Each step in its source's words, then the days it falls on.
    steps = narrow.locator(".timeline-narrow__marks li").all_inner_texts()
    assert (
        "Back to daily activities: after the first couple of days about days 2–3"
        in (" ".join(step.split()) for step in steps)
    )
    assert (
        "First visible results: after two or three sessions about days 7–28 (1–4 weeks)"
        in (" ".join(step.split()) for step in steps)
    )
    unsaid = narrow.locator(".timeline-narrow__unsaid").all_inner_texts()
    assert (
        "The source does not say: back to daily activities, back to exercise, "
        "still improving, final result." in unsaid
    )


def test_on_a_wide_screen_the_timeline_is_a_picture(kept_page):
    page = kept_page()
    goto(page, PAIR)
    assert page.locator("svg.timeline").is_visible()
    assert not page.locator(".timeline-narrow").is_visible()


def test_arriving_with_a_filter_the_results_are_on_the_first_screen(open_page):
    page = open_page(width=375, height=812)
    goto(page, "/treatments/?body_area=thighs")
    assert page.locator(".filters-disclosure").evaluate("d => d.open") is False
    assert page.get_by_text("Now: Thighs.").is_visible()
    heading = page.locator("#results-heading").bounding_box()
    first = page.locator(".catalogue__results .card__title").first.bounding_box()
    assert heading["y"] + heading["height"] < 812
    assert first["y"] + first["height"] < 812
    # The control to change them opens the filters.
    page.get_by_text("Change filters").click()
    assert page.locator(".filters-disclosure").evaluate("d => d.open") is True


PDF_PAGE = re.compile(rb"/Type\s*/Page[^s]")


@pytest.mark.parametrize(
    "query",
    [
        f"treatments={LASER}&treatments={MESO}",
        f"treatments={LASER}&treatments={MESO}&matters=downtime&matters=pain",
        f"treatments={LASER}&treatments={MESO}&treatments={BASELINE}"
        "&matters=side-effects",
    ],
    ids=["two", "two-with-priorities", "three"],
)
def test_the_summary_prints_on_at_most_two_a4_pages(open_page, query):
    page = open_page(width=1280, height=900)
    goto(page, f"/compare/summary/?{query}")
    pdf = page.pdf(format="A4")
    pages = len(PDF_PAGE.findall(pdf))
    assert 1 <= pages <= 2, f"the summary printed on {pages} pages"
    page.emulate_media(media="print")
    # What it must carry, on paper.
    for heading in ("What matters most to you", "Key differences", "Short answers"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator(".checklist li").count() >= 4
    assert not page.locator(".site-header").is_visible()


def test_the_comparison_prints_every_detail_open(open_page):
    page = open_page(width=1280, height=900)
    goto(page, PAIR)
    details = page.locator("details.more .more__body").first
    assert not details.is_visible()
    page.emulate_media(media="print")
    assert details.is_visible()


def test_static_files_are_fingerprinted_and_served_by_whitenoise(page, site):
    responses = {}
    page.on("response", lambda response: responses.update({response.url: response}))
    goto(page, PAIR)

    stylesheet = page.locator("link[rel=stylesheet]").get_attribute("href")
    script = page.locator("script[src]").get_attribute("src")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", stylesheet)
    assert re.fullmatch(r"/static/js/compare\.[0-9a-f]{12}\.js", script)
    for path in (stylesheet, script):
        response = responses[site.url + path]
        assert response.status == 200
        headers = response.all_headers()
        # WhiteNoise: cached for ever, since the name changes with the content.
        assert "immutable" in headers["cache-control"]
        assert headers.get("content-encoding") in {"br", "gzip"}
    # The stylesheet applied: the header has its colour.
    assert (
        page.locator(".site-header").evaluate(
            "header => getComputedStyle(header).backgroundColor"
        )
        == "rgb(7, 63, 74)"
    )


# The comparison's height on a 375 px phone before issue 23, measured at
# commit 80a7ed7 (main) with the seeded content: 14 screens.
HEIGHT_BEFORE = {PAIR: 11462, "/compare/laser-vs-mesotherapy/": 11580}


@pytest.mark.parametrize("path", list(HEIGHT_BEFORE))
def test_the_comparison_on_a_phone_is_at_most_half_as_tall_as_it_was(
    open_page, record_property, path
):
    page = open_page(width=375, height=812)
    goto(page, path)
    height = page.evaluate("document.documentElement.scrollHeight")
    record_property("height_at_375", height)
    assert height <= HEIGHT_BEFORE[path] / 2
    # The key differences are read first, folded to their first lines.
    differences = page.locator(".key-differences")
    assert differences.bounding_box()["height"] < 812 * 0.6
    assert not page.locator(".key-differences__more ul").is_visible()
    # On a wide screen they show whole.
    page.set_viewport_size({"width": 1280, "height": 900})
    goto(page, path)
    assert page.locator(".key-differences__more ul").is_visible()


# Each visible badge of a row, by the row's question.
VISIBLE_BADGES = """
() => Object.fromEntries([...document.querySelectorAll("tr.compare__row")]
  .map((row) => [row.querySelector("th .compare__question").textContent.trim(),
    [...row.querySelectorAll(".badge")]
      .filter((badge) => badge.getClientRects().length)
      .map((badge) => badge.firstChild.textContent.trim())]))
"""


@pytest.mark.parametrize(
    ("width", "pair", "expected"),
    [
        # Laser and mesotherapy side by side both say "Common", while "no
        # procedure", set aside, differs: the badge speaks of the two in view.
        (375, "", {"Bruising": ["Same"], "Soreness": ["Only one source says"]}),
        (
            375,
            f"&pair={LASER}&pair={BASELINE}",
            {"Bruising": ["Differs"], "Soreness": ["Only one source says"]},
        ),
        # On a wide screen all three show, and so does the badge of all three.
        (
            1280,
            "",
            {"Bruising": ["Differs"], "Soreness": ["Differs"]},
        ),
    ],
    ids=["phone", "phone-other-pair", "wide"],
)
def test_the_badge_of_a_three_way_row_describes_the_visible_answers(
    kept_page, width, pair, expected
):
    page = kept_page(width=width)
    goto(page, f"{PAIR}&treatments={BASELINE}{pair}")
    found = page.evaluate(VISIBLE_BADGES)
    for question, badges in expected.items():
        assert found[question] == badges, question
    # Every compared row shows exactly one badge.
    assert all(
        len(badges) == 1 for q, badges in found.items() if q != "Questions to ask"
    )


def test_the_compare_button_is_in_view_after_ticking_two_cards(open_page):
    page = open_page(width=375, height=812)
    goto(page, "/treatments/")
    button = page.get_by_role("button", name="Compare ticked treatments")
    for name in ("Laser cellulite reduction", "Mesotherapy"):
        box = page.get_by_label(f"Compare {name}")
        box.scroll_into_view_if_needed()
        box.check()
        # In the window, whatever card was just ticked.
        place = button.bounding_box()
        assert 0 <= place["y"] and place["y"] + place["height"] <= 812, place
    # Not over the box just ticked.
    ticked = page.get_by_label("Compare Mesotherapy").bounding_box()
    assert ticked["y"] + ticked["height"] <= button.bounding_box()["y"]
    with page.expect_navigation():
        button.click()
    assert "treatments=laser-cellulite-reduction&treatments=mesotherapy" in page.url
