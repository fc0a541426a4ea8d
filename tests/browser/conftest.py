"""
The browser suite: the site in headless Chromium, served as production
serves it.

How the site is served (tests/support/site.py), and why not
pytest-django's live_server:

- gunicorn runs in a subprocess with gunicorn.conf.py and config.wsgi, as
  `make serve` does, with debug off and the production settings. Every
  middleware and header is the one production sends, so a
  Content-Security-Policy that blocks a script fails these tests.
- collectstatic runs first, into a temporary folder, and WhiteNoise serves
  the fingerprinted, compressed files from it. live_server would serve
  static files through Django's StaticFilesHandler from the source folders,
  and the fingerprinted names would never be requested.
- The server has its own database, migrated and seeded once per session
  with `manage.py seed` (the real fixtures): a SQLite file in that folder,
  or, when DATABASE_URL points at PostgreSQL, a scratch database created on
  that server for the session and dropped after it, so that the suite
  never writes to a database someone else uses. Under live_server,
  transactional_db would empty the database after every test.
- Playwright's sync API runs an event loop in the test's thread, where
  Django refuses ORM calls (SynchronousOnlyOperation); with the server in
  its own process, tests change data through manage.py instead.

Tools: Chromium at /usr/bin/chromium (never `playwright install`), java for
the Nu Html Checker, and node_modules (axe-core, html_codesniffer, vnu-jar)
from `npm ci`. If one is missing, the browser tests are skipped with one
message; with REQUIRE_BROWSER_TESTS=1 (CI) the run fails instead. They are marked
"browser" (`pytest -m "not browser"` is the fast suite) and run after the
other tests.
"""

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from tests.support.site import served, server_database

try:
    from playwright.sync_api import expect  # for the test modules
except ImportError:  # missing_tools() says so, and the tests are skipped
    expect = None

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# A second engine for WCAG 2 AA, beside axe-core: HTML_CodeSniffer (the
# checker pa11y runs), which checks how table cells are tied to their
# headers (technique H43) where axe does not.
HTMLCS = BASE_DIR / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"
VNU = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

LASER = "laser-cellulite-reduction"
MESO = "mesotherapy"
BASELINE = "no-treatment"
PAIR = f"/compare/?treatments={LASER}&treatments={MESO}"

# Every page type, as (name, path, expected status): axe, the Nu Html
# Checker and the narrow-screen test all go through this list.
PAGES = [
    ("home", "/", 200),
    ("catalogue", "/treatments/", 200),
    ("catalogue-filtered", "/treatments/?body_area=legs", 200),
    ("catalogue-malformed", "/treatments/?body_area=nonsense&max_sessions=abc", 200),
    ("treatment-laser", f"/treatments/{LASER}/", 200),
    ("treatment-meso", f"/treatments/{MESO}/", 200),
    ("treatment-baseline", f"/treatments/{BASELINE}/", 200),
    ("compare", PAIR, 200),
    ("compare-differences", f"{PAIR}&differences=1", 200),
    ("compare-thighs", f"{PAIR}&body_area=thighs", 200),
    ("compare-thighs-differences", f"{PAIR}&body_area=thighs&differences=1", 200),
    ("compare-three", f"{PAIR}&treatments={BASELINE}", 200),
    (
        "compare-three-paired",
        f"{PAIR}&treatments={BASELINE}&pair={BASELINE}&pair={MESO}",
        200,
    ),
    ("compare-matters", f"{PAIR}&matters=pain&matters=downtime&differences=1", 200),
    ("summary", f"/compare/summary/?treatments={LASER}&treatments={MESO}", 200),
    (
        "summary-three-matters",
        f"/compare/summary/?treatments={LASER}&treatments={MESO}"
        f"&treatments={BASELINE}&matters=side-effects",
        200,
    ),
    ("catalogue-thighs", "/treatments/?body_area=thighs", 200),
    ("curated", "/compare/laser-vs-mesotherapy/", 200),
    ("ready-made", "/compare/ready-made/", 200),
    ("compare-too-few", f"/compare/?treatments={MESO}", 400),
    ("compare-unknown", f"/compare/?treatments={MESO}&treatments=no-such-thing", 404),
    ("picker", "/compare/", 200),
    ("picker-search", "/compare/?q=laser&page=1", 200),
    ("picker-chosen", f"/compare/?treatments={MESO}&q=nothing-like-it&page=1", 200),
    ("not-found", "/no-such-page/", 404),
    ("api-docs", "/api/v1/docs/", 200),
]


# Which tools are here, and what to do when one is not.


SKIP_MESSAGE = pytest.StashKey[str]()


def missing_tools():
    missing = []
    if not CHROMIUM.exists():
        missing.append(
            "Chromium at /usr/bin/chromium (sudo apt-get install chromium "
            "chromium-driver)"
        )
    if shutil.which("java") is None:
        missing.append(
            "java, for the Nu Html Checker (sudo apt-get install default-jre-headless)"
        )
    if not (AXE.exists() and HTMLCS.exists() and VNU.exists()):
        missing.append(
            "axe-core, html_codesniffer and vnu-jar in node_modules (install "
            "Node.js and npm; `make test` then runs `npm ci`)"
        )
    if importlib.util.find_spec("playwright") is None:
        missing.append("the playwright Python package (make install)")
    return missing


