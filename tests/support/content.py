"""The site's real content, seeded once per test module, and other content
made once for a module's tests."""

import io
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase

# The fixtures that hold content for several tests, each with its rank in
# the order a module's tests run (tests/conftest.py): first those that need
# an empty database, then those that share content made once for them
# (made_once), then those that need the seeded content, then those that
# share content made once on the seeded content.
SHARED_CONTENT = {"seeded": 2, "seeded_module": 2}


@contextmanager
def kept_for_the_module(django_db_blocker):
    """A transaction for content shared by a module's (or a class's) tests,
    rolled back after the last of them. Each test runs in a savepoint inside
    it (pytest-django's `db`), so what a test changes is undone after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def made_once(
    build=None,
    *,
    scope="module",
    params=None,
    ids=None,
    committed=False,
    after=(),
):
    """A fixture named after `build`, of `scope` ("module" or "class"):
    what `build` makes (given each of `params`, if any: one after the other,
    the tests of each together), made once for the tests that ask for it
    instead of once per test, and rolled back after the last of them. What
    the making leaves for its commit never runs, as in a test of its own;
    with `committed`, it runs at the end, as in the `committed` fixture.
    `after`: the fixtures (of a scope as wide) whose content it is made on,
    such as "seeded_module"; its tests then run after theirs."""

    def fixture_of(build):
        @pytest.fixture(scope=scope, params=params, ids=ids, name=build.__name__)
        def made(request, django_db_setup, django_db_blocker):
            for name in after:
                request.getfixturevalue(name)
            with kept_for_the_module(django_db_blocker):
                with TestCase.captureOnCommitCallbacks(execute=committed):
                    made = build(request.param) if params else build()
                yield made

        SHARED_CONTENT[build.__name__] = 1 + max(
            (SHARED_CONTENT[name] for name in after), default=0
        )
        return made

    return fixture_of(build) if build else fixture_of


def seed():
    """`manage.py seed --strict`, in the transaction open. What the seed
    leaves for its commit (the body areas' counts, see treatments/areas.py)
    runs at its end: the transaction never commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed", "--strict", verbosity=0)


class SeededRows:
    """What the seed writes, kept by each test process (SQLite) after its
    first seed, and written again as it is for the next module instead of
    seeding again (0.05 s instead of 0.6 s).

    Kept: the rows, as they are after the seed, of every table the seed
    changed (SQLite's table of the last ids given out included). Written
    again only into the database the seed started from (every table as it
    was then: the migrated, empty database); into any other (after a test
    that emptied the database, say), the seed runs, and what it writes
    there is kept instead. On PostgreSQL the seed always runs: its triggers
    (the search entries) would write rows of their own."""

    kept = None  # {table: (columns, rows)}
    start = None  # every table before the seed that was kept

    @classmethod
    def seed(cls):
        if connection.vendor != "sqlite":
            seed()
            return
        before = tables()
        if before == cls.start:
            write(cls.kept)
            return
        seed()
        after = tables()
        cls.start = before
        cls.kept = changed_tables(before, after)


def tables():
    """{table: (columns, rows in id order)} of the whole database (SQLite)."""
    found = {}
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor) + ["sqlite_sequence"]
        for table in names:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = tuple(column[0] for column in cursor.description)
            found[table] = (columns, tuple(sorted(cursor.fetchall(), key=repr)))
    return found


def changed_tables(before, after):
    """The tables of `after` (tables()) whose rows differ from `before`'s,
    as they are in `after`."""
    return {
        table: rows
        for table, rows in after.items()
        if set(rows[1]) != set(before.get(table, ((), ()))[1])
    }


def write(kept):
    """Each table in `kept` as it was kept, in the transaction open."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, (columns, rows) in kept.items():
            cursor.execute(f"DELETE FROM {quote(table)}")
            if rows:
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    rows,
                )


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """The fixtures, seeded once for the module (kept_for_the_module)."""
    with kept_for_the_module(django_db_blocker):
        SeededRows.seed()
        yield


@pytest.fixture
def seeded(seeded_module, db):
    """The site's real content, loaded the way `make run` loads it."""


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(): a block whose on-commit work runs at its end, as if it
    had committed (the test's own transaction never does): the recount of
    the stored counts of the catalogue and its body areas
    (treatments/areas.py), which pages read instead of counting."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def content_types_known(db):
    """Django keeps content types for the life of the process: the first
    request in a process to show change notes reads them once, later ones
    never. Exact query counts are per request, so read them first."""
    ContentType.objects.get_for_models(*apps.get_models())


def dump_content(apps=("treatments", "comparisons")):
    """The content as docs/operations.md's backup command writes it: natural-key
    JSON of the content apps."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        *apps,
        natural_foreign=True,
        natural_primary=True,
        indent=2,
        stdout=out,
    )
    return out.getvalue()


def published_pages():
    """The address of every published page with "About this information":
    each published treatment's, each published curated comparison's, and
    the same treatments compared by a reader's own choice and printed."""
    from comparisons.models import Comparison
    from treatments.models import Treatment

    pages = [t.get_absolute_url() for t in Treatment.objects.published()]
    for comparison in Comparison.objects.published().for_page():
        chosen = "&".join(
            f"treatments={item.treatment.slug}" for item in comparison.items.all()
        )
        pages += [
            comparison.get_absolute_url(),
            f"/compare/?{chosen}",
            f"/compare/summary/?{chosen}",
        ]
    return pages


def published_reports(client):
    """{address: (its "About this information", the record its review dates
    are read from)} of every published page (published_pages())."""
    found = {}
    for path in published_pages():
        context = client.get(path).context
        found[path] = (
            context["quality"],
            context.get("treatment") or context["reviewed"],
        )
    return found
