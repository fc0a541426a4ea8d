"""
The treatment catalogue.

Every fact shown on the site cites the Source it comes from and where in that
source it sits (`CitedModel`). A text left blank means the source does not
say; templates show "Not stated in the source" for it, never a guess.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils.http import urlencode

from .rules import RangeRulesMixin, range_constraints

NOT_STATED = "Not stated in the source"
# The value of every "not stated" choice, whatever the field.
NOT_STATED_CHOICE = "not-stated"


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


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


class CitedModel(models.Model):
    """A fact, with the source it comes from and where in the source it sits."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT)
    source_location = models.CharField(
        "where in the source",
        max_length=200,
        help_text='Where the fact sits in the source, e.g. "paragraph 5".',
    )

    class Meta:
        abstract = True


class BodyAreaQuerySet(SlugQuerySet):
    def tree(self, *, with_counts=False):
        """All areas as an AreaTree (one query); with_counts adds how many
        catalogue treatments each area has, its inner areas included (one
        more query)."""
        tree = AreaTree(self.order_by("name"))
        if with_counts:
            tree.count_treatments(
                TreatedArea.objects.filter(
                    treatment__in=Treatment.objects.catalogue()
                ).values_list("body_area_id", "treatment_id")
            )
        return tree


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

    objects = BodyAreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
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


class AreaTree:
    """Body areas as a tree, built from one query."""

    def __init__(self, areas):
        self.areas = list(areas)
        self.by_id = {area.pk: area for area in self.areas}
        self.children = {}
        for area in self.areas:
            self.children.setdefault(area.parent_id, []).append(area)

    def ordered(self):
        """(area, depth) pairs, depth first, each level by name."""
        result, seen = [], set()

        def walk(parent_id, depth):
            for area in self.children.get(parent_id, []):
                if area.pk not in seen:
                    seen.add(area.pk)
                    result.append((area, depth))
                    walk(area.pk, depth + 1)

        walk(None, 0)
        return result

    def count_treatments(self, links):
        """Set `treatment_count` on each area from (area id, treatment id)
        pairs: the distinct treatments of the area or any area inside it."""
        by_area = {}
        for area_id, treatment_id in links:
            by_area.setdefault(area_id, set()).add(treatment_id)
        for area in self.areas:
            treatments = set()
            for area_id in self.descendant_ids([area.pk]):
                treatments |= by_area.get(area_id, set())
            area.treatment_count = len(treatments)

    def ancestors(self, area):
        """The areas `area` sits inside, nearest first."""
        result, seen = [], {area.pk}
        parent = self.by_id.get(area.parent_id)
        while parent is not None and parent.pk not in seen:
            result.append(parent)
            seen.add(parent.pk)
            parent = self.by_id.get(parent.parent_id)
        return result

    def descendant_ids(self, area_ids):
        """The given areas and every area inside them, at any depth."""
        found, stack = set(), list(area_ids)
        while stack:
            area_id = stack.pop()
            if area_id not in found:
                found.add(area_id)
                stack.extend(child.pk for child in self.children.get(area_id, []))
        return found


