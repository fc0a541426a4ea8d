"""
The edge suite: the site behind a Varnish of the suite's own, with the
configuration in deploy/varnish as shipped (issue 19).

- varnishd runs in the foreground on a free port, with its own working
  directory (-n) in a temporary folder and no management port: never the
  machine's shared instance (Debian's, on 6081 and 6082), which the suite
  neither starts nor asks anything.
- deploy/varnish/default.vcl is loaded as it is; the suite's own
  backend.vcl (gunicorn's port) and purgers.vcl come first on vcl_path,
  as a deployment's would.
- gunicorn serves the seeded site as the browser suite's does
  (tests/support/site.py), with FRONT_CACHE_URLS naming that Varnish, so
  an editor's save purges it as in production.

The tests are marked "edge" (`-m "not edge"` leaves them out). Without
varnishd, or without the xkey and vsthrottle modules (Debian's
varnish-modules), they are skipped with one message; with REQUIRE_VARNISH=1
(CI) the run fails instead.
"""

import http.client
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.support.fake_http import FakeFrontCache
from tests.support.site import (
    BASE_DIR,
    START_SECONDS,
    free_port,
    served,
    server_database,
)

VCL = BASE_DIR / "deploy" / "varnish"
SKIP_MESSAGE = pytest.StashKey[str]()
EDITOR = ("edge-editor", "an-edge-editor-password-1")
RECOVERY_CODES = [f"edgecode{n}" for n in range(3)]


def varnish_problem():
    """Why the shipped configuration cannot run here, or None."""
    if shutil.which("varnishd") is None:
        return "varnishd is not installed (apt-get install varnish varnish-modules)"
    compiled = subprocess.run(
        [
            "varnishd",
            "-C",
            "-n",
            f"/tmp/edge-check-{os.getpid()}",
            "-p",
            f"vcl_path={VCL}",
            "-f",
            str(VCL / "default.vcl"),
        ],
        capture_output=True,
        text=True,
    )
    shutil.rmtree(f"/tmp/edge-check-{os.getpid()}", ignore_errors=True)
    if compiled.returncode:
        return (
            "deploy/varnish/default.vcl does not compile here (are varnish-modules "
            f"installed?):\n{compiled.stderr.strip()[-2000:]}"
        )
    return None


def required():
    return os.environ.get("REQUIRE_VARNISH", "").strip() not in {"", "0"}


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected
def pytest_collection_modifyitems(config, items):
    edge_items = [item for item in items if item.get_closest_marker("edge")]
    problem = varnish_problem() if edge_items else None
    if not problem:
        return
    message = f"The {len(edge_items)} edge tests (tests/edge) cannot run: {problem}"
    if required():
        raise pytest.UsageError(f"{message}\nREQUIRE_VARNISH is set: a failure.")
    message += "\nSkipped; set REQUIRE_VARNISH=1 to fail instead (CI does)."
    for item in edge_items:
        item.add_marker(pytest.mark.skip(reason=message))
    config.stash[SKIP_MESSAGE] = message


def pytest_terminal_summary(terminalreporter, config):
    message = config.stash.get(SKIP_MESSAGE, None)
    if message:
        terminalreporter.section("edge tests skipped", yellow=True)
        terminalreporter.line(message)


class Varnish:
    """varnishd with the shipped VCL in front of 127.0.0.1:<origin_port>."""

    def __init__(self, folder, origin_port):
        self.folder = folder
        self.port = free_port()
        self.workdir = folder / "varnish"
        self.local = local = folder / "vcl"
        local.mkdir()
        backend = (VCL / "backend.vcl").read_text()
        (local / "backend.vcl").write_text(
            backend.replace('.port = "8000"', f'.port = "{origin_port}"')
        )
        (local / "purgers.vcl").write_text('acl purgers {\n    "127.0.0.1";\n}\n')
        self.log_path = folder / "varnishd.log"
        self.process = None

    def start(self):
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    "varnishd",
                    "-F",  # in the foreground: this process owns it
                    "-j",
                    "none",
                    "-n",
                    str(self.workdir),
                    "-a",
                    f"127.0.0.1:{self.port}",
                    "-T",
                    "none",
                    "-p",
                    f"vcl_path={self.local}:{VCL}",
                    "-f",
                    str(VCL / "default.vcl"),
                    "-s",
                    "malloc,64m",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait(self):
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if request(self.port, "/healthz").status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail("varnishd did not start:\n" + self.log_path.read_text())
            time.sleep(0.1)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode()

    @property
    def edge_hit(self):
        """Served from Varnish's cache: X-Varnish names this request and
        the one that stored the object."""
        return len(self.headers.get("X-Varnish", "").split()) == 2


