"""Narrow screens, the comparison table's sticky headers, and the static
files as production serves them."""

import re

import pytest

from tests.browser.conftest import PAGES, PAIR, goto

pytestmark = pytest.mark.browser

# What sticks out past the right edge of the window, to name in a failure.
TOO_WIDE = """
() => [...document.body.querySelectorAll("*")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter((element) => !element.closest(".table-scroll, .timeline-scroll"))
  .slice(0, 5)
  .map((element) => `${element.tagName.toLowerCase()}.${element.className}`
    + ` (right edge at ${Math.round(element.getBoundingClientRect().right)} px)`)
"""


@pytest.mark.parametrize("width", [375, 320])
@pytest.mark.parametrize(("name", "path", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_no_page_scrolls_sideways(kept_page, width, name, path, status):
    page = kept_page(width=width)
    goto(page, path, status)
    scroll_width, window_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= window_width, (
        f"{path} is {scroll_width} px wide in a {window_width} px window; "
        f"too wide: {page.evaluate(TOO_WIDE)}"
    )


# Where the table's parts are once its box has been scrolled right and down.
TABLE_AFTER_SCROLLING = """
(box) => {
  const before = box.querySelector("tbody td").getBoundingClientRect().left;
  box.scrollLeft = 150;
  box.scrollTop = 400;
  const inner = box.getBoundingClientRect();
  const top = inner.top + box.clientTop;
  const left = inner.left + box.clientLeft;
  const headerBottom = box.querySelector("thead").getBoundingClientRect().bottom;
  // A row that starts in view, below the header row.
  const rowHeader = [...box.querySelectorAll("tbody th[scope=row]")].find((cell) => {
    const rect = cell.getBoundingClientRect();
    return rect.top >= headerBottom && rect.top < inner.bottom - 20;
  });
  const cell = rowHeader.nextElementSibling.getBoundingClientRect();
  const where = (selector) => box.querySelector(selector).getBoundingClientRect();
  return {
    scrolled: [box.scrollLeft, box.scrollTop],
    boxTop: top,
    boxLeft: left,
    corner: where("thead .compare__corner").toJSON(),
    columnHeader: where("thead th:last-child").toJSON(),
    rowHeader: rowHeader.getBoundingClientRect().toJSON(),
    cellMoved: before - where("tbody td").left,
    cellLeft: cell.left,
  };
}
"""


@pytest.mark.parametrize("width", [375, 320])
def test_the_comparison_table_scrolls_in_its_own_box_with_headers_in_view(
    open_page, width
):
    page = open_page(width=width, height=700)
    goto(page, PAIR)
    box = page.locator(".table-scroll")
    sizes = box.evaluate(
        "box => [box.scrollWidth, box.clientWidth, box.scrollHeight, box.clientHeight]"
    )
    scroll_width, client_width, scroll_height, client_height = sizes
    assert scroll_width > client_width, "the table is not wider than its box"
    assert scroll_height > client_height, "the table is not taller than its box"

    table = box.evaluate(TABLE_AFTER_SCROLLING)
    assert table["scrolled"] == [150, 400]
    assert table["cellMoved"] == pytest.approx(150, abs=1)
    # The header row stays at the top of the box, the first column at its left.
    assert table["corner"]["top"] == pytest.approx(table["boxTop"], abs=1)
    assert table["corner"]["left"] == pytest.approx(table["boxLeft"], abs=1)
    assert table["columnHeader"]["top"] == pytest.approx(table["boxTop"], abs=1)
    assert table["rowHeader"]["left"] == pytest.approx(table["boxLeft"], abs=1)
    # The cells pass under the first column rather than beside it.
    assert table["cellLeft"] < table["rowHeader"]["right"]


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
