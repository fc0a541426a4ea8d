"""A treatment and its facts, on one page laid out as the public page is."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.shortcuts import redirect

from core.admin import EditorInlineMixin
from editorial.admin import ImportExportAdmin, PublishableAdmin, ReviewDueFilter

from .. import resources
from ..models import Milestone, SessionPlan, SideEffect, TreatedArea, Treatment

# A fact's citation: folded away, since it is usually the treatment's own.
CITATION = (
    "Source",
    {"classes": ["collapse"], "fields": ["source", "source_location"]},
)


class FactInline(EditorInlineMixin):
    """A fact of the treatment. Its source is the treatment's unless the
    editor picks another (CitedModel.take_parent_source); select lists are
    read once per page; only "add another" beside each list, for a new
    kind of side effect or body area."""

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


class SessionPlanInline(FactInline, admin.StackedInline):
    model = SessionPlan
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
            "Between sessions",
            {
                "classes": ["collapse"],
                "fields": [
                    ("interval_min_days", "interval_max_days"),
                    "interval_wording",
                ],
            },
        ),
        (
            "When results show",
            {
                "classes": ["collapse"],
                "fields": [
                    ("results_after_min", "results_after_max"),
                    "results_wording",
                ],
            },
        ),
        (
            "Source and how the figures were read",
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
    # A row each: the areas are short, and a table shows them at a glance.
    fields = ["body_area", "note", "source", "source_location"]
    shared_choice_fields = ["source", "body_area"]
    list_select_related = ["treatment", "source", "body_area"]


class SideEffectInline(NewTreatmentExtra, FactInline, admin.StackedInline):
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


class MilestoneInline(FactInline, admin.StackedInline):
    model = Milestone
    fieldsets = [
        (None, {"fields": [("order", "kind", "wording"), ("days_min", "days_max")]}),
        (
            "Source and how the days were read",
            {
                "classes": ["collapse"],
                "fields": ["source", "source_location", "reading_note"],
            },
        ),
    ]
    extra = 0


@admin.register(Treatment)
class TreatmentAdmin(ImportExportAdmin, PublishableAdmin):
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
        "next_review_due",
        "invasiveness",
        "source",
    ]
    list_select_related = ["source"]
    list_filter = [
        "status",
        ReviewDueFilter,
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
    # In the order of the public page; the facts follow as inlines.
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "summary", ("invasiveness", "anaesthesia")]},
        ),
        ("What it is and how it works", {"fields": ["conditions", "how_it_works"]}),
        (
            "What happens during a session",
            {"fields": ["what_happens", "how_it_feels", "anaesthesia_details"]},
        ),
        (
            "Recovery and results",
            {
                "fields": [
                    "effectiveness",
                    "results_duration",
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
                    "performed_by",
                    "where_to_have_it",
                    "cautions",
                    "questions_to_ask",
                ]
            },
        ),
        (
            "In a few words, for comparisons",
            {
                "classes": ["collapse"],
                "description": "The short answer a comparison leads with, where "
                "the fuller text above is prose: “Not especially painful”, "
                "“Usually a doctor”. Blank: the comparison says “Stated in its "
                "source” and shows the text above.",
                "fields": [
                    "how_it_feels_brief",
                    "effectiveness_brief",
                    "results_duration_brief",
                    "before_first_session_brief",
                    "performed_by_brief",
                    "where_to_have_it_brief",
                    "cautions_brief",
                ],
            },
        ),
        ("Source", {"fields": [("source", "source_location")]}),
        (
            "How we read the source",
            {"classes": ["collapse"], "fields": ["reading_notes"]},
        ),
        ("Publishing", {"fields": PublishableAdmin.publishing_fields}),
        ("Baseline", {"classes": ["collapse"], "fields": ["is_baseline"]}),
    ]

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
