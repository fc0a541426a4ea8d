from django.contrib import admin

from core.admin import EditorInlineMixin
from editorial.admin import (
    PublishableAdmin,
    ReadableAdmin,
    ReadingLevelFilter,
    ReviewDueFilter,
)
from treatments.admin.attention import FailsALineFilter

from . import quality
from .models import MAX_TREATMENTS, MIN_TREATMENTS, Comparison, ComparisonItem


class ComparisonItemInline(EditorInlineMixin, admin.TabularInline):
    model = ComparisonItem
    fields = ["position", "treatment"]
    # One list of treatments for the page, not a query per column.
    shared_choice_fields = ["treatment"]
    list_select_related = ["comparison", "treatment"]
    extra = 0
    min_num = MIN_TREATMENTS
    max_num = MAX_TREATMENTS

    def get_formset(self, request, obj=None, **kwargs):
        # The admin sets min_num and max_num but does not enforce them.
        kwargs.setdefault("validate_min", True)
        kwargs.setdefault("validate_max", True)
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "treatment":
            kwargs["queryset"] = db_field.related_model.objects.only("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Comparison)
class ComparisonAdmin(ReadableAdmin, PublishableAdmin):
    list_display = [
        "title",
        "status",
        "publication",
        "next_review_due",
        "reading_age_column",
        "focus_area",
    ]
    list_select_related = ["focus_area"]
    list_filter = [
        "status",
        ReviewDueFilter,
        FailsALineFilter,
        ReadingLevelFilter,
        "focus_area",
    ]
    search_fields = ["title", "introduction", "treatments__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["focus_area"]
    save_on_top = True
    inlines = [ComparisonItemInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "introduction", "focus_area"]}),
        ("Publishing", {"fields": PublishableAdmin.publishing_fields}),
    ]

    def quality_report(self, obj):
        return quality.report_of_saved(obj)
