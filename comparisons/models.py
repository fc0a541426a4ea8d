"""Curated comparisons: editors' chosen sets of 2 to 4 treatments."""

import reversion
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from core.cache import LISTS, record, record_scope
from editorial.prose import Readable, ReadableQuerySet
from editorial.publishing import Publishable, PublishableQuerySet, Status
from treatments.models import BodyArea, Treatment

MIN_TREATMENTS = 2
MAX_TREATMENTS = 4
# Addresses under /compare/ that are not comparisons (comparisons/urls.py):
# a comparison with such a slug could never be reached.
RESERVED_SLUGS = ("summary", "ready-made")


def not_reserved(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            "“%(slug)s” is the address of another page of the site; choose "
            "another slug.",
            code="reserved",
            params={"slug": slug},
        )


class ComparisonQuerySet(PublishableQuerySet, ReadableQuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def published(self):
        """Published, with at least two published treatments to compare; by
        title, as Meta says (a query with an aggregate ignores Meta.ordering)."""
        return (
            super()
            .published()
            .alias(
                public_items=Count(
                    "items", filter=Q(items__treatment__status=Status.PUBLISHED)
                )
            )
            .filter(public_items__gte=MIN_TREATMENTS)
            .order_by(*self.model._meta.ordering)
        )

    # "About this information" as the admin indexes it (comparisons/
    # attention.py, treatments/attention.py).

    def failing_a_line(self, today, key=None):
        from treatments.attention import failing

        return self.filter(failing(today, key))

    def quality_failures(self, today, limit, count_up_to):
        from treatments.attention import failures

        return failures(self, today, limit, count_up_to)

    def quality_unknown(self):
        return self.filter(failing_lines__isnull=True)

    def restate_quality(self):
        from .attention import restate

        return restate(self)

    def for_page(self):
        return self.select_related("focus_area").prefetch_related(
            Prefetch(
                "items",
                queryset=ComparisonItem.objects.filter(
                    treatment__status=Status.PUBLISHED
                ).select_related("treatment"),
            )
        )


@reversion.register(follow=("items",))
class Comparison(Publishable, Readable):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True, validators=[not_reserved])
    introduction = models.TextField(
        help_text="What this comparison helps a person decide, in a few sentences."
    )
    treatments = models.ManyToManyField(
        Treatment, through="ComparisonItem", related_name="comparisons"
    )
    focus_area = models.ForeignKey(
        BodyArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comparisons",
        help_text="Optional: the body area this comparison is about.",
    )
    # Public notes of what changed (editorial.ChangeNote); deleted with it.
    change_notes = GenericRelation(
        "editorial.ChangeNote", related_query_name="comparison"
    )
    # Derived, not content: the keys of the lines of "About this
    # information" it fails, the day's review aside; NULL until worked out
    # (comparisons/attention.py).
    # NULL, not worked out, is not "", none failing.
    failing_lines = models.CharField(  # noqa: DJ001
        "lines of “About this information” not met",
        max_length=100,
        null=True,
        editable=False,
        serialize=False,
    )

    objects = ComparisonQuerySet.as_manager()

    class Meta(Publishable.Meta):
        ordering = ["title"]
        permissions = [("publish_comparison", "Can publish and unpublish comparisons")]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS),
                name="comparisons_comparison_slug_not_reserved",
                violation_error_message="This slug is the address of another "
                "page of the site.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("comparisons:curated", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["treatments.bodyarea"]

    def cache_scopes(self, *, deleted=False):
        """Its own page, and the lists (core/cache/keys.py)."""
        return {record(self), LISTS}

    def is_visible_to(self, user):
        """ComparisonQuerySet.visible_to's rule, for this one comparison:
        staff see it; the public only when it is published with at least two
        published treatments. Asked of the queryset itself, so that its page,
        the lists, the feed, its old addresses and anything added later (a
        sitemap, an API) cannot disagree about it."""
        if user.is_staff:
            return True
        return (
            self.is_published
            and Comparison.objects.published().filter(pk=self.pk).exists()
        )


class ComparisonItemQuerySet(models.QuerySet):
    def get_by_natural_key(self, comparison_slug, position):
        return self.get(comparison__slug=comparison_slug, position=position)


@reversion.register(follow=("comparison",))
class ComparisonItem(models.Model):
    """One treatment in a comparison, at its column."""

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="items"
    )
    treatment = models.ForeignKey(
        Treatment,
        on_delete=models.PROTECT,
        related_name="comparison_items",
        help_text="A treatment in a comparison cannot be deleted; unpublish it "
        "to hide it.",
    )
    position = models.PositiveSmallIntegerField(
        help_text=f"Its column, from 1 to {MAX_TREATMENTS}."
    )

    objects = ComparisonItemQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = "treatment in the comparison"
        verbose_name_plural = "treatments in the comparison"
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "position"],
                name="comparisons_item_unique_position",
                violation_error_message="Two treatments cannot share a column.",
            ),
            models.UniqueConstraint(
                fields=["comparison", "treatment"],
                name="comparisons_item_unique_treatment",
                violation_error_message="A treatment is in the comparison once.",
            ),
            # Positions 1 to 4, unique: at most four treatments.
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(position__lte=MAX_TREATMENTS),
                name="comparisons_item_position_in_range",
                violation_error_message=f"The column must be from 1 to "
                f"{MAX_TREATMENTS}.",
            ),
        ]

    def __str__(self):
        return f"{self.treatment} in “{self.comparison}”"

    def natural_key(self):
        return (*self.comparison.natural_key(), self.position)

    natural_key.dependencies = ["comparisons.comparison", "treatments.treatment"]

    def cache_scopes(self, *, deleted=False):
        return {record_scope("comparisons.comparison", self.comparison_id), LISTS}

    def clean(self):
        super().clean()
        if self.position is not None and not 1 <= self.position <= MAX_TREATMENTS:
            raise ValidationError(
                {"position": f"The column must be from 1 to {MAX_TREATMENTS}."}
            )
