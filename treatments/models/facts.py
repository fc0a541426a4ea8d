import reversion
from django.db import models

from ..rules import RangeRulesMixin, range_constraints
from .base import (
    NOT_STATED,
    NOT_STATED_CHOICE,
    CitedModel,
    NaturalKeyByTreatmentQuerySet,
    SlugQuerySet,
    TreatmentFact,
)

MILESTONE_RANGES = (("days_min", "days_max"),)
# A treatment's milestones in the order its timeline shows them.
TIMELINE_ORDER = ["days_max", "days_min", "order"]


class TreatedAreaQuerySet(NaturalKeyByTreatmentQuerySet):
    natural_key_field = "body_area__slug"


@reversion.register(follow=("treatment",))
class TreatedArea(TreatmentFact, CitedModel):
    """A body area a treatment is used on, with where the source says so."""

    cites_from = "treatment"

    treatment = models.ForeignKey(
        "treatments.Treatment", on_delete=models.CASCADE, related_name="treated_areas"
    )
    body_area = models.ForeignKey(
        "treatments.BodyArea", on_delete=models.PROTECT, related_name="treated_areas"
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="How the source puts it, if it helps; shown after the area, e.g. "
        "“One of the two places cellulite is most common.”",
    )

    objects = TreatedAreaQuerySet.as_manager()
    # A treatment's areas decide where else it is offered (core/cache/keys.py).
    names_treatment = True

    class Meta:
        verbose_name = "treated body area"
        constraints = [
            models.UniqueConstraint(
                fields=["treatment", "body_area"],
                name="treatments_treatedarea_unique_area",
            ),
        ]

    def __str__(self):
        return f"{self.treatment}: {self.body_area}"

    def natural_key(self):
        return (*self.treatment.natural_key(), self.body_area.slug)

    natural_key.dependencies = [
        "treatments.treatment",
        "treatments.bodyarea",
        "treatments.source",
    ]


