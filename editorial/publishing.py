"""
Publishing: what the public may see, and when content is next reviewed.

Treatments and comparisons are Publishable: a status (draft, in review,
published; only published content is public, and only publishers may
publish or unpublish, see editorial/groups.py) and review dates. A page is
reviewed when a publisher publishes it (editorial/review.py): until then
it has no "last reviewed" date, so a draft never reads as reviewed, and a
published page always has one (a constraint). The next review is due 12
months after the last unless an editor sets another date. A publisher may
schedule a published page to be unpublished (`unpublish_at`; `manage.py
publish_scheduled` does it). Each is a page with a slug; renaming it keeps
its old address working (editorial/addresses.py).
"""

import copy
import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CharField, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from reversion.models import Version

from .addresses import FormerAddress


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


def changed_at(saved, reviewed):
    """The later of a revision's time (or None) and a review's date."""
    reviewed = datetime.datetime.combine(
        reviewed, datetime.time.min, tzinfo=datetime.UTC
    )
    return reviewed if saved is None else max(saved, reviewed)


def a_year_after(day):
    """The same date a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """What this person may see: staff preview what is not published."""
        return self if user.is_staff else self.published()

    def review_overdue(self, today=None):
        return self.filter(next_review_due__lt=today or datetime.date.today())

    def with_last_change(self):
        """Annotate `last_saved`: when the record was last saved in a
        revision of its history (by the admin, an import or the seed; a
        treatment's revisions take in its facts), or None. `last_change()`
        reads it."""
        latest = (
            Version.objects.filter(
                db=self.db,
                content_type=ContentType.objects.db_manager(self.db).get_for_model(
                    self.model
                ),
                object_id=Cast(OuterRef("pk"), CharField()),
            )
            .order_by("-revision__date_created")
            .values("revision__date_created")[:1]
        )
        return self.annotate(last_saved=Subquery(latest))

    def last_changed(self):
        """When any of these records last changed (`last_change()`), in one
        query; None if there are none."""
        found = self.with_last_change().aggregate(
            saved=Max("last_saved"), reviewed=Max("last_reviewed")
        )
        if found["reviewed"] is None:
            return None
        return changed_at(found["saved"], found["reviewed"])


class Publishable(models.Model):
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text="Only published content is public. Publishers publish "
        "what editors submit for review.",
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When a publisher last checked it against its sources: set "
        "when a publisher publishes it.",
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="Leave blank for 12 months after the last review.",
    )
    # Set by a publisher on the review page; `manage.py publish_scheduled`
    # unpublishes the page then. Not content: never restored from history.
    unpublish_at = models.DateTimeField(
        "unpublish at", null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_due__gte=F("last_reviewed")),
                name="%(app_label)s_%(class)s_review_due_after_review",
                violation_error_message="The next review cannot be due before "
                "the last review.",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED)
                | Q(last_reviewed__isnull=False, next_review_due__isnull=False),
                name="%(app_label)s_%(class)s_published_is_reviewed",
                violation_error_message="A published page needs the date it was "
                "last reviewed.",
            ),
        ]

    def save(self, *args, **kwargs):
        self.fill_review_due()
        left = self.address_left(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        if left:
            FormerAddress.remember(left, self)

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        # What a save changes it from (editorial/review.py); __dict__, not
        # getattr: a deferred status is not loaded for this.
        record.status_as_loaded = record.__dict__.get("status")
        return record

    def address_left(self, update_fields=None):
        """The address this save moves the page away from (its slug
        renamed), or None. Its old address then redirects to the new one
        (editorial/addresses.py)."""
        if self._state.adding or (update_fields and "slug" not in update_fields):
            return None
        stored = (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values_list("slug", flat=True)
            .first()
        )
        if stored is None or stored == self.slug:
            return None
        before = copy.copy(self)
        before.slug = stored
        return before.get_absolute_url()

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def is_visible_to(self, user):
        """PublishableQuerySet.visible_to's rule, for this one record. A
        model whose queryset narrows published() (comparisons) narrows this
        too: every place that asks one record asks this."""
        return self.is_published or user.is_staff

    def last_change(self):
        """When the page last changed: its latest revision, or its last
        review if that is later (a record loaded without a revision). Needs
        `with_last_change()`."""
        return changed_at(getattr(self, "last_saved", None), self.last_reviewed)

    def fill_review_due(self):
        if self.next_review_due is None and self.last_reviewed is not None:
            self.next_review_due = a_year_after(self.last_reviewed)

    def clean(self):
        super().clean()
        self.fill_review_due()
        if self.status == Status.PUBLISHED and self.last_reviewed is None:
            raise ValidationError(
                {
                    "last_reviewed": ValidationError(
                        "A published page needs the date a publisher last reviewed it.",
                        code="published-not-reviewed",
                    )
                }
            )
        if (
            self.next_review_due is not None
            and self.last_reviewed is not None
            and self.next_review_due < self.last_reviewed
        ):
            raise ValidationError(
                {
                    "next_review_due": ValidationError(
                        "The next review cannot be due before the last review "
                        "(%(last)s).",
                        code="review-due-before-review",
                        params={"last": self.last_reviewed},
                    )
                }
            )
