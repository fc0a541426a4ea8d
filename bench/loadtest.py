"""
`make load` (issue 6): many readers while an editor saves, on PostgreSQL.

A scratch database (`<name>_load`) with the seeded content and a few
hundred synthetic treatments; gunicorn as production runs it; 32 keep-alive
clients reading the catalogue, a treatment page and a comparison for
LOAD_SECONDS (60); meanwhile an editor logged in to the admin changes the
summary of the treatments on those pages every 0.2 s, through the change
form over HTTP. Afterwards: every response was 200, every save redirected,
every change form showed the value saved before it, the database holds the
last value written, and the public pages show it. Exit status 1 otherwise.
"""

import html
import os
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import databases, loadgen, machine, server
from .editor import AdminError, AdminSession
from .pages import compare_url
from .prepare import Progress, prepare_site
from .stats import summarise

RESULTS = Path(__file__).resolve().parent

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
CLIENTS = 32
EDIT_EVERY = 0.2  # seconds
TREATMENTS = 300
USERNAME = "load-editor"


@dataclass
class Edit:
    number: int
    pk: int
    value: str
    seconds: float
    error: str = ""  # why the save failed, if it did
    showed: str | None = None  # the summary the change form showed first


@dataclass
class Editor:
    """Saves a new summary for each treatment in turn, every EDIT_EVERY s."""

    port: int
    password: str
    treatments: list  # [(pk, slug)]
    edits: list = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self):
        session = AdminSession(self.port)
        try:
            session.login(USERNAME, self.password)
            number = 0
            while not self.stop.is_set():
                began = time.monotonic()
                number += 1
                pk, _slug = self.treatments[number % len(self.treatments)]
                value = f"Edited under load: edit {number}, {secrets.token_hex(4)}."
                edit = Edit(number, pk, value, 0.0)
                try:
                    shown = session.edit("treatments/treatment", pk, {"summary": value})
                    edit.showed = shown.get("summary")
                except (AdminError, OSError) as error:
                    edit.error = str(error)[:200]
                edit.seconds = time.monotonic() - began
                self.edits.append(edit)
                self.stop.wait(max(0.0, EDIT_EVERY - edit.seconds))
        except (AdminError, OSError) as error:
            self.edits.append(Edit(0, 0, "", 0.0, error=f"login: {error}"[:200]))
        finally:
            session.close()


def check_edits(edits):
    """Problems with the edits: failed saves, and change forms that did not
    show the value the previous edit of the same treatment saved."""
    problems, last = [], {}
    for edit in edits:
        if edit.error:
            problems.append(f"edit {edit.number} failed: {edit.error}")
            continue
        if edit.pk in last and edit.showed != last[edit.pk]:
            problems.append(
                f"edit {edit.number}: the form showed {edit.showed!r}, not the "
                f"{last[edit.pk]!r} saved before it"
            )
        last[edit.pk] = edit.value
    return problems, last