@reversion.register()
class Effect(models.Model):
    """A kind of side effect, shared by treatments so they can be compared."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "side-effect kind"
        # Every page with such a side effect names it: an editor's change
        # waits for a publisher (editorial/review.py).
        permissions = [("publish_effect", "Can publish changes to side-effect kinds")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class SideEffectQuerySet(NaturalKeyByTreatmentQuerySet):
    natural_key_field = "effect__slug"


@reversion.register(follow=("treatment",))
class SideEffect(TreatmentFact, CitedModel):
    class Frequency(models.TextChoices):
        COMMON = "common", "Common"
        LESS_COMMON = "less-common", "Less common"
        RARE = "rare", "Rare"
        NOT_STATED = NOT_STATED_CHOICE, f"{NOT_STATED} how common"

    class Site(models.TextChoices):
        INCISIONS = "incisions", "Around the incisions"
        INJECTION_SITE = "injection-site", "At the injection site"
        TREATED_AREA = "treated-area", "In the treated area"
        NOT_STATED = NOT_STATED_CHOICE, NOT_STATED

    cites_from = "treatment"

    treatment = models.ForeignKey(
        "treatments.Treatment", on_delete=models.CASCADE, related_name="side_effects"
    )
    effect = models.ForeignKey(
        Effect,
        on_delete=models.PROTECT,
        related_name="side_effects",
        verbose_name="side effect",
        help_text="E.g. Bruising.",
    )
    frequency = models.CharField("how common", max_length=20, choices=Frequency)
    frequency_wording = models.CharField(
        "how common, as the source puts it",
        max_length=200,
        blank=True,
        help_text="E.g. “Many patients”.",
    )
    site = models.CharField(
        "where it shows", max_length=20, choices=Site, default=Site.NOT_STATED
    )
    duration = models.CharField(
        "how long it lasts",
        max_length=300,
        blank=True,
        help_text="E.g. “Fades as the incisions heal.”",
    )
    what_is_normal = models.CharField(
        "is it normal?",
        max_length=300,
        blank=True,
        help_text="E.g. “Expected after the procedure.”",
    )

    objects = SideEffectQuerySet.as_manager()

    class Meta:
        ordering = ["effect__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["treatment", "effect"],
                name="treatments_sideeffect_unique_effect",
            ),
        ]

    def __str__(self):
        return f"{self.effect} ({self.get_frequency_display().lower()})"

    def natural_key(self):
        return (*self.treatment.natural_key(), self.effect.slug)

    natural_key.dependencies = [
        "treatments.treatment",
        "treatments.effect",
        "treatments.source",
    ]

    @property
    def site_stated(self):
        return self.site != self.Site.NOT_STATED


class MilestoneQuerySet(NaturalKeyByTreatmentQuerySet):
    natural_key_field = "order"


@reversion.register(follow=("treatment",))
class Milestone(TreatmentFact, RangeRulesMixin, CitedModel):
    """A point on a treatment's recovery and results timeline.

    The timeline runs in the order of the days (`TIMELINE_ORDER`): the
    latest day first decides, so that "still improving" over a year comes
    before the final result at twelve months. Its number (`order`) only
    tells a treatment's milestones apart, in files and fixtures; a new
    milestone without one takes the next."""

    class Kind(models.TextChoices):
        DAILY_ACTIVITIES = "daily-activities", "Back to daily activities"
        EXERCISE = "exercise", "Back to exercise"
        FIRST_RESULTS = "first-results", "First visible results"
        PROGRESS = "progress", "Still improving"
        FINAL_RESULT = "final-result", "Final result"

    # The questions every reader asks; where a source is silent on one, the
    # site says so.
    KEY_KINDS = (
        Kind.DAILY_ACTIVITIES,
        Kind.EXERCISE,
        Kind.FIRST_RESULTS,
        Kind.FINAL_RESULT,
    )

    ranges = MILESTONE_RANGES

    cites_from = "treatment"

    treatment = models.ForeignKey(
        "treatments.Treatment", on_delete=models.CASCADE, related_name="milestones"
    )
    # Which milestone of its treatment a file's row is (with the treatment's
    # slug); numbered for the editor. The timeline follows the days.
    order = models.PositiveSmallIntegerField(
        "number",
        blank=True,
        help_text="Filled in when left blank. The timeline follows the days; the "
        "number tells the milestones of a treatment apart in import files.",
    )
    kind = models.CharField(
        "milestone",
        max_length=20,
        choices=Kind,
        help_text="What a person gets back to or sees, e.g. Back to daily activities.",
    )
    days_min = models.IntegerField(
        "earliest day",
        help_text="For the timeline: days after the procedure (for a course of "
        "sessions, after the first session), e.g. 2.",
    )
    days_max = models.IntegerField(
        "latest day",
        help_text="E.g. 3; the same as the earliest day for one day.",
    )
    wording = models.CharField(
        "when, as the source puts it",
        max_length=200,
        help_text="Shown after the milestone, e.g. “After the first couple of days”.",
    )
    reading_note = models.CharField(
        "how we read it",
        max_length=300,
        blank=True,
        help_text="Shown after the timeline, e.g. “A couple of days” read as 2 to "
        "3 days.",
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = TIMELINE_ORDER
        # "Days until daily activities" looks up one kind per treatment.
        indexes = [
            models.Index(
                fields=["treatment", "kind", "order"], name="milestone_kind_idx"
            )
        ]
        constraints = [
            *range_constraints(*MILESTONE_RANGES),
            models.UniqueConstraint(
                fields=["treatment", "order"],
                name="treatments_milestone_unique_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.wording}"

    def save(self, *args, **kwargs):
        if self.order is None:
            self.order = self.next_number()
        super().save(*args, **kwargs)

    def natural_key(self):
        return (*self.treatment.natural_key(), self.order)

    natural_key.dependencies = ["treatments.treatment", "treatments.source"]

    def next_number(self):
        """One more than the highest number among its treatment's milestones."""
        highest = Milestone.objects.filter(treatment_id=self.treatment_id).aggregate(
            highest=models.Max("order")
        )["highest"]
        return (highest or 0) + 1
