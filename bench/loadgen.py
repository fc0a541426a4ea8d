"""
Load on loopback: `wrk` when it is installed, or a Python generator.

`python_load()` runs a fixed number of keep-alive connections, one thread
each (http.client), over a list of paths in turn, for a fixed time or a
fixed number of requests, and records every latency, status and error.
Its own CPU use competes with the server's on a small machine, so request
rates from it are lower bounds; `wrk()` is preferred for rates.
"""

import http.client
import itertools
import re
import shutil
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from .stats import summarise

HOST = "127.0.0.1"


@dataclass
class LoadResult:
    seconds: float = 0.0
    latencies: list = field(default_factory=list)  # seconds, one per response
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # what went wrong: count
    unexpected: Counter = field(default_factory=Counter)  # "status path": count

    @property
    def requests(self):
        return len(self.latencies) + sum(self.errors.values())

    @property
    def failures(self):
        return sum(self.errors.values()) + sum(self.unexpected.values())

    @property
    def rate(self):
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def latency_ms(self):
        summary = summarise(self.latencies)
        return {k: v * 1000 if k != "n" else v for k, v in summary.items()}


def python_load(
    port,
    paths,
    *,
    connections,
    seconds=None,
    total=None,
    expect=(200,),
    progress=None,
    progress_every=10.0,
):
    """Request `paths` in turn over `connections` keep-alive connections
    until `seconds` have passed or `total` requests were sent.

    A response whose status is not in `expect` is counted as unexpected; a
    connection error is counted, and the connection reopened. `progress`,
    if given, is called with the requests so far every `progress_every`
    seconds.
    """
    if seconds is None and total is None:
        raise ValueError("give seconds or total")
    tickets = itertools.count()
    lock = threading.Lock()
    result = LoadResult()
    start = time.perf_counter()
    deadline = start + seconds if seconds is not None else None
    done = threading.Event()

    def worker():
        latencies, statuses, errors, unexpected = [], Counter(), Counter(), Counter()
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            while True:
                ticket = next(tickets)
                if total is not None and ticket >= total:
                    break
                if deadline is not None and time.perf_counter() >= deadline:
                    break
                path = paths[ticket % len(paths)]
                began = time.perf_counter()
                try:
                    connection.request("GET", path, headers={"Host": HOST})
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as error:
                    errors[f"{type(error).__name__}: {error}"[:120]] += 1
                    connection.close()
                    connection = http.client.HTTPConnection(HOST, port, timeout=30)
                    continue
                latencies.append(time.perf_counter() - began)
                statuses[response.status] += 1
                if response.status not in expect:
                    unexpected[f"{response.status} {path}"] += 1
        finally:
            connection.close()
            with lock:
                result.latencies.extend(latencies)
                result.statuses.update(statuses)
                result.errors.update(errors)
                result.unexpected.update(unexpected)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    reporter = None
    if progress is not None:

        def report():
            while not done.wait(progress_every):
                progress(time.perf_counter() - start)

        reporter = threading.Thread(target=report, daemon=True)
        reporter.start()
    try:
        for thread in threads:
            thread.join()
    finally:
        done.set()
        result.seconds = time.perf_counter() - start
    return result


def wrk_path():
    return shutil.which("wrk")


@dataclass
class WrkResult:
    rate: float
    requests: int
    seconds: float
    errors: int  # socket errors and responses other than 2xx or 3xx
    latency_ms: dict  # {50: ..., 90: ..., 99: ...}
    output: str


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(output):
    """The figures from wrk's report (with --latency)."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    match = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output)
    requests = int(match.group(1))
    seconds = float(match.group(2)) * UNITS[match.group(3)] / 1000
    errors = 0
    if non_2xx := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(non_2xx.group(1))
    if sockets := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
        output,
    ):
        errors += sum(int(n) for n in sockets.groups())
    latency = {
        int(point): float(value) * UNITS[unit]
        for point, value, unit in re.findall(
            r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE
        )
    }
    return WrkResult(rate, requests, seconds, errors, latency, output)


def wrk(url, *, seconds, connections, threads=2):
    """Run wrk against one URL for `seconds` and return its figures."""
    command = [
        wrk_path() or "wrk",
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=30s",  # a slow page is slow, not an error
        "--latency",
        url,
    ]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    return parse_wrk(completed.stdout)


def measure_rate(port, path, *, seconds, connections, use_wrk=True):
    """(requests per second, errors) for one path, with wrk or in Python."""
    if use_wrk and wrk_path():
        result = wrk(
            f"http://{HOST}:{port}{path}", seconds=seconds, connections=connections
        )
        return result.rate, result.errors
    result = python_load(port, [path], connections=connections, seconds=seconds)
    return result.rate, result.failures
