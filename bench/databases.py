"""
Scratch databases, apart from the one DATABASE_URL names.

On SQLite, a file in the project folder (`bench.sqlite3`, `load.sqlite3`;
gitignored), deleted before the run and left afterwards for inspection.
On PostgreSQL, a database on the same server named after the URL's own with
a suffix (`postgres` becomes `postgres_bench`), created for the run and
dropped after it. Only names this module made, ending in `_bench` or
`_load`, are ever dropped.
"""

import contextlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

PROJECT = Path(__file__).resolve().parent.parent
SUFFIXES = {"bench", "load"}
NEVER_DROP = {"postgres", "test_postgres", "template0", "template1"}


@dataclass(frozen=True)
class ScratchDatabase:
    url: str  # the scratch database, as a DATABASE_URL
    server_url: str  # how to reach the server to create and drop it
    engine: str  # "sqlite" or "postgresql"
    name: str  # file path or database name

    @property
    def label(self):
        return "postgresql" if self.engine == "postgresql" else "sqlite"


def scratch_database(base_url, suffix):
    """The scratch database for `base_url` (empty: SQLite) and `suffix`."""
    if suffix not in SUFFIXES:
        raise ValueError(f"suffix must be one of {sorted(SUFFIXES)}")
    if not base_url or base_url.startswith("sqlite"):
        path = PROJECT / f"{suffix}.sqlite3"
        return ScratchDatabase(f"sqlite:///{path}", "", "sqlite", str(path))
    config = dj_database_url.parse(base_url)
    if "postgresql" not in config["ENGINE"]:
        raise ValueError(f"only SQLite and PostgreSQL are supported, not {base_url}")
    name = f"{config['NAME'] or 'postgres'}_{suffix}"
    parts = urlsplit(base_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    return ScratchDatabase(url, base_url, "postgresql", name)


def _check_name(database):
    suffix = database.name.rsplit("_", 1)[-1]
    if suffix not in SUFFIXES or database.name in NEVER_DROP:
        raise RuntimeError(f"refusing to create or drop {database.name!r}")


def _postgres(database, *statements):
    import psycopg
    from psycopg import sql

    _check_name(database)
    with psycopg.connect(database.server_url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(sql.SQL(statement).format(sql.Identifier(database.name)))


def create(database):
    """An empty scratch database, replacing any left by an interrupted run."""
    if database.engine == "sqlite":
        _remove_sqlite(database.name)
        return
    _postgres(
        database,
        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
        "CREATE DATABASE {}",
    )


def drop(database):
    """Drop a PostgreSQL scratch database; a SQLite file stays for inspection."""
    if database.engine == "postgresql":
        _postgres(database, "DROP DATABASE IF EXISTS {} WITH (FORCE)")


@contextlib.contextmanager
def scratch(database, keep=False):
    """Create the database, and drop it afterwards however the block ends."""
    create(database)
    try:
        yield database
    finally:
        if not keep:
            from django.conf import settings

            if settings.configured:
                from django.db import connections

                connections.close_all()
            drop(database)


def _remove_sqlite(path):
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)