def required():
    return os.environ.get("REQUIRE_BROWSER_TESTS", "").strip() not in {"", "0"}


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected
def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    # The fast tests first. The browser tests come last, too, because
    # Playwright's event loop runs while they do, and Django refuses the
    # ORM in a thread with a running loop (SynchronousOnlyOperation).
    fast = [item for item in items if not item.get_closest_marker("browser")]
    items[:] = fast + browser_items
    missing = missing_tools() if browser_items else []
    if not missing:
        return
    message = (
        f"The {len(browser_items)} browser tests (tests/browser) cannot run. "
        f"Missing: {'; '.join(missing)}."
    )
    if required():
        # The whole run stops here, before any test, with this message.
        raise pytest.UsageError(
            f"{message} REQUIRE_BROWSER_TESTS is set, so this is a failure."
        )
    message += " Skipped; set REQUIRE_BROWSER_TESTS=1 to fail instead (CI does)."
    skip = pytest.mark.skip(reason=message)
    for item in browser_items:
        item.add_marker(skip)
    config.stash[SKIP_MESSAGE] = message


def pytest_terminal_summary(terminalreporter, config):
    # Skip reasons are hidden without -rs; this one says how to fix it.
    message = config.stash.get(SKIP_MESSAGE, None)
    if message:
        terminalreporter.section("browser tests skipped", yellow=True)
        terminalreporter.line(message)


# The server (tests/support/site.py).


@pytest.fixture(scope="session")
def site(tmp_path_factory, django_db_setup, django_db_blocker):
    folder = tmp_path_factory.mktemp("site")
    with server_database(folder, "browser", django_db_blocker) as database_url:
        with served(folder, database_url) as site:
            yield site


# The browser, and pages that report what went wrong in them.


# Package scope: Playwright's event loop stops once the browser tests are
# done, whatever runs after them.
@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# Chromium reports a blocked script or style on the console; this names the
# directive too, and catches a violation however it is reported.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const { violatedDirective, blockedURI } = event;
  console.error(`CSP violation: ${violatedDirective} blocked ${blockedURI}`);
}, true);
"""


class Problems(list):
    """Console errors, uncaught exceptions, CSP violations and failed
    requests for anything but the page itself, as they happen."""

    def watch(self, page):
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.append(f"uncaught: {error}"))
        page.on("response", self.on_response)
        page.on("requestfailed", self.on_request_failed)

    def on_request_failed(self, request):
        # A navigation cancels what the page was still loading (a favicon,
        # say): the browser's own doing, not a broken resource.
        if request.failure != "net::ERR_ABORTED":
            self.append(f"request failed: {request.url} ({request.failure})")

    def on_console(self, message):
        # A page answered 404 or 400 on purpose logs "Failed to load
        # resource"; a failing sub-resource is caught by on_response.
        if message.type == "error" and not message.text.startswith(
            "Failed to load resource"
        ):
            self.append(f"console: {message.text} ({message.location.get('url')})")

    def on_response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.append(f"HTTP {response.status}: {response.url}")


def new_page(browser, site, problems, *, width, height, javascript=True, axe=False):
    context = browser.new_context(
        base_url=site.url,
        viewport={"width": width, "height": height},
        java_script_enabled=javascript,
    )
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    if axe:
        # Init scripts, not <script> tags: a Content-Security-Policy that
        # allows only the site's own scripts would block a tag. Both
        # checkers: axe-core and HTML_CodeSniffer.
        context.add_init_script(path=AXE)
        context.add_init_script(path=HTMLCS)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems.watch(page)
    return page


def assert_no_problems(problems):
    assert not problems, "Problems in the browser:\n" + "\n".join(problems)


@pytest.fixture
def open_page(browser, site):
    """open_page(path=None, *, width=1280, height=900, javascript=True): a
    page in a fresh context, at `path` if given. A test using it also fails
    if a page had a console error, a CSP violation or a failed request."""
    pages = []
    problems = Problems()

    def open_page(path=None, *, width=1280, height=900, javascript=True):
        page = new_page(
            browser, site, problems, width=width, height=height, javascript=javascript
        )
        pages.append(page)
        if path is not None:
            goto(page, path)
        return page

    open_page.problems = problems
    yield open_page
    for page in pages:
        page.context.close()
    assert_no_problems(problems)


@pytest.fixture(scope="package")
def kept_pages(browser, site):
    pages = {}
    yield pages
    for page, _problems in pages.values():
        page.context.close()


@pytest.fixture
def kept_page(kept_pages, browser, site):
    """kept_page(*, width=1280, height=900): one page per size, kept open
    for the whole session, with axe-core and HTML_CodeSniffer loaded, for
    the many tests that only load a page and look at it (a new context and
    its first page load cost about a second). Problems fail the test, as
    with open_page."""
    used = []

    def kept_page(*, width=1280, height=900):
        if (width, height) not in kept_pages:
            problems = Problems()
            page = new_page(
                browser, site, problems, width=width, height=height, axe=True
            )
            kept_pages[width, height] = (page, problems)
        page, problems = kept_pages[width, height]
        problems.clear()
        used.append(problems)
        return page

    yield kept_page
    found = [problem for problems in used for problem in problems]
    for problems in used:
        problems.clear()
    assert_no_problems(found)


@pytest.fixture
def page(open_page):
    return open_page()


def goto(page, path, status=200):
    """Go to `path` and check the status it was answered with."""
    response = page.goto(path)
    assert response is not None and response.status == status, (
        f"{path} answered {response and response.status}, expected {status}"
    )
    return response
