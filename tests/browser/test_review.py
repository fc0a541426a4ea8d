"""Review in a browser: a preview link and its "ended" page as a reviewer
without an account sees them, and the review page as a publisher works
it, at a desktop width and at 320 px: axe-core, the Nu Html Checker, no
sideways scrolling, the site's own headers (its CSP) respected."""

import json
import subprocess

import pytest

from tests.browser.conftest import AXE, VNU, expect, goto

pytestmark = pytest.mark.browser

PASSWORD = "a-long-password-for-the-review-tests"
# The publisher's recovery code, made by SETUP, for signing in.
RECOVERY_CODE = "browserreview0"
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth + 1"

# A draft with an editor's preview link, one revoked, and a publisher; the
# addresses written where the test can read them.
SETUP = """
import json, sys
from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_static.models import StaticDevice
from editorial.previews import PreviewLink
from treatments.models import Source, Treatment
from django.utils import timezone

source = Source.objects.order_by("pk").first()
draft = Treatment.objects.create(
    name="Browser preview draft", slug="browser-preview-draft",
    summary="Heat under the skin, for the browser's review.",
    invasiveness="non-invasive", source=source, status="review",
)
publisher = User.objects.create_user(
    "browser-publisher", password=sys.argv[2], is_staff=True
)
publisher.groups.set(Group.objects.filter(name__in=["Content editors", "Publishers"]))
# A recovery code for the second step of signing in (core/signin.py).
StaticDevice.objects.create(user=publisher, name="Recovery codes").token_set.create(
    token="browserreview0"
)
to_publish = Treatment.objects.create(
    name="Browser review draft", slug="browser-review-draft",
    summary="Cold on the skin, for the browser's publisher.",
    invasiveness="non-invasive", source=source, status="review",
)
link = PreviewLink.make(draft, user=publisher)
gone = PreviewLink.make(draft, user=publisher)
gone.revoked_at = timezone.now()
gone.save()
with open(sys.argv[1], "w") as out:
    json.dump({
        "link": link.get_absolute_url(),
        "gone": gone.get_absolute_url(),
        "review": f"/admin/treatments/treatment/{to_publish.pk}/review/",
    }, out)
"""


@pytest.fixture(scope="module")
def addresses(site):
    out = site.folder / "review-addresses.json"
    script = site.folder / "review_setup.py"
    script.write_text(
        "import sys\nsys.argv = ['setup', sys.argv[-2], sys.argv[-1]]\n" + SETUP
    )
    site.manage(
        "shell",
        "--command",
        f"import runpy, sys; sys.argv += [{str(out)!r}, {PASSWORD!r}]; "
        f"runpy.run_path({str(script)!r}, run_name='__main__')",
    )
    return json.loads(out.read_text())


def axe(page):
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{v['id']}: {v['help']} at {[' '.join(n['target']) for n in v['nodes']]}"
        for v in results["violations"]
    ]


@pytest.mark.parametrize("width", [1280, 320])
def test_a_preview_link_for_a_reviewer(kept_page, addresses, width):
    page = kept_page(width=width)
    response = goto(page, addresses["link"])
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "no-store" in response.headers["cache-control"]
    expect(page.get_by_role("status")).to_contain_text("Preview: not published yet.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Browser preview draft")
    assert not axe(page), axe(page)
    assert not page.evaluate(SIDEWAYS)
    goto(page, addresses["gone"], status=410)
    expect(page.get_by_role("heading", level=1)).to_have_text("This preview has ended")
    assert not axe(page), axe(page)
    assert not page.evaluate(SIDEWAYS)


def test_the_preview_pages_are_valid_html(site, addresses, tmp_path):
    files = {}
    for name, status in (("link", 200), ("gone", 410)):
        answered, _headers, body = site.get(addresses[name])
        assert answered == status
        (tmp_path / f"{name}.html").write_bytes(body)
        files[f"{name}.html"] = name
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", *files],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [
        f"{message.get('url', '').rsplit('/', 1)[-1]} "
        f"line {message.get('lastLine')}: {message['message']}"
        for message in json.loads(checked.stdout)["messages"]
        if message["type"] != "info"
    ]
    assert not errors, errors


def test_a_publisher_reviews_and_publishes(open_page, site, addresses):
    page = open_page(width=320)
    page.context.add_init_script(path=str(AXE))
    goto(page, "/admin/login/")
    page.get_by_label("Username").fill("browser-publisher")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your sign-in code")).to_be_visible()
    page.get_by_label("Code").fill(RECOVERY_CODE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Waiting for a publisher")).to_be_visible()
    page.get_by_role("link", name="Browser review draft").first.click()
    expect(
        page.get_by_role("heading", name="A new page waiting for a publisher")
    ).to_be_visible()
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert not page.evaluate(SIDEWAYS), width
        assert not axe(page), (width, axe(page))
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("is published")
    assert site.get("/treatments/browser-review-draft/")[0] == 200
