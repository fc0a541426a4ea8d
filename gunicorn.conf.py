"""
gunicorn's settings, read by `gunicorn config.wsgi` from this folder.

Worker class and count, for the 2-core machines we run on: gthread, 3
processes of 4 threads. Rendering a page is CPU-bound Python, so processes
beyond the number of cores add little; one more than the cores keeps a core
busy while another process is in a garbage collection or a slow query.
Threads cover the time a request waits on the database, the cache or a slow
client, without the memory of more processes. gthread is also the worker
behind Django's entries in public framework benchmarks.

WEB_CONCURRENCY and GUNICORN_THREADS override the counts.

Forwarded headers (X-Forwarded-Proto and the like) are trusted only behind
a proxy, as Django trusts them (DJANGO_PROXY_COUNT; see config/settings.py):
gunicorn's own default trusts them from anyone on 127.0.0.1, which let a
local client make a plain HTTP request look like HTTPS.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Recycle a worker now and then, spread out, as a guard against slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
keepalive = 5
# Behind DJANGO_PROXY_COUNT proxies every connection comes from them, so any
# peer may set the scheme (FORWARDED_ALLOW_IPS narrows it to their
# addresses); with no proxy, no one may.
behind_proxy = int(os.environ.get("DJANGO_PROXY_COUNT") or 0) > 0
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*") if behind_proxy else ""
# A worker that stops answering gunicorn's heartbeat for this long is killed
# and replaced. Requests themselves are bounded well within it: the database
# and Redis have timeouts of a few seconds (docs/operations.md, "When things fail").
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", None)
errorlog = "-"
# Load the app before forking: workers share its memory and start faster.
preload_app = True


# Garbage collection (Python's documentation of gc.freeze()): before each
# fork the master collects its garbage and freezes what is left, so that
# the app's few hundred thousand long-lived objects (Django, the site, the
# readability formula's dictionary: config/wsgi.py) are never walked by a
# worker's full collections, which took 100 to 200 ms each with them, nor
# copied into each worker by the collector touching them. Each worker
# collects as usual over what it makes itself. (The documentation also
# disables collection while the app loads, for fewer holes in the shared
# memory; that would have to happen here, at import, where `make bench`
# and the tests read these settings too.)
def pre_fork(server, worker):
    gc.collect()
    gc.freeze()
