"""`make bench`: figures for every page kind at each catalogue size, written
to bench/RESULTS.md (see bench/__init__.py)."""

import contextlib
import gc
import gzip
import os
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

from . import common, edge
from .common import log, wrk

# Issue 5's targets, at every size.
COLD_P95_MS = 50.0
PAGE_KB = 50.0  # HTML, CSS and JavaScript, gzip, 1 KB = 1,000 bytes
RATE_SHARE = 0.70  # a cached page's requests/s as a share of /healthz's
MEMORY_NOISE_KIB, MEMORY_NOISE_SHARE = 4 * 1024, 0.05  # growth that is noise
# Issue 14's: from the smallest size to the largest, cold p95 and HTML grow
# at most this much.
GROWTH = 1.5
# The synthetic catalogues (bench/catalogue.py): name -> dense.
CATALOGUES = {"spread": False, "dense": True}
GZIP_LEVEL = 6  # what a compressing proxy typically uses for HTML
MIN_REPS = 10
SEARCHES = ["collagen", "laser", "tingling", "cryolipolysis", "firming"]
SETTINGS = {  # BENCH_<NAME>: default
    "treatments": "1000",  # the sizes, such as 1000,10000
    "catalogues": "spread,dense",  # which of CATALOGUES, in this order
    "reps": 100,  # requests per page and mode, fewer past `budget` seconds
    "budget": 3.0,
    "rate_seconds": 3,
    "rate_rounds": 3,
    "connections": 16,
    "memory_seconds": 20,
}


def settings(**given):
    """Arguments given, then BENCH_<NAME> variables, then the defaults."""
    return {
        name: type(default)(
            given.get(name) or os.environ.get(f"BENCH_{name.upper()}", default)
        )
        for name, default in SETTINGS.items()
    }


def percentile(values, point):
    """Linear between the nearest ranks (numpy's default)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[point - 1]


def p50_p95(times):
    return f"{percentile(times, 50):.1f} / {percentile(times, 95):.1f}"


def page_kinds(catalogue, variants=20):
    """{name: addresses}: the first is measured warm and under gunicorn;
    cold requests go through them all in turn."""
    slugs = list(catalogue.treatments)

    def compare(size):
        picks = [
            [slugs[(n * size * 7 + k * 13) % len(slugs)] for k in range(size)]
            for n in range(variants)
        ]
        return [
            "/compare/?" + urlencode({"treatments": pick}, doseq=True) for pick in picks
        ]

    return {
        "home": ["/"],
        "catalogue": ["/treatments/"],
        "filtered catalogue": [
            "/treatments/?" + urlencode({"body_area": area, "invasiveness": level})
            for area in catalogue.top_areas
            for level in ("non-invasive", "minimally-invasive")
        ],
        # A body area alone, the largest first, and the two largest at once.
        "body area": [
            "/treatments/?" + urlencode({"body_area": areas}, doseq=True)
            for areas in [[area] for area in catalogue.top_areas]
            + [catalogue.top_areas[:2]]
        ],
        "search": [f"/treatments/?q={word}" for word in SEARCHES],
        "treatment": [
            f"/treatments/{slug}/" for slug in slugs[:: max(1, len(slugs) // variants)]
        ][:variants],
        "picker": ["/compare/"],
        "compare 2": compare(2),
        "compare 4": compare(4),
        "curated": [
            f"/compare/{slug}/"
            for slug in sorted(catalogue.comparisons, key=catalogue.comparisons.get)
        ],
        "healthz": ["/healthz"],
    }


def assets_of(html):
    """The site's stylesheets and scripts that a page loads."""
    found = []
    for tag, attributes in re.findall(r"<(link|script)\b([^>]*)>", html):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', attributes))
        if tag == "script" or attributes.get("rel") == "stylesheet":
            url = attributes.get("src" if tag == "script" else "href", "")
            if url.startswith("/") and not url.startswith("//"):
                found.append(url)
    return list(dict.fromkeys(found))