@reversion.register(follow=("facts",))
class Condition(models.Model):
    """What a treatment is for, such as cellulite."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(max_length=300)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

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


class TreatmentQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def catalogue(self):
        """What the public catalogue lists: published treatments, not the
        "no treatment" baselines that comparisons set beside them."""
        return self.published().filter(is_baseline=False)

    def treating(self, area_ids):
        """Treatments of any of these areas, without duplicates or DISTINCT."""
        return self.filter(
            Exists(
                TreatedArea.objects.filter(
                    treatment=OuterRef("pk"), body_area__in=area_ids
                )
            )
        )

    def with_at_most_sessions(self, count):
        """Treatments whose stated number of sessions is `count` or fewer.

        The upper figure is the stated maximum, or the typical figure where
        the source gives no range; a single procedure counts as one. A
        treatment whose source does not state the number is left out.
        """
        course = Q(session_plan__kind=SessionPlan.Kind.COURSE) & (
            Q(session_plan__sessions_max__lte=count)
            | Q(
                session_plan__sessions_max__isnull=True,
                session_plan__sessions_typical__lte=count,
            )
        )
        if count >= 1:
            course |= Q(session_plan__kind=SessionPlan.Kind.SINGLE)
        return self.filter(course)

    def search(self, text):
        return self.filter(
            Q(name__icontains=text)
            | Q(summary__icontains=text)
            | Q(how_it_works__icontains=text)
            | Q(what_happens__icontains=text)
        )

    def with_daily_activities(self):
        """Annotate when a person is usually back to daily activities."""
        first = Milestone.objects.filter(
            treatment=OuterRef("pk"), kind=Milestone.Kind.DAILY_ACTIVITIES
        ).order_by("order")
        return self.annotate(
            daily_days=Subquery(first.values("days_min")[:1]),
            daily_wording=Subquery(first.values("wording")[:1]),
        )

    def for_list(self):
        return (
            self.select_related("session_plan")
            .prefetch_related(
                Prefetch("body_areas", queryset=BodyArea.objects.order_by("name"))
            )
            .with_daily_activities()
        )

    def for_detail(self):
        return self.select_related(
            "source", "session_plan", "session_plan__source"
        ).prefetch_related(
            Prefetch(
                "side_effects",
                queryset=SideEffect.objects.select_related("effect", "source"),
            ),
            Prefetch("milestones", queryset=Milestone.objects.select_related("source")),
            Prefetch(
                "treated_areas",
                queryset=TreatedArea.objects.select_related(
                    "body_area", "source"
                ).order_by("body_area__name"),
            ),
            "conditions",
        )

    def for_comparison(self):
        """A comparison shows every fact the treatment's own page does."""
        return self.for_detail()


