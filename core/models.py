from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


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


# Kept in core/cache, imported so that Django finds them.
from .cache.models import ContentScope, ContentVersion  # noqa: E402, F401
