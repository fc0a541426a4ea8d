"""
`python -m bench.admin`: the admin's home page ("Needs attention", the
review queue of editorial/queue.py) at each catalogue size, as a publisher
sees it, in a scratch database (bench/common.py; the spread catalogue of
bench/catalogue.py).

For each size in BENCH_TREATMENTS (1000; "1000,10000" measures both): how
long `manage.py restate_quality` takes to work out every page's failing
lines (bench/catalogue.py writes in bulk, so leaves them to it), the
queries of one request and, on PostgreSQL, what each costs the database
(EXPLAIN ANALYZE: its time, the indexes it uses, the tables it reads
whole), and the server time of BENCH_REPS requests (20) at p50 and p95,
with this process's CPU time. Admin pages are never
cached, so every request is cold. Figures are printed, never asserted;
bench/RESULTS.md keeps them by hand ("Notes kept by hand").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<yours> \\
        BENCH_TREATMENTS=1000,10000 .venv/bin/python -m bench.admin
"""

import os
import sys
import time

from . import common
from .common import log

PATH = "/admin/"


def signed_in_client():
    """A test Client signed in with both factors as a publisher with every
    permission (core/signin.py), as tests/support/admin.py signs in."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_superuser("bench-admin", password=None)
    device = TOTPDevice.objects.create(user=user, name="Bench app")
    client = Client(HTTP_HOST=common.HOST)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def restate_all():
    """The synthetic catalogue is written in bulk, which sends no signals:
    work out the lines of "About this information" each page fails, as
    saves would have (`manage.py restate_quality`). Returns the seconds."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        # Not a page: no limit on waiting, as for building (common.py).
        connection.ensure_connection()
        connection.connection.answer_timeout = None
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
    began = time.monotonic()
    call_command("restate_quality", "--unknown", verbosity=0)
    took = time.monotonic() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after so many writes
    connection.close()  # the pages on a connection with the limits
    return took


def measure(client, reps):
    from django.db import connection

    def get():
        response = client.get(PATH)
        if response.status_code != 200:
            raise RuntimeError(f"{PATH} answered {response.status_code}")
        return response

    get()  # what a process reads once (content types, templates)
    # Kept as they run: the request closes its connection at the end.
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, params, *args: (
            queries.append((sql, params)) or execute(sql, params, *args)
        )
    ):
        body = get().content
    times, cpu = [], []
    for _ in range(reps):
        began, began_cpu = time.perf_counter(), time.process_time()
        get()
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return queries, times, cpu, len(body)


def plans(queries):
    """What the database does for each query of the page (PostgreSQL:
    EXPLAIN ANALYZE): its time, the indexes it uses, the tables it reads
    whole; as lines."""
    from django.db import connection

    from .benchmark import plan_summary

    if connection.vendor != "postgresql":
        return []
    lines = []
    with connection.cursor() as cursor:
        for sql, params in queries:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN ANALYZE " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
            took = next(
                (line.split(":")[1].strip() for line in plan if "Execution" in line),
                "?",
            )
            short = sql if len(sql) < 100 else sql[:97] + "…"
            lines.append(f"- {took}; {plan_summary(plan)}: `{short}`")
    return lines


def percentile(values, point):
    ordered = sorted(values)
    rank = (len(ordered) - 1) * point / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def run():
    base_url = os.environ.get("DATABASE_URL", "")
    sizes = sorted(
        int(n) for n in os.environ.get("BENCH_TREATMENTS", "1000").split(",")
    )
    reps = int(os.environ.get("BENCH_REPS", "20"))
    rows = []
    for size in sizes:
        with common.scratch_database(base_url, "bench") as url:
            log(f"{size:,}: migrating, seeding and building {url}")
            common.prepare_site(url, size, comparisons=20)
            restate_seconds = restate_all()
            log(f"{size:,}: lines of every page worked out in {restate_seconds:.1f} s")
            client = signed_in_client()
            queries, times, cpu, size_bytes = measure(client, reps)
            for line in plans(queries):
                log(line)
            row = (
                f"| {size:,} | {len(queries)} | {percentile(times, 50):.1f} / "
                f"{percentile(times, 95):.1f} | {percentile(cpu, 50):.1f} | "
                f"{size_bytes / 1e3:.1f} |"
            )
            log(row)
            rows.append(row)
            about = (
                f"{common.database_version()}; {common.machine()}; commit "
                f"{common.git_commit()}; load average {os.getloadavg()[0]:.2f}"
            )
    sys.stdout.write(
        "\n| treatments | queries | ms p50 / p95 | CPU ms p50 | HTML KB |\n"
        "| --- | --- | --- | --- | --- |\n" + "\n".join(rows) + f"\n\n{about}\n"
    )


if __name__ == "__main__":
    run()
