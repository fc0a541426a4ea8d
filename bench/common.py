"""
Shared by `make bench` and `make load`: scratch databases, the site set up
as production runs it, gunicorn, wrk, progress lines and bench/RESULTS.md.
"""

import contextlib
import json
import os
import platform
import re
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("RESULTS.md")
LOAD_HEADING = "## make load"
# From this heading to the end, RESULTS.md is written by hand: what was
# found and changed, with figures from the runs that showed it.
NOTES_HEADING = "## Notes kept by hand"
WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
HOST = "127.0.0.1"
SUFFIXES = ("_bench", "_load")
NEVER_DROP = {"postgres", "template0", "template1"}
SECRET_KEY = secrets.token_urlsafe(50)  # one per run, for this process and gunicorn
STARTED = time.monotonic()


def log(message):
    sys.stdout.write(f"[{time.monotonic() - STARTED:6.1f}s] {message}\n")
    sys.stdout.flush()


# Scratch databases -----------------------------------------------------------


def scratch_url(base_url, suffix):
    """<suffix>.sqlite3 in the project folder (SQLite, or no URL), or
    <name>_<suffix> on the PostgreSQL server that `base_url` names."""
    if not base_url or base_url.startswith("sqlite"):
        return f"sqlite:///{PROJECT / f'{suffix}.sqlite3'}"
    parts = urlsplit(base_url)
    if not parts.scheme.startswith("postgres"):
        raise ValueError(f"only SQLite and PostgreSQL are supported, not {base_url}")
    name = f"{parts.path.strip('/') or 'postgres'}_{suffix}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def check_name(name):
    if not name.endswith(SUFFIXES) or name in NEVER_DROP:
        raise RuntimeError(f"refusing to create or drop the database {name!r}")


@contextlib.contextmanager
def scratch_database(base_url, suffix, keep=False):
    """An empty scratch database for the block, as a URL. On PostgreSQL it is
    created through `base_url`'s database and dropped afterwards (unless
    `keep`); a SQLite file is replaced, and left for inspection."""
    url = scratch_url(base_url, suffix)
    name = urlsplit(url).path.strip("/")

    def postgres(*statements):
        import psycopg
        from psycopg import sql

        check_name(name)
        with psycopg.connect(base_url, autocommit=True) as connection:
            for statement in statements:
                connection.execute(sql.SQL(statement).format(sql.Identifier(name)))

    drop = "DROP DATABASE IF EXISTS {} WITH (FORCE)"
    if url.startswith("sqlite"):
        for ending in ("", "-journal", "-wal", "-shm"):
            Path(f"/{name}{ending}").unlink(missing_ok=True)
    else:
        postgres(drop, "CREATE DATABASE {}")
    try:
        yield url
    finally:
        if "django.db" in sys.modules:
            sys.modules["django.db"].connections.close_all()
        if not keep and not url.startswith("sqlite"):
            postgres(drop)


# The site ----------------------------------------------------------------


