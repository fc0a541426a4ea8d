"""
The site as production runs it, for measurements over plain HTTP.

`production_env()` is the environment for settings with debug off (a
generated secret key, plain HTTP on loopback); `setup_django()` applies it
in this process. `Gunicorn` serves the site with the repository's
gunicorn.conf.py on a free loopback port, waits until /healthz answers, and
always stops the whole process group when its block ends.
"""

import contextlib
import ctypes
import http.client
import os
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
AVOID_PORTS = {8000}
# One key per run, shared by this process and the servers it starts.
_SECRET_KEY = secrets.token_urlsafe(50)


def production_env(database_url, **extra):
    """Environment variables for the site with debug off over plain HTTP."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": _SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        **extra,
    }


def setup_django(database_url):
    """Configure Django in this process as `production_env` describes."""
    os.environ.update(production_env(database_url))
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def _die_with_parent():
    """In the child before exec: SIGTERM it if the process that started it
    dies, even by SIGKILL, so that no server outlives a killed run."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port():
    """A free loopback port (never one of AVOID_PORTS)."""
    while True:
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        if port not in AVOID_PORTS:
            return port


def gunicorn_config(env):
    """The settings gunicorn.conf.py makes with this environment."""
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        return runpy.run_path(str(PROJECT / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def children(pid):
    """Process ids whose parent is `pid` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (command) state ppid ...": the command may contain spaces.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def rss_kib(pid):
    """Resident set size of a process, in KiB (VmRSS in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_ticks(pid):
    """User and system CPU time of a process, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def wait_idle(pids, *, interval=0.25, quiet_ticks=2, timeout=20):
    """Wait until these processes stop using the CPU (for example after a
    load generator hung up on requests still queued): True once idle,
    False if `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    last = sum(cpu_ticks(pid) for pid in pids)
    while time.monotonic() < deadline:
        time.sleep(interval)
        now = sum(cpu_ticks(pid) for pid in pids)
        if now - last <= quiet_ticks:
            return True
        last = now
    return False


def get(port, path, timeout=10):
    """(status, body) of one GET over a fresh connection."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Gunicorn:
    """gunicorn serving the site on a free port, as a context manager.

    with Gunicorn(database_url) as server:
        server.url("/healthz"), server.workers()
    """

    def __init__(self, database_url, *, env=None, start_timeout=60):
        self.env = {
            **os.environ,
            **production_env(database_url),
            # Workers are never recycled here: memory is measured across
            # thousands of requests, and the worker ids must stay the same.
            "GUNICORN_MAX_REQUESTS": "0",
            **(env or {}),
        }
        self.start_timeout = start_timeout
        self.process = None
        self.port = None
        self.log = None
        self.last_log = ""

    def __enter__(self):
        for _attempt in range(3):
            self.port = free_port()
            if self._start():
                return self
            self.stop()
        raise RuntimeError(f"gunicorn did not start; its log:\n{self.last_log}")

    def __exit__(self, *exc_info):
        self.stop()

    def _start(self):
        self.env["GUNICORN_BIND"] = f"{HOST}:{self.port}"
        # Closed and deleted in stop().
        self.log = tempfile.NamedTemporaryFile(
            prefix="bench-gunicorn-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi"],
            cwd=PROJECT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, to stop it whole
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + self.start_timeout
        expected = gunicorn_config(self.env)["workers"]
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _body = get(self.port, "/healthz", timeout=2)
                if status == 200 and len(self.workers()) >= expected:
                    return True
            time.sleep(0.1)
        return False

    def url(self, path="/"):
        return f"http://{HOST}:{self.port}{path}"

    def workers(self):
        return children(self.process.pid) if self.process else []

    def log_tail(self, lines=30):
        if not self.log:
            return ""
        text = Path(self.log.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        """Stop the process group: quick shutdown, then SIGKILL if needed."""
        if self.process is not None:
            for sig, wait in ((signal.SIGINT, 10), (signal.SIGKILL, 5)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, sig)
                try:
                    self.process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            # Workers that outlived the master would still hold the group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process = None
        if self.log is not None:
            self.last_log = self.log_tail()
            self.log.close()
            Path(self.log.name).unlink(missing_ok=True)
            self.log = None
