"""
Work gathered during a transaction and done once when it commits.

`gather(func, keys)` from a signal handler: when the current transaction
commits (at once outside one), `func(keys)` runs once with every key
gathered for it in that transaction: an admin save with its inlines, an
import or the seed costs one call, not one per record. The handler itself
runs no query, so a request's query count does not change with it.

As treatments/areas.py's recount: each call registers a callback, and the
first to run after the commit takes everything gathered; the others find
nothing to do. (Registering once would lose the work if the savepoint that
registered it rolled back.) Keys gathered in a transaction that rolled back
are done with the next one: the work reads the database as committed, so
doing it for a record that did not change only writes what is already
there. `robust`: the edit is committed already; a failure is logged, and
the next change, or the command that redoes it all, puts it right.
"""

from django.db import transaction


def gather(func, keys, using=None):
    """Run `func(keys)` once after the commit, with these keys (at least
    one) among them."""
    connection = transaction.get_connection(using)
    pending = connection.__dict__.setdefault("gathered_after_commit", {})
    pending.setdefault(func, set()).update(keys)

    # A function, not a functools.partial: Django names a robust callback
    # that fails by its __qualname__ when it logs the failure.
    def run():
        keys = connection.__dict__.get("gathered_after_commit", {}).pop(func, None)
        if keys:
            func(keys)

    transaction.on_commit(run, using=using, robust=True)
