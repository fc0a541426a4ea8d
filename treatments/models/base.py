"""
What the catalogue's models share.

Every fact shown on the site cites the Source it comes from and where in that
source it sits (`CitedModel`). A text left blank means the source does not
say; templates show `NOT_STATED` for it, never a guess.
"""

from django.db import models

from core.cache import LISTS, NAMES, record_scope

# The one wording of a silence, on every page, table, timeline and summary
# (docs/content.md): where a source says nothing, the site says this.
NOT_STATED = "The source does not say"
# The value of every "not stated" choice, whatever the field.
NOT_STATED_CHOICE = "not-stated"


class NotContent(models.Manager):
    """No records: what dumpdata and loaddata see of a table that is not
    content (dumpdata reads a model's default manager)."""

    def get_queryset(self):
        return super().get_queryset().none()


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class NaturalKeyByTreatmentQuerySet(models.QuerySet):
    """For facts whose natural key is the treatment's slug and one field."""

    natural_key_field = None

    def get_by_natural_key(self, treatment_slug, *rest):
        lookups = {"treatment__slug": treatment_slug}
        if self.natural_key_field:
            lookups[self.natural_key_field] = rest[0]
        return self.get(**lookups)


class TreatmentFact:
    """A fact of one treatment: a change to it touches that treatment's
    page, the comparisons that show it and the lists (core/cache/keys.py)."""

    # Whether the fact decides where the treatment is offered (its areas).
    names_treatment = False

    def cache_scopes(self, *, deleted=False):
        scopes = {record_scope("treatments.treatment", self.treatment_id), LISTS}
        if self.names_treatment:
            scopes.add(NAMES)
        return scopes


class CitedModel(models.Model):
    """A fact, with the source it comes from and where in the source it sits.

    A fact of a treatment cites the treatment's own source unless it names
    another: left without one, it takes the treatment's when it is checked
    or saved (`cites_from` names the record to take it from). Where in the
    source is optional; the page then cites the source alone.
    """

    source = models.ForeignKey("treatments.Source", on_delete=models.PROTECT)
    source_location = models.CharField(
        "where in the source",
        max_length=200,
        blank=True,
        help_text='Where the fact sits in the source, e.g. "paragraph 5"; optional.',
    )

    # The foreign key whose record's source a fact takes if it names none.
    cites_from = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.take_parent_source()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Before the fields are checked, so that a missing source is filled
        # rather than refused (an import names the treatment, not always a
        # source).
        self.take_parent_source()
        super().clean_fields(exclude)

    def take_parent_source(self):
        if self.source_id is not None or self.cites_from is None:
            return
        field = self._meta.get_field(self.cites_from)
        if getattr(self, field.attname) is not None:
            self.source_id = getattr(self, self.cites_from).source_id
