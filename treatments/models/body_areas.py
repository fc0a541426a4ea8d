import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.http import urlencode

from .base import SlugQuerySet


@reversion.register()
class BodyArea(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text='The larger area this is part of: filtering by "legs" also '
        "finds treatments of the thighs.",
    )
    # Derived, not content: how many catalogue treatments a filter on this
    # area finds, by the body-area rule (treatments/areas.py). Kept up to
    # date on write, so that no page counts the catalogue to show it; not
    # in fixtures, backups or the edit history (serialize=False).
    treatment_count = models.PositiveIntegerField(
        default=0, editable=False, serialize=False
    )

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # Pages and filters name it: an editor's change waits for a
        # publisher (editorial/review.py).
        permissions = [("publish_bodyarea", "Can publish changes to body areas")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="treatments_bodyarea_not_own_parent",
                violation_error_message="A body area cannot be its own parent.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('treatments:list')}?{urlencode({'body_area': self.slug})}"

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": "A body area cannot sit inside itself."}, code="cycle"
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
