import reversion
from django.db import models

from .base import SlugQuerySet


@reversion.register()
class Source(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Blank if the source does not name one."
    )
    author = models.CharField(
        max_length=200, blank=True, help_text="Blank if the source does not name one."
    )
    url = models.URLField("address", max_length=500, blank=True)
    date_updated = models.DateField(
        null=True, blank=True, help_text="As the source gives it; blank if it has none."
    )
    notes = models.TextField(
        blank=True,
        help_text="What readers should know about this source, such as what it "
        "leaves out.",
    )

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)
