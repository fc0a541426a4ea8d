"""
The API's representations: a treatment with every fact its page shows,
each cited (api/fields.py); the body areas; the sources; comparisons with
their key differences; the public change notes.

A treatment is a schema.org MedicalWebPage whose sections (`hasPart`) are
labelled with schema.org's HealthAspectEnumeration, as the NHS website's
content API labels its pages; a fact takes the name schema.org's
MedicalProcedure gives it where one fits (bodyLocation, howPerformed,
procedureType, preparation, followup, adverseOutcome, indication).

Every serializer reads only what the views' querysets have loaded
(`for_detail()`, `for_list()`, `for_comparison()`): none runs a query.
"""

from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from core.cache import absolute_url
from treatments.models import Milestone, SessionPlan, SideEffect, Source, Treatment

from .fields import (
    NOT_STATED,
    ChoiceFact,
    Constant,
    ListFact,
    TextFact,
    blank,
    citation,
    renamed,
    said,
)

SCHEMA_ORG = "https://schema.org"


def aspect(name):
    return f"{SCHEMA_ORG}/{name}HealthAspect"


def site_url(context, path):
    """`path` on the site (DJANGO_SITE_URL, or the request's host)."""
    return absolute_url(context["request"], path)


def api_url(context, name, **kwargs):
    return site_url(context, reverse(f"api:{name}", kwargs=kwargs or None))


def catalogue_url(context, name, **query):
    path = reverse(name)
    return site_url(context, f"{path}?{urlencode(query)}" if query else path)


