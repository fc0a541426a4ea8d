from django.db import models

from .base import NotContent

ONLY_ROW = 1


class CatalogueCountQuerySet(models.QuerySet):
    def current(self):
        """How many treatments the catalogue lists, as last recounted: one
        read of one row, however many there are."""
        stored = self.filter(pk=ONLY_ROW).values_list("treatments", flat=True)
        return next(iter(stored), 0)

    def store(self, treatments):
        """Store the count; whether it changed. Sends no signal (it is not
        content: the recount that calls this bumps what it must)."""
        if self.current() == treatments:
            return False
        self.bulk_create(
            [self.model(pk=ONLY_ROW, treatments=treatments)],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["treatments"],
        )
        return True


class CatalogueCount(models.Model):
    """How many treatments the catalogue lists (published, not baselines):
    one row, kept with the body areas' counts (BodyArea.treatment_count)
    by treatments/areas.py, so that no page counts the catalogue to say
    how many it holds.

    Derived, not content: its default manager is empty, so that backups
    (dumpdata) leave it out; a restore counts again. Read it through
    `objects.current()`.
    """

    treatments = models.PositiveIntegerField(default=0)

    not_content = NotContent()
    objects = CatalogueCountQuerySet.as_manager()

    class Meta:
        default_manager_name = "not_content"

    def __str__(self):
        return f"{self.treatments} treatments"
