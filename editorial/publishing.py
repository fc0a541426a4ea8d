"""
Publishing: what the public may see, and when content is next reviewed.

Treatments and comparisons are Publishable: a status (draft, in review,
published; only published content is public, and only publishers may
publish or unpublish, see editorial/groups.py) and review dates (the next
review is due 12 months after the last unless an editor sets another
date). Each is a page with a slug; renaming it keeps its old address
working (editorial/addresses.py).
"""

import copy
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from .addresses import FormerAddress


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


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


class Publishable(models.Model):
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text="Only published content is public. Publishers publish "
        "what editors submit for review.",
    )
    last_reviewed = models.DateField(
        help_text="When an editor last checked this against its sources."
    )
    next_review_due = models.DateField(
        blank=True,
        help_text="Leave blank for 12 months after the last review.",
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
        ]

    def save(self, *args, **kwargs):
        self.fill_review_due()
        left = self.address_left(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        if left:
            FormerAddress.remember(left, self)

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

    def fill_review_due(self):
        if self.next_review_due is None and self.last_reviewed is not None:
            self.next_review_due = a_year_after(self.last_reviewed)

    def clean(self):
        super().clean()
        self.fill_review_due()
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