class Choice(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


def choice_of(record, field, choices):
    """An uncited choice (in a summary): value and label, or a silence."""
    value = getattr(record, field)
    if value == "not-stated":
        return NOT_STATED
    return {"value": value, "label": choices(value).label}


# Sources


class LinkCheck(serializers.Serializer):
    """The last check of the source's address (`manage.py check_sources`)."""

    checked = serializers.BooleanField()
    checkedAt = serializers.DateTimeField(allow_null=True)
    status = serializers.IntegerField(
        allow_null=True, help_text="The HTTP status it answered with; null if none."
    )
    broken = serializers.BooleanField()


class SourceSerializer(serializers.Serializer):
    """A source the content cites (a schema.org CreativeWork)."""

    type_ = Constant("CreativeWork")
    identifier = serializers.CharField(source="slug")
    name = serializers.CharField(source="title")
    kind = serializers.SerializerMethodField()
    publisher = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    dateModified = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    citesStudies = serializers.BooleanField(source="cites_studies")
    fundedByAdvertising = serializers.BooleanField(source="funded_by_advertising")
    notes = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()

    def get_fields(self):
        return renamed(super().get_fields(), type_="@type")

    @extend_schema_field({"$ref": "#/components/schemas/SourceKind"})
    def get_kind(self, source):
        return {"value": source.kind, "label": Source.Kind(source.kind).label}

    @extend_schema_field({"$ref": "#/components/schemas/Said"})
    def get_publisher(self, source):
        return said(source.publisher)

    @extend_schema_field({"$ref": "#/components/schemas/Said"})
    def get_author(self, source):
        return said(source.author)

    @extend_schema_field({"$ref": "#/components/schemas/SaidDate"})
    def get_dateModified(self, source):
        if source.date_updated is None:
            return NOT_STATED
        return {"stated": True, "date": source.date_updated.isoformat()}

    @extend_schema_field({"$ref": "#/components/schemas/SaidUrl"})
    def get_url(self, source):
        return said(source.url)

    @extend_schema_field({"$ref": "#/components/schemas/Said"})
    def get_notes(self, source):
        return said(source.notes)

    @extend_schema_field(LinkCheck)
    def get_link(self, source):
        return LinkCheck(
            {
                "checked": source.link_checked_at is not None,
                "checkedAt": source.link_checked_at,
                "status": source.link_status,
                "broken": source.link_broken,
            }
        ).data


# A treatment's facts


class ConditionSerializer(serializers.Serializer):
    identifier = serializers.CharField(source="slug")
    name = serializers.CharField()
    description = serializers.CharField(source="summary")


class TreatedAreaSerializer(serializers.Serializer):
    identifier = serializers.CharField(source="body_area.slug")
    name = serializers.CharField(source="body_area.name")
    note = serializers.SerializerMethodField(
        help_text="How the source puts it, where that helps."
    )
    citation = serializers.SerializerMethodField()

    @extend_schema_field({"$ref": "#/components/schemas/Said"})
    def get_note(self, treated):
        return said(treated.note)

    @extend_schema_field({"$ref": "#/components/schemas/Citation"})
    def get_citation(self, treated):
        return citation(treated)


class SideEffectSerializer(serializers.Serializer):
    identifier = serializers.CharField(source="effect.slug")
    name = serializers.CharField(source="effect.name")
    frequency = serializers.SerializerMethodField(
        help_text="How common it is: the site's category, read from the source, "
        "and the source's own words where it gives them; a silence where the "
        "source gives no frequency."
    )
    site = ChoiceFact("site", SideEffect.Site, help_text="Where it shows.")
    duration = TextFact("duration", help_text="How long it lasts.")
    whatIsNormal = TextFact("what_is_normal")
    citation = serializers.SerializerMethodField()

    @extend_schema_field({"$ref": "#/components/schemas/Frequency"})
    def get_frequency(self, side_effect):
        if side_effect.frequency == SideEffect.Frequency.NOT_STATED:
            return NOT_STATED
        return {
            "stated": True,
            "value": side_effect.frequency,
            "label": side_effect.get_frequency_display(),
            "inSourceWords": said(side_effect.frequency_wording),
        }

    @extend_schema_field({"$ref": "#/components/schemas/Citation"})
    def get_citation(self, side_effect):
        return citation(side_effect)


class MilestoneSerializer(serializers.Serializer):
    """A point on the recovery and results timeline: the plain words, and
    the range of days read from them (a schema.org QuantitativeValue)."""

    kind = serializers.ChoiceField(choices=Milestone.Kind.choices)
    label = serializers.CharField(source="get_kind_display")
    wording = serializers.CharField(help_text="In plain words, as the page says it.")
    days = serializers.SerializerMethodField(
        help_text="The range read from the wording, in days after the procedure "
        "(after the first session, for a course of sessions)."
    )
    readingNote = serializers.SerializerMethodField(
        help_text="How the days were read from the wording."
    )
    citation = serializers.SerializerMethodField()

    @extend_schema_field({"$ref": "#/components/schemas/DayRange"})
    def get_days(self, milestone):
        return {
            "@type": "QuantitativeValue",
            "minValue": milestone.days_min,
            "maxValue": milestone.days_max,
            "unitCode": "DAY",
        }

    @extend_schema_field({"$ref": "#/components/schemas/Said"})
    def get_readingNote(self, milestone):
        return said(milestone.reading_note)

    @extend_schema_field({"$ref": "#/components/schemas/Citation"})
    def get_citation(self, milestone):
        return citation(milestone)


def plan_fact(plan, summary, low, high, wording, **extra):
    """A figure of the session plan: the page's words for it, the numbers,
    the source's own words; a silence where the source gives neither."""
    if plan is None or (not summary and not wording):
        return NOT_STATED
    return {
        "stated": True,
        "text": summary or None,
        "minValue": low,
        "maxValue": high,
        **extra,
        "inSourceWords": said(wording),
        "citation": citation(plan),
    }


class Section(serializers.Serializer):
    """A part of the page about some aspects of the treatment (schema.org
    HealthTopicContent): `identifier` is the section's id on the page."""

    identifier = None
    aspects = ()

    type_ = Constant("HealthTopicContent")
    headline = serializers.SerializerMethodField(help_text="The page's heading.")
    url = serializers.SerializerMethodField(help_text="The section on the page.")

    def get_fields(self):
        fields = super().get_fields()
        fields["identifier"] = Constant(self.identifier)
        fields["hasHealthAspect"] = Constant(
            [aspect(name) for name in self.aspects],
            help_text="schema.org HealthAspectEnumeration values.",
        )
        first = {"type_": "@type", "identifier": "identifier"}
        ordered = {
            **{name: fields.pop(name) for name in first},
            "headline": fields.pop("headline"),
            "hasHealthAspect": fields.pop("hasHealthAspect"),
            "url": fields.pop("url"),
            **fields,
        }
        return renamed(ordered, type_="@type")

    def get_headline(self, treatment) -> str:
        return self.headlines[treatment.is_baseline]

    def get_url(self, treatment) -> str:
        return f"{self.context['page_url']}#{self.identifier}"


class WhatItIs(Section):
    identifier = "what-it-is"
    headlines = {
        False: "What it is and how it works",
        True: "What happens without treatment",
    }
    aspects = ("HowItWorks", "MayTreat")

    indication = ListFact(
        ConditionSerializer(), source="conditions", help_text="What it treats."
    )
    howItWorks = TextFact("how_it_works")
    bodyLocation = ListFact(
        TreatedAreaSerializer(),
        source="treated_areas",
        help_text="The body areas it is used on.",
    )


class Session(Section):
    identifier = "session"
    headlines = dict.fromkeys((False, True), "What happens during a session")
    aspects = ("PatientExperience",)

    howPerformed = TextFact("what_happens")
    procedureType = ChoiceFact(
        "invasiveness", Treatment.Invasiveness, help_text="How invasive it is."
    )
    anaesthesia = ChoiceFact("anaesthesia", Treatment.Anaesthesia)
    anaesthesiaDetails = TextFact("anaesthesia_details")
    howItFeels = TextFact("how_it_feels")


class Sessions(Section):
    identifier = "sessions"
    headlines = dict.fromkeys((False, True), "How many sessions")
    aspects = ("UsageOrSchedule",)

    numberOfSessions = serializers.SerializerMethodField()
    interval = serializers.SerializerMethodField(
        help_text="The time between sessions, in days."
    )
    resultsAfter = serializers.SerializerMethodField(
        help_text="After how many sessions results usually show."
    )
    readingNote = serializers.SerializerMethodField(
        help_text="How the figures were read from the source's words."
    )

    @staticmethod
    def plan(treatment):
        return getattr(treatment, "session_plan", None)

    @extend_schema_field({"$ref": "#/components/schemas/SessionCount"})
    def get_numberOfSessions(self, treatment):
        plan = self.plan(treatment)
        if plan is None or plan.kind == SessionPlan.Kind.NOT_STATED:
            return NOT_STATED
        fact = plan_fact(
            plan,
            plan.sessions_summary,
            plan.sessions_min,
            plan.sessions_max,
            plan.sessions_wording,
            typicalValue=plan.sessions_typical,
        )
        return {
            **fact,
            "kind": {"value": plan.kind, "label": plan.get_kind_display()},
        }

    @extend_schema_field({"$ref": "#/components/schemas/DaysFigure"})
    def get_interval(self, treatment):
        plan = self.plan(treatment)
        if plan is None:
            return NOT_STATED
        fact = plan_fact(
            plan,
            plan.interval_summary,
            plan.interval_min_days,
            plan.interval_max_days,
            plan.interval_wording,
        )
        return {**fact, "unitCode": "DAY"} if fact["stated"] else fact

    @extend_schema_field({"$ref": "#/components/schemas/SessionsFigure"})
    def get_resultsAfter(self, treatment):
        plan = self.plan(treatment)
        if plan is None:
            return NOT_STATED
        return plan_fact(
            plan,
            plan.results_summary,
            plan.results_after_min,
            plan.results_after_max,
            plan.results_wording,
        )

    @extend_schema_field({"$ref": "#/components/schemas/TextFact"})
    def get_readingNote(self, treatment):
        plan = self.plan(treatment)
        if plan is None or blank(plan.reading_note):
            return NOT_STATED
        return {"stated": True, "text": plan.reading_note, "citation": citation(plan)}


FREQUENCY_RANK = {
    frequency.value: n for n, frequency in enumerate(SideEffect.Frequency)
}


class SideEffects(Section):
    identifier = "side-effects"
    headlines = dict.fromkeys((False, True), "Side effects")
    aspects = ("SideEffects",)

    adverseOutcome = ListFact(
        SideEffectSerializer(),
        source="side_effects",
        order=lambda side_effect: FREQUENCY_RANK[side_effect.frequency],
        help_text="Side effects, most common first, as the page lists them.",
    )


class KindSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Milestone.Kind.choices)
    label = serializers.CharField()