class InProcess:
    """Requests through Django's test Client in this process."""

    def __init__(self, settings):
        from django.test import Client

        self.client = Client(HTTP_HOST=common.HOST)
        self.settings, self.assets = settings, {}
        if not gc.get_freeze_count():
            # As a gunicorn worker starts (gunicorn.conf.py): what was loaded
            # before its first request, the readability formula's dictionary
            # included (config/wsgi.py), is frozen out of the collector's
            # way. Once per run: what later pages load is not, as in a worker.
            from editorial import readability

            readability.warm()
            gc.collect()
            gc.freeze()

    def get(self, url, **headers):
        response = self.client.get(url, headers=headers)
        body = b"".join(response) if response.streaming else response.content
        response.close()
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return response, body

    def queries(self, url):
        """(body, [(ms, sql)]) of one request."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        times = []

        def timed(execute, *args):
            began = time.perf_counter()
            try:
                return execute(*args)
            finally:
                times.append((time.perf_counter() - began) * 1000)

        with CaptureQueriesContext(connection) as captured:
            with connection.execute_wrapper(timed):
                _response, body = self.get(url)
        return body, list(zip(times, [q["sql"] for q in captured], strict=True))

    def timed(self, sites, cold):
        """{key: (milliseconds per request, CPU milliseconds of this process
        per request)} for each of `sites` ({key: (connection, addresses)}),
        going through each one's addresses in turn. With several sites their
        requests alternate, one of each at a time, so that whatever else the
        machine does reaches them alike. CPU time is this process's: others'
        work on the machine barely changes it, and it leaves out the
        database's."""
        reps, budget = self.settings["reps"], self.settings["budget"]
        times, cpu = {key: [] for key in sites}, {key: [] for key in sites}
        done = 0
        while done < reps and (
            done < MIN_REPS or sum(map(sum, times.values())) < budget * 1e3 * len(sites)
        ):
            for key, (connection, urls) in sites.items():
                common.use(connection)
                if cold:
                    clear_caches()
                began, began_cpu = time.perf_counter(), time.process_time()
                self.get(urls[done % len(urls)])
                times[key].append((time.perf_counter() - began) * 1000)
                cpu[key].append((time.process_time() - began_cpu) * 1000)
            done += 1
        return {key: (times[key], cpu[key]) for key in sites}

    def gzip_size(self, url):
        """A static file's bytes as sent to a browser that accepts gzip."""
        if url not in self.assets:
            response, body = self.get(url, accept_encoding="gzip")
            gzipped = response.get("Content-Encoding") == "gzip"
            self.assets[url] = len(body if gzipped else gzip.compress(body))
        return self.assets[url]

    def measure(self, sites):
        """A page's figures in each of `sites` ({key: (connection, its
        addresses of the page)}), by key: numbers for the targets, and its
        table row. Cold requests alternate between the sites (timed())."""
        gc.collect()  # not the garbage of the page measured before
        seen = {}
        for key, (connection, urls) in sites.items():
            common.use(connection)
            clear_caches()
            seen[key] = self.queries(urls[0]), self.queries(urls[0])
        cold = self.timed(sites, True)
        return {
            key: self.figures(connection, urls, *seen[key], *cold[key])
            for key, (connection, urls) in sites.items()
        }

    def figures(self, connection, urls, first, again, cold, cpu):
        """One site's figures for a page: from its first request and the
        same again (each (body, queries)), its `cold` times and `cpu`, and
        its warm times, measured here."""
        (body, cold_queries), (_body, warm_queries) = first, again
        common.use(connection)
        clear_caches()
        self.get(urls[0])
        ((warm, _cpu),) = self.timed({"": (connection, urls[:1])}, False).values()
        html_gzip = len(gzip.compress(body, GZIP_LEVEL))
        kb = (html_gzip + sum(map(self.gzip_size, assets_of(body.decode())))) / 1000
        slowest_ms, slowest = max(cold_queries, default=(0.0, ""))
        plan = explain(slowest) if slowest else []
        return {
            "cpu": percentile(cpu, 50),
            "p95": percentile(cold, 95),
            "html": len(body),
            "kb": kb,
            "slowest": f"{slowest_ms:.1f} | `{slowest[:150]}` | {plan_summary(plan)}",
            "row": {
                "queries cold/warm": f"{len(cold_queries)}/{len(warm_queries)}",
                "cold p50 / p95 ms": p50_p95(cold),
                "cold CPU p50 ms": f"{percentile(cpu, 50):.1f}",
                "SQL ms (1 cold)": f"{sum(ms for ms, _sql in cold_queries):.1f}",
                "warm p50 / p95 ms": p50_p95(warm),
                "runs cold/warm": f"{len(cold)}/{len(warm)}",
                "HTML KB raw / gzip": f"{len(body) / 1e3:,.1f} / {html_gzip / 1e3:.1f}",
                "HTML+CSS+JS gzip KB": f"{kb:,.1f}",
            },
        }


