"""
The site served as production serves it, for the suites that need a real
server in front of them (tests/browser, tests/edge).

- gunicorn runs in a subprocess with gunicorn.conf.py and config.wsgi, as
  `make serve` does, with debug off and the production settings
  (tests/support/server_settings.py changes only where collectstatic
  writes). Every middleware and header is the one production sends.
- collectstatic runs first, into a folder of the test session's own, and
  WhiteNoise serves the fingerprinted, compressed files from it.
- The server has its own database, migrated and seeded once with `manage.py
  seed` (the real fixtures): a SQLite file in that folder (a copy of the
  test database as its migrations left it, which `migrate` then finds up
  to date), or, when DATABASE_URL points at PostgreSQL, a scratch database
  created on that server and dropped afterwards, so that a suite never
  writes to a database someone else uses.
- collectstatic, migrate, seed and whatever else a suite needs before the
  server starts run in one process (Site.manage_all).
- Tests change the server's data through manage.py (`Site.manage`), or
  through its pages as a browser would.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# A server's start, waited for: long enough for a machine busy with other
# work (CI's, a developer's); a healthy start takes a second or two.
START_SECONDS = 90

# Site.manage_all's process: each command as manage.py would run it.
MANAGE_ALL = """
import json, sys
from django.core.management import ManagementUtility

for command in json.loads(sys.argv[1]):
    ManagementUtility(["manage.py", *command]).execute()
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Site:
    url: str
    env: dict
    folder: Path
    log_path: Path = None
    process: subprocess.Popen = field(default=None, repr=False)

    def manage(self, *args, env=None):
        """Run a manage.py command against the server's database: its
        output."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
        )
        if done.returncode:
            pytest.fail(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def manage_all(self, *commands, env=None):
        """Run manage.py commands (each a list of its arguments), one after
        the other as manage.py runs each, in one process: Django starts
        once, not once a command. Their output."""
        done = subprocess.run(
            [sys.executable, "-c", MANAGE_ALL, json.dumps(commands)],
            cwd=BASE_DIR,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
        )
        if done.returncode:
            names = ", ".join(command[0] for command in commands)
            pytest.fail(f"manage.py {names} failed:\n{done.stderr}")
        return done.stdout

    def get(self, path):
        """(status, headers, body) of a plain GET, without a browser."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read()

    def answers(self):
        try:
            return self.get("/healthz")[0] == 200
        except OSError:
            return False

    def start(self):
        """Start gunicorn, and wait until it answers."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    "gunicorn.conf.py",
                    "config.wsgi",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group, to stop whole
            )
        deadline = time.monotonic() + START_SECONDS
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(
                    "gunicorn did not start:\n"
                    + self.log_path.read_text(errors="replace")
                )
            time.sleep(0.1)

    def stop(self, *, kill=False):
        """Stop gunicorn and its workers (SIGKILL: as if it crashed)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, 9 if kill else 15)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()


@contextmanager
def server_database(folder, label, django_db_blocker=None):
    """The server's own database URL: beside DATABASE_URL's on PostgreSQL
    (<name>_<label>_<pid>), else a SQLite file in `folder`.

    On SQLite, given pytest-django's django_db_blocker (the test database
    set up), the file starts as a copy of the test database as its
    migrations left it, so that served() finds nothing to migrate: the
    migrations ran once in this process, not twice."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        path = folder / "site.sqlite3"
        if django_db_blocker is not None:
            copy_test_database(path, django_db_blocker)
        yield f"sqlite:///{path}"
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_{label}_{os.getpid()}"
    # Create and drop it from the server's maintenance database, as Django's
    # test runner does for test_<name>.
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_test_database(path, django_db_blocker):
    """The test database (SQLite, in memory), copied to the file `path`.
    Outside any test: as the migrations left it, empty of content. Nothing
    is copied if this process made no test database (a run of server tests
    alone): the server's database is then migrated from nothing."""
    import sqlite3

    from django.db import connection

    if not connection.creation.is_in_memory_db(connection.settings_dict["NAME"]):
        return
    with django_db_blocker.unblock():
        assert not connection.in_atomic_block, "copied inside a transaction"
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)


@contextmanager
def served(folder, database_url, *, port=None, env=None, then=(), then_env=None):
    """The seeded site under gunicorn on `port` (a free one by default),
    stopped afterwards. `env`: more of the server's environment. `then`:
    more manage.py commands (lists of arguments) to run before it starts,
    with `then_env` added to their environment."""
    port = port or free_port()
    server_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.server_settings",
        "TEST_SERVER_STATIC_ROOT": str(folder / "static"),
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "test-servers-only-not-a-production-key",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback (config/settings.py: DJANGO_SECURE_SSL_REDIRECT).
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        **(env or {}),
    }
    for name in ("DJANGO_PROXY_COUNT", "FRONT_CACHE_URLS"):
        if name not in (env or {}):
            server_env.pop(name, None)
    if server_env.get("REDIS_URL"):
        # The server's page cache apart from other processes' (and their
        # databases'): see tests/support/caches.py.
        from tests.support.caches import worker_redis_url

        server_env["REDIS_URL"] = worker_redis_url(server_env["REDIS_URL"])
    site = Site(
        url=f"http://127.0.0.1:{port}",
        env=server_env,
        folder=folder,
        log_path=folder / "gunicorn.log",
    )
    site.manage_all(
        ["collectstatic", "--noinput", "--verbosity", "0"],
        ["migrate", "--noinput", "--verbosity", "0"],
        ["seed", "--strict", "--verbosity", "0"],
        *then,
        env=then_env,
    )
    site.start()
    try:
        yield site
    finally:
        # Killed: nothing of its stopping is tested, and gunicorn's graceful
        # stop waits seconds for its workers.
        site.stop(kill=True)