class Recovery(Section):
    identifier = "recovery"
    headlines = dict.fromkeys((False, True), "Recovery and results")
    aspects = ("Prognosis", "Effectiveness")

    followup = ListFact(
        MilestoneSerializer(),
        source="milestones",
        help_text="The recovery and results timeline, in order.",
    )
    silentOn = serializers.SerializerMethodField(
        help_text="Of the questions every reader asks (back to daily "
        "activities, to exercise, first and final results), those the source "
        "does not answer."
    )
    effectiveness = TextFact("effectiveness", help_text="What results to expect.")
    resultsDuration = TextFact("results_duration", help_text="How long results last.")
    maintenance = ChoiceFact("maintenance", Treatment.Maintenance)
    maintenanceDetails = TextFact("maintenance_details")

    @extend_schema_field(KindSerializer(many=True))
    def get_silentOn(self, treatment):
        answered = {milestone.kind for milestone in treatment.milestones.all()}
        return [
            {"kind": kind.value, "label": kind.label}
            for kind in Milestone.KEY_KINDS
            if kind not in answered
        ]


class BeforeYouBook(Section):
    identifier = "before-you-book"
    headlines = dict.fromkeys((False, True), "Before you book")
    aspects = ("GettingAccess", "Safety")

    preparation = TextFact(
        "before_first_session", help_text="What must happen before the first session."
    )
    performedBy = TextFact("performed_by")
    whereToHaveIt = TextFact("where_to_have_it")
    cautions = TextFact("cautions")
    questionsToAsk = serializers.SerializerMethodField(
        help_text="Questions worth asking the clinic: the site's suggestions."
    )

    @extend_schema_field({"$ref": "#/components/schemas/Questions"})
    def get_questionsToAsk(self, treatment):
        questions = treatment.questions
        return {"stated": True, "items": questions} if questions else NOT_STATED