def clear_caches():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def explain(sql):
    """The database's plan for one query, as lines."""
    from django.db import connection

    analyze = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(("EXPLAIN ANALYZE " if analyze else "EXPLAIN QUERY PLAN ") + sql)
        return [row[-1] for row in cursor.fetchall()]


def plan_summary(lines):
    """The indexes a plan uses and the tables it reads whole."""
    text = "\n".join(lines)
    indexes = re.findall(
        r"Index (?:Only )?Scan(?: Backward)? using (\S+)|Bitmap Index Scan on (\S+)"
        r"|USING (?:COVERING )?INDEX (\S+)",
        text,
    )
    whole = re.findall(r"Seq Scan on (\S+)|\bSCAN (?!CONSTANT)(\S+)", text)
    indexes, whole = (
        ", ".join(dict.fromkeys(map("".join, found))) for found in (indexes, whole)
    )
    return f"indexes: {indexes or 'none'}; read whole: {whole or 'none'}"


# Under gunicorn ----------------------------------------------------------


def measure_rates(server, kinds, pages, settings):
    """Each cached page's requests per second, the median of its rounds,
    into its row; the errors."""
    wrk(server.port, [urls[0] for urls in kinds.values()], seconds=2, connections=16)
    rates, rounds, errors = {name: [] for name in kinds}, settings["rate_rounds"], 0
    for round_number in range(1, rounds + 1):
        log(f"request rates: round {round_number} of {rounds}")
        for name, urls in kinds.items():
            seconds, connections = settings["rate_seconds"], settings["connections"]
            result = wrk(
                server.port, urls[:1], seconds=seconds, connections=connections
            )
            rates[name].append(result["rate"])
            errors += result["errors"]
            time.sleep(0.5)  # what wrk left queued is served before the next
    for name, page in pages.items():
        page["rate"] = statistics.median(rates[name])
        share = page["rate"] / statistics.median(rates["healthz"])
        page["row"]["req/s"] = f"{page['rate']:,.0f}"
        page["row"]["% of healthz"] = f"{share:.0%}"
        page["rate ok"] = None if name == "healthz" else share >= RATE_SHARE
    return errors


def measure_memory(server, kinds, seconds):
    """The workers' memory (KiB) before and after `seconds` of requests over
    five addresses of every page at 8 connections, half the rate runs': run
    after those, it finds the memory a worker keeps, not a new peak.

    Without Redis each worker has a page cache of its own, and a worker
    holds a connection for as long as wrk keeps it: the warm-up opens many,
    so that every worker has cached every address before the measure
    (else the growth is a page cache filling, not memory kept)."""
    spread = [urls[n % len(urls)] for n in range(5) for urls in kinds.values()]
    wrk(server.port, spread, seconds=seconds / 4, connections=64)  # warm up
    time.sleep(1)
    before = common.rss_kib(server.workers())
    result = wrk(server.port, spread, seconds=seconds, connections=8)
    time.sleep(1)
    return before, common.rss_kib(server.workers()), result["requests"]


