"""
`make bench` (issue 5): figures for every page kind, as one markdown table.

1. Build a large synthetic catalogue in a scratch database.
2. In this process, with Django's test Client: queries per request, server
   time cold (every cache cleared before each request, addresses varied)
   and warm (one address repeated), and the bytes a browser downloads.
3. EXPLAIN the filtered catalogue's queries.
4. Under gunicorn: requests per second per page kind beside /healthz, then
   worker memory before and after 10,000 requests.
5. Print the table, with each target met or missed, and write it to
   bench/results-<database>.md.
"""

import math
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import databases, loadgen, machine, pages, server
from .prepare import Progress, prepare_site

RESULTS = Path(__file__).resolve().parent

# The targets of issue 5.
RATE_SHARE = 0.70  # warm requests per second, as a share of /healthz's
COLD_P95_MS = 50.0
PAGE_KB = 50.0  # HTML, CSS and JavaScript together, gzip, 1 KB = 1,000 bytes
# Growth of a worker's resident memory over the memory run that counts as
# noise (allocator arenas, a cache filling up to its bound): 4 MiB or 5% of
# what the worker held before, whichever is more.
MEMORY_NOISE_KIB = 4 * 1024
MEMORY_NOISE_SHARE = 0.05
MEMORY_CONNECTIONS = 8
MAX_RATE_SECONDS = 20


@dataclass
class Settings:
    treatments: int = 1000
    comparisons: int = 20
    reps: int = 100
    budget: float = 3.0  # seconds per page kind and mode, in process
    rate_seconds: int = 3
    rate_rounds: int = 3
    rate_connections: int = 16
    memory_requests: int = 10_000
    memory_seconds: float = 120.0  # the memory run stops by then regardless,
    deadline: float = 270.0  # and by this many seconds after the start
    keep: bool = False

    @classmethod
    def from_env(cls, **overrides):
        """Defaults, then BENCH_* environment variables, then overrides."""
        settings = cls()
        for name, default in vars(cls()).items():
            value = os.environ.get(f"BENCH_{name.upper()}")
            if value and isinstance(default, bool):
                setattr(settings, name, value.lower() in {"1", "true", "yes", "on"})
            elif value:
                setattr(settings, name, type(default)(value))
        for name, value in overrides.items():
            if value is not None:
                setattr(settings, name, value)
        return settings


@dataclass
class Memory:
    before: dict = field(default_factory=dict)  # pid: KiB
    middle: dict = field(default_factory=dict)  # half way through
    after: dict = field(default_factory=dict)
    requests: int = 0
    failures: int = 0
    seconds: float = 0.0
    limit: float = 0.0  # the time limit the run had

    @property
    def growth(self):
        return {
            pid: self.after[pid] - before
            for pid, before in self.before.items()
            if pid in self.after
        }

    @property
    def met(self):
        return (
            bool(self.before)
            and self.before.keys() == self.after.keys()
            and all(
                growth <= max(MEMORY_NOISE_KIB, self.before[pid] * MEMORY_NOISE_SHARE)
                for pid, growth in self.growth.items()
            )
        )


# EXPLAIN ----------------------------------------------------------------

# PostgreSQL: "Index Scan using <index> on <table>", "Bitmap Index Scan on
# <index>"; SQLite: "SEARCH <table> USING [COVERING] INDEX <index>".
INDEX_SCAN = re.compile(r"Index (?:Only )?Scan(?: Backward)? using (\S+) on (\S+)")
BITMAP_SCAN = re.compile(r"Bitmap Index Scan on (\S+)")
SQLITE_INDEX = re.compile(r"SEARCH (\S+)(?: AS \S+)? USING (?:COVERING )?INDEX (\S+)")