class WhatSourcesSay(Section):
    """For a baseline ("no treatment"): what its sources say happens."""

    identifier = "what-sources-say"
    headlines = dict.fromkeys((False, True), "What the sources say")
    aspects = ("Prognosis",)

    effectiveness = TextFact("effectiveness")
    resultsDuration = TextFact("results_duration")


SECTIONS = [WhatItIs, Session, Sessions, SideEffects, Recovery, BeforeYouBook]
BASELINE_SECTIONS = [WhatItIs, WhatSourcesSay]
ALL_SECTIONS = {section.identifier: section for section in [*SECTIONS, WhatSourcesSay]}


class EvidenceSerializer(serializers.Serializer):
    """How strong the evidence is (treatments/evidence.py): a level that
    follows from what the sources are, never a score."""

    level = serializers.ChoiceField(choices=["high", "moderate", "low"])
    statement = serializers.CharField()
    limits = serializers.ListField(
        child=serializers.CharField(),
        help_text="What a reader should keep in mind about this information.",
    )


class ChangeSerializer(serializers.Serializer):
    text = serializers.CharField()
    dateCreated = serializers.DateTimeField(source="created")


class AreaNameSerializer(serializers.Serializer):
    identifier = serializers.CharField(source="slug")
    name = serializers.CharField()


class TreatmentSummarySerializer(serializers.Serializer):
    """A treatment in a list or a comparison: what the catalogue's card
    shows, and where to fetch every fact (`apiUrl`)."""

    identifier = serializers.CharField(source="slug")
    name = serializers.CharField()
    description = serializers.CharField(source="summary")
    url = serializers.SerializerMethodField(help_text="Its page.")
    apiUrl = serializers.SerializerMethodField(
        help_text="Every fact, with its source: this API's treatment."
    )
    isBaseline = serializers.BooleanField(
        source="is_baseline",
        help_text="Not a treatment but what happens without one, set beside "
        "treatments in comparisons.",
    )
    procedureType = serializers.SerializerMethodField()
    anaesthesia = serializers.SerializerMethodField()
    numberOfSessions = serializers.SerializerMethodField()
    bodyLocation = serializers.SerializerMethodField()
    lastReviewed = serializers.DateField(source="last_reviewed")

    def get_url(self, treatment) -> str:
        return site_url(self.context, treatment.get_absolute_url())

    def get_apiUrl(self, treatment) -> str:
        return api_url(self.context, "treatment", slug=treatment.slug)

    @extend_schema_field(Choice)
    def get_procedureType(self, treatment):
        return choice_of(treatment, "invasiveness", Treatment.Invasiveness)

    @extend_schema_field({"$ref": "#/components/schemas/UncitedChoice"})
    def get_anaesthesia(self, treatment):
        return choice_of(treatment, "anaesthesia", Treatment.Anaesthesia)

    @extend_schema_field({"$ref": "#/components/schemas/Said"})
    def get_numberOfSessions(self, treatment):
        plan = getattr(treatment, "session_plan", None)
        return said(plan.sessions_summary if plan else "")

    @extend_schema_field({"$ref": "#/components/schemas/AreaNames"})
    def get_bodyLocation(self, treatment):
        # What the queryset loaded: a comparison's treated areas, or a
        # list's body areas.
        if "treated_areas" in getattr(treatment, "_prefetched_objects_cache", {}):
            areas = [treated.body_area for treated in treatment.treated_areas.all()]
        else:
            areas = treatment.body_areas.all()
        areas = sorted(areas, key=lambda area: area.name)
        if not areas:
            return NOT_STATED
        return {"stated": True, "items": AreaNameSerializer(areas, many=True).data}