def memory_met(before, after):
    return before.keys() == after.keys() and all(
        after[pid] - kib <= max(MEMORY_NOISE_KIB, kib * MEMORY_NOISE_SHARE)
        for pid, kib in before.items()
    )


# The report ---------------------------------------------------------------


def table(header, rows):
    """Markdown lines: `header` and each row are cells joined by " | "."""
    rule = " | ".join("---" for _ in header.split(" | "))
    return [f"| {line} |" for line in (header, rule, *rows)] + [""]


def marks(*met):
    return ", ".join("–" if ok is None else "✓" if ok else "✗" for ok in met)


def verdict(targets, missed):
    """ "targets: all met", or which pages missed which."""
    found = [
        f"{target} by {', '.join(names)}" for target, names in missed.items() if names
    ]
    return f"{targets}: {'missed ' + '; '.join(found) if found else 'all met'}.\n"


def size_lines(size, pages, load, catalogue="spread"):
    rows, missed = [], {"cold p95": [], "size": [], "rate": []}
    for name, page in pages.items():
        met = page["p95"] < COLD_P95_MS, page["kb"] < PAGE_KB, page.get("rate ok")
        for target, ok in zip(missed, met, strict=True):
            missed[target] += [name] if ok is False else []
        rows.append(" | ".join([name, *page["row"].values(), marks(*met)]))
    header = " | ".join(["page", *page["row"], "targets: cold p95, size, rate"])
    return [
        f"## {size:,} treatments, {catalogue} catalogue\n",
        f"Load average (1 min) from the start to the end of its measurement in "
        f"process: {load[0]:.2f} to {load[-1]:.2f}.\n",
        *table(header, rows),
        verdict(
            f"Issue 5's targets (cold p95 under {COLD_P95_MS:.0f} ms; HTML, CSS and "
            f"JS under {PAGE_KB:.0f} KB gzip; cached requests/s at least "
            f"{RATE_SHARE:.0%} of /healthz's)",
            missed,
        ),
        "The slowest query of one cold request of each page:\n",
        *table(
            "page | ms | query (start) | its plan",
            [f"{name} | {page['slowest']}" for name, page in pages.items()],
        ),
    ]


def growth_lines(results, catalogue="spread"):
    """Each page's cold p95 and HTML, from the smallest size to the largest."""
    (small, first, _), (large, last, _) = results[0], results[-1]
    rows, missed = [], {"p95": [], "p95 growth": [], "HTML growth": []}
    for name, page in list(last.items())[:-1]:  # not /healthz
        p95, html = (
            (first[name]["p95"], page["p95"]),
            (first[name]["html"], page["html"]),
        )
        met = (
            p95[1] < COLD_P95_MS,
            p95[1] / p95[0] <= GROWTH,
            html[1] / html[0] <= GROWTH,
        )
        for target, ok in zip(missed, met, strict=True):
            missed[target] += [] if ok else [name]
        cpu = page["cpu"] / first[name]["cpu"]
        rows.append(
            f"{name} | {p95[0]:.1f} | {p95[1]:.1f} | {p95[1] / p95[0]:.2f}× | "
            f"{cpu:.2f}× | "
            f"{html[0] / 1e3:,.1f} | {html[1] / 1e3:,.1f} | {html[1] / html[0]:.2f}× | "
            + marks(*met)
        )
    header = (
        f"page | cold p95 ms at {small:,} | at {large:,} | growth | CPU growth | "
        f"HTML KB at {small:,} | at {large:,} | growth | targets: p95 < "
        f"{COLD_P95_MS:.0f} ms, "
        "p95 growth, HTML growth"
    )
    return [
        f"## {small:,} against {large:,} treatments, {catalogue} catalogue\n",
        *table(header, rows),
        verdict(
            f"Issue 14's targets (cold p95 under {COLD_P95_MS:.0f} ms at {large:,}; "
            f"cold p95 and HTML growing at most {GROWTH}×)",
            missed,
        ),
    ]