def explain(sql):
    """The database's plan for `sql`, as lines."""
    from django.db import connection

    prefix = (
        "EXPLAIN ANALYZE "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":  # rows of (id, parent, _, detail)
        depth = {}
        for node, parent, *_rest in rows:
            depth[node] = depth[parent] + 1 if parent in depth else 0
        return [f"{'  ' * depth[row[0]]}{row[-1]}" for row in rows]
    return [row[0] for row in rows]


def plan_indexes(lines):
    """(indexes used as "index on table", tables read whole)."""
    text = "\n".join(lines)
    used = [f"{index} on {table}" for index, table in INDEX_SCAN.findall(text)]
    used += BITMAP_SCAN.findall(text)
    used += [f"{index} on {table}" for table, index in SQLITE_INDEX.findall(text)]
    whole = re.findall(r"Seq Scan on (\S+)", text)
    # SQLite: "SCAN <table>", in full, or in an index's order.
    whole += [
        f"{table} (in {index} order)" if index else table
        for table, index in re.findall(
            r"\bSCAN (\S+)(?: AS \S+)?(?: USING (?:COVERING )?INDEX (\S+))?", text
        )
    ]
    return list(dict.fromkeys(used)), list(dict.fromkeys(whole))


# The filtered catalogue's parameters, and the columns they filter on.
FILTER_COLUMNS = {"body_area": "body_area_id", "invasiveness": "invasiveness"}


def column_access(lines, column):
    """How a plan reaches rows by `column`: "index" when an index condition
    names it, "no index (rows read, then filtered)" when a filter does
    (PostgreSQL), "no index" otherwise (SQLite does not show filters)."""
    index_condition = re.compile(
        rf"(Index Cond|Recheck Cond):.*\b{column}\b"  # PostgreSQL
        rf"|SEARCH .* USING .*INDEX .*\(.*\b{column}\b"  # SQLite
    )
    if any(index_condition.search(line) for line in lines):
        return "index"
    if any(re.search(rf"Filter:.*\b{column}\b", line) for line in lines):
        return "no index (rows read, then filtered)"
    return "no index"


def explain_filtered(inprocess, url):
    """Plans of the queries the filtered catalogue runs on treatments with
    an area condition (the count and the page), with the indexes they use."""
    pages.clear_caches()
    _response, _body, queries = inprocess.queries(url)
    # Treatments, not aliased (as in a subquery), with an area condition.
    filtered = [
        sql
        for sql in queries
        if re.search(r'FROM "treatments_treatment"(?! U\d)', sql)
        and '"treatments_treatedarea"' in sql
    ]
    return [(sql, explain(sql)) for sql in filtered]


# Under gunicorn -----------------------------------------------------------


def rate_seconds(page, settings, workers):
    """How long to measure a page's rate: `rate_seconds`, or longer (up to
    MAX_RATE_SECONDS) for a page so slow that every connection would see
    only a few responses in that time."""
    round_trip = page.warm.get(50, 0) / 1000 * settings.rate_connections
    needed = math.ceil(4 * round_trip / max(1, min(workers, os.cpu_count() or 1)))
    return max(settings.rate_seconds, min(MAX_RATE_SECONDS, needed))


def measure_rates(gunicorn, kinds, figures, settings, progress, use_wrk):
    workers = gunicorn.workers()
    # Steady state first: every page through every worker and thread, so
    # the first page measured does not pay for the server's start (imports,
    # template compilation, database connections) that the others do not.
    everything = [kind.url for kind in kinds]
    loadgen.python_load(
        gunicorn.port,
        everything,
        connections=settings.rate_connections,
        total=4 * settings.rate_connections * len(everything),
    )
    server.wait_idle(workers)
    # Rounds over every page, /healthz included, each page's rate the median
    # of its rounds: a burst of work from elsewhere on the machine then costs
    # one round of one page, not a page's whole figure.
    rates = {kind.name: [] for kind in kinds}
    for round_number in range(1, settings.rate_rounds + 1):
        for kind in kinds:
            # Warm the caches: two requests per worker, one per connection.
            loadgen.python_load(
                gunicorn.port,
                [kind.url],
                connections=len(workers),
                total=2 * len(workers),
            )
            server.wait_idle(workers)
            seconds = rate_seconds(figures[kind.name], settings, len(workers))
            rate, errors = loadgen.measure_rate(
                gunicorn.port,
                kind.url,
                seconds=seconds,
                connections=settings.rate_connections,
                use_wrk=use_wrk,
            )
            # Requests the generator gave up on at the end are still being
            # served: let them finish before the next page is measured.
            server.wait_idle(workers)
            rates[kind.name].append(rate)
            figures[kind.name].rate_errors += errors
            figures[kind.name].rate_seconds = seconds
            progress(
                f"round {round_number}: {kind.name}: {rate:,.1f} req/s over "
                f"{seconds} s" + (f", {errors} errors" if errors else "")
            )
    for name, measured in rates.items():
        figures[name].rate = statistics.median(measured)


def measure_memory(gunicorn, kinds, settings, progress, seconds):
    """Worker RSS before, half way through and after `memory_requests`
    requests spread over the page kinds, five addresses each, round robin
    (so every kind gets its share if the time limit, `seconds`, stops the
    run early)."""
    spread = [kind.urls[n % len(kind.urls)] for n in range(5) for kind in kinds]
    workers = gunicorn.workers()
    # Every address through every worker, as concurrently as in the run,
    # so that the first reading is taken after caches and memory pools have
    # reached their working size.
    warm = loadgen.python_load(
        gunicorn.port,
        spread,
        connections=MEMORY_CONNECTIONS,
        total=len(spread) * len(workers),
        seconds=seconds / 4,
    )
    server.wait_idle(workers)
    memory = Memory(failures=warm.failures, limit=seconds)
    memory.before = {pid: server.rss_kib(pid) for pid in gunicorn.workers()}
    began = time.monotonic()
    for half in ("middle", "after"):
        left = seconds - (time.monotonic() - began)
        result = loadgen.python_load(
            gunicorn.port,
            spread,
            connections=MEMORY_CONNECTIONS,
            total=settings.memory_requests // 2,
            seconds=max(1.0, left / 2 if half == "middle" else left),
            progress=lambda elapsed: progress(f"memory run: {elapsed:.0f}s"),
        )
        server.wait_idle(workers)
        setattr(memory, half, {pid: server.rss_kib(pid) for pid in gunicorn.workers()})
        memory.requests += result.requests
        memory.failures += result.failures
        memory.seconds += result.seconds
    return memory


# The report ----------------------------------------------------------------


def rate_text(rate):
    if rate is None:
        return "–"
    return f"{rate:,.0f}" if rate >= 10 else f"{rate:.1f}"


def mark(ok):
    return "met" if ok else "MISSED"


def ms(summary, point):
    return f"{summary[point]:.1f}" if summary.get("n") else "–"


def render(settings, about, kinds, figures, memory, plans, catalogue, notes):
    healthz = figures["healthz"].rate or 0
    lines = [
        f"# Benchmark: {about['database']}",
        "",
        *(f"- {label}: {value}" for label, value in about.items()),
        f"- catalogue: {len(catalogue.treatments):,} published treatments "
        f"(+{len(catalogue.drafts)} drafts), {len(catalogue.areas)} synthetic body "
        f"areas nested 3 deep, 10 side effects and 6 milestones each, "
        f"{len(catalogue.comparisons)} curated comparisons, plus the seeded content",
        *(f"- {note}" for note in notes),
        "",
        "| page | queries cold/warm | cold p50/p95 ms | warm p50/p95 ms | "
        "runs cold/warm | HTML bytes raw/gzip | HTML+CSS+JS gzip KB | req/s | "
        "% of healthz | targets: rate, cold p95, size |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    missed = {"rate": [], "cold": [], "size": []}
    for kind in kinds:
        page = figures[kind.name]
        share = page.rate / healthz if page.rate is not None and healthz else None
        is_health = kind.name == "healthz"
        checks = {
            "rate": None if is_health else share is not None and share >= RATE_SHARE,
            "cold": page.cold.get(95, 0) < COLD_P95_MS,
            "size": page.total_gzip / 1000 < PAGE_KB,
        }
        for target, ok in checks.items():
            if ok is False:
                missed[target].append(kind.name)
        flags = ", ".join(
            "–" if ok is None else ("✓" if ok else "✗") for ok in checks.values()
        )
        lines.append(
            f"| {kind.name} | {page.queries_cold}/{page.queries_warm} "
            f"| {ms(page.cold, 50)} / {ms(page.cold, 95)} "
            f"| {ms(page.warm, 50)} / {ms(page.warm, 95)} "
            f"| {page.cold.get('n', 0)}/{page.warm.get('n', 0)} "
            f"| {page.html_bytes:,} / {page.html_gzip:,} "
            f"| {page.total_gzip / 1000:.1f} "
            f"| {rate_text(page.rate)}"
            + (
                f" ({page.rate_seconds} s)"
                if page.rate_seconds and page.rate_seconds != settings.rate_seconds
                else ""
            )
            + " "
            f"| {'–' if share is None else f'{share:.0%}'} | {flags} |"
        )
    lines += ["", "## Targets", ""]
    lines += [
        f"- warm req/s ≥ {RATE_SHARE:.0%} of /healthz: {mark(not missed['rate'])}"
        + (f" (missed: {', '.join(missed['rate'])})" if missed["rate"] else ""),
        f"- cold p95 < {COLD_P95_MS:.0f} ms: {mark(not missed['cold'])}"
        + (f" (missed: {', '.join(missed['cold'])})" if missed["cold"] else ""),
        f"- HTML+CSS+JS gzip < {PAGE_KB:.0f} KB: {mark(not missed['size'])}"
        + (f" (missed: {', '.join(missed['size'])})" if missed["size"] else ""),
    ]
    errors = {name: page.rate_errors for name, page in figures.items()}
    if any(errors.values()):
        lines.append(
            "- errors in the request-rate runs (socket errors, timeouts, "
            "responses other than 2xx/3xx): "
            + ", ".join(f"{name} {count}" for name, count in errors.items() if count)
        )
    lines += memory_lines(memory, settings)
    lines += ["", "## EXPLAIN of the filtered catalogue", ""]
    lines += plan_lines(plans)
    assets = {
        url: size for page in figures.values() for url, size in page.assets.items()
    }
    if assets:
        lines += [
            "",
            "Static files, gzip as sent: "
            + ", ".join(f"{url} {size:,} B" for url, size in assets.items()),
        ]
    return "\n".join(lines) + "\n"


def memory_lines(memory, settings):
    if not memory.before:
        return ["- worker memory: not measured"]
    limited = memory.requests < settings.memory_requests
    growth = max(memory.growth.values(), default=0) / 1024
    if limited:
        verdict = (
            f"not shown: the run stopped at its {memory.limit:.0f} s limit after "
            f"{memory.requests:,} requests (largest growth {growth:+.1f} MiB)"
        )
    else:
        verdict = mark(memory.met)
    lines = [
        f"- no worker memory growth beyond noise ({MEMORY_NOISE_KIB // 1024} MiB "
        f"or {MEMORY_NOISE_SHARE:.0%}) "
        f"over {settings.memory_requests:,} requests: {verdict}"
        f" ({memory.requests:,} requests in {memory.seconds:.0f} s, "
        f"{MEMORY_CONNECTIONS} connections)",
        "",
        "| worker | RSS before MiB | half way | after | growth MiB |",
        "| --- | --- | --- | --- | --- |",
    ]
    for pid, before in memory.before.items():
        after = memory.after.get(pid)
        lines.append(
            f"| {pid} | {before / 1024:.1f} | "
            + (
                f"{memory.middle[pid] / 1024:.1f} | "
                if pid in memory.middle
                else "– | "
            )
            + (
                f"{after / 1024:.1f} | {(after - before) / 1024:+.1f} |"
                if after is not None
                else "gone | – |"
            )
        )
    if memory.failures:
        lines.append(f"\n{memory.failures} requests failed during the memory run.")
    return lines


def plan_lines(plans):
    if not plans:
        return ["No query over treatments and their areas was captured."]
    lines = []
    for sql, plan in plans:
        used, whole = plan_indexes(plan)
        kind = "count" if "COUNT(" in sql.upper() else "page"
        access = ", ".join(
            f"{column}: {column_access(plan, column)}"
            for column in FILTER_COLUMNS.values()
        )
        lines.append(
            f"- {kind} query: filtered columns reached by {access}; "
            + (f"indexes used: {', '.join(used)}" if used else "uses NO index")
            + (f"; tables read whole: {', '.join(whole)}" if whole else "")
        )
        top = [line if len(line) <= 160 else line[:159] + "…" for line in plan[:16]]
        lines += ["", "```", *top, *(["…"] if len(plan) > 16 else []), "```", ""]
    return lines


# The run ---------------------------------------------------------------------


def ensure_wrk(progress):
    if loadgen.wrk_path():
        return True
    progress("wrk is not installed: request rates come from the Python generator")
    return False


def run(settings=None):
    settings = settings or Settings.from_env()
    progress = Progress("bench")
    database = databases.scratch_database(os.environ.get("DATABASE_URL", ""), "bench")
    use_wrk = ensure_wrk(progress)
    load_before = os.getloadavg()[0]
    notes = [
        "load generator: "
        + (
            f"wrk, {settings.rate_connections} keep-alive connections, "
            f"{settings.rate_rounds} rounds over every page of "
            f"{settings.rate_seconds} s each (longer, up to {MAX_RATE_SECONDS} "
            "s, for a slow page: see the req/s column), each page's rate the "
            "median of its rounds; after a warming pass over every page, and "
            "two warming requests per worker before each run; between runs "
            "the workers are left to go idle"
            if use_wrk
            else f"Python threads (wrk not installed; rates are lower bounds), "
            f"{settings.rate_connections} keep-alive connections"
        ),
        f"HTML gzip at level {pages.GZIP_LEVEL} (the site does not compress HTML "
        "itself); CSS and JS as WhiteNoise sends them with Accept-Encoding: gzip",
    ]
    with databases.scratch(database, keep=settings.keep):
        catalogue = prepare_site(
            database,
            treatments=settings.treatments,
            comparisons=settings.comparisons,
            progress=progress,
        )
        kinds = pages.page_kinds(catalogue)
        about = machine.describe()
        inprocess = pages.InProcess()
        figures = {}
        for kind in kinds:
            figures[kind.name] = inprocess.measure(
                kind, reps=settings.reps, budget=settings.budget
            )
            page = figures[kind.name]
            progress(
                f"{kind.name}: {page.queries_cold} queries, cold p95 "
                f"{page.cold[95]:.1f} ms, warm p95 {page.warm[95]:.1f} ms, "
                f"{page.total_gzip / 1000:.1f} KB gzip"
            )
        filtered = next(kind for kind in kinds if kind.name == "filtered catalogue")
        plans = explain_filtered(inprocess, filtered.url)
        progress(f"explained {len(plans)} filtered catalogue queries")

        from django.db import connections

        connections.close_all()
        with server.Gunicorn(database.url) as gunicorn:
            workers = gunicorn.workers()
            threads = server.gunicorn_config(gunicorn.env)["threads"]
            notes.append(
                f"gunicorn: gunicorn.conf.py, {len(workers)} workers of {threads} "
                "threads, worker recycling off for the memory run"
            )
            progress(f"gunicorn up on port {gunicorn.port} with {len(workers)} workers")
            measure_rates(gunicorn, kinds, figures, settings, progress, use_wrk)
            seconds = min(settings.memory_seconds, settings.deadline - progress.elapsed)
            memory = measure_memory(
                gunicorn, kinds, settings, progress, seconds=max(10.0, seconds)
            )
            progress(
                f"memory: {memory.requests:,} requests in {memory.seconds:.0f}s, "
                "growth "
                + ", ".join(f"{g / 1024:+.1f}" for g in memory.growth.values())
                + " MiB"
            )
    notes.append(
        f"run took {progress.elapsed:.0f} s; load average (1 min) before it: "
        f"{load_before:.2f} on {os.cpu_count()} cores"
        + (
            " (other processes were busy: figures are noisier and lower)"
            if load_before > 0.5
            else ""
        )
    )
    report = render(settings, about, kinds, figures, memory, plans, catalogue, notes)
    path = RESULTS / f"results-{database.label}.md"
    path.write_text(report)
    sys.stdout.write("\n" + report)
    sys.stdout.flush()
    progress(f"written to {path.relative_to(RESULTS.parent)}; done")
    return 0
