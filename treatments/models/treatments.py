import reversion
from django.contrib.contenttypes.fields import GenericRelation
from django.db import connections, models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils.text import capfirst

from core.cache import LISTS, NAMES, record
from editorial.prose import Readable, ReadableQuerySet
from editorial.publishing import Publishable, PublishableQuerySet

from .base import NOT_STATED, NOT_STATED_CHOICE, SlugQuerySet
from .body_areas import BodyArea
from .conditions import Condition
from .facts import TIMELINE_ORDER, Milestone, SideEffect, TreatedArea
from .search import SearchEntry, SearchResults
from .session_plans import SessionPlan
from .sources import Source


def brief(question, example):
    """The few words the comparison leads with for a fact told in prose.

    Written once per treatment, from its own fact (never per pair); blank
    where the source is silent."""
    return models.CharField(
        f"{question}, in a few words",
        max_length=80,
        blank=True,
        help_text=f"For comparisons: the short answer shown first, e.g. “{example}”. "
        f"Needed when “{capfirst(question)}” has text.",
    )


def first_daily_activities(treatment):
    """The milestone saying when a person is back to daily activities: the
    first of that kind on the treatment's timeline."""
    return Milestone.objects.filter(
        treatment=treatment, kind=Milestone.Kind.DAILY_ACTIVITIES
    ).order_by(*TIMELINE_ORDER)


