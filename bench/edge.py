"""`make bench`'s edge section (issue 19): the site behind the Varnish
configuration in deploy/varnish, beside gunicorn alone, in the same run.

- The requests per second of a cached comparison through Varnish and
  straight from gunicorn, in alternating rounds (target: the edge at least
  EDGE_TIMES the origin).
- What a 304 costs the origin: queries and milliseconds in process (the
  page cache warm), beside a cached 200, and its requests per second
  under gunicorn.
- The time from an editor's save to the new page at the edge: the save in
  this process, purging Varnish after its commit as the site does, then
  the treatment's page asked of Varnish until it shows the change.

varnishd runs in the foreground on a free port with a working directory of
its own (-n) in a temporary folder, and is always stopped; never the
machine's shared instance.
"""

import contextlib
import json
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import common
from .common import log, wrk

EDGE_TIMES = 10
VCL = common.PROJECT / "deploy" / "varnish"
SAVES = 5


class Varnish:
    """varnishd with deploy/varnish/default.vcl in front of gunicorn, as a
    context manager."""

    def __init__(self, origin_port):
        self.origin_port = origin_port
        with socket.socket() as sock:
            sock.bind((common.HOST, 0))
            self.port = sock.getsockname()[1]

    def __enter__(self):
        if shutil.which("varnishd") is None:
            raise SystemExit(
                "varnishd is not installed: apt-get install varnish varnish-modules"
            )
        self.folder = Path(tempfile.mkdtemp(prefix="bench-edge-"))
        local = self.folder / "vcl"
        local.mkdir()
        backend = (VCL / "backend.vcl").read_text()
        (local / "backend.vcl").write_text(
            backend.replace('.port = "8000"', f'.port = "{self.origin_port}"')
        )
        (local / "purgers.vcl").write_text('acl purgers {\n    "127.0.0.1";\n}\n')
        self.log = open(self.folder / "varnishd.log", "wb")
        self.process = subprocess.Popen(
            ["varnishd", "-F", "-j", "none", "-n", str(self.folder / "varnish")]
            + ["-a", f"{common.HOST}:{self.port}", "-T", "none"]
            + ["-p", f"vcl_path={local}:{VCL}", "-f", str(VCL / "default.vcl")]
            + ["-s", "malloc,256m"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while self.process.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.url("/healthz"), timeout=2).close()
                return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(
            "varnishd did not start:\n" + (self.folder / "varnishd.log").read_text()
        )

    def __exit__(self, *exc_info):
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(20)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, path):
        return f"http://{common.HOST}:{self.port}{path}"


def get(url, **headers):
    """(status, headers, body)."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def rates(server, varnish, path, settings):
    """Requests per second of `path` from gunicorn and through Varnish:
    the median of alternating rounds, and the edge's hits."""
    origin, edge, hits, requests = [], [], 0, 0
    for port in (server.port, varnish.port):  # warm both
        wrk(port, [path], seconds=1, connections=4)
    for round_number in range(1, settings["rate_rounds"] + 1):
        log(f"edge: rates, round {round_number} of {settings['rate_rounds']}")
        for port, found in ((server.port, origin), (varnish.port, edge)):
            result = wrk(
                port,
                [path],
                seconds=settings["rate_seconds"],
                connections=settings["connections"],
            )
            found.append(result["rate"])
            if port == varnish.port:
                hits, requests = hits + result["hits"], requests + result["requests"]
            time.sleep(0.5)
    return statistics.median(origin), statistics.median(edge), hits / requests


