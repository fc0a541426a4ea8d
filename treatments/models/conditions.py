import reversion
from django.db import models

from .base import CitedModel, SlugQuerySet


@reversion.register(follow=("facts",))
class Condition(models.Model):
    """What a treatment is for, such as cellulite."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=300)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # The home page and the pages of the treatments for it show it and
        # its facts: an editor's change waits for a publisher
        # (editorial/review.py).
        permissions = [("publish_condition", "Can publish changes to conditions")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class ConditionFactQuerySet(models.QuerySet):
    def get_by_natural_key(self, condition_slug, order):
        return self.get(condition__slug=condition_slug, order=order)


@reversion.register(follow=("condition",))
class ConditionFact(CitedModel):
    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="facts"
    )
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    objects = ConditionFactQuerySet.as_manager()

    class Meta:
        ordering = ["condition", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "order"],
                name="treatments_conditionfact_unique_order",
            ),
        ]

    def __str__(self):
        return f"{self.condition}: fact {self.order}"

    def natural_key(self):
        return (*self.condition.natural_key(), self.order)

    natural_key.dependencies = ["treatments.condition", "treatments.source"]
