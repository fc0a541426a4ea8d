"""
The public prose: every field whose text the public reads as sentences,
in one registry, and a page's reading age from it.

Each content app declares its own fields in its AppConfig, in the order
its pages show them (as it declares its fixtures' natural keys):

    public_prose = {"treatment": ["summary", "how_it_works", ...], ...}

Everything that measures public text reads this registry, so they cannot
disagree: a page's "About this information" (treatments/quality.py), the
reading age under each of these fields on the admin's forms and the
stored reading age its lists show and filter on (editorial/admin.py),
`manage.py reading_levels`, and the test of the seeded content. A text
added to a page is measured once its field is named here.

The few words a comparison leads with ("Usually a doctor", at most 80
characters) are short answers, not sentences: they are not registered,
and not measured. Names and titles are not prose either.

A page's reading (PageReading) is the median reading age of its texts
that are long enough to measure (editorial/readability.py) and how many
of them are too hard. A page whose lists filter on it (a treatment, a
comparison) stores it (Readable), so that a list's column and filter
read a field, not every record's texts. Its app restates it when the
transaction that saved or deleted one of its texts commits
(core/aftercommit.py): once however many texts an admin save, an
import or the seed changed, and never for an edit made in a transaction
that is rolled back (a change kept waiting for a publisher, a preview).
"""

import statistics
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from django.utils.text import capfirst

from . import readability


@cache
def registry():
    """{model: (field name, ...)} of every app's public prose."""
    found = {}
    for config in apps.get_app_configs():
        for model_name, names in getattr(config, "public_prose", {}).items():
            found[config.get_model(model_name)] = tuple(names)
    return found


def fields_of(model):
    """The public prose fields of `model`, in the order its page shows
    them; none for a model that has none."""
    return registry().get(model._meta.concrete_model, ())


def is_prose(model, name):
    return name in fields_of(model)


def label(model, name):
    """ "How it works": the field's name as the admin labels it."""
    return capfirst(model._meta.get_field(name).verbose_name)


def texts_of(record):
    """(field name, text) of each public text of `record` that is not
    blank."""
    found = [(name, getattr(record, name)) for name in fields_of(type(record))]
    return [(name, text) for name, text in found if text and text.strip()]


def public(model):
    """The records of `model` the public can read: published ones; for a
    fact of a publishable record (a side effect of a treatment), those of
    published records; for anything else, all."""
    manager = model._default_manager
    if hasattr(manager, "published"):
        return manager.published()
    for field in model._meta.concrete_fields:
        if field.many_to_one and hasattr(
            field.related_model._default_manager, "published"
        ):
            published = field.related_model._default_manager.published()
            return manager.filter(**{f"{field.name}__in": published.values("pk")})
    return manager.all()


def public_texts():
    """(record, field name, text) of every public text, model by model."""
    for model in registry():
        for record in public(model).order_by("pk"):
            for name, text in texts_of(record):
                yield record, name, text


@dataclass(frozen=True)
class PageReading:
    """What the formula makes of a page's texts."""

    median: float | None  # None: none long enough to measure
    measured: int
    too_hard: int  # above CEILING_AGE, or with a sentence too long

    @property
    def met(self):
        """At the target: the median at TARGET_AGE or under, and none too
        hard. A page with nothing to measure is not above it."""
        if self.median is None:
            return True
        return self.median <= readability.TARGET_AGE and not self.too_hard


def page_reading(readings):
    """The PageReading of these Readings (None for a text too short)."""
    measured = [reading for reading in readings if reading is not None]
    if not measured:
        return PageReading(None, 0, 0)
    return PageReading(
        median=round(statistics.median(r.age for r in measured), 1),
        measured=len(measured),
        too_hard=sum(1 for r in measured if r.too_hard),
    )


class ReadableQuerySet(models.QuerySet):
    def above_target(self):
        return self.filter(
            models.Q(reading_age__gt=readability.TARGET_AGE)
            | models.Q(texts_too_hard__gt=0)
        )

    def on_target(self):
        return self.filter(reading_age__lte=readability.TARGET_AGE, texts_too_hard=0)


class Readable(models.Model):
    """A page whose reading is stored, for its list's column and filter.

    Derived, not content: not in fixtures, backups or the edit history
    (serialize=False), never edited (editable=False); restated by its app
    whenever one of its texts is saved or deleted (store())."""

    # The median reading age of the page's texts; None when none is long
    # enough to measure.
    reading_age = models.FloatField(
        "reading age", null=True, editable=False, serialize=False
    )
    # How many of them read above CEILING_AGE or have a sentence too long.
    texts_too_hard = models.PositiveSmallIntegerField(
        "texts too hard", default=0, editable=False, serialize=False
    )

    class Meta:
        abstract = True

    def reading(self):
        """The stored PageReading (its count of texts measured is not kept)."""
        return PageReading(self.reading_age, 0, self.texts_too_hard)


def store(model, pk, reading):
    """Keep a page's PageReading on it. An UPDATE: no signals, no new
    content version (the public pages measure their texts themselves)."""
    model._default_manager.filter(pk=pk).update(
        reading_age=reading.median, texts_too_hard=reading.too_hard
    )
