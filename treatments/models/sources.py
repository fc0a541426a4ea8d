import reversion
from django.db import models

from .base import SlugQuerySet


@reversion.register()
class Source(models.Model):
    class Kind(models.TextChoices):
        """What kind of publication it is: how strong the evidence it can
        give is follows from this (treatments/evidence.py), never from a
        score."""

        GENERAL_INTEREST = "general-interest-article", "General-interest article"
        ADVERTISING_FUNDED = (
            "advertising-funded-article",
            "Advertising-funded article (sponsored content or an advertorial)",
        )
        PROVIDER = "provider-information", "A clinic's or maker's own information"
        PEER_REVIEWED = "peer-reviewed-study", "Peer-reviewed study"
        SYSTEMATIC_REVIEW = "systematic-review", "Systematic review"
        GUIDELINE = "clinical-guideline", "Clinical guideline"

    # Writing about a treatment, rather than research or guidance.
    ARTICLE_KINDS = (Kind.GENERAL_INTEREST, Kind.ADVERTISING_FUNDED, Kind.PROVIDER)

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(
        max_length=30,
        choices=Kind,
        default=Kind.GENERAL_INTEREST,
        help_text="What kind of publication it is. The site's statement of how "
        "strong the evidence is follows from this.",
    )
    cites_studies = models.BooleanField(
        "cites studies or figures",
        default=False,
        help_text="Whether it names the studies, or gives the figures, that its "
        "claims rest on.",
    )
    funded_by_advertising = models.BooleanField(
        "says it is funded by advertising",
        default=False,
        help_text="Whether the publisher says it earns money from advertising or "
        "affiliate links (an advertiser disclosure).",
    )
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

    @property
    def unnamed_details(self):
        """What it does not name, of its publisher, author and date."""
        return [
            label
            for label, value in (
                ("publisher", self.publisher),
                ("author", self.author),
                ("date", self.date_updated),
            )
            if not value
        ]
