"""A treatment and its facts, on one page laid out as the public page is,
worded as the page words them: each "in a few words" answer for
comparisons right after the text it sums up, and needed when that text
has any."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.shortcuts import redirect

from core.admin import EditorInlineMixin
from editorial.admin import (
    PublishableAdmin,
    PublishableForm,
    ReadableAdmin,
    ReadingAges,
    ReadingLevelFilter,
    ReviewDueFilter,
)

from .. import quality, resources
from ..models import Milestone, SessionPlan, SideEffect, TreatedArea, Treatment
from .attention import FailsALineFilter
from .catalogue import CatalogueImportExport

# A fact's citation: folded away, since it is usually the treatment's own.
CITATION = (
    "Source",
    {"classes": ["collapse"], "fields": ["source", "source_location"]},
)


class FactInline(ReadingAges, EditorInlineMixin):
    """A fact of the treatment. Its source is the treatment's unless the
    editor picks another (CitedModel.take_parent_source); select lists are
    read once per page; only "add another" beside each list, for a new
    kind of side effect or body area. A blank form is headed "New side
    effect", not "Side effect: #1" (templates/admin/edit_inline/)."""

    shared_choice_fields = ["source"]
    list_select_related = ["treatment", "source"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            kwargs.update(required=False, empty_label="The treatment’s source")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            if db_field.name == "source":
                field.widget = field.widget.widget
            else:
                field.widget.can_change_related = False
                field.widget.can_delete_related = False
                field.widget.can_view_related = False
        return field


class FactStackedInline(FactInline, admin.StackedInline):
    template = "admin/edit_inline/fact_stacked.html"


class SessionPlanInline(FactStackedInline):
    model = SessionPlan
    # As the public page heads its section.
    verbose_name = "how many sessions"
    verbose_name_plural = "how many sessions"
    fieldsets = [
        (None, {"fields": ["kind"]}),
        (
            "Number of sessions",
            {
                "fields": [
                    ("sessions_min", "sessions_typical", "sessions_max"),
                    "sessions_wording",
                ]
            },
        ),
        (
            "Time between sessions",
            {
                "classes": ["collapse"],
                "fields": [
                    ("interval_min_days", "interval_max_days"),
                    "interval_wording",
                ],
            },
        ),
        (
            "When results usually show",
            {
                "classes": ["collapse"],
                "fields": [
                    ("results_after_min", "results_after_max"),
                    "results_wording",
                ],
            },
        ),
        (
            "Source and how we read it",
            {
                "classes": ["collapse"],
                "fields": ["source", "source_location", "reading_note"],
            },
        ),
    ]


class NewTreatmentExtra:
    """A blank form on a new treatment's page, none on an existing one's:
    "Add another" is there for more."""

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0


class TreatedAreaInline(NewTreatmentExtra, FactInline, admin.TabularInline):
    model = TreatedArea
    verbose_name = "body area it is used on"
    verbose_name_plural = "body areas it is used on"
    # A row each: the areas are short, and a table shows them at a glance.
    fields = ["body_area", "note", "source", "source_location"]
    shared_choice_fields = ["source", "body_area"]
    list_select_related = ["treatment", "source", "body_area"]


class SideEffectInline(NewTreatmentExtra, FactStackedInline):
    model = SideEffect
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("effect", "frequency"),
                    ("site", "frequency_wording"),
                    ("duration", "what_is_normal"),
                ]
            },
        ),
        CITATION,
    ]
    shared_choice_fields = ["source", "effect"]
    list_select_related = ["treatment", "source", "effect"]


class MilestoneInline(FactStackedInline):
    """Its number is not asked for: the timeline follows the days, and a
    new milestone takes the next number (Milestone.save)."""

    model = Milestone
    verbose_name_plural = "recovery and results: milestones"
    fieldsets = [
        (None, {"fields": [("kind", "wording"), ("days_min", "days_max")]}),
        (
            "Source and how we read the days",
            {
                "classes": ["collapse"],
                "fields": ["source", "source_location", "reading_note"],
            },
        ),
    ]
    extra = 0