def catalogue_lines(results, densest):
    """What each catalogue is, with its largest area at each size."""
    from .catalogue import BUTTOCKS, THIGHS  # imports the site: after setup

    described = {
        "spread": "40 synthetic body areas nested 3 deep, each treatment in 3 of "
        "them at random, so that none takes in more than a few percent; then "
        "VACUUM ANALYZE, as autovacuum would have done by the time anyone reads",
        "dense": f"as a real one is spread: {THIGHS:.0%} of treatments for the "
        f"thighs or the legs (which take them in), {BUTTOCKS:.0%} for the "
        "buttocks, the stomach, arms and back popular, the 40 synthetic areas a "
        "long tail; then only ANALYZE, as right after a catalogue has grown, "
        "before autovacuum has set the visibility map that index-only counts read",
    }
    lines = []
    for name in results:
        largest = "; ".join(
            f"{area} takes in {count:,} at {size:,}"
            for size, area, count in densest[name]
        )
        lines.append(f"- {name} catalogue: {described[name]} (largest area: {largest})")
    return lines


def render(settings, about, results, memory, plans, densest):
    """The report. `results`: {catalogue: [(size, pages, load)]}, smallest
    first; `densest`: {catalogue: [(size, area, treatments it takes in)]}."""
    before, after, requests = memory
    large = max(size for rows in results.values() for size, _pages, _load in rows)
    lines = [
        "# Benchmark results\n",
        "Written by `make bench`, which overwrites everything above the `make load` "
        "section; the notes at the end are written by hand, and kept. The machine "
        "is shared: figures move by ±20% or more from run to "
        "run, and more while others' work runs (each catalogue's load average is "
        "given). The sizes of a catalogue are measured side by side, their cold "
        "requests alternating, so that a growth between them is the pages' own, "
        "not the machine's drift.\n",
        *(f"- {label}: {value}" for label, value in about.items()),
        "- each size: the seeded content plus that many published treatments (and "
        "a twentieth more as drafts), each in 3 body areas with 10 side effects "
        "and 6 milestones, 20 curated comparisons of 2 and 4 treatments (every "
        "fifth with a focus area), in each catalogue:",
        *catalogue_lines(results, densest),
        "- CPU: this process's CPU time per request (time.process_time), which "
        "others' work on the machine barely moves and which leaves out "
        "PostgreSQL's: its growth tells a page's own growth from noise",
        "- in process (Django's test Client), once what was loaded before the "
        "first page is frozen out of the collector's way, as a gunicorn worker "
        "starts (gunicorn.conf.py): cold = every cache emptied before each "
        "request, through the page's addresses in turn, one request of each size "
        "at a time; warm = its first address again, once cached; "
        f"{settings['reps']} requests per page and mode, fewer (not under "
        f"{MIN_REPS}) past {settings['budget']:g} s; HTML gzip at level "
        f"{GZIP_LEVEL}, CSS and JS as WhiteNoise sends them",
        f"- under gunicorn, at {large:,} treatments in the {next(iter(results))} "
        f"catalogue only: wrk, {settings['connections']} keep-alive connections, "
        "cached pages (which are the same in any catalogue), each page's rate "
        f"the median of {settings['rate_rounds']} rounds of "
        f"{settings['rate_seconds']} s\n",
    ]
    for name, rows in results.items():
        lines += growth_lines(rows, name) if len(rows) > 1 else []
    for name, rows in results.items():
        for size, pages, load in rows:
            lines += size_lines(size, pages, load, name)
    lines += [
        f"## Worker memory at {large:,} treatments\n",
        f"{requests:,} requests in {settings['memory_seconds']} s after the rate "
        "runs, over five addresses of every page, 8 connections; growth beyond "
        f"noise ({MEMORY_NOISE_KIB // 1024} MiB or {MEMORY_NOISE_SHARE:.0%}): "
        f"{'none ✓' if memory_met(before, after) else '✗'}\n",
        *table(
            "worker | RSS before MiB | after | growth MiB",
            [
                f"{pid} | {kib / 1024:.1f} | {after.get(pid, 0) / 1024:.1f} | "
                f"{(after.get(pid, 0) - kib) / 1024:+.1f}"
                for pid, kib in before.items()
            ],
        ),
    ]
    for name, url, explained in plans:
        lines.append(f"## EXPLAIN of {url} at {large:,} treatments, {name} catalogue\n")
        for sql, plan in explained:
            short = sql if len(sql) < 400 else sql[:200] + " … " + sql[-200:]
            lines += [f"- {plan_summary(plan)}\n", "```", short, "", *plan, "```\n"]
    return "\n".join(lines)


