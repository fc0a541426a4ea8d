import contextlib
import contextvars
import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime


class SeedRecord(models.Model):
    """A fixture record that `manage.py seed` loaded, and the record it became.

    The seed loads a fixture record once. After that the record belongs to
    the editors: the seed finds it here by the key the fixture gives it,
    even if an editor has since renamed, changed, unpublished or deleted it,
    and leaves it alone (see core/seeding.py).
    """

    model = models.CharField(max_length=100, help_text='E.g. "treatments.treatment".')
    key = models.CharField(
        max_length=500, help_text="The fixture's natural key for it, as JSON."
    )
    fixture = models.CharField(max_length=200, help_text="The fixture file's name.")
    object_id = models.CharField(
        max_length=64, help_text="The primary key of the record it became."
    )
    fields = models.JSONField(
        encoder=DjangoJSONEncoder,
        help_text="The fixture's fields as they were when loaded.",
    )
    state = models.JSONField(
        null=True,
        help_text="The record's fields just after loading, to tell whether an "
        "editor has changed it since; null if the record was already there.",
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model", "key"], name="core_seedrecord_unique_key"
            ),
        ]

    def __str__(self):
        return f"{self.model} {self.key}"


class ContentVersion(models.Model):
    """A single row, bumped in the same transaction as any change to the
    site's content (see core/caching.py).

    Cached pages are keyed by it, so a page cached before a change is never
    served after it, by any worker process, whatever the cache backend.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

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

        Raw SQL, compiled once: building the query through the ORM each time
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
        if isinstance(changed_at, str):  # SQLite keeps it as text, in UTC
            changed_at = parse_datetime(changed_at)
        if timezone.is_naive(changed_at):
            changed_at = timezone.make_aware(changed_at, datetime.UTC)
        return number, changed_at

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
        (core/scopes.py; by default SITE, which every page shows), in the
        caller's transaction. Workers that share a cache are told once it
        commits (core/versions.py)."""
        from . import versions  # which imports this module
        from .scopes import SITE

        if _bumps_muted.get():
            return
        scopes = sorted({SITE} if scopes is None else set(scopes))
        updated = cls.objects.filter(pk=1).update(
            number=F("number") + 1, changed_at=timezone.now()
        )
        if not updated:
            cls.objects.get_or_create(pk=1)
            cls.bump(scopes)
            return
        ContentScope.bump(scopes)
        versions.changing(scopes)
        transaction.on_commit(lambda: versions.changed(scopes))


# Set by ContentVersion.unchanged(), in this thread (or task) alone.
_bumps_muted = contextvars.ContextVar("content_version_bumps_muted", default=False)


class ContentScope(models.Model):
    """A number per scope of content (core/scopes.py), bumped with the
    content version by the changes that touch it: a cached page is served
    while the numbers of what it shows have not moved."""

    name = models.CharField(max_length=150, unique=True)
    number = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}: {self.number}"

    @classmethod
    def bump(cls, names):
        """One statement for any number of scopes: each is added at 1 or
        moved on by one. Both SQLite and PostgreSQL have this upsert."""
        if not names:
            return
        table = connection.ops.quote_name(cls._meta.db_table)
        rows = ", ".join(["(%s, 1)"] * len(names))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (name, number) VALUES {rows} "
                f"ON CONFLICT (name) DO UPDATE SET number = {table}.number + 1",
                list(names),
            )

    @classmethod
    def numbers(cls, names):
        """{name: number} of these scopes, 0 for one never bumped, in one
        query; EVERYTHING is the content version's number."""
        from .scopes import EVERYTHING

        names = sorted(set(names))
        found = dict.fromkeys(names, 0)
        if not names:
            return found
        scoped = [name for name in names if name != EVERYTHING]
        parts, params = [], []
        if scoped:
            table = connection.ops.quote_name(cls._meta.db_table)
            marks = ", ".join(["%s"] * len(scoped))
            parts.append(f"SELECT name, number FROM {table} WHERE name IN ({marks})")
            params += scoped
        if EVERYTHING in found:
            table = connection.ops.quote_name(ContentVersion._meta.db_table)
            parts.append(f"SELECT %s, number FROM {table} WHERE id = 1")
            params.append(EVERYTHING)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            found.update(cursor.fetchall())
        return found
