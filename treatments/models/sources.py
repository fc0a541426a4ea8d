import reversion
from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

from core.text import and_list

from .base import SlugQuerySet


class SourceQuerySet(SlugQuerySet):
    def cited_by_published(self):
        """The sources that public pages cite: a published treatment's, or a
        fact's of one, or a condition's fact's (the home page shows those)."""
        treatment = apps.get_model("treatments", "Treatment")
        published = treatment.objects.published()
        citing = [
            published.filter(source=OuterRef("pk")),
            apps.get_model("treatments", "ConditionFact").objects.filter(
                source=OuterRef("pk")
            ),
        ]
        for name in ("SessionPlan", "TreatedArea", "SideEffect", "Milestone"):
            citing.append(
                apps.get_model("treatments", name).objects.filter(
                    source=OuterRef("pk"), treatment__in=published.values("pk")
                )
            )
        cited = Q()
        for facts in citing:
            cited |= Exists(facts)
        return self.filter(cited)

    def link_broken(self):
        return self.filter(link_checked_at__isnull=False).filter(
            Q(link_status__isnull=True) | Q(link_status__gte=400)
        )

    def text_changed(self):
        """Sources whose text changed since the facts citing them were
        checked against it (`manage.py check_sources` notices; an editor
        confirms the facts): the review queue lists them."""
        return self.filter(text_changed_at__isnull=False)


# The kinds of record that cite a source, and the page each is on: a
# treatment's own description and each of its facts, a condition's facts.
FACT_PAGES = (
    ("Treatment", "name"),
    ("SessionPlan", "treatment__name"),
    ("TreatedArea", "treatment__name"),
    ("SideEffect", "treatment__name"),
    ("Milestone", "treatment__name"),
    ("ConditionFact", "condition__name"),
)

# What `manage.py check_sources` writes, and an editor's confirmation that
# the facts still match the text: the machine's or a check's, not an
# editor's change, so neither in the history, nor waiting for a publisher,
# nor an edit of the seeded record.
LINK_CHECK_FIELDS = ("link_status", "link_checked_at", "link_error")
TEXT_CHECK_FIELDS = ("text_fingerprint", "text_changed_at", "facts_checked_at")


class SourceKind(models.TextChoices):
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


@reversion.register(exclude=(*LINK_CHECK_FIELDS, *TEXT_CHECK_FIELDS))
class Source(models.Model):
    Kind = SourceKind

    # Writing about a treatment, rather than research or guidance.
    ARTICLE_KINDS = (Kind.GENERAL_INTEREST, Kind.ADVERTISING_FUNDED, Kind.PROVIDER)

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    # No default: the site's statement of how strong the evidence is
    # follows from it, so an editor chooses it.
    kind = models.CharField(
        "what kind of publication",
        max_length=30,
        choices=Kind,
        help_text="E.g. “General-interest article” for a magazine's or a health "
        "site's article. What the page says of how strong the evidence is "
        "follows from it.",
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

    link_status = models.PositiveSmallIntegerField(
        "address answered",
        null=True,
        blank=True,
        editable=False,
        help_text="The HTTP status of the last check (after redirects); blank "
        "if it did not answer.",
    )
    link_checked_at = models.DateTimeField(
        "address checked", null=True, blank=True, editable=False
    )
    link_error = models.CharField(
        "why the check failed", max_length=300, blank=True, editable=False
    )
    # Watching the text (treatments/sourcetext.py): the fingerprint of its
    # main text at the last check that could read it; when a check found it
    # changed, until an editor confirms that the facts citing it still hold.
    text_fingerprint = models.CharField(
        "fingerprint of its main text", max_length=64, blank=True, editable=False
    )
    text_changed_at = models.DateTimeField(
        "text changed since its facts were checked",
        null=True,
        blank=True,
        editable=False,
    )
    facts_checked_at = models.DateTimeField(
        "facts last checked against its text", null=True, blank=True, editable=False
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values),
                name="treatments_source_kind_is_a_choice",
                violation_error_message="Choose what kind of publication it is.",
            ),
        ]
        # Every page citing it shows it: an editor's change waits for a
        # publisher (editorial/review.py).
        permissions = [("publish_source", "Can publish changes to sources")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The last check was of the old address: whatever saves a new one
        # (the admin, a publisher publishing an editor's change, an import).
        # Its text at the new address is not a change of the old one's: the
        # next check takes its fingerprint afresh (facts already flagged stay
        # flagged until an editor confirms them).
        if self.pk is not None and self.url != getattr(self, "url_as_loaded", self.url):
            self.link_status = self.link_checked_at = None
            self.link_error = self.text_fingerprint = ""
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    *LINK_CHECK_FIELDS,
                    "text_fingerprint",
                }
        super().save(*args, **kwargs)
        self.url_as_loaded = self.url

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def from_db(cls, db, field_names, values):
        source = super().from_db(db, field_names, values)
        source.url_as_loaded = source.__dict__.get("url")
        return source

    @property
    def link_broken(self):
        """Checked, and the address did not answer with a page."""
        return self.link_checked_at is not None and not (
            self.link_status is not None and self.link_status < 400
        )

    def citing_pages(self):
        """The pages whose facts cite it, with how many: "Mesotherapy (14
        facts) and the condition Cellulite (2 facts)"; "" if none. For the
        admin: a query for each kind of fact."""
        counts = {}
        for name, path in FACT_PAGES:
            rows = (
                apps.get_model("treatments", name)
                .objects.filter(source=self)
                .values_list(path)
                .annotate(count=models.Count("pk"))
                .order_by()
            )
            for page, count in rows:
                if name == "ConditionFact":
                    page = f"the condition {page}"
                counts[page] = counts.get(page, 0) + count
        return and_list(
            f"{page} ({count} fact{'' if count == 1 else 's'})"
            for page, count in sorted(counts.items())
        )

    @property
    def text_changed(self):
        """Its text changed since the facts citing it were checked."""
        return self.text_changed_at is not None

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
