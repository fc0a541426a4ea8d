"""
Benchmark and load test for the site (issues 5 and 6).

    make bench                  # on SQLite: bench.sqlite3 in the project folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench
                                # on PostgreSQL: a postgres_bench database
    make load                   # PostgreSQL: a postgres_load database, 60 s
    LOAD_SECONDS=20 make load

`make bench` builds a large synthetic catalogue (1,000 published treatments,
40 nested body areas, 10 side effects and 6 milestones each, curated
comparisons of 2 and 4) in a scratch database, then measures every page
kind: queries per request, server time with a cold and a warm cache (in
process, with Django's test Client), HTML, CSS and JavaScript bytes, gzip;
requests per second under gunicorn beside /healthz (wrk); the gunicorn
workers' memory before and after 10,000 requests; and EXPLAIN of the
filtered catalogue. It prints one markdown table with each target met or
missed and writes it to bench/results-<database>.md. Figures are printed,
never asserted.

`make load` runs 32 keep-alive clients against the catalogue, a treatment
page and a comparison under gunicorn while an editor saves a treatment's
summary through the admin every 0.2 s, then checks that every edit was
kept and shown. Its exit status is 1 on any error.

Scratch databases are created and dropped by the run (a SQLite file is
kept for inspection); only names ending in _bench or _load are ever
dropped. gunicorn runs on a free loopback port and is always stopped.

Modules, each used by both commands where it applies:

- catalogue: the synthetic catalogue, built with bulk_create
- databases: scratch database names, creating and dropping them
- server: the production environment, gunicorn start/stop, worker memory
- loadgen: wrk, and a Python keep-alive load generator
- stats: percentiles
- prepare: progress lines; migrate, seed, build, collectstatic
- pages: the page kinds, measured in process
- editor: an admin editor over HTTP (login, change form round trip)
- benchmark, loadtest, machine: the two commands and their reports

Settings for `bench` (environment, all optional): BENCH_TREATMENTS (1000),
BENCH_REPS (100 requests per page and mode, fewer for a page that takes
more than BENCH_BUDGET, 3 s), BENCH_RATE_SECONDS (3 per page and round),
BENCH_RATE_ROUNDS (3), BENCH_RATE_CONNECTIONS (16), BENCH_MEMORY_REQUESTS (10000),
BENCH_MEMORY_SECONDS (120) and BENCH_DEADLINE (270 s after the start):
the memory run stops at the earlier, so that the whole run ends within
five minutes even where pages are slow.
"""
