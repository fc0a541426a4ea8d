"""
Benchmark and load test for the site (issues 5 and 6): shared pieces.

- catalogue: a large synthetic catalogue, built with bulk_create
- databases: scratch databases beside the configured one (_bench, _load)
- server: the production environment, gunicorn start/stop, worker memory
- loadgen: wrk, and a Python keep-alive load generator
- stats: percentiles
- prepare: progress lines; migrate, seed, build, collectstatic
"""
