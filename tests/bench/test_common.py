"""Scratch databases, processes, wrk's script and RESULTS.md: no database."""

import http.server
import os
import shutil
import subprocess
import threading

import pytest

from bench import common


def test_scratch_databases_sit_beside_the_configured_one_never_on_it():
    sqlite = common.scratch_url("", "bench")
    assert sqlite == f"sqlite:///{common.PROJECT / 'bench.sqlite3'}"
    assert common.scratch_url("sqlite:////tmp/x.sqlite3", "load").endswith(
        "load.sqlite3"
    )
    assert (
        common.scratch_url("postgres://me:pw@host:5432/wt_x", "bench")
        == "postgres://me:pw@host:5432/wt_x_bench"
    )
    with pytest.raises(ValueError):
        common.scratch_url("mysql://host/db", "bench")
    common.check_name("wt_x_load")
    for name in ("postgres", "wt_x", "x_test", "template1"):
        with pytest.raises(RuntimeError):
            common.check_name(name)


def test_without_password():
    url = "postgres://me:secret@host:5432/db"
    assert common.without_password(url) == "postgres://me:…@host:5432/db"
    assert common.without_password("postgres://me@h/db") == "postgres://me@h/db"


def test_child_processes_and_their_memory():
    child = subprocess.Popen(["sleep", "10"])
    try:
        # Among them: the suite may have started others (a private Redis).
        children = common.child_processes(os.getpid())
        assert child.pid in children
        assert os.getpid() not in children
        memory = common.rss_kib([os.getpid(), child.pid])
        assert set(memory) == {os.getpid(), child.pid}
        assert memory[os.getpid()] > 10_000  # this Python holds more than 10 MB
    finally:
        child.kill()
        child.wait()


def test_bench_and_load_each_rewrite_their_own_part(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "RESULTS", tmp_path / "RESULTS.md")
    common.write_results("# Bench 1")
    common.write_results(f"{common.LOAD_HEADING}\n\nload 1", load=True)
    common.write_results("# Bench 2")
    assert (
        common.RESULTS.read_text() == f"# Bench 2\n\n{common.LOAD_HEADING}\n\nload 1\n"
    )
    common.write_results(f"{common.LOAD_HEADING}\n\nload 2", load=True)
    assert (
        common.RESULTS.read_text() == f"# Bench 2\n\n{common.LOAD_HEADING}\n\nload 2\n"
    )


def test_the_notes_written_by_hand_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "RESULTS", tmp_path / "RESULTS.md")
    notes = f"{common.NOTES_HEADING}\n\nWhat was slow."
    common.RESULTS.write_text(f"# Bench 1\n\n{notes}\n")
    common.write_results("# Bench 2")
    common.write_results(f"{common.LOAD_HEADING}\n\nload 1", load=True)
    common.write_results(f"{common.LOAD_HEADING}\n\nload 2", load=True)
    common.write_results("# Bench 3")
    assert common.RESULTS.read_text() == (
        f"# Bench 3\n\n{common.LOAD_HEADING}\n\nload 2\n\n{notes}\n"
    )


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as wrk expects

    def do_GET(self):
        self.send_response(503 if self.path == "/down" else 200)
        self.send_header("Content-Length", "2")
        if self.path in ("/hit", "/miss"):
            self.send_header("X-Cache", self.path[1:])
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")
def test_wrk_counts_cache_hits_misses_and_errors():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # Polled often: shutdown() waits for the next poll (0.5 s by default).
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    try:
        paths = ["/hit", "/hit", "/miss", "/down"]
        result = common.wrk(server.server_port, paths, seconds=1, connections=2)
    finally:
        server.shutdown()
        server.server_close()
    assert result["requests"] > 0
    assert result["rate"] > 0
    # Each connection goes through the paths in turn.
    assert result["hits"] == pytest.approx(2 * result["misses"], abs=4)
    assert result["errors"] == pytest.approx(result["misses"], abs=2)
    assert result["hits"] + result["misses"] + result["errors"] == pytest.approx(
        result["requests"], abs=2
    )
    assert 0 < result["p50"] <= result["p95"] <= result["max"]


SWITCHING = """
import os, threading
import django
from django.db import connections
from bench import common

os.environ.update(common.production_env(os.environ["FIRST"]))
django.setup()
first = common.connect(os.environ["FIRST"])
second = common.connect(os.environ["SECOND"])
seen = []

def other_thread():
    seen.append(connections["default"].settings_dict["NAME"])
    connections.close_all()

def names():
    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    return connections["default"].settings_dict["NAME"], seen.pop()

print(*names())
common.use(first)
print(*names())
print(common.connect(os.environ["FIRST"]) is first)
"""


def test_the_bench_switches_every_thread_between_its_scratch_databases(tmp_path):
    """Django reads DATABASE_URL once; the bench builds a database per size
    in one process and measures them side by side. After connect() or
    use(), this thread and any other (the purge sender's) reach the one
    chosen."""
    first, second = tmp_path / "1_bench.sqlite3", tmp_path / "2_bench.sqlite3"
    result = subprocess.run(
        [common.sys.executable, "-c", SWITCHING],
        cwd=common.PROJECT,
        env={
            **os.environ,
            "FIRST": f"sqlite:///{first}",
            "SECOND": f"sqlite:///{second}",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split("\n")[:3] == [
        f"{second} {second}",
        f"{first} {first}",
        "True",  # connecting to the database in use changes nothing
    ]