class TreatmentQuerySet(PublishableQuerySet, ReadableQuerySet, SlugQuerySet):
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

    def count_at_most(self, limit):
        """How many there are, counting no further than `limit`: in any
        order, so that the database stops at the first `limit` it finds."""
        return self.order_by().values("pk")[:limit].count()

    def baselines(self):
        """The "no treatment" baselines that comparisons set beside treatments."""
        return self.filter(is_baseline=True)

    def comparable_with(self, treatment, area_ids, limit=12, pool=48):
        """A few treatments to offer to compare `treatment` with: those that
        share most of its body areas first, then by name.

        `area_ids` are the areas the body-area rule finds for the
        treatment's own (`AreaTree.matching_ids()`): a treatment of the
        thighs is offered one whose source names the legs.

        As cheap with 10,000 treatments as with 10: the catalogue index is
        read in name order until `pool` treatments that share an area are
        found, and only those are ranked (ranking every treatment that
        shares an area would count areas across the catalogue). The picker
        searches the rest; the baselines are offered apart.
        """
        areas = list(area_ids)
        pool = (
            self.filter(is_baseline=False)
            .exclude(pk=treatment.pk)
            .treating(areas)
            .order_by("name")
            .values("pk")[:pool]
        )
        return (
            self.filter(pk__in=pool)
            .annotate(
                shared_areas=Count(
                    "treated_areas", filter=Q(treated_areas__body_area__in=area_ids)
                )
            )
            .order_by("-shared_areas", "name")
            .only("name", "slug", "is_baseline")[:limit]
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
        """Treatments whose name, summary or how it works match `text`, in
        no particular order. PostgreSQL: full-text and misspelt names, among
        the catalogue's treatments (treatments/models/search.py); SQLite:
        the words as they are typed, anywhere in those fields."""
        if self._full_text():
            return self.filter(
                pk__in=SearchEntry.objects.matching(text).values("treatment_id")
            )
        return self.filter(
            Q(name__icontains=text)
            | Q(summary__icontains=text)
            | Q(how_it_works__icontains=text)
        )

    def best_matches(self, text, *, whole_catalogue=False):
        """These treatments that match `text`, best first, for a Paginator:
        on PostgreSQL ranked SearchResults, on SQLite by name.

        whole_catalogue: these are exactly `catalogue()`, which the search
        entries hold, so counting and ranking need not read the treatments.
        """
        if self._full_text():
            return SearchResults(self, text, within=None if whole_catalogue else self)
        return self.search(text).order_by("name")

    def _full_text(self):
        return connections[self.db].vendor == "postgresql"

    def with_daily_activities(self):
        """Annotate when a person is usually back to daily activities, in
        words (`daily_wording`). The earliest day is stored on the treatment
        (`daily_activities_days`), for the catalogue to sort by."""
        first = first_daily_activities(OuterRef("pk"))
        return self.annotate(daily_wording=Subquery(first.values("wording")[:1]))

    def restate_daily_activities(self):
        """Store on each of these treatments the earliest day of its first
        "back to daily activities" milestone, or None where its source does
        not say, in one UPDATE. treatments/apps.py calls it on every change
        to a treatment or a milestone; call it after a bulk change to them,
        which sends no signals."""
        first = first_daily_activities(OuterRef("pk")).values("days_min")[:1]
        return self.update(daily_activities_days=Subquery(first))

    # "About this information" as the admin indexes it (treatments/
    # attention.py): each treatment's stored keys of the lines it fails.

    def failing_a_line(self, today, key=None):
        """Those that fail the line `key` of their report (any: None) as of
        `today`."""
        from ..attention import failing

        return self.filter(failing(today, key))

    def quality_failures(self, today, limit, count_up_to):
        """The published ones that fail a line, for the review queue: the
        first `limit` by name, with the labels of the lines they fail, and
        how many in all (counted no further than `count_up_to`)."""
        from ..attention import failures

        return failures(self, today, limit, count_up_to)

    def quality_unknown(self):
        """Those whose failing lines are not worked out yet."""
        return self.filter(failing_lines__isnull=True)

    def restate_quality(self):
        """Work out and store the lines each of these fails; call it after a
        bulk change that sends no signals (bulk_create(), update())."""
        from ..attention import restate

        return restate(self)

    def for_list(self):
        return (
            self.select_related("session_plan")
            .prefetch_related(
                Prefetch("body_areas", queryset=BodyArea.objects.order_by("name"))
            )
            .with_daily_activities()
        )

    def for_detail(self):
        """Everything the treatment's page shows: its facts and its public
        change notes."""
        return self.for_comparison().prefetch_related("change_notes")

    def for_reading(self):
        """What the reading of a treatment's page is worked out from: its
        facts, with what labels them (treatments/quality.py)."""
        return self.select_related("session_plan").prefetch_related(
            Prefetch(
                "side_effects", queryset=SideEffect.objects.select_related("effect")
            ),
            "milestones",
            Prefetch(
                "treated_areas",
                queryset=TreatedArea.objects.select_related("body_area"),
            ),
        )

    def for_comparison(self):
        """A comparison shows every fact the treatment's own page does."""
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


@reversion.register(
    follow=(
        "session_plan",
        "treated_areas",
        "side_effects",
        "milestones",
    )
)
class Treatment(Publishable, Readable):
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
    summary = models.CharField(
        "one-line summary",
        max_length=200,
        help_text="Shown under the name and in lists, e.g. “A course of small "
        "injections under the skin.”",
    )
    conditions = models.ManyToManyField(
        Condition, blank=True, related_name="treatments", help_text="What it treats."
    )
    body_areas = models.ManyToManyField(
        BodyArea, through="TreatedArea", related_name="treatments"
    )

    how_it_works = models.TextField(blank=True)
    what_happens = models.TextField("what happens during a session", blank=True)
    invasiveness = models.CharField(
        "how invasive",
        max_length=20,
        choices=Invasiveness,
        help_text="E.g. “Minimally invasive” for injections or a procedure "
        "through small cuts.",
    )
    anaesthesia = models.CharField(
        max_length=20, choices=Anaesthesia, default=Anaesthesia.NOT_STATED
    )
    anaesthesia_details = models.TextField(
        "anaesthesia, in more detail",
        blank=True,
        help_text="Shown after the anaesthesia, e.g. “None is needed; some people "
        "put a numbing cream on first.”",
    )
    how_it_feels = models.TextField(blank=True)
    how_it_feels_brief = brief("how it feels", "Pinching and burning")
    performed_by = models.TextField("who performs it", blank=True)
    performed_by_brief = brief("who performs it", "Usually a doctor")
    before_first_session = models.TextField(
        "before the first session",
        blank=True,
        help_text="What must happen first, such as an allergy test.",
    )
    before_first_session_brief = brief("before the first session", "An allergy test")
    effectiveness = models.TextField(
        "what results to expect",
        blank=True,
        help_text="What the source says about whether and how well it works.",
    )
    effectiveness_brief = brief("what results to expect", "Less cellulite")
    results_duration = models.TextField("how long results last", blank=True)
    results_duration_brief = brief("how long results last", "Permanent")
    maintenance = models.CharField(
        "maintenance",
        max_length=20,
        choices=Maintenance,
        default=Maintenance.NOT_STATED,
    )
    maintenance_details = models.TextField(
        "maintenance, in more detail",
        blank=True,
        help_text="Shown after the maintenance, e.g. “Some people need a top-up "
        "session from time to time.”",
    )
    cautions = models.TextField(
        blank=True, help_text="What a person should be careful about."
    )
    cautions_brief = brief("cautions", "Largely unregulated")
    where_to_have_it = models.TextField("where to have it done", blank=True)
    where_to_have_it_brief = brief("where to have it done", "A specialised clinic")
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
        blank=True,
        help_text="Where in the source the description of the treatment sits; "
        "optional.",
    )
    # Public notes of what changed (editorial.ChangeNote); deleted with it.
    change_notes = GenericRelation(
        "editorial.ChangeNote", related_query_name="treatment"
    )
    is_baseline = models.BooleanField(
        "not a treatment: what happens without one",
        default=False,
        help_text="For comparisons to set beside the treatments, as its own page "
        "says: “Not a treatment: what happens without one”. The list of "
        "treatments leaves it out.",
    )
    # Derived, not content: the earliest day of its first "back to daily
    # activities" milestone (restate_daily_activities()), so that sorting
    # the catalogue by it reads an index, not every match's milestones. Not
    # in fixtures, backups or the edit history (serialize=False).
    daily_activities_days = models.IntegerField(
        null=True, editable=False, serialize=False
    )
    # Derived, not content: the keys of the lines of "About this
    # information" it fails, the day's review aside; NULL until worked out
    # (treatments/attention.py). The admin's index of the report, which
    # pages work out afresh.
    # NULL, not worked out, is not "", none failing.
    failing_lines = models.CharField(  # noqa: DJ001
        "lines of “About this information” not met",
        max_length=100,
        null=True,
        editable=False,
        serialize=False,
    )

    objects = TreatmentQuerySet.as_manager()

    # The facts told in prose that a comparison leads with in a few words
    # (the field of the same name with "_brief": see brief()).
    PROSE_WITH_BRIEF = (
        "how_it_feels",
        "effectiveness",
        "results_duration",
        "before_first_session",
        "performed_by",
        "where_to_have_it",
        "cautions",
    )

    class Meta(Publishable.Meta):
        ordering = ["name"]
        permissions = [("publish_treatment", "Can publish and unpublish treatments")]
        # The catalogue lists published non-baselines by name; its filters
        # narrow by invasiveness and anaesthesia. The primary key comes last
        # so that counting what a filter leaves (and joining it to the body
        # areas) reads these narrow indexes, not the wide rows: 3 ms
        # instead of 26 at 10,000 treatments.
        indexes = [
            models.Index(
                fields=["status", "is_baseline", "name", "id"],
                name="treatment_catalogue_idx",
            ),
            models.Index(
                fields=["status", "is_baseline", "invasiveness", "id"],
                name="treatment_invasiveness_idx",
            ),
            models.Index(
                fields=["status", "is_baseline", "anaesthesia", "id"],
                name="treatment_anaesthesia_idx",
            ),
            # Sorted by when a person is back to daily activities: read in
            # that order, a page at a time (unknown last, as ascending
            # indexes keep nulls).
            models.Index(
                fields=["status", "is_baseline", "daily_activities_days", "name"],
                name="treatment_daily_idx",
            ),
            # "Needs attention" (editorial/queue.py) reads these instead of
            # every treatment: the published ones that fail a line (treatments/
            # attention.py), reviews overdue or due soon, and those scheduled
            # to be unpublished.
            models.Index(
                fields=["name"],
                condition=models.Q(status="published", failing_lines__gt=""),
                name="treatment_failing_idx",
            ),
            models.Index(fields=["next_review_due"], name="treatment_review_due_idx"),
            models.Index(
                fields=["unpublish_at"],
                condition=models.Q(unpublish_at__isnull=False),
                name="treatment_unpublish_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("treatments:detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["treatments.source", "treatments.condition"]

    # What other pages show of a treatment: changing one of these touches
    # NAMES (core/cache/keys.py), where any other change touches only its own
    # pages and the lists.
    NAMED_BY = ("name", "slug", "status", "is_baseline")

    @classmethod
    def from_db(cls, db, field_names, values):
        treatment = super().from_db(db, field_names, values)
        treatment.named_as_loaded = treatment.named_as()
        return treatment

    def named_as(self):
        # __dict__, not getattr: a deferred field is not loaded for this.
        return tuple(self.__dict__.get(field) for field in self.NAMED_BY)

    def cache_scopes(self, *, deleted=False):
        scopes = {record(self), LISTS}
        if deleted or getattr(self, "named_as_loaded", None) != self.named_as():
            scopes.add(NAMES)
        return scopes

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
