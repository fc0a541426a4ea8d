import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .. import formatting
from ..rules import RangeRulesMixin, range_constraints
from .base import (
    NOT_STATED,
    NOT_STATED_CHOICE,
    CitedModel,
    NaturalKeyByTreatmentQuerySet,
    TreatmentFact,
)

SESSION_PLAN_RANGES = (
    ("sessions_min", "sessions_max"),
    ("sessions_min", "sessions_typical"),
    ("sessions_typical", "sessions_max"),
    ("interval_min_days", "interval_max_days"),
    ("results_after_min", "results_after_max"),
)


class SessionKind(models.TextChoices):
    COURSE = "course", "A course of sessions"
    SINGLE = "single", "A single procedure"
    NONE = "none", "No sessions"
    NOT_STATED = NOT_STATED_CHOICE, NOT_STATED


@reversion.register(follow=("treatment",))
class SessionPlan(TreatmentFact, RangeRulesMixin, CitedModel):
    Kind = SessionKind

    ranges = SESSION_PLAN_RANGES

    cites_from = "treatment"

    treatment = models.OneToOneField(
        "treatments.Treatment", on_delete=models.CASCADE, related_name="session_plan"
    )
    kind = models.CharField("sessions", max_length=20, choices=Kind)
    sessions_min = models.SmallIntegerField("fewest sessions", null=True, blank=True)
    sessions_max = models.SmallIntegerField("most sessions", null=True, blank=True)
    sessions_typical = models.SmallIntegerField(
        "typical number of sessions", null=True, blank=True
    )
    sessions_wording = models.CharField(
        "number of sessions, as the source puts it",
        max_length=200,
        blank=True,
        help_text="E.g. “About ten, for most patients”.",
    )
    interval_min_days = models.SmallIntegerField(
        "shortest time between sessions (days)", null=True, blank=True
    )
    interval_max_days = models.SmallIntegerField(
        "longest time between sessions (days)", null=True, blank=True
    )
    interval_wording = models.CharField(
        "time between sessions, as the source puts it",
        max_length=200,
        blank=True,
        help_text="E.g. “Weekly or every two weeks”.",
    )
    results_after_min = models.SmallIntegerField(
        "results usually show after at least (sessions)", null=True, blank=True
    )
    results_after_max = models.SmallIntegerField(
        "results usually show after at most (sessions)", null=True, blank=True
    )
    results_wording = models.CharField(
        "when results usually show, as the source puts it",
        max_length=200,
        blank=True,
        help_text="E.g. “Most people see less cellulite after two or three sessions”.",
    )
    reading_note = models.TextField(
        "how we read it",
        blank=True,
        help_text="Where a figure is read from vague words, say how, e.g. "
        "“Bi-weekly” read as every two weeks.",
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
                condition=Q(kind=SessionKind.COURSE)
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
                condition=~Q(kind=SessionKind.COURSE)
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
    def is_course(self):
        return self.kind == self.Kind.COURSE

    # The figures in words, for pages and the comparison: see formatting.py.

    @property
    def sessions_summary(self):
        return formatting.sessions_summary(self)

    @property
    def interval_summary(self):
        return formatting.interval_summary(self)

    @property
    def results_summary(self):
        return formatting.results_summary(self)
