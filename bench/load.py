"""
`make load` (issue 6; the page cache's hit rate for issue 14): 32 readers
while an editor saves through the admin, on PostgreSQL.

A scratch `<name>_load` database with the seeded content and 300 synthetic
treatments, served by gunicorn as in production. wrk keeps 32 connections
busy for LOAD_SECONDS (60) on the catalogue, two treatments' pages and two
comparisons, counting the page cache's hits and misses (X-Cache);
meanwhile an editor logged in to the admin changes the summaries of two of
those treatments (one page and one comparison show them, the others do
not) through the change form, over HTTP, one save after another and at
most every 0.2 s (a save is a GET of the change form and its POST, which
takes longer than that under load: the report says how many were made,
and how many cache misses each caused). Then: every response was
200, every save redirected, each change form showed the value saved before
it, the database holds the last value written and the pages show it. The
exit status is 1 otherwise.
"""

import html
import os
import re
import secrets
import statistics
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode

from . import common

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
CLIENTS = 32
EDIT_EVERY = 0.2  # seconds
TREATMENTS = 300
NOT_SENT = {"submit", "button", "image", "file", "reset"}


def attributes(tag):
    return {k: html.unescape(v) for k, v in re.findall(r'([\w-]+)(?:="([^"]*)")?', tag)}


def form_fields(page, form_id):
    """The (name, value) pairs a browser sends for the form `form_id`, as
    Django renders forms, and how many error lists it shows."""
    form = re.search(rf'<form\b[^>]*\bid="{form_id}".*?</form>', page, re.S)
    form, fields = form[0] if form else "", []
    for tag in map(attributes, re.findall(r"<input\b([^>]*)>", form)):
        kind, ticked = tag.get("type", "text"), tag.get("type") in {"checkbox", "radio"}
        if "name" in tag and kind not in NOT_SENT and "disabled" not in tag:
            if "checked" in tag or not ticked:
                fields.append(
                    (tag["name"], tag.get("value") or ("on" if ticked else ""))
                )
    for tag, inside in re.findall(r"<select\b([^>]*)>(.*?)</select>", form, re.S):
        tag, options = attributes(tag), re.findall(r"<option\b([^>]*)>(.*?)<", inside)
        options = [(attributes(option), text) for option, text in options]
        # With nothing selected, a browser sends a single select's first option.
        chosen = [o for o in options if "selected" in o[0]]
        chosen = chosen or ([] if "multiple" in tag else options[:1])
        for option, text in chosen:
            fields.append(
                (tag["name"], option.get("value", html.unescape(text).strip()))
            )
    for tag, text in re.findall(r"<textarea\b([^>]*)>(.*?)</textarea>", form, re.S):
        # Browsers drop the newline that follows <textarea>.
        fields.append((attributes(tag)["name"], html.unescape(text).removeprefix("\n")))
    return fields, form.count('class="errorlist')


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None  # a redirect comes back as an HTTPError: a save's answer


class AdminError(Exception):
    pass


class AdminSession:
    """An editor in the admin, as a browser is: cookies, CSRF token, forms."""

    def __init__(self, base_url):
        self.base_url = base_url
        cookies = urllib.request.HTTPCookieProcessor(CookieJar())
        self.opener = urllib.request.build_opener(cookies, NoRedirects)

    def request(self, path, fields=None):
        data = urlencode(fields).encode() if fields is not None else None
        try:
            with self.opener.open(self.base_url + path, data, timeout=30) as response:
                return response.status, response.read().decode()
        except HTTPError as error:
            return error.code, error.read().decode()

    def submit(self, path, form_id, changes):
        """GET a form, change some fields, POST it: the values it showed."""
        status, page = self.request(path)
        fields, _errors = form_fields(page, form_id)
        if status != 200 or "csrfmiddlewaretoken" not in dict(fields):
            raise AdminError(f"GET {path} answered {status}, without form {form_id}")
        status, page = self.request(path, [(k, changes.get(k, v)) for k, v in fields])
        if status != 302:
            errors = form_fields(page, form_id)[1]
            raise AdminError(f"POST {path} answered {status} with {errors} error lists")
        return {name: value for name, value in fields if name in changes}

    def login(self, username, password, code):
        """Both steps of the admin's sign-in: the password, then a code
        (a recovery code: see add_recovery_code)."""
        changes = {"username": username, "password": password}
        self.submit("/admin/login/?next=/admin/", "login-form", changes)
        self.submit("/admin/login/code/", "login-form", {"code": code})

    def edit(self, app_model, pk, changes):
        form_id = app_model.rsplit("/", 1)[-1] + "_form"
        return self.submit(f"/admin/{app_model}/{pk}/change/", form_id, changes)


def add_recovery_code(username):
    """A recovery code for the admin's two-factor sign-in, good once."""
    from django_otp.plugins.otp_static.lib import add_static_token

    return add_static_token(username).token


@dataclass
class Edit:
    pk: int
    value: str
    seconds: float = 0.0
    showed: str | None = None  # the summary the change form showed
    error: str = ""


def edit_until(stop, session, pks, edits):
    """Save a new summary for each treatment in turn, every EDIT_EVERY s."""
    while not stop.is_set():
        began, number = time.monotonic(), len(edits) + 1
        edit = Edit(pks[number % len(pks)], f"Edit {number}, {secrets.token_hex(4)}.")
        try:
            changes = {"summary": edit.value}
            edit.showed = session.edit("treatments/treatment", edit.pk, changes)[
                "summary"
            ]
        except (AdminError, OSError) as error:
            edit.error = str(error)[:200]
        edit.seconds = time.monotonic() - began
        edits.append(edit)
        stop.wait(max(0.0, EDIT_EVERY - edit.seconds))


