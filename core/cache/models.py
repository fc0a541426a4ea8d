"""
The numbers cached pages are checked against, and what the front caches
have still to purge.

Both models are the core app's (core/models.py imports them, so that
Django finds them). Each row says where a scope is (`number`), when it last
moved (`changed_at`: a page's Last-Modified) and up to which number the
front caches have purged its key (`purged_number`): a change moves
`number` in its own transaction, so a purge that has not been sent yet is
never lost, whatever happens after the commit (core/cache/purge.py).
"""

import contextlib
import contextvars
import datetime

from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .keys import EVERYTHING, SITE


def as_datetime(value):
    """A datetime read by raw SQL: SQLite gives text, naive, in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


class ContentVersion(models.Model):
    """A single row, bumped in the same transaction as any change to the
    site's content: the scope EVERYTHING (core/cache/keys.py).

    Cached pages are checked against it, so a page cached before a change
    is never served after it, by any worker process, whatever the cache
    backend.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)
    purged_number = models.BigIntegerField(
        default=0, help_text="The number up to which front caches were purged."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1), name="core_contentversion_single_row"
            )
        ]

    def __str__(self):
        return f"Content version {self.number}"

    @classmethod
    def current(cls):
        """(number, changed_at) of the one row, on every cached request.

        Raw SQL, one short string: building the query through the ORM each time
        cost more than the rest of serving a cached page.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, changed_at FROM {table} WHERE id = 1")
            row = cursor.fetchone()
        if row is None:  # a flushed database: the migration's row is gone
            version = cls.objects.get_or_create(pk=1)[0]
            return version.number, version.changed_at
        number, changed_at = row
        return number, as_datetime(changed_at)

    @classmethod
    @contextlib.contextmanager
    def unchanged(cls):
        """Within it, saves bump nothing: for work that is rolled back (an
        import's preview, editorial/imports.py). A bump would hold this
        row's lock until the rollback, making every other editor's save
        wait, and tell the page caches of a change that never happens."""
        token = _bumps_muted.set(True)
        try:
            yield
        finally:
            _bumps_muted.reset(token)

    @classmethod
    def bump(cls, scopes=None):
        """A new number, and new numbers for the scopes the change touches
        (by default SITE, which every page shows), in the caller's
        transaction. Once it commits, workers that share a cache are told
        (core/cache/versions.py) and the front caches are purged
        (core/cache/purge.py)."""
        from . import purge, versions  # which import this module

        if _bumps_muted.get():
            return
        scopes = sorted({SITE} if scopes is None else set(scopes))
        now = timezone.now()
        updated = cls.objects.filter(pk=1).update(
            number=F("number") + 1, changed_at=now
        )
        if not updated:
            cls.objects.get_or_create(pk=1)
            cls.bump(scopes)
            return
        ContentScope.bump(scopes, now)
        versions.changing(scopes)
        transaction.on_commit(lambda: versions.changed(scopes))
        # After the shared numbers: a front cache that asks again at once
        # gets the new page.
        transaction.on_commit(purge.sender.wake)


# Set by ContentVersion.unchanged(), in this thread (or task) alone.
_bumps_muted = contextvars.ContextVar("content_version_bumps_muted", default=False)


class ContentScope(models.Model):
    """A number per scope of content (core/cache/keys.py), bumped with the
    content version by the changes that touch it: a cached page is served
    while the numbers of what it shows have not moved."""

    name = models.CharField(max_length=150, unique=True)
    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)
    purged_number = models.BigIntegerField(
        default=0, help_text="The number up to which front caches were purged."
    )

    def __str__(self):
        return f"{self.name}: {self.number}"

    @classmethod
    def bump(cls, names, now=None):
        """One statement for any number of scopes: each is added at 1 or
        moved on by one. Both SQLite and PostgreSQL have this upsert."""
        if not names:
            return
        table = connection.ops.quote_name(cls._meta.db_table)
        at = connection.ops.adapt_datetimefield_value(now or timezone.now())
        rows = ", ".join(["(%s, 1, %s, 0)"] * len(names))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (name, number, changed_at, purged_number) "
                f"VALUES {rows} ON CONFLICT (name) DO UPDATE SET "
                f"number = {table}.number + 1, changed_at = excluded.changed_at",
                [value for name in names for value in (name, at)],
            )

    @classmethod
    def numbers(cls, names):
        """{name: (number, changed_at as a timestamp)} of these scopes, in
        one query; (0, 0.0) for one never bumped. EVERYTHING is the content
        version."""
        names = sorted(set(names))
        found = dict.fromkeys(names, (0, 0.0))
        if not names:
            return found
        scoped = [name for name in names if name != EVERYTHING]
        parts, params = [], []
        if scoped:
            table = connection.ops.quote_name(cls._meta.db_table)
            marks = ", ".join(["%s"] * len(scoped))
            parts.append(
                f"SELECT name, number, changed_at FROM {table} WHERE name IN ({marks})"
            )
            params += scoped
        if EVERYTHING in found:
            table = connection.ops.quote_name(ContentVersion._meta.db_table)
            parts.append(f"SELECT %s, number, changed_at FROM {table} WHERE id = 1")
            params.append(EVERYTHING)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for name, number, changed_at in cursor.fetchall():
                found[name] = (number, as_datetime(changed_at).timestamp())
        return found

    @classmethod
    def unpurged(cls):
        """({key: number} the front caches have not been purged of yet, the
        time the oldest of them changed or None), in one query."""
        scopes = connection.ops.quote_name(cls._meta.db_table)
        version = connection.ops.quote_name(ContentVersion._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT name, number, changed_at FROM {scopes} "
                "WHERE number > purged_number UNION ALL "
                f"SELECT %s, number, changed_at FROM {version} "
                "WHERE id = 1 AND number > purged_number",
                [EVERYTHING],
            )
            rows = cursor.fetchall()
        oldest = min((as_datetime(row[2]) for row in rows), default=None)
        return {name: number for name, number, _at in rows}, oldest

    @classmethod
    def mark_purged(cls, numbers):
        """The front caches were purged of these keys at these numbers: a
        change made since keeps its scope unpurged."""
        scopes = connection.ops.quote_name(cls._meta.db_table)
        version = connection.ops.quote_name(ContentVersion._meta.db_table)
        rows = [(number, name, number) for name, number in numbers.items()]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {scopes} SET purged_number = %s "
                "WHERE name = %s AND purged_number < %s",
                [row for row in rows if row[1] != EVERYTHING],
            )
            if EVERYTHING in numbers:
                number = numbers[EVERYTHING]
                cursor.execute(
                    f"UPDATE {version} SET purged_number = %s "
                    "WHERE id = 1 AND purged_number < %s",
                    [number, number],
                )
