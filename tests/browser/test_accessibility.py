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