def run(seconds=None, keep=False):
    seconds = seconds or int(os.environ.get("LOAD_SECONDS", "60"))
    progress = Progress("load")
    base = os.environ.get("DATABASE_URL") or DEFAULT_URL
    database = databases.scratch_database(base, "load")
    if database.engine != "postgresql":
        progress("warning: the load test is meant for PostgreSQL; using SQLite")
    password = secrets.token_urlsafe(24)
    load_before = os.getloadavg()[0]
    with databases.scratch(database, keep=keep):
        catalogue = prepare_site(
            database, treatments=TREATMENTS, comparisons=10, progress=progress
        )
        from django.contrib.auth.models import User
        from django.db import connections

        from treatments.models import Treatment

        User.objects.create_superuser(USERNAME, password=password)
        first, second = catalogue.treatments[0], catalogue.treatments[1]
        edited = list(
            Treatment.objects.filter(slug__in=[first, second])
            .order_by("slug")
            .values_list("pk", "slug")
        )
        paths = ["/treatments/", f"/treatments/{first}/", compare_url([first, second])]
        connections.close_all()

        with server.Gunicorn(database.url) as gunicorn:
            progress(
                f"gunicorn up on port {gunicorn.port}; {CLIENTS} clients for "
                f"{seconds}s on {', '.join(paths)}; an editor saves every "
                f"{EDIT_EVERY}s through the admin"
            )
            editor = Editor(gunicorn.port, password, edited)
            thread = threading.Thread(target=editor.run, daemon=True)
            thread.start()
            try:
                result = loadgen.python_load(
                    gunicorn.port,
                    paths,
                    connections=CLIENTS,
                    seconds=seconds,
                    progress=lambda elapsed: progress(
                        f"{elapsed:.0f}s: {len(editor.edits)} edits so far"
                    ),
                )
            finally:
                editor.stop.set()
                thread.join(timeout=60)
            problems, last = check_edits(editor.edits)
            problems += check_final(gunicorn.port, last, edited, paths)
    report = render(result, editor.edits, problems, seconds, database, load_before)
    path = RESULTS / f"results-load-{database.label}.md"
    path.write_text(report.lstrip())
    sys.stdout.write(report)
    sys.stdout.flush()
    progress(f"written to {path.relative_to(RESULTS.parent)}")
    failed = result.failures or problems or not editor.edits
    progress("FAILED" if failed else "passed")
    return 1 if failed else 0


def check_final(port, last, edited, paths):
    """The database and the public pages hold each treatment's last edit."""
    from django.db import connections

    from treatments.models import Treatment

    connections.close_all()  # read what is committed now
    problems = []
    slugs = dict(edited)
    for pk, value in last.items():
        saved = Treatment.objects.get(pk=pk).summary
        if saved != value:
            problems.append(f"treatment {pk} holds {saved!r}, not its last edit")
        page = f"/treatments/{slugs[pk]}/"
        for path in dict.fromkeys([page, paths[2]]):
            status, body = server.get(port, path)
            if status != 200 or html.escape(value).encode() not in body:
                problems.append(
                    f"{path} ({status}) does not show the last edit of {pk}"
                )
    return problems


def render(result, edits, problems, seconds, database, load_before):
    latency = result.latency_ms()
    saved = [edit for edit in edits if not edit.error]
    edit_ms = summarise(edit.seconds * 1000 for edit in saved)
    kept = not problems and saved
    errors = "; ".join(
        f"{count}× {what}"
        for what, count in (result.errors + result.unexpected).most_common(5)
    )
    lines = [
        "",
        f"# Load test: {database.label}, {CLIENTS} clients, {seconds} s",
        "",
        f"- {machine.cpu_model()}, {os.cpu_count()} cores; load average (1 min) "
        f"before the run {load_before:.2f}",
        f"- requests: {result.requests:,} in {result.seconds:.1f} s "
        f"({result.rate:,.1f} req/s), keep-alive, Python client threads",
        f"- errors: {result.failures}" + (f" ({errors})" if result.failures else ""),
        f"- statuses: {dict(sorted(result.statuses.items()))}",
        "- latency ms: "
        + (
            f"p50 {latency[50]:.0f}, p95 {latency[95]:.0f}, p99 {latency[99]:.0f}, "
            f"max {latency['max']:.0f}"
            if latency["n"]
            else "no responses"
        ),
        f"- edits made through the admin over HTTP (change form GET, POST with the "
        f"CSRF token; one at a time, at most every {EDIT_EVERY} s): {len(saved)} "
        f"saved, {len(edits) - len(saved)} failed"
        + (
            f"; each took p50 {edit_ms[50]:.0f} ms, max {edit_ms['max']:.0f} ms"
            if saved
            else ""
        ),
        "- every edit kept: "
        + (
            "yes (every save redirected; each change form showed the value "
            "saved before it; the database holds each treatment's last edit; "
            "its page and the comparison show it)"
            if kept
            else "NO"
        ),
    ]
    lines += [f"  - {problem}" for problem in problems[:20]]
    if len(problems) > 20:
        lines.append(f"  - … and {len(problems) - 20} more")
    return "\n".join(lines) + "\n"