def production_env(database_url):
    """The site with debug off, over plain HTTP on loopback."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
    }


def prepare_site(database_url, treatments, comparisons, dense=False):
    """Set Django up on the (empty) database, migrate, seed the real content,
    add the synthetic catalogue (`dense`: most treatments in one area tree),
    ANALYZE, collect static files. Returns the catalogue
    (bench.catalogue.Catalogue)."""
    os.environ.update(production_env(database_url))
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    connect(database_url)

    from .catalogue import build

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed", verbosity=0)
    if connection.vendor == "postgresql":
        # Building (one transaction of up to 230,000 rows, and its commit)
        # is not a page: no limit on waiting for the server, which a busy
        # machine can exceed. The pages are measured on new connections,
        # with the limits (connections.close_all() below).
        connection.ensure_connection()
        connection.connection.answer_timeout = None
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
    began = time.monotonic()
    catalogue = build(treatments, comparisons=comparisons, dense=dense)
    log(
        f"built {treatments:,} {'dense' if dense else 'spread'} treatments "
        f"({catalogue.rows:,} rows) "
        f"in {time.monotonic() - began:.1f} s"
    )
    with connection.cursor() as cursor:
        # Spread: what autovacuum would have done by the time anyone reads
        # the pages: statistics, and on PostgreSQL the visibility map too
        # (autovacuum vacuums after inserts), without which an index-only
        # scan reads the table's rows as well. Dense: statistics only, as
        # right after a catalogue has grown (issue 20): no page may need
        # the visibility map to stay fast.
        vacuum = connection.vendor == "postgresql" and not dense
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        if connection.vendor == "postgresql":
            # The build and the VACUUM leave hundreds of MB of dirty pages,
            # which PostgreSQL's checkpointer writes out over the next
            # minutes, on the same cores as the pages measured: in two runs
            # without this, the spread catalogue (measured first, right
            # after its VACUUM) took 1.4 to 1.6 times the dense one's CPU
            # per page for the same home page. Written now, before any page
            # is timed.
            cursor.execute("CHECKPOINT")
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()
    return catalogue


def connect(database_url):
    """Make Django's default connection one to `database_url`, configured as
    the first was, and return it (for use() to switch back to). Django reads
    DATABASE_URL once, when it is set up; the bench builds a scratch
    database per catalogue size in one process, and measures them side by
    side."""
    import dj_database_url
    from django.db import connections

    current = connections["default"]
    name = dj_database_url.parse(database_url)["NAME"]
    if current.settings_dict["NAME"] != name:
        current = type(current)({**current.settings_dict, "NAME": name}, "default")
        use(current)
    return current


def use(connection):
    """Make `connection` (from connect()) the default one again: in this
    thread, and for any other (the front caches' purge sender), whose
    connections are made from the settings."""
    from django.db import connections

    connections.settings["default"] = connection.settings_dict
    connections["default"] = connection


def database_version():
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def machine():
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, AttributeError):
        cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())[1]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def without_password(url):
    return re.sub(r":[^:/@]+@", ":…@", url)


def git_commit():
    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=PROJECT, capture_output=True, text=True
        ).stdout.strip()

    dirty = git("status", "--porcelain", "--untracked-files=no")
    return git("rev-parse", "--short", "HEAD") + (" with changes" if dirty else "")


# gunicorn -----------------------------------------------------------------


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py on a free loopback port,
    as a context manager; its whole process group is stopped at the end."""

    def __init__(self, database_url):
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            self.port = sock.getsockname()[1]
        self.env = {
            **os.environ,
            **production_env(database_url),
            "GUNICORN_BIND": f"{HOST}:{self.port}",
            # Never recycled: memory is read from the same workers throughout.
            "GUNICORN_MAX_REQUESTS": "0",
        }
        with mock.patch.dict(os.environ, self.env):
            self.config = runpy.run_path(str(PROJECT / "gunicorn.conf.py"))
        self.process = None

    def __enter__(self):
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi"],
            cwd=PROJECT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, to stop whole
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.url("/healthz"), timeout=2).close()
                if len(self.workers()) == self.config["workers"]:
                    return self
            time.sleep(0.2)
        self.__exit__()
        self.log.seek(0)
        raise RuntimeError("gunicorn did not start:\n" + self.log.read().decode())

    def __exit__(self, *exc_info):
        for sig, wait in ((signal.SIGINT, 10), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(wait)
                break

    def url(self, path):
        return f"http://{HOST}:{self.port}{path}"

    def workers(self):
        return child_processes(self.process.pid)


def child_processes(pid):
    run = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return sorted(int(child) for child in run.stdout.split())


def rss_kib(pids):
    """{pid: resident memory in KiB} (ps, on Linux and macOS alike)."""
    run = subprocess.run(
        ["ps", "-o", "pid=,rss=", "-p", ",".join(map(str, pids))],
        capture_output=True,
        text=True,
    )
    return {int(pid): int(rss) for pid, rss in map(str.split, run.stdout.splitlines())}


# wrk ------------------------------------------------------------------------


def wrk(port, paths, *, seconds, connections):
    """Request `paths` in turn over keep-alive connections for `seconds`
    (wrk with bench/wrk.lua): {"requests", "seconds", "rate", "errors"
    (sockets, and statuses other than 200), "hits", "misses" (X-Cache),
    "p50", "p95", "p99", "max" (ms)}."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make bench` installs it (Debian)")
    command = (
        f"wrk --threads={min(2, connections)} --connections={connections} "
        f"--duration={max(1, round(seconds))}s --timeout=30s --script={WRK_SCRIPT} "
        f"http://{HOST}:{port} --"
    )
    run = subprocess.run(
        command.split() + paths, capture_output=True, text=True, check=True
    )
    result = json.loads(run.stdout.splitlines()[-1])
    result["rate"] = result["requests"] / result["seconds"]
    return result


# bench/RESULTS.md ---------------------------------------------------------


def write_results(text, *, load=False):
    """`make bench` rewrites the file above LOAD_HEADING, `make load` from it
    to NOTES_HEADING; what follows that is written by hand, and kept."""
    old = RESULTS.read_text() if RESULTS.exists() else ""
    old, notes_heading, notes = old.partition(NOTES_HEADING)
    bench, heading, load_part = old.partition(LOAD_HEADING)
    parts = [bench, text] if load else [text, heading + load_part]
    parts.append(notes_heading + notes)
    RESULTS.write_text("\n\n".join(p.strip() for p in parts if p.strip()) + "\n")
