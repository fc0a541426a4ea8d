"""What a visitor does, in Chromium: with the mouse, without JavaScript,
and with the keyboard alone."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.browser.conftest import LASER, MESO, PAIR, expect, goto

pytestmark = pytest.mark.browser

LASER_NAME = "Laser cellulite reduction"
MESO_NAME = "Mesotherapy"


def listed(page):
    """The names of the treatments in the catalogue's results."""
    return page.locator(".catalogue__results .card__title")


def query(page):
    return parse_qsl(urlsplit(page.url).query)


def shown_rows(page):
    """The labels of the comparison rows a visitor can see."""
    return page.locator("table.compare th[scope=row]:visible").evaluate_all(
        "cells => cells.map("
        "cell => cell.querySelector('.compare__question').textContent.trim())"
    )


class TestWithTheMouse:
    def test_filter_the_catalogue_by_a_body_area(self, page):
        goto(page, "/treatments/")
        expect(listed(page)).to_have_text([LASER_NAME, MESO_NAME])

        page.get_by_label("Back (1 treatment)").check()
        page.get_by_role("button", name="Show treatments").click()

        expect(page).to_have_url(re.compile(r"[?&]body_area=back(&|$)"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Treatments for back")
        expect(listed(page)).to_have_text([MESO_NAME])
        expect(page.get_by_label("Back (1 treatment)")).to_be_checked()

    def test_tick_two_treatments_and_compare_them(self, page, site):
        goto(page, "/treatments/")
        page.get_by_label(f"Compare {LASER_NAME}").check()
        page.get_by_label(f"Compare {MESO_NAME}").check()
        page.get_by_role("button", name="Compare ticked treatments").click()

        expect(page).to_have_url(site.url + PAIR)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"{LASER_NAME} and mesotherapy compared"
        )
        expect(page.locator("table.compare thead th")).to_have_text(
            ["Question", LASER_NAME, MESO_NAME]
        )

    def test_open_the_curated_comparison_from_the_home_page(self, page, site):
        goto(page, "/")
        page.get_by_role(
            "link", name="Laser cellulite reduction or mesotherapy?"
        ).click()

        expect(page).to_have_url(site.url + "/compare/laser-vs-mesotherapy/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Laser cellulite reduction or mesotherapy?"
        )
        expect(page.locator("table.compare thead th")).to_have_text(
            ["Question", LASER_NAME, MESO_NAME]
        )


class TestShowOnlyTheDifferences:
    """ "Show: every row · only the differences · what only one source says"."""

    def choice(self, page, name):
        return page.locator(".show-rows").get_by_role("link", name=name, exact=True)

    def test_with_javascript_it_switches_without_a_reload(self, page, site):
        goto(page, f"{PAIR}&differences=1")
        served_differences = shown_rows(page)
        goto(page, f"{PAIR}&gaps=1")
        served_gaps = shown_rows(page)
        goto(page, PAIR)
        every_row = shown_rows(page)
        assert len(served_differences) < len(every_row)
        assert not set(served_differences) & set(served_gaps)

        documents = []
        page.on(
            "request",
            lambda request: (
                request.resource_type == "document" and documents.append(request.url)
            ),
        )
        page.evaluate("window.notReloaded = true")
        status = page.locator("#compare-status")
        expect(self.choice(page, "every row")).to_have_attribute("aria-current", "true")

        self.choice(page, "only the differences").click()
        expect(page).to_have_url(f"{site.url}{PAIR}&differences=1")
        expect(self.choice(page, "only the differences")).to_have_attribute(
            "aria-current", "true"
        )
        expect(self.choice(page, "every row")).not_to_have_attribute(
            "aria-current", "true"
        )
        expect(status).to_have_text(
            re.compile(r"^Showing the \d+ questions whose answers differ")
        )
        # The same rows as the server shows for the same address.
        assert shown_rows(page) == served_differences

        self.choice(page, "what only one source says").click()
        expect(page).to_have_url(f"{site.url}{PAIR}&gaps=1")
        expect(status).to_have_text(
            re.compile(r"^Showing the \d+ questions only one source answers")
        )
        assert shown_rows(page) == served_gaps

        self.choice(page, "every row").click()
        expect(page).to_have_url(site.url + PAIR)
        expect(status).to_have_text("")
        assert shown_rows(page) == every_row

        assert page.evaluate("window.notReloaded") is True
        assert documents == []

    def test_without_javascript_the_link_reloads_the_page(self, open_page, site):
        page = open_page(javascript=False)
        goto(page, PAIR)
        every_row = shown_rows(page)

        self.choice(page, "only the differences").click()
        expect(page).to_have_url(f"{site.url}{PAIR}&differences=1")
        page.wait_for_load_state()
        expect(self.choice(page, "only the differences")).to_have_attribute(
            "aria-current", "true"
        )
        differing = shown_rows(page)
        assert 0 < len(differing) < len(every_row)
        assert page.locator("tr.compare__row--same:visible").count() == 0
        assert page.locator("tr.compare__row--one-sided:visible").count() == 0

        self.choice(page, "every row").click()
        expect(page).to_have_url(site.url + PAIR)
        page.wait_for_load_state()
        assert shown_rows(page) == every_row


class TestThePicker:
    """A search and a short list, ticks kept from one search to the next."""

    def test_with_javascript_it_searches_as_you_type(self, page, site):
        goto(page, "/compare/")
        documents = []
        page.on(
            "request",
            lambda request: (
                request.resource_type == "document" and documents.append(request.url)
            ),
        )
        search = page.get_by_label("Find treatments")
        search.press_sequentially("meso")
        expect(page.locator("#pick-count")).to_have_text("1 treatment matches “meso”")
        expect(page).to_have_url(re.compile(r"\?q=meso&page=1$"))
        expect(search).to_be_focused()
        page.get_by_label(MESO_NAME).check()

        search.fill("")
        search.press_sequentially("laser")
        expect(page.locator("#pick-count")).to_have_text("1 treatment matches “laser”")
        # Ticked before this search: still ticked, shown apart.
        expect(page.get_by_role("group", name="Chosen so far")).to_be_visible()
        expect(page.get_by_label(MESO_NAME)).to_be_checked()
        page.get_by_label(LASER_NAME).check()
        assert documents == []

        page.get_by_role("button", name="Compare", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"{MESO_NAME} and laser cellulite reduction compared"
        )

    def test_without_javascript_the_search_button_does_it(self, open_page, site):
        page = open_page(javascript=False)
        goto(page, "/compare/")
        page.get_by_label("Find treatments").fill("laser")
        with page.expect_navigation():
            page.get_by_label("Find treatments").press("Enter")
        assert query(page) == [("q", "laser"), ("page", "1")]
        expect(page.locator("#pick-count")).to_have_text("1 treatment matches “laser”")
        page.get_by_label(LASER_NAME).check()

        page.get_by_label("Find treatments").fill("meso")
        page.get_by_role("button", name="Search").click()
        page.wait_for_load_state()
        expect(page.get_by_label(LASER_NAME)).to_be_checked()
        page.get_by_label(MESO_NAME).check()

        page.get_by_role("button", name="Compare", exact=True).click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"{LASER_NAME} and mesotherapy compared"
        )

    def test_compare_with_leads_to_the_picker(self, page, site):
        goto(page, f"/treatments/{MESO}/")
        page.get_by_role("link", name="Search every treatment").click()
        expect(page.get_by_label(MESO_NAME)).to_be_checked()