@reversion.register(
    follow=(
        "session_plan",
        "treated_areas",
        "side_effects",
        "milestones",
    )
)
class Treatment(models.Model):
    class Invasiveness(models.TextChoices):
        NON_INVASIVE = "non-invasive", "Non-invasive"
        MINIMALLY_INVASIVE = "minimally-invasive", "Minimally invasive"
        SURGICAL = "surgical", "Surgical"

    class Anaesthesia(models.TextChoices):
        NONE = "none", "None"
        OPTIONAL_TOPICAL = "optional-topical", "Optional numbing cream"
        TOPICAL = "topical", "Numbing cream"
        LOCAL = "local", "Local anaesthetic"
        SEDATION = "sedation", "Sedation"
        GENERAL = "general", "General anaesthetic"
        NOT_STATED = NOT_STATED_CHOICE, NOT_STATED

    class Maintenance(models.TextChoices):
        NEEDED = "needed", "Needed"
        SOMETIMES = "sometimes", "Needed by some people"
        NOT_NEEDED = "not-needed", "Not needed"
        NOT_STATED = NOT_STATED_CHOICE, NOT_STATED

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField("one-line summary", max_length=200)
    conditions = models.ManyToManyField(
        Condition, blank=True, related_name="treatments", help_text="What it treats."
    )
    body_areas = models.ManyToManyField(
        BodyArea, through="TreatedArea", related_name="treatments"
    )

    how_it_works = models.TextField(blank=True)
    what_happens = models.TextField("what happens during a session", blank=True)
    invasiveness = models.CharField(max_length=20, choices=Invasiveness)
    anaesthesia = models.CharField(
        max_length=20, choices=Anaesthesia, default=Anaesthesia.NOT_STATED
    )
    anaesthesia_details = models.TextField(blank=True)
    how_it_feels = models.TextField(blank=True)
    performed_by = models.TextField("who performs it", blank=True)
    before_first_session = models.TextField(
        "before the first session",
        blank=True,
        help_text="What must happen first, such as an allergy test.",
    )
    effectiveness = models.TextField(
        "what results to expect",
        blank=True,
        help_text="What the source says about whether and how well it works.",
    )
    results_duration = models.TextField("how long results last", blank=True)
    maintenance = models.CharField(
        "maintenance",
        max_length=20,
        choices=Maintenance,
        default=Maintenance.NOT_STATED,
    )
    maintenance_details = models.TextField(blank=True)
    cautions = models.TextField(
        blank=True, help_text="What a person should be careful about."
    )
    where_to_have_it = models.TextField("where to have it done", blank=True)
    questions_to_ask = models.TextField(
        "questions worth asking", blank=True, help_text="One question a line."
    )
    reading_notes = models.TextField(
        "how we read the source",
        blank=True,
        help_text="Where the site interprets the source (a category, a range "
        "read from vague words), say how.",
    )

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="treatments"
    )
    source_location = models.CharField(
        "where in the source",
        max_length=200,
        help_text="Where in the source the description of the treatment sits.",
    )
    is_baseline = models.BooleanField(
        "baseline",
        default=False,
        help_text="Not a treatment but what happens without one, for comparisons "
        "to set beside the treatments. The catalogue does not list baselines.",
    )
    is_published = models.BooleanField(
        "published", default=False, help_text="Only published treatments are public."
    )
    last_reviewed = models.DateField(
        help_text="When an editor last checked this page against its sources."
    )

    objects = TreatmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # The catalogue lists published non-baselines by name; its filters
        # narrow by invasiveness and anaesthesia.
        indexes = [
            models.Index(
                fields=["is_published", "is_baseline", "name"],
                name="treatment_catalogue_idx",
            ),
            models.Index(fields=["invasiveness"], name="treatment_invasiveness_idx"),
            models.Index(fields=["anaesthesia"], name="treatment_anaesthesia_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("treatments:detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["treatments.source", "treatments.condition"]

    def comparable(self, limit=12):
        """What to offer to compare this treatment with: the "no treatment"
        baselines, then the treatments that share most of its body areas.

        A short list however large the catalogue; the picker has them all.
        """
        areas = [treated.body_area_id for treated in self.treated_areas.all()]
        return (
            Treatment.objects.published()
            .exclude(pk=self.pk)
            .annotate(
                shared_areas=Count(
                    "treated_areas", filter=Q(treated_areas__body_area__in=areas)
                )
            )
            .filter(Q(is_baseline=True) | Q(shared_areas__gt=0))
            .order_by("-is_baseline", "-shared_areas", "name")
            .only("name", "slug", "is_baseline")[:limit]
        )

    @property
    def questions(self):
        return [
            line.strip() for line in self.questions_to_ask.splitlines() if line.strip()
        ]

    def cited_sources(self):
        """Every source this page cites, in order of first citation.

        Uses only what `for_detail()` has already loaded.
        """
        records = [self]
        plan = getattr(self, "session_plan", None)
        if plan is not None:
            records.append(plan)
        records += [
            *self.treated_areas.all(),
            *self.side_effects.all(),
            *self.milestones.all(),
        ]
        return list(dict.fromkeys(record.source for record in records))


class NaturalKeyByTreatmentQuerySet(models.QuerySet):
    """For facts whose natural key is the treatment's slug and one field."""

    natural_key_field = None

    def get_by_natural_key(self, treatment_slug, *rest):
        lookups = {"treatment__slug": treatment_slug}
        if self.natural_key_field:
            lookups[self.natural_key_field] = rest[0]
        return self.get(**lookups)


class TreatedAreaQuerySet(NaturalKeyByTreatmentQuerySet):
    natural_key_field = "body_area__slug"


@reversion.register(follow=("treatment",))
class TreatedArea(CitedModel):
    """A body area a treatment is used on, with where the source says so."""

    treatment = models.ForeignKey(
        Treatment, on_delete=models.CASCADE, related_name="treated_areas"
    )
    body_area = models.ForeignKey(
        BodyArea, on_delete=models.PROTECT, related_name="treated_areas"
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="How the source puts it, if it helps."
    )

    objects = TreatedAreaQuerySet.as_manager()

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


SESSION_PLAN_RANGES = (
    ("sessions_min", "sessions_max"),
    ("sessions_min", "sessions_typical"),
    ("sessions_typical", "sessions_max"),
    ("interval_min_days", "interval_max_days"),
    ("results_after_min", "results_after_max"),
)
MILESTONE_RANGES = (("days_min", "days_max"),)


@reversion.register(follow=("treatment",))
class SessionPlan(RangeRulesMixin, CitedModel):
    class Kind(models.TextChoices):
        COURSE = "course", "A course of sessions"
        SINGLE = "single", "A single procedure"
        NONE = "none", "No sessions"
        NOT_STATED = NOT_STATED_CHOICE, NOT_STATED

    ranges = SESSION_PLAN_RANGES

    treatment = models.OneToOneField(
        Treatment, on_delete=models.CASCADE, related_name="session_plan"
    )
    kind = models.CharField("how many sessions", max_length=20, choices=Kind)
    sessions_min = models.SmallIntegerField("fewest sessions", null=True, blank=True)
    sessions_max = models.SmallIntegerField("most sessions", null=True, blank=True)
    sessions_typical = models.SmallIntegerField(
        "typical number of sessions", null=True, blank=True
    )
    sessions_wording = models.CharField(
        "sessions, as the source puts it", max_length=200, blank=True
    )
    interval_min_days = models.SmallIntegerField(
        "shortest interval (days)", null=True, blank=True
    )
    interval_max_days = models.SmallIntegerField(
        "longest interval (days)", null=True, blank=True
    )
    interval_wording = models.CharField(
        "interval, as the source puts it", max_length=200, blank=True
    )
    results_after_min = models.SmallIntegerField(
        "results show after at least (sessions)", null=True, blank=True
    )
    results_after_max = models.SmallIntegerField(
        "results show after at most (sessions)", null=True, blank=True
    )
    results_wording = models.CharField(
        "when results show, as the source puts it", max_length=200, blank=True
    )
    reading_note = models.TextField(
        "how the figures were read",
        blank=True,
        help_text="Where a figure is read from vague words, say how.",
    )

    objects = NaturalKeyByTreatmentQuerySet.as_manager()

    class Meta:
        # The "most sessions you would accept" filter.
        indexes = [
            models.Index(
                fields=["kind", "sessions_max", "sessions_typical"],
                name="sessionplan_sessions_idx",
            )
        ]
        constraints = [
            *range_constraints(*SESSION_PLAN_RANGES),
            models.CheckConstraint(
                condition=Q(kind="course")
                | Q(
                    sessions_min__isnull=True,
                    sessions_max__isnull=True,
                    sessions_typical__isnull=True,
                ),
                name="treatments_sessionplan_counts_only_for_course",
                violation_error_message="Only a course of sessions has a number "
                "of sessions.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="course")
                | Q(sessions_max__isnull=False)
                | Q(sessions_typical__isnull=False),
                name="treatments_sessionplan_course_has_count",
                violation_error_message="A course of sessions needs a typical or "
                "a largest number of sessions.",
            ),
            models.CheckConstraint(
                condition=Q(sessions_min__isnull=True) | Q(sessions_min__gte=1),
                name="treatments_sessionplan_sessions_min_at_least_one",
                violation_error_message="A course has at least one session.",
            ),
        ]

    def __str__(self):
        return f"Session plan for {self.treatment}"

    def natural_key(self):
        return self.treatment.natural_key()

    natural_key.dependencies = ["treatments.treatment", "treatments.source"]

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        counts = ("sessions_min", "sessions_max", "sessions_typical")
        if self.kind != self.Kind.COURSE:
            for name in counts:
                if getattr(self, name) is not None:
                    errors.setdefault(name, []).append(
                        ValidationError(
                            "Leave this blank: only a course of sessions has a "
                            "number of sessions.",
                            code="not-a-course",
                        )
                    )
        elif self.sessions_max is None and self.sessions_typical is None:
            errors.setdefault("sessions_typical", []).append(
                ValidationError(
                    "Give the typical or the largest number of sessions.",
                    code="course-needs-count",
                )
            )
        if self.sessions_min is not None and self.sessions_min == 0:
            errors.setdefault("sessions_min", []).append(
                ValidationError("A course has at least one session.", code="zero")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def sessions_summary(self):
        """The number of sessions in figures, or "" where the source is silent."""
        if self.kind in (self.Kind.SINGLE, self.Kind.NONE):
            return self.get_kind_display()
        if self.kind != self.Kind.COURSE:
            return ""
        parts = []
        if self.sessions_min is not None and self.sessions_max is not None:
            parts.append(f"{self.sessions_min}–{self.sessions_max} sessions")
        elif self.sessions_max is not None:
            parts.append(f"up to {self.sessions_max} sessions")
        if self.sessions_typical is not None:
            parts.append(f"typically {self.sessions_typical}")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    @property
    def interval_summary(self):
        low, high = self.interval_min_days, self.interval_max_days
        if low is None and high is None:
            return ""
        if low is None or high is None or low == high:
            return f"Every {low if high is None else high} days"
        return f"Every {low}–{high} days"

    @property
    def results_summary(self):
        low, high = self.results_after_min, self.results_after_max
        if low is None and high is None:
            return ""
        if low is None or high is None or low == high:
            count = low if high is None else high
            return f"After {count} session{'' if count == 1 else 's'}"
        return f"After {low}–{high} sessions"


@reversion.register()
class Effect(models.Model):
    """A kind of side effect, shared by treatments so they can be compared."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    objects = SlugQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class SideEffectQuerySet(NaturalKeyByTreatmentQuerySet):
    natural_key_field = "effect__slug"


@reversion.register(follow=("treatment",))
class SideEffect(CitedModel):
    class Frequency(models.TextChoices):
        COMMON = "common", "Common"
        LESS_COMMON = "less-common", "Less common"
        RARE = "rare", "Rare"
        NOT_STATED = "not-stated", "How common: not stated in the source"

    class Site(models.TextChoices):
        INCISIONS = "incisions", "Around the incisions"
        INJECTION_SITE = "injection-site", "At the injection site"
        TREATED_AREA = "treated-area", "In the treated area"
        NOT_STATED = NOT_STATED_CHOICE, NOT_STATED

    treatment = models.ForeignKey(
        Treatment, on_delete=models.CASCADE, related_name="side_effects"
    )
    effect = models.ForeignKey(
        Effect, on_delete=models.PROTECT, related_name="side_effects"
    )
    frequency = models.CharField("how common", max_length=20, choices=Frequency)
    frequency_wording = models.CharField(
        "how common, as the source puts it", max_length=200, blank=True
    )
    site = models.CharField(
        "where it shows", max_length=20, choices=Site, default=Site.NOT_STATED
    )
    duration = models.CharField("how long it lasts", max_length=300, blank=True)
    what_is_normal = models.CharField(max_length=300, blank=True)

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


class MilestoneQuerySet(NaturalKeyByTreatmentQuerySet):
    natural_key_field = "order"


@reversion.register(follow=("treatment",))
class Milestone(RangeRulesMixin, CitedModel):
    """A point on a treatment's recovery and results timeline."""

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

    treatment = models.ForeignKey(
        Treatment, on_delete=models.CASCADE, related_name="milestones"
    )
    order = models.PositiveSmallIntegerField(help_text="Position on the timeline.")
    kind = models.CharField(max_length=20, choices=Kind)
    days_min = models.IntegerField(
        "earliest day",
        help_text="Earliest, in days after the procedure (for a course of "
        "sessions, after the first session).",
    )
    days_max = models.IntegerField(
        "latest day", help_text="Latest, in days after the procedure or first session."
    )
    wording = models.CharField(
        "in plain words",
        max_length=200,
        help_text='What a person reads, e.g. "after a couple of days".',
    )
    reading_note = models.CharField(
        "how the days were read",
        max_length=300,
        blank=True,
        help_text='E.g. "a couple of days" read as 2 to 3 days.',
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
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

    def natural_key(self):
        return (*self.treatment.natural_key(), self.order)

    natural_key.dependencies = ["treatments.treatment", "treatments.source"]