def check_edits(edits):
    """(problems, {pk: the last value saved}): failed saves, and change
    forms that did not show the value saved before them."""
    problems, last = [], {}
    for number, edit in enumerate(edits, start=1):
        if edit.error:
            problems.append(f"edit {number} failed: {edit.error}")
        elif edit.pk in last and edit.showed != last[edit.pk]:
            problems.append(
                f"edit {number}: the form showed {edit.showed!r}, not the "
                f"{last[edit.pk]!r} saved before it"
            )
        if not edit.error:
            last[edit.pk] = edit.value
    return problems, last


def check_shown(server, last, held, pages):
    """The database holds each treatment's last edit (`held`, {pk: value}),
    and its pages ({pk: [paths]}) show it."""
    problems = []
    for pk, value in last.items():
        if held.get(pk) != value:
            problems.append(f"treatment {pk} holds {held.get(pk)!r}, not its last edit")
        for path in pages[pk]:
            with urllib.request.urlopen(server.url(path), timeout=30) as response:
                if html.escape(value).encode() not in response.read():
                    problems.append(f"{path} does not show the last edit of {pk}")
    return problems


def render(result, edits, problems, seconds):
    saved = [edit.seconds for edit in edits if not edit.error]
    served = result["hits"] + result["misses"]
    kept = "NO" if problems or not saved else "yes"
    return "\n".join(
        [
            common.LOAD_HEADING,
            "",
            f"{CLIENTS} readers (wrk, keep-alive) for {seconds} s while an editor "
            f"saves through the admin, one save after another, at most every "
            f"{EDIT_EVERY} s; written by `make load`, which overwrites this section.",
            "",
            f"- requests: {result['requests']:,} in {result['seconds']:.1f} s "
            f"({result['rate']:,.0f}/s); errors (sockets, statuses other than "
            f"200): {result['errors']}",
            f"- latency ms: p50 {result['p50']:.0f}, p95 {result['p95']:.0f}, "
            f"p99 {result['p99']:.0f}, max {result['max']:.0f}",
            f"- page cache: {result['hits']:,} hits, {result['misses']:,} misses: "
            f"hit rate {result['hits'] / served if served else 0:.1%}, "
            f"{result['misses'] / max(1, len(saved)):.1f} misses per edit saved",
            f"- edits: {len(saved)} saved ({len(saved) / seconds:.1f}/s), "
            f"{len(edits) - len(saved)} failed; a save (form and post) took "
            + (f"{statistics.median(saved) * 1000:,.0f} ms (median)" if saved else "–"),
            f"- every edit kept and shown: {kept} (each change form showed the value "
            "saved before it; the database holds each last edit; the treatment's "
            "page and the comparison show it)",
            *(f"  - {problem}" for problem in problems[:20]),
        ]
    )


def run(seconds=None, keep=False):
    seconds = seconds or int(os.environ.get("LOAD_SECONDS", "60"))
    base_url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    password, load_before = secrets.token_urlsafe(24), os.getloadavg()[0]
    with common.scratch_database(base_url, "load", keep=keep) as url:
        common.log(f"migrating, seeding and building {url}")
        catalogue = common.prepare_site(url, TREATMENTS, comparisons=10)
        from django.contrib.auth.models import User
        from django.db import connections

        from .catalogue import summaries

        User.objects.create_superuser("load-editor", password=password)
        code = add_recovery_code("load-editor")
        # The editor changes the first two treatments; the readers also read
        # a treatment and a comparison that no edit touches.
        (one, pk), (two, pk_two), (three, _), (four, _) = [
            *catalogue.treatments.items()
        ][:4]
        paths = ["/treatments/", f"/treatments/{one}/", f"/treatments/{three}/"]
        paths += [
            f"/compare/?treatments={a}&treatments={b}"
            for a, b in [(one, two), (three, four)]
        ]
        pages = {pk: paths[1:2] + paths[3:4], pk_two: paths[3:4]}
        connections.close_all()
        with common.Gunicorn(url) as server:
            common.log(
                f"gunicorn on port {server.port}: {CLIENTS} readers, {seconds} s"
            )
            session, edits, stop = AdminSession(server.url("")), [], threading.Event()
            session.login("load-editor", password, code)
            # Every page into every worker's cache first: the misses counted
            # are then the edits' doing.
            common.wrk(server.port, paths, seconds=2, connections=CLIENTS)
            editor = threading.Thread(
                target=edit_until, args=(stop, session, [*pages], edits)
            )
            editor.start()
            try:
                result = common.wrk(
                    server.port, paths, seconds=seconds, connections=CLIENTS
                )
            finally:
                stop.set()
                editor.join()
            problems, last = check_edits(edits)
            problems += check_shown(server, last, summaries(list(last)), pages)
    report = render(result, edits, problems, seconds) + (
        f"\n- {common.machine()}; load average (1 min) before the run "
        f"{load_before:.2f}; commit {common.git_commit()}\n"
    )
    common.write_results(report, load=True)
    sys.stdout.write(f"\n{report}\n")
    failed = result["errors"] or problems or not edits
    common.log("FAILED" if failed else "passed; written to bench/RESULTS.md")
    return 1 if failed else 0