# Where the focus is after a key press: on what, and whether a sighted
# keyboard user can see it (a focus ring of 2 px or more, on screen).
FOCUS = """
(selector) => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    element: element.outerHTML.slice(0, 100),
    matches: element.matches(selector),
    ring: element.matches(":focus-visible")
      && style.outlineStyle !== "none"
      && parseFloat(style.outlineWidth) >= 2,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0
      && box.top < window.innerHeight && box.right > 0
      && box.left < window.innerWidth,
  };
}
"""


def tab_to(page, selector, *, key="Tab", limit=80):
    """Press Tab (or Shift+Tab) until `selector` has the focus. The focus
    must be visible at every stop on the way."""
    for _ in range(limit):
        page.keyboard.press(key)
        focus = page.evaluate(FOCUS, selector)
        assert focus["ring"], f"no visible focus ring on {focus['element']}"
        assert focus["onScreen"], f"the focus is off screen: {focus['element']}"
        if focus["matches"]:
            return
    pytest.fail(f"{key} did not reach {selector} in {limit} presses")


def test_filter_compare_and_differences_with_the_keyboard_alone(page, site):
    goto(page, "/treatments/")

    tab_to(page, "input[name=body_area][value=legs]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=body_area][value=legs]")).to_be_checked()
    tab_to(page, ".filters button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert ("body_area", "legs") in query(page)
    expect(listed(page)).to_have_text([LASER_NAME, MESO_NAME])

    tab_to(page, f"input[name=treatments][value={LASER}]")
    page.keyboard.press("Space")
    tab_to(page, f"input[name=treatments][value={MESO}]")
    page.keyboard.press("Space")
    # The compare button follows the treatments, in reach after each tick.
    tab_to(page, ".compare-bar button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == "/compare/"
    assert sorted(query(page)) == [
        ("body_area", "legs"),
        ("treatments", LASER),
        ("treatments", MESO),
    ]
    expect(page.get_by_role("heading", name="For the legs")).to_be_visible()

    page.evaluate("window.notReloaded = true")
    differences = page.locator(".js-show[data-show=differences]")
    tab_to(page, ".js-show[data-show=differences]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"&differences=1$"))
    expect(differences).to_have_attribute("aria-current", "true")
    expect(differences).to_be_focused()
    assert page.locator("tr.compare__row--same:visible").count() == 0
    tab_to(page, ".js-show[data-show=all]", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"differences="))
    expect(differences).not_to_have_attribute("aria-current", "true")
    assert page.locator("tr.compare__row--same:visible").count() > 0
    assert page.evaluate("window.notReloaded") is True


class TestWhatMatters:
    """Ticking what matters most: with JavaScript, in the order ticked; without
    it, as a plain GET form, in the order listed."""

    def tick(self, page):
        page.locator("details.tailor > summary").click()
        page.get_by_label("Pain and anaesthesia").check()
        page.get_by_label("Time off: getting back to daily life and exercise").check()
        page.get_by_role("button", name="Update the comparison").click()
        page.wait_for_load_state()

    def group_titles(self, page):
        return page.locator(
            "table.compare tr.compare__group .compare__group-title"
        ).evaluate_all("cells => cells.map(cell => cell.textContent.trim())")

    def test_with_javascript_in_the_order_ticked(self, page, site):
        goto(page, PAIR)
        self.tick(page)
        expect(page).to_have_url(f"{site.url}{PAIR}&matters=pain&matters=downtime")
        assert self.group_titles(page)[:2] == ["Pain and anaesthesia", "Time off"]
        expect(
            page.get_by_role("heading", name="On what matters to you")
        ).to_be_visible()
        share = page.locator("#share-link").input_value()
        assert share.endswith("matters=pain&matters=downtime")

    def test_without_javascript_in_the_order_listed(self, open_page, site):
        page = open_page(javascript=False)
        goto(page, PAIR)
        self.tick(page)
        assert query(page)[-2:] == [("matters", "downtime"), ("matters", "pain")]
        assert self.group_titles(page)[:2] == ["Time off", "Pain and anaesthesia"]

    def test_the_differences_switch_keeps_the_share_link_in_step(self, page):
        goto(page, f"{PAIR}&matters=evidence")
        page.locator(".js-show[data-show=differences]").click()
        share = page.locator("#share-link").input_value()
        assert share.endswith("matters=evidence&differences=1")
        page.locator(".js-show[data-show=gaps]").click()
        share = page.locator("#share-link").input_value()
        assert share.endswith("matters=evidence&gaps=1")


def test_a_detail_opens_with_a_tap_and_the_keyboard(page):
    goto(page, PAIR)
    details = page.locator("#row-sessions details").last
    body = details.locator(".more__body")
    expect(body).to_be_hidden()
    details.locator("summary").click()
    expect(body).to_contain_text("About ten, for most patients")
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(body).to_be_hidden()


def test_the_skip_link_is_the_first_stop_and_moves_the_focus(page):
    goto(page, "/treatments/")
    tab_to(page, ".skip-link", limit=1)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
