"""Case 7: gunicorn trusts X-Forwarded-Proto only behind a configured proxy.

gunicorn runs with gunicorn.conf.py, as in production, on a scratch SQLite
database (the requests here need none), with the HTTPS redirect on."""

import http.client
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.site import START_SECONDS

ROOT = Path(__file__).resolve().parents[2]
SPOOFED = {"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on"}


def config(monkeypatch, **env):
    for name in ("DJANGO_PROXY_COUNT", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_no_proxy_no_trust(monkeypatch):
    assert config(monkeypatch)["forwarded_allow_ips"] == ""


def test_behind_a_proxy_its_headers_are_trusted(monkeypatch):
    assert config(monkeypatch, DJANGO_PROXY_COUNT="1")["forwarded_allow_ips"] == "*"
    narrowed = config(
        monkeypatch, DJANGO_PROXY_COUNT="1", FORWARDED_ALLOW_IPS="10.0.0.5"
    )
    assert narrowed["forwarded_allow_ips"] == "10.0.0.5"


def test_a_worker_timeout(monkeypatch):
    assert config(monkeypatch)["timeout"] == 30
    assert config(monkeypatch, GUNICORN_TIMEOUT="12")["timeout"] == 12


@pytest.fixture
def gunicorn(tmp_path):
    """Start gunicorn with gunicorn.conf.py and the given extra environment;
    yields a function that does it and returns the port."""
    servers = []

    def start(**extra):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "FORWARDED"))
        }
        env.update(
            DJANGO_SECRET_KEY="a-test-secret-key-for-gunicorn-" + "x" * 30,
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            GUNICORN_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="1",
            **extra,
        )
        log = open(tmp_path / f"gunicorn-{port}.log", "wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group, to stop whole
        )
        servers.append((server, log))
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if get(port, "/healthz")[0] == 200:
                    return port
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    "gunicorn did not start:\n"
                    + (tmp_path / f"gunicorn-{port}.log").read_text()
                )
            time.sleep(0.1)

    yield start
    # Killed with its worker: nothing of its stopping is tested, and
    # gunicorn's graceful stop waits seconds for its workers.
    for server, log in servers:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        log.close()


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def test_a_forged_https_header_is_still_redirected(gunicorn):
    port = gunicorn(DJANGO_SECURE_SSL_REDIRECT="1")
    plain = get(port, "/robots.txt")
    assert plain == (301, f"https://127.0.0.1:{port}/robots.txt")
    # From 127.0.0.1, gunicorn's default would have trusted it: a 200.
    assert get(port, "/robots.txt", SPOOFED) == plain


def test_behind_a_configured_proxy_the_header_counts(gunicorn):
    port = gunicorn(DJANGO_SECURE_SSL_REDIRECT="1", DJANGO_PROXY_COUNT="1")
    assert get(port, "/robots.txt", SPOOFED) == (200, None)
    assert get(port, "/robots.txt")[0] == 301


FORKED_WORKER = """
import gc, runpy
import config.wsgi  # as gunicorn's master loads the app (preload_app)
from editorial import readability

runpy.run_path("gunicorn.conf.py")["pre_fork"](None, None)
frozen = gc.get_freeze_count()
before = len(gc.get_objects())
readability.measure("The practitioner moves the handpiece slowly over the area.")
print(frozen, len(gc.get_objects()) - before)
"""


def test_workers_share_what_the_master_loaded_frozen():
    """What the app loads before the fork is frozen out of the workers'
    collections, the readability formula's dictionary (some 260,000
    objects) included: a worker's first text loads nothing of it."""
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "a-test-secret-key-for-gunicorn-" + "x" * 30,
        "DJANGO_DEBUG": "0",
    }
    result = subprocess.run(
        [sys.executable, "-c", FORKED_WORKER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    frozen, made = map(int, result.stdout.split())
    assert frozen > 260_000
    assert made < 1_000
