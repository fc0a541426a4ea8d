"""
Benchmark and load test for the site (issues 5, 6 and 14), run as
`python -m bench bench|load` by `make bench` and `make load` (add `--keep`
to keep the scratch database for a look afterwards).

`make bench` builds, in a scratch database, the seeded content plus a
synthetic catalogue (bench/catalogue.py) of each size in BENCH_TREATMENTS
(1000; "1000,10000" measures both), in each of two shapes (issue 20):
spread over 40 body areas, and dense, with most treatments in one area
tree as a real catalogue has them. For every page kind it measures in
process: queries per request cold and warm, server time cold (every cache
emptied first) and warm at p50 and p95, the process's CPU time per cold
request (which others' work on the shared machine barely moves), the SQL
time and slowest query of a cold request with what its plan reads, and
the HTML, CSS and JavaScript bytes with gzip. At the largest size it also
EXPLAINs the catalogue filtered by its largest body area and, in the
first catalogue only (cached pages are the same in both), measures under
gunicorn with wrk each cached page's requests per second beside /healthz,
then the workers' memory over a run of requests after those (at lower
concurrency, so that it finds what a worker keeps rather than a new peak).
It flags issue 5's targets at every size and issue 14's growth targets
from the smallest size to the largest, in each catalogue, and writes
bench/RESULTS.md.

`make load` is described in bench/load.py.

Scratch databases: `<size>_bench.sqlite3` (one per size, built before any is
measured: the sizes of a catalogue are measured side by side, their cold
requests alternating) / `load.sqlite3` in the project folder
(kept for inspection), or `<name>_<size>_bench` / `<name>_load` on the PostgreSQL
server DATABASE_URL names, created through that database (which must exist) and dropped
afterwards; no other name is ever dropped. gunicorn runs on a free loopback
port and is always stopped. Both write static files into staticfiles/
(collectstatic): do not run the test suite in the same folder meanwhile.

Settings (environment): BENCH_TREATMENTS (1000), BENCH_CATALOGUES
("spread,dense", either or both, in that order), BENCH_REPS (100 requests
per page and mode, fewer past BENCH_BUDGET, 3 s), BENCH_RATE_SECONDS (3),
BENCH_RATE_ROUNDS (3), BENCH_CONNECTIONS (16), BENCH_MEMORY_SECONDS (20);
LOAD_SECONDS (60) for `make load`. Figures are printed, never asserted.
"""
