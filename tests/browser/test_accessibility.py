"""axe-core on every page type, at a desktop width and at 320 px."""

import pytest

from tests.browser.conftest import PAGES, goto

pytestmark = pytest.mark.browser

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22aa",
            "best-practice",
        ],
    },
    "resultTypes": ["violations"],
}


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize(("name", "path", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_no_axe_violations(kept_page, width, name, path, status):
    page = kept_page(width=width)
    goto(page, path, status)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    assert results["testEngine"]["name"] == "axe-core"
    assert not results["violations"], (
        f"axe found problems on {path} at {width} px:\n"
        + describe(results["violations"])
    )


# Every id that an attribute names, and whether the page has it. axe only
# flags a missing aria-describedby target for review, not as a violation.
MISSING_REFERENCES = """
() => {
  const missing = [];
  const check = (element, attribute, ids) => {
    for (const id of ids) {
      if (!document.getElementById(id)) {
        missing.push(`${element.tagName.toLowerCase()}[${attribute}] names #${id}`);
      }
    }
  };
  for (const attribute of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      check(element, attribute, element.getAttribute(attribute).split(/\\s+/));
    }
  }
  for (const label of document.querySelectorAll("label[for]")) {
    check(label, "for", [label.htmlFor]);
  }
  for (const link of document.querySelectorAll("a[href^='#']")) {
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    if (id) check(link, "href", [id]);
  }
  return missing;
}
"""


@pytest.mark.parametrize(("name", "path", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_every_id_a_page_refers_to_is_on_it(kept_page, name, path, status):
    page = kept_page()
    goto(page, path, status)
    assert page.evaluate(MISSING_REFERENCES) == []


# HTML_CodeSniffer, the second engine: its WCAG 2 AA standard, errors only
# (its warnings and notices ask a person to look, as axe's "needs review"
# results do).
HTMLCS_ERRORS = """
() => new Promise((resolve, reject) => {
  HTMLCS.process("WCAG2AA", document, () => {
    resolve(HTMLCS.getMessages()
      .filter((message) => message.type === HTMLCS.ERROR)
      .map((message) => {
        const element = message.element;
        const where = element && element.outerHTML
          ? element.outerHTML.slice(0, 120) : String(element);
        return `${message.code}: ${message.msg}\\n    at ${where}`;
      }));
  }, () => reject(new Error("HTML_CodeSniffer did not run")), "en");
})
"""


@pytest.mark.parametrize(("name", "path", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_no_html_codesniffer_errors(kept_page, name, path, status):
    """Every page type; on the comparisons, the summary and the curated
    comparison, that each answer is tied to its question and its treatment
    (H43)."""
    page = kept_page()
    goto(page, path, status)
    errors = page.evaluate(HTMLCS_ERRORS)
    assert not errors, f"HTML_CodeSniffer found errors on {path}:\n" + "\n".join(errors)


def test_html_codesniffer_finds_answers_tied_to_no_header(kept_page):
    """The engine runs and sees the fault it is here for: a table with a
    header band across it and questions, and no headers attributes (the
    comparison before it was fixed)."""
    page = kept_page()
    goto(page, "/")
    page.evaluate(
        """() => { document.querySelector("main").innerHTML = `
        <table><caption>Two treatments</caption>
          <thead><tr><th scope="col">Question</th><th scope="col">A</th>
            <th scope="col">B</th></tr></thead>
          <tbody><tr><th scope="colgroup" colspan="3">Time off</th></tr>
            <tr><th scope="row">Back to exercise</th><td>Days</td><td>Weeks</td></tr>
            <tr><th scope="row">Back to work</th><td>Days</td><td>Weeks</td></tr>
          </tbody></table>`; }"""
    )
    errors = page.evaluate(HTMLCS_ERRORS)
    assert any("H43.HeadersRequired" in error for error in errors), errors