class TreatmentSerializer(serializers.Serializer):
    """A treatment's page as data: every fact, each with its citation."""

    context_ = Constant(SCHEMA_ORG)
    type_ = Constant("MedicalWebPage")
    identifier = serializers.CharField(source="slug")
    name = serializers.CharField()
    description = serializers.CharField(source="summary")
    url = serializers.SerializerMethodField(help_text="The treatment's page.")
    isBaseline = serializers.BooleanField(source="is_baseline")
    lastReviewed = serializers.DateField(
        source="last_reviewed",
        help_text="When an editor last checked it against its sources.",
    )
    nextReviewDue = serializers.DateField(source="next_review_due")
    hasPart = serializers.SerializerMethodField(
        help_text="The page's sections, each labelled with the schema.org "
        "health aspects it covers."
    )
    evidence = serializers.SerializerMethodField()
    citation = serializers.SerializerMethodField(
        help_text="Every source the facts cite, in order of first citation."
    )
    readingNotes = serializers.SerializerMethodField(
        help_text="How the site read its sources, where it interprets them."
    )
    changes = ChangeSerializer(
        source="change_notes.all",
        many=True,
        help_text="Public notes of what changed, newest first (an empty list: "
        "none was written).",
    )

    def get_fields(self):
        return renamed(super().get_fields(), context_="@context", type_="@type")

    def get_url(self, treatment) -> str:
        return site_url(self.context, treatment.get_absolute_url())

    @extend_schema_field(
        PolymorphicProxySerializer(
            component_name="Section",
            serializers=ALL_SECTIONS,
            resource_type_field_name="identifier",
            many=True,
        )
    )
    def get_hasPart(self, treatment):
        context = {**self.context, "page_url": self.get_url(treatment)}
        sections = BASELINE_SECTIONS if treatment.is_baseline else SECTIONS
        return [section(treatment, context=context).data for section in sections]

    @extend_schema_field(EvidenceSerializer)
    def get_evidence(self, treatment):
        return evidence_of(self.context["evidence"])

    @extend_schema_field(SourceSerializer(many=True))
    def get_citation(self, treatment):
        return SourceSerializer(treatment.cited_sources(), many=True).data

    @extend_schema_field({"$ref": "#/components/schemas/Said"})
    def get_readingNotes(self, treatment):
        return said(treatment.reading_notes)


class BodyAreaSerializer(serializers.Serializer):
    """A body area, with the areas inside it (schema.org AnatomicalStructure's
    `subStructure`)."""

    identifier = serializers.CharField(source="slug")
    name = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The catalogue, filtered by it.")
    apiUrl = serializers.SerializerMethodField(
        help_text="This API's catalogue, filtered by it."
    )
    treatmentCount = serializers.IntegerField(
        source="treatment_count",
        help_text="How many treatments a filter on it finds: those of the area, "
        "of the areas inside it, and of the areas it sits inside.",
    )
    subStructure = serializers.SerializerMethodField()

    def get_url(self, area) -> str:
        return catalogue_url(self.context, "treatments:list", body_area=area.slug)

    def get_apiUrl(self, area) -> str:
        return catalogue_url(self.context, "api:treatments", body_area=area.slug)

    @extend_schema_field(
        {"type": "array", "items": {"$ref": "#/components/schemas/BodyArea"}}
    )
    def get_subStructure(self, area):
        children = self.context["tree"].children.get(area.pk, [])
        return BodyAreaSerializer(children, many=True, context=self.context).data