def request(port, path, *, method="GET", headers=None, body=None, source="127.0.0.1"):
    """One request from `source` (a loopback address: Varnish tells
    clients apart by it), as an Answer."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


@dataclass
class Edge:
    varnish: Varnish
    site: object  # tests.support.site.Site
    sources: list = field(default_factory=list)

    @property
    def port(self):
        return self.varnish.port

    def get(self, path, **kwargs):
        return request(self.port, path, **kwargs)

    def source(self):
        """A loopback address no test used before: a reader of its own,
        with its own allowance of requests past the cache."""
        n = len(self.sources) + 1
        self.sources.append(n)
        return f"127.0.{n // 250 + 1}.{n % 250 + 1}"


@pytest.fixture(scope="session")
def edge(tmp_path_factory, django_db_setup, django_db_blocker):
    """The site under gunicorn, then Varnish in front of it.

    Varnish starts once gunicorn answers: started before, it probes an
    origin not up yet, counts it sick, and answers 503 until two good probes
    2 s apart (backend.vcl), seconds after gunicorn is up. The purges of
    the seed that runs before gunicorn starts go to a stand-in that takes
    them (tests.support.fake_http), as an empty Varnish would: they are
    marked sent, as they were when Varnish ran by then, instead of being
    retried for 7 s at the command's exit."""
    folder = tmp_path_factory.mktemp("edge")
    origin_port = free_port()
    varnish = Varnish(folder, origin_port)
    seed_purges = FakeFrontCache()
    threading.Thread(
        target=seed_purges.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    try:
        with server_database(folder, "edge", django_db_blocker) as database_url:
            env = {"FRONT_CACHE_URLS": f"http://127.0.0.1:{varnish.port}"}
            editor = [
                [
                    "createsuperuser",
                    "--noinput",
                    "--username",
                    EDITOR[0],
                    "--email",
                    "edge@example.org",
                ],
                # Its second factor: recovery codes (core/signin.py).
                *(["addstatictoken", EDITOR[0], "--token", c] for c in RECOVERY_CODES),
            ]
            with served(
                folder,
                database_url,
                port=origin_port,
                env=env,
                then=editor,
                then_env={
                    "DJANGO_SUPERUSER_PASSWORD": EDITOR[1],
                    "FRONT_CACHE_URLS": seed_purges.url,
                },
            ) as site:
                seed_purges.shutdown()
                varnish.start()
                varnish.wait()
                yield Edge(varnish, site)
    finally:
        seed_purges.shutdown()
        seed_purges.server_close()
        varnish.stop()


class Browserless:
    """A reader with cookies, through the edge, without a browser."""

    def __init__(self, edge, source="127.0.0.1"):
        self.edge, self.source, self.cookies = edge, source, {}

    def send(self, path, *, method="GET", data=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.edge.port}{path}"
        answer = self.edge.get(
            path, method=method, headers=headers, body=body, source=self.source
        )
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].partition("=")
            self.cookies[name.strip()] = value.strip().strip('"')
        return answer

    def log_in(self, username, password, code):
        """Both steps of the admin's sign-in: the password, then a code."""
        page = self.send("/admin/login/")
        answer = self.send(
            "/admin/login/?next=/admin/",
            method="POST",
            data={
                "csrfmiddlewaretoken": csrf_token(page.text),
                "username": username,
                "password": password,
                "next": "/admin/",
            },
        )
        assert answer.status == 302, answer.text[:2000]
        step = answer.headers["Location"]
        page = self.send(step)
        answer = self.send(
            step,
            method="POST",
            data={"csrfmiddlewaretoken": csrf_token(page.text), "code": code},
        )
        assert answer.status == 302, answer.text[:2000]
        assert "sessionid" in self.cookies
        return self

    def form(self, path, form_id):
        """The fields of a form on the page at `path`, as a browser would
        post them unchanged."""
        page = self.send(path)
        assert page.status == 200, page.status
        parser = FormParser(form_id)
        parser.feed(page.text)
        return parser.fields


def csrf_token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


class FormParser(HTMLParser):
    """The successful controls of one form: [(name, value)]."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None
        self.options = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select, self.options = (name, "multiple" in attrs), []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, value = self.textarea
            self.fields.append((name, value.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            self.fields += [(name, value) for value in chosen]
            self.select = None


@pytest.fixture(scope="session")
def editor(edge):
    """Signed in once, through the edge, for the suite."""
    return Browserless(edge).log_in(*EDITOR, RECOVERY_CODES[0])


@pytest.fixture(autouse=True)
def varnish_is_running(request):
    """Before each test, the origin up again if a test stopped it (started
    here, not at the end of that test: no time lost if no test follows).
    After each test: Varnish still runs (a crash would fail every later
    test with a less useful message)."""
    if "edge" in request.fixturenames:
        edge = request.getfixturevalue("edge")
        if edge.site.process.poll() is not None:
            edge.site.start()
    yield
    if "edge" in request.fixturenames:
        edge = request.getfixturevalue("edge")
        assert edge.varnish.process.poll() is None, Path(
            edge.varnish.log_path
        ).read_text()
