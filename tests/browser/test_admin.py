"""The admin under the site's own headers: its scripts must run.

A Content-Security-Policy (or any other header) that blocks the admin's
scripts or styles shows up as a console error or a securitypolicyviolation
event, which open_page collects; these tests fail on any of them.
"""

import re
from binascii import unhexlify

import pytest
from django_otp.oath import totp

from tests.browser.conftest import expect, goto

pytestmark = pytest.mark.browser

USERNAME = "browser-admin"
PASSWORD = "a-long-password-for-the-browser-tests"
CHANGE_PAGE = "/admin/treatments/treatment/*/change/"


# The superuser signs in with recovery codes (django-otp's static tokens,
# each good once), made with the command docs/security.md gives developers.
RECOVERY_CODES = [f"browsercode{n}" for n in range(4)]


@pytest.fixture(scope="module")
def superuser(site):
    site.manage_all(
        [
            "createsuperuser",
            "--noinput",
            "--username",
            USERNAME,
            "--email",
            "browser-admin@example.com",
        ],
        *(["addstatictoken", USERNAME, "--token", code] for code in RECOVERY_CODES),
        env={"DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )
    return iter(RECOVERY_CODES)


def sign_in(page, username, code):
    """Both steps of the admin's sign-in: the password, then the code."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your sign-in code")).to_be_visible()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()


def open_the_treatment_change_page(page, code):
    goto(page, "/admin/")
    sign_in(page, USERNAME, code)
    expect(page.get_by_role("heading", name="Catalogue content")).to_be_visible()

    page.get_by_role("link", name="Treatments", exact=True).click()
    page.get_by_role("link", name="Laser cellulite reduction").click()
    expect(page).to_have_url(re.compile(r"/admin/treatments/treatment/\d+/change/$"))


def test_the_treatment_change_page_runs_its_scripts(open_page, superuser):
    page = open_page()
    open_the_treatment_change_page(page, next(superuser))
    expect(page.get_by_role("heading", level=1)).to_have_text("Change treatment")
    # The admin's own JavaScript ran: jQuery is set up, and the inlines
    # script added its "Add another" links (they are not in the HTML).
    assert page.evaluate("typeof window.django?.jQuery") == "function"
    expect(page.get_by_role("button", name="Add another Milestone")).to_be_visible()
    page.wait_for_load_state("load")
    assert open_page.problems == []


def test_a_blocked_script_would_fail_these_tests(open_page, superuser):
    # The check above is only worth having if it notices a policy that
    # blocks the admin's scripts: add one, and it must.
    page = open_page()

    def with_strict_policy(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "script-src 'none'"}
        route.fulfill(response=response, headers=headers)

    page.route(f"**{CHANGE_PAGE}", with_strict_policy)
    open_the_treatment_change_page(page, next(superuser))
    page.wait_for_load_state("load")
    page.context.close()
    blocked = [p for p in open_page.problems if "script-src" in p]
    assert blocked, f"no CSP violation was reported: {open_page.problems}"
    open_page.problems.clear()  # expected here


def test_the_reading_age_follows_the_editor_as_they_type(open_page, superuser):
    """Under each text, its reading age: measured again by the server a
    moment after typing stops (static/js/reading.js), under the site's
    Content-Security-Policy; a new fact's texts are described by their
    own reading age."""
    page = open_page()
    open_the_treatment_change_page(page, next(superuser))
    box = page.locator("#id_how_it_works")
    hint = page.locator("#id_how_it_works_reading")
    assert box.get_attribute("aria-describedby") == "id_how_it_works_reading"
    expect(hint).to_contain_text("Reading age about")
    box.fill(" ".join(["Then the nurse puts a cold gel on the skin"] * 3) + ".")
    expect(hint).to_contain_text("split the sentence of 30 words")
    box.fill("You lie down. The nurse puts a cold gel on your skin.")
    expect(hint).to_contain_text("easy to read")
    # "Add another": the new form's box is described by its own hint.
    page.get_by_role("button", name="Add another Milestone").click()
    added = page.locator("#milestones-group .inline-related:not(.empty-form)").last
    wording = added.locator("input[name$='-wording']")
    described = wording.get_attribute("aria-describedby")
    assert described.endswith("-wording_reading") and "__prefix__" not in described
    for described_by in described.split():
        assert page.locator(f"#{described_by}").count() == 1, described_by
    page.wait_for_load_state("load")
    assert open_page.problems == []


EDITOR = "browser-editor"
# The editor's authenticator app: its secret, as the set-up page's QR code
# would give it to the app.
EDITOR_KEY = "3132333435363738393031323334353637383930"


def app_code(key):
    """The six digits the editor's app shows now."""
    return f"{totp(unhexlify(key)):06d}"


@pytest.fixture(scope="module")
def editor(site):
    """A staff account in the "Content editors" group, as editors have, with
    an authenticator app set up."""
    site.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; "
        "from django_otp.plugins.otp_totp.models import TOTPDevice; "
        f"user = User.objects.create_user({EDITOR!r}, password={PASSWORD!r}, "
        "is_staff=True); "
        "user.groups.add(Group.objects.get(name='Content editors')); "
        f"TOTPDevice.objects.create(user=user, key={EDITOR_KEY!r})",
    )


def required_fields(page):
    """The ids of the treatment's own fields whose label says "(required)"
    (the facts' forms are optional as a whole)."""
    ids = page.eval_on_selector_all(
        "#treatment_form label:has(.required-mark)",
        "labels => labels.filter(l => !l.closest('.inline-group')).map(l => l.htmlFor)",
    )
    return set(ids)


def test_an_editor_adds_a_treatment_in_one_short_form(open_page, editor, site):
    """Name, summary, how invasive, the source, a body area and a side
    effect: what the form marks "(required)" is what it needs, so it saves
    on the first try, and the new treatment is a draft the public cannot
    see."""
    page = open_page("/admin/login/")
    sign_in(page, EDITOR, app_code(EDITOR_KEY))
    expect(page.get_by_role("heading", name="Catalogue content")).to_be_visible()
    goto(page, "/admin/treatments/treatment/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add treatment")
    required = required_fields(page)
    # The two that made the first save fail when they were not marked.
    assert {"id_name", "id_summary", "id_invasiveness", "id_source"} <= required

    filled = 0

    def fill(selector, value):
        nonlocal filled
        page.locator(selector).fill(value)
        filled += 1

    def choose(selector, label):
        nonlocal filled
        page.locator(selector).select_option(label=label)
        filled += 1

    fill("#id_name", "Radiofrequency tightening")
    fill("#id_summary", "Heat from radio waves tightens the skin.")
    choose("#id_invasiveness", "Non-invasive")
    choose("#id_source", "How do I Use Mesotherapy for Cellulite?")
    choose("#id_treated_areas-0-body_area", "Thighs")
    choose("#id_side_effects-0-effect", "Bruising")
    choose("#id_side_effects-0-frequency", "Common")
    # The admin's script made the slug from the name.
    expect(page.locator("#id_slug")).to_have_value("radiofrequency-tightening")
    assert filled <= 12
    # Everything marked "(required)" now has a value; nothing else was needed.
    empty = [name for name in required if not page.locator(f"#{name}").input_value()]
    assert empty == []
    page.get_by_role("button", name="Save", exact=True).first.click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(
        page.locator("#result_list").get_by_role(
            "link", name="Radiofrequency tightening"
        )
    ).to_be_visible()
    # A draft: the public get a 404.
    assert site.get("/treatments/radiofrequency-tightening/")[0] == 404
