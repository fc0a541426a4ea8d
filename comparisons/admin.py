from django.contrib import admin

from core.admin import ContentAdmin

from .models import MAX_TREATMENTS, MIN_TREATMENTS, Comparison, ComparisonItem


class ComparisonItemInline(admin.TabularInline):
    model = ComparisonItem
    fields = ["position", "treatment"]
    autocomplete_fields = ["treatment"]
    extra = 0
    min_num = MIN_TREATMENTS
    max_num = MAX_TREATMENTS

    def get_formset(self, request, obj=None, **kwargs):
        # The admin sets min_num and max_num but does not enforce them.
        kwargs.setdefault("validate_min", True)
        kwargs.setdefault("validate_max", True)
        return super().get_formset(request, obj, **kwargs)


@admin.register(Comparison)
class ComparisonAdmin(ContentAdmin):
    list_display = ["title", "status", "focus_area", "last_reviewed"]
    list_select_related = ["focus_area"]
    list_filter = ["status", "focus_area"]
    search_fields = ["title", "introduction", "treatments__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["focus_area"]
    save_on_top = True
    inlines = [ComparisonItemInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "introduction", "focus_area"]}),
        ("Publishing", {"fields": ["status", "last_reviewed", "next_review_due"]}),
    ]
