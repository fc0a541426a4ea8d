"""
What the catalogue's models share.

Every fact shown on the site cites the Source it comes from and where in that
source it sits (`CitedModel`). A text left blank means the source does not
say; templates show "Not stated in its source" for it, never a guess.
"""

from django.db import models

NOT_STATED = "Not stated in its source"
# The value of every "not stated" choice, whatever the field.
NOT_STATED_CHOICE = "not-stated"


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


class CitedModel(models.Model):
    """A fact, with the source it comes from and where in the source it sits."""

    source = models.ForeignKey("treatments.Source", on_delete=models.PROTECT)
    source_location = models.CharField(
        "where in the source",
        max_length=200,
        help_text='Where the fact sits in the source, e.g. "paragraph 5".',
    )

    class Meta:
        abstract = True
