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
"""

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
timeout = 30
graceful_timeout = 20
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", None)
errorlog = "-"
# Load the app before forking: workers share its memory and start faster.
preload_app = True