class TreatmentNameSerializer(serializers.Serializer):
    identifier = serializers.CharField(source="slug")
    name = serializers.CharField()
    apiUrl = serializers.SerializerMethodField()

    def get_apiUrl(self, treatment) -> str:
        return api_url(self.context, "treatment", slug=treatment.slug)


class ComparisonSummarySerializer(serializers.Serializer):
    identifier = serializers.CharField(source="slug")
    name = serializers.CharField(source="title")
    description = serializers.CharField(source="introduction")
    url = serializers.SerializerMethodField(help_text="Its page.")
    apiUrl = serializers.SerializerMethodField()
    treatments = serializers.SerializerMethodField()

    def get_url(self, comparison) -> str:
        return site_url(self.context, comparison.get_absolute_url())

    def get_apiUrl(self, comparison) -> str:
        return api_url(self.context, "comparison", slug=comparison.slug)

    @extend_schema_field(TreatmentNameSerializer(many=True))
    def get_treatments(self, comparison):
        treatments = [item.treatment for item in comparison.items.all()]
        return TreatmentNameSerializer(treatments, many=True, context=self.context).data


class KeyDifferenceSerializer(serializers.Serializer):
    name = serializers.CharField(source="label", help_text="What it is about.")
    text = serializers.CharField()
    url = serializers.SerializerMethodField(
        help_text="The row of the comparison's table it speaks of."
    )

    def get_url(self, difference) -> str:
        return f"{self.context['page_url']}#{difference.anchor}"


class ComparisonSerializer(serializers.Serializer):
    """A comparison of 2 to 4 treatments: curated (with its identifier and
    introduction) or ad hoc (both null)."""

    context_ = Constant(SCHEMA_ORG)
    type_ = Constant("MedicalWebPage")
    identifier = serializers.CharField(source="comparison.slug", allow_null=True)
    name = serializers.CharField(source="title")
    description = serializers.CharField(
        source="comparison.introduction",
        allow_null=True,
        help_text="A curated comparison's introduction.",
    )
    url = serializers.URLField(help_text="The comparison's page.")
    treatments = TreatmentSummarySerializer(many=True)
    keyDifferences = serializers.SerializerMethodField(
        help_text="3 to 5 contrasts of what the sources answer, and answer "
        "differently, as the page gives them."
    )
    leftOut = serializers.SerializerMethodField(
        help_text="What some of the sources cover and others do not, in one "
        "line: a gap in a source, not a difference between the treatments."
    )
    baselineNote = serializers.SerializerMethodField(
        help_text="What a baseline (no procedure) does not involve."
    )
    evidence = serializers.SerializerMethodField()
    lastReviewed = serializers.DateField(source="reviewed.last_reviewed")
    nextReviewDue = serializers.DateField(source="reviewed.next_review_due")

    def get_fields(self):
        return renamed(super().get_fields(), context_="@context", type_="@type")

    @extend_schema_field(KeyDifferenceSerializer(many=True))
    def get_keyDifferences(self, data):
        context = {**self.context, "page_url": data["url"]}
        return KeyDifferenceSerializer(
            data["key_differences"].items, many=True, context=context
        ).data

    @extend_schema_field({"$ref": "#/components/schemas/Said"})
    def get_leftOut(self, data):
        return said(data["key_differences"].unsaid)

    @extend_schema_field({"$ref": "#/components/schemas/Said"})
    def get_baselineNote(self, data):
        return said(data["key_differences"].baseline)

    @extend_schema_field(EvidenceSerializer)
    def get_evidence(self, data):
        return evidence_of(data["evidence"])


def evidence_of(evidence):
    return {
        "level": evidence.level,
        "statement": evidence.statement,
        "limits": evidence.limits,
    }


class NoteAboutSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["treatment", "comparison"], source="_meta.model_name"
    )
    identifier = serializers.CharField(source="slug")
    name = serializers.CharField(source="__str__")
    url = serializers.SerializerMethodField()
    apiUrl = serializers.SerializerMethodField()

    def get_url(self, record) -> str:
        return site_url(self.context, record.get_absolute_url())

    def get_apiUrl(self, record) -> str:
        return api_url(self.context, record._meta.model_name, slug=record.slug)


class ChangeNoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    dateCreated = serializers.DateTimeField(source="created")
    about = NoteAboutSerializer(source="record")


class BodyAreaTreeSerializer(serializers.Serializer):
    results = BodyAreaSerializer(many=True, help_text="The outermost areas.")
