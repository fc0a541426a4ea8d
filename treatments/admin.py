from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.forms import Textarea, TextInput
from django.shortcuts import redirect
from django.utils.translation import ngettext

from core.admin import ContentAdmin
from core.publishing import Status

from .models import (
    BodyArea,
    Condition,
    ConditionFact,
    Effect,
    Milestone,
    SessionPlan,
    SideEffect,
    Source,
    TreatedArea,
    Treatment,
)

CITATION_FIELDS = ("source", "source_location")


# Three-line text boxes and wide one-line inputs: the content is short prose.
COMPACT_TEXT = {
    models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 80})},
    models.CharField: {"widget": TextInput(attrs={"class": "vLargeTextField"})},
}


class CitedInline:
    """Start each new fact with the parent's own source, the usual case; and
    list the sources once per page, not once per inline form."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "source":
            if not hasattr(request, "source_choices"):
                # Iterated, not list(choices): that would COUNT them first.
                request.source_choices = [*iter(field.choices)]
            field.choices = request.source_choices
        return field

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        source = getattr(obj, "source_id", None)
        if source is not None and "source" in formset.form.base_fields:
            formset.form.base_fields["source"].initial = source
        return formset


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "publisher", "author", "date_updated"]
    search_fields = ["title", "publisher", "author", "url"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(BodyArea)
class BodyAreaAdmin(ContentAdmin):
    list_display = ["name", "parent", "slug"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


class ConditionFactInline(CitedInline, admin.TabularInline):
    model = ConditionFact
    fields = ["order", "text", *CITATION_FIELDS]
    extra = 0


@admin.register(Condition)
class ConditionAdmin(ContentAdmin):
    list_display = ["name", "summary"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ConditionFactInline]


@admin.register(Effect)
class EffectAdmin(ContentAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SessionPlanInline(CitedInline, admin.StackedInline):
    model = SessionPlan
    formfield_overrides = COMPACT_TEXT
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
                "fields": [
                    ("interval_min_days", "interval_max_days"),
                    "interval_wording",
                ]
            },
        ),
        (
            "When results show",
            {"fields": [("results_after_min", "results_after_max"), "results_wording"]},
        ),
        ("Source", {"fields": [*CITATION_FIELDS, "reading_note"]}),
    ]


class TreatedAreaInline(CitedInline, admin.StackedInline):
    model = TreatedArea
    fields = [("body_area", "note"), CITATION_FIELDS]
    autocomplete_fields = ["body_area"]
    extra = 0


class SideEffectInline(CitedInline, admin.StackedInline):
    model = SideEffect
    formfield_overrides = COMPACT_TEXT
    fields = [
        ("effect", "frequency", "site"),
        "frequency_wording",
        ("duration", "what_is_normal"),
        CITATION_FIELDS,
    ]
    autocomplete_fields = ["effect"]
    extra = 0


class MilestoneInline(CitedInline, admin.StackedInline):
    model = Milestone
    formfield_overrides = COMPACT_TEXT
    fields = [
        ("order", "kind"),
        ("days_min", "days_max"),
        "wording",
        "reading_note",
        CITATION_FIELDS,
    ]
    extra = 0


@admin.register(Treatment)
class TreatmentAdmin(ContentAdmin):
    formfield_overrides = COMPACT_TEXT
    list_display = [
        "name",
        "invasiveness",
        "anaesthesia",
        "status",
        "last_reviewed",
        "source",
    ]
    list_select_related = ["source"]
    list_filter = ["status", "invasiveness", "anaesthesia", "body_areas"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["conditions"]
    date_hierarchy = "last_reviewed"
    save_on_top = True
    actions = ["publish", "unpublish"]
    inlines = [SessionPlanInline, TreatedAreaInline, SideEffectInline, MilestoneInline]
    fieldsets = [
        ("What it is", {"fields": ["name", "slug", "summary", "conditions"]}),
        (
            "How it works and what happens",
            {
                "fields": [
                    "how_it_works",
                    "what_happens",
                    "invasiveness",
                    "anaesthesia",
                    "anaesthesia_details",
                    "how_it_feels",
                    "how_it_feels_brief",
                ]
            },
        ),
        (
            "Results",
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
        ("Source", {"fields": [*CITATION_FIELDS, "reading_notes"]}),
        ("Publishing", {"fields": ["status", "last_reviewed", "next_review_due"]}),
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

    @admin.action(
        description="Publish the selected treatments", permissions=["publish"]
    )
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "published")

    @admin.action(
        description="Unpublish the selected treatments (back to draft)",
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "unpublished")

    def has_publish_permission(self, request):
        return request.user.has_perm("treatments.publish_treatment")

    def _set_status(self, request, queryset, status, done):
        # Save one by one so that anything listening to saves hears of it.
        changed = 0
        for treatment in queryset.exclude(status=status):
            treatment.status = status
            treatment.save(update_fields=["status"])
            changed += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d treatment %(done)s.",
                "%(count)d treatments %(done)s.",
                changed,
            )
            % {"count": changed, "done": done},
            messages.SUCCESS,
        )


class TreatmentFactAdmin(ContentAdmin):
    """Shared set-up for facts that belong to one treatment."""

    list_select_related = ["treatment", "source"]
    search_fields = ["treatment__name"]
    autocomplete_fields = ["treatment"]


@admin.register(SessionPlan)
class SessionPlanAdmin(TreatmentFactAdmin):
    list_display = [
        "treatment",
        "kind",
        "sessions_typical",
        "interval_min_days",
        "interval_max_days",
        "source",
    ]
    list_filter = ["kind"]
    fieldsets = SessionPlanInline.fieldsets[:1] + [
        (None, {"fields": ["treatment"]}),
        *SessionPlanInline.fieldsets[1:],
    ]


@admin.register(TreatedArea)
class TreatedAreaAdmin(TreatmentFactAdmin):
    list_display = ["treatment", "body_area", "source", "source_location"]
    list_select_related = ["treatment", "body_area", "source"]
    list_filter = ["body_area"]
    search_fields = ["treatment__name", "body_area__name"]
    autocomplete_fields = ["treatment", "body_area"]


@admin.register(SideEffect)
class SideEffectAdmin(TreatmentFactAdmin):
    list_display = ["effect", "treatment", "frequency", "site", "source"]
    list_select_related = ["effect", "treatment", "source"]
    list_filter = ["frequency", "site", "effect"]
    search_fields = ["effect__name", "treatment__name"]
    autocomplete_fields = ["treatment", "effect"]


@admin.register(Milestone)
class MilestoneAdmin(TreatmentFactAdmin):
    list_display = [
        "treatment",
        "order",
        "kind",
        "wording",
        "days_min",
        "days_max",
        "source",
    ]
    list_filter = ["kind"]
    search_fields = ["treatment__name", "wording"]