def run(settings, keep=False):
    load_before = os.getloadavg()[0]
    base_url = os.environ.get("DATABASE_URL", "")  # prepare_site changes it
    sizes = sorted(int(n) for n in settings["treatments"].split(","))
    names = [name.strip() for name in settings["catalogues"].split(",")]
    if unknown := set(names) - set(CATALOGUES):
        raise SystemExit(f"BENCH_CATALOGUES: no catalogue {', '.join(unknown)}")
    results, densest = {name: [] for name in names}, {name: [] for name in names}
    plans, about = [], None
    for name in names:
        with contextlib.ExitStack() as scratch:
            # Every size built first, each in a scratch database of its own,
            # then measured side by side (InProcess.timed()).
            built = {}
            for size in sizes:
                url = scratch.enter_context(
                    common.scratch_database(base_url, f"{size}_bench", keep=keep)
                )
                log(f"{size:,} {name}: migrating, seeding and building {url}")
                catalogue = common.prepare_site(
                    url, size, comparisons=20, dense=CATALOGUES[name]
                )
                built[size] = url, page_kinds(catalogue), common.connect(url)
                densest[name].append((size, *catalogue.densest))
            inprocess, pages = InProcess(settings), {size: {} for size in sizes}
            load = [os.getloadavg()[0]]
            for kind in built[sizes[0]][1]:
                measured = inprocess.measure(
                    {
                        size: (connection, kinds[kind])
                        for size, (_url, kinds, connection) in built.items()
                    }
                )
                for size, page in measured.items():
                    pages[size][kind] = page
                    log(f"{size:,} {name}: {kind}: " + ", ".join(page["row"].values()))
            load.append(os.getloadavg()[0])
            results[name] = [(size, pages[size], load) for size in sizes]
            # The plans of the largest area's page, where it reads the areas.
            url, kinds, connection = built[sizes[-1]]
            common.use(connection)
            address = kinds["body area"][0]
            _body, queries = inprocess.queries(address)
            plans.append(
                (
                    name,
                    address,
                    [
                        (sql, explain(sql))
                        for _ms, sql in queries
                        if "treatedarea" in sql
                    ],
                )
            )
            if about is not None:
                continue  # cached pages measured once, in the first catalogue
            about = {
                "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "command": f"BENCH_TREATMENTS={settings['treatments']} "
                + (
                    f"DATABASE_URL={common.without_password(base_url)} "
                    * bool(base_url)
                )
                + "make bench",
                "commit": common.git_commit(),
                "machine": common.machine(),
                "database": common.database_version(),
                "load average (1 min) before the run": f"{load_before:.2f}",
            }
            from django.db import connections

            connections.close_all()
            with common.Gunicorn(url) as server:
                about["gunicorn"] = (
                    f"gunicorn.conf.py, {len(server.workers())} processes of "
                    f"{server.config['threads']} threads"
                )
                about["errors in the request-rate runs"] = measure_rates(
                    server, kinds, pages[sizes[-1]], settings
                )
                log("worker memory")
                memory = measure_memory(server, kinds, settings["memory_seconds"])
                edge_figures = edge.measure(server, kinds, settings)
    report = render(settings, about, results, memory, plans, densest)
    report += "\n" + "\n".join(edge.lines(edge_figures, settings))
    common.write_results(report)
    sys.stdout.write(report + "\n")
    log("written to bench/RESULTS.md")
    return 0