class TreatmentForm(PublishableForm):
    """A text told in prose needs its few words for comparisons: without
    them a comparison could only point to the text."""

    def clean(self):
        cleaned = super().clean()
        for name in Treatment.PROSE_WITH_BRIEF:
            brief = f"{name}_brief"
            if name in self.fields and brief in self.fields:
                if cleaned.get(name) and not cleaned.get(brief):
                    self.add_error(
                        brief,
                        ValidationError(
                            "Sum up “%(text)s” in a few words too: a comparison "
                            "shows them first.",
                            code="brief-needed",
                            params={"text": self.fields[name].label},
                        ),
                    )
        return cleaned


@admin.register(Treatment)
class TreatmentAdmin(CatalogueImportExport, ReadableAdmin, PublishableAdmin):
    form = TreatmentForm
    # The treatments, or one kind of their facts, a file each.
    resource_classes = [
        resources.TreatmentResource,
        resources.SessionPlanResource,
        resources.TreatedAreaResource,
        resources.SideEffectResource,
        resources.MilestoneResource,
    ]
    list_display = [
        "name",
        "status",
        "publication",
        "next_review_due",
        "reading_age_column",
        "invasiveness",
        "source",
    ]
    list_select_related = ["source"]
    list_filter = [
        "status",
        ReviewDueFilter,
        FailsALineFilter,
        ReadingLevelFilter,
        "invasiveness",
        "anaesthesia",
        "body_areas",
    ]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {
        models.ManyToManyField: {"widget": CheckboxSelectMultiple},
    }
    save_on_top = True
    inlines = [SessionPlanInline, TreatedAreaInline, SideEffectInline, MilestoneInline]
    # In the order of the public page; the facts follow as inlines. Each
    # "in a few words" field follows the text it sums up.
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "summary", ("invasiveness", "anaesthesia")]},
        ),
        ("What it is and how it works", {"fields": ["conditions", "how_it_works"]}),
        (
            "What happens during a session",
            {
                "fields": [
                    "what_happens",
                    "how_it_feels",
                    "how_it_feels_brief",
                    "anaesthesia_details",
                ]
            },
        ),
        (
            "Recovery and results",
            {
                "fields": [
                    "effectiveness",
                    "effectiveness_brief",
                    "results_duration",
                    "results_duration_brief",
                    "maintenance",
                    "maintenance_details",
                ]
            },
        ),
        (
            "Before you book",
            {
                "fields": [
                    "before_first_session",
                    "before_first_session_brief",
                    "performed_by",
                    "performed_by_brief",
                    "where_to_have_it",
                    "where_to_have_it_brief",
                    "cautions",
                    "cautions_brief",
                    "questions_to_ask",
                ]
            },
        ),
        ("Source", {"fields": [("source", "source_location")]}),
        (
            "How we read the source",
            {"classes": ["collapse"], "fields": ["reading_notes"]},
        ),
        ("Publishing", {"fields": PublishableAdmin.publishing_fields}),
        (
            "For comparisons: what happens without treatment",
            {"classes": ["collapse"], "fields": ["is_baseline"]},
        ),
    ]

    def quality_report(self, obj):
        return quality.report_of_saved(obj)

    def delete_view(self, request, object_id, extra_context=None):
        treatment = self.get_object(request, unquote(object_id))
        comparisons = list(treatment.comparisons.all()) if treatment else []
        if comparisons:
            titles = ", ".join(f"“{comparison}”" for comparison in comparisons)
            self.message_user(
                request,
                f"“{treatment}” cannot be deleted: the comparison "
                f"{titles} uses it. Take it out of "
                f"{'that comparison' if len(comparisons) == 1 else 'those comparisons'}"
                " first, or unpublish it to hide it from the public.",
                messages.ERROR,
            )
            return redirect("admin:treatments_treatment_change", treatment.pk)
        return super().delete_view(request, object_id, extra_context)
