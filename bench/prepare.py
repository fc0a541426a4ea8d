"""Shared by `bench` and `load`: progress lines, and a site to measure."""

import sys
import time

from . import server


class Progress:
    """Prints "[  12.3s] message" lines as a run goes, flushed at once."""

    def __init__(self, name, stream=None):
        self.name = name
        self.stream = stream or sys.stdout
        self.start = time.monotonic()

    @property
    def elapsed(self):
        return time.monotonic() - self.start

    def __call__(self, message):
        print(
            f"[{self.name} {self.elapsed:6.1f}s] {message}",
            file=self.stream,
            flush=True,
        )


def prepare_site(database, *, treatments, comparisons, progress):
    """Set Django up on `database` (already created and empty), migrate,
    seed the real content, add a synthetic catalogue, refresh the planner's
    statistics and collect static files. Returns the synthetic Catalogue."""
    server.setup_django(database.url)
    from django.core.management import call_command
    from django.db import connection, connections

    from .catalogue import build

    progress(f"migrating {database.label} database {database.name}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed", verbosity=0)
    began = time.monotonic()
    catalogue = build(treatments, comparisons=comparisons)
    rows = sum(catalogue.counts.values())
    progress(
        f"built {len(catalogue.treatments)} published treatments "
        f"({rows} rows) in {time.monotonic() - began:.1f}s"
    )
    with connection.cursor() as cursor:
        # What autovacuum would have done by the time anyone reads the pages:
        # statistics, and on PostgreSQL the visibility map too (autovacuum
        # vacuums after inserts), without which a count that an index could
        # answer reads the whole table (12 ms instead of 2 at 10,000).
        cursor.execute(
            "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
        )
    call_command("collectstatic", interactive=False, verbosity=0)
    progress("static files collected")
    connections.close_all()
    return catalogue