def not_modified_rate(server, path, etag, settings):
    """Conditional GETs per second of `path` at gunicorn (each a 304)."""
    command = [
        "wrk",
        f"--threads={min(2, settings['connections'])}",
        f"--connections={settings['connections']}",
        f"--duration={settings['rate_seconds']}s",
        f"--header=If-None-Match: {etag}",
        f"--script={common.WRK_SCRIPT}",
        f"http://{common.HOST}:{server.port}",
        "--",
        path,
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    result = json.loads(run.stdout.splitlines()[-1])
    return result["requests"] / result["seconds"]


def in_process_costs(path, reps=200):
    """{kind: (queries, ms p50)} of a cached 200 and of a 304 of `path`,
    through Django's test Client in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=common.HOST)
    etag = client.get(path)["ETag"]  # now in the page cache
    found = {}
    for kind, headers in (("cached 200", {}), ("304", {"if_none_match": etag})):
        times = []
        for _ in range(reps):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(path, headers=headers)
                times.append((time.perf_counter() - began) * 1000)
            expected = 304 if headers else 200
            if response.status_code != expected:
                raise RuntimeError(f"{path} answered {response.status_code}")
        found[kind] = (len(captured), statistics.median(times))
    return found


def save_to_edge(varnish, slug):
    """Milliseconds from each of SAVES saves of a treatment's summary to
    its page through Varnish showing it."""
    from django.test.utils import override_settings

    from core.cache import purge
    from treatments.models import Treatment

    page = varnish.url(f"/treatments/{slug}/")
    found = []
    with override_settings(FRONT_CACHE_URLS=[varnish.url("")]):
        for n in range(SAVES):
            get(page)
            status, headers, _ = get(page)
            if status != 200 or headers.get("X-Cache") != "hit":
                raise RuntimeError(f"{page} is not kept by Varnish")
            summary = f"Edited for the edge bench, save {n + 1} at {time.time():.3f}."
            treatment = Treatment.objects.get(slug=slug)
            treatment.summary = summary
            began = time.perf_counter()
            treatment.save()  # autocommit: purged from Varnish after it
            while summary.encode() not in get(page)[2]:
                if time.perf_counter() - began > 30:
                    raise RuntimeError("the edit did not reach the edge in 30 s")
                time.sleep(0.005)
            found.append((time.perf_counter() - began) * 1000)
            purge.sender.flush()
    return found


def measure(server, kinds, settings):
    """The edge section's figures, gunicorn (common.Gunicorn) running."""
    path = kinds["compare 2"][0]
    slug = kinds["treatment"][0].split("/")[2]
    with Varnish(server.port) as varnish:
        origin, edge, hit_share = rates(server, varnish, path, settings)
        _status, headers, _body = get(server.url(path))
        log("edge: the cost of a 304")
        costs = in_process_costs(path)
        not_modified = not_modified_rate(server, path, headers["ETag"], settings)
        log("edge: from a save to the edge")
        saves = save_to_edge(varnish, slug)
    return {
        "path": path,
        "origin": origin,
        "edge": edge,
        "hits": hit_share,
        "costs": costs,
        "304 rate": not_modified,
        "saves": saves,
    }


def lines(figures, settings):
    """The section of bench/RESULTS.md, as lines."""
    times = figures["edge"] / figures["origin"]
    met = "✓" if times >= EDGE_TIMES else "✗"
    (q200, ms200), (q304, ms304) = (
        figures["costs"]["cached 200"],
        figures["costs"]["304"],
    )
    saves = figures["saves"]
    return [
        "## The edge: Varnish in front of gunicorn\n",
        f"deploy/varnish/default.vcl as shipped (Varnish {varnish_version()}), in "
        "front of the same gunicorn; wrk with "
        f"{settings['connections']} keep-alive connections, each rate the median "
        f"of {settings['rate_rounds']} alternating rounds of "
        f"{settings['rate_seconds']} s, wrk on the same 2 cores.\n",
        f"| measure | figure |\n| --- | --- |\n"
        f"| a cached comparison (`{figures['path'][:60]}…`) from gunicorn, req/s "
        f"| {figures['origin']:,.0f} |\n"
        f"| the same through Varnish, req/s | {figures['edge']:,.0f} "
        f"({figures['hits']:.1%} edge hits) |\n"
        f"| the edge against the origin | {times:.1f}× "
        f"(target at least {EDGE_TIMES}×: {met}) |\n"
        f"| a 304 at the origin (If-None-Match), req/s under gunicorn "
        f"| {figures['304 rate']:,.0f} |\n"
        f"| a 304 at the origin in process: queries, ms p50 | {q304}, {ms304:.2f} |\n"
        f"| a cached 200 at the origin in process: queries, ms p50 "
        f"| {q200}, {ms200:.2f} |\n"
        f"| from a save to the new page at the edge, ms p50 / max of {len(saves)} "
        f"| {statistics.median(saves):.0f} / {max(saves):.0f} |\n",
    ]


def varnish_version():
    run = subprocess.run(["varnishd", "-V"], capture_output=True, text=True)
    words = (run.stderr + run.stdout).split()
    return next(
        (w.split("-")[1] for w in words if w.startswith("(varnish-")), "?"
    ).rstrip(")")
