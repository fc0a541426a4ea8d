"""What treatments refer to: sources, body areas, side-effect kinds,
conditions."""

from django.contrib import admin
from django.db import models

from core.admin import EditorInlineMixin
from editorial.admin import ContentAdmin, ImportExportAdmin

from .. import resources
from ..models import BodyArea, Condition, ConditionFact, Effect, Source


class LinkFilter(admin.SimpleListFilter):
    title = "address"
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [("broken", "Broken at the last check"), ("unchecked", "Not checked")]

    def queryset(self, request, queryset):
        if self.value() == "broken":
            return queryset.link_broken()
        if self.value() == "unchecked":
            return queryset.filter(link_checked_at__isnull=True)
        return queryset


@admin.register(Source)
class SourceAdmin(ImportExportAdmin, ContentAdmin):
    resource_classes = [resources.SourceResource]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "title",
        "kind",
        "publisher",
        "date_updated",
        "link_works",
        "link_checked_at",
    ]
    list_filter = ["kind", LinkFilter]
    search_fields = ["title", "publisher", "author", "url"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["link_check"]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("publisher", "author"), "date_updated"]}),
        (
            "How strong its evidence is",
            {"fields": ["kind", ("cites_studies", "funded_by_advertising")]},
        ),
        ("Address", {"fields": ["url", "link_check"]}),
        ("For readers", {"fields": ["notes"]}),
    ]

    @admin.display(boolean=True, description="address works")
    def link_works(self, source):
        """✓ answered, ✗ broken at the last check, blank if never checked."""
        if source.link_checked_at is None:
            return None
        return not source.link_broken

    @admin.display(description="last check")
    def link_check(self, source):
        if source.link_checked_at is None:
            return "Not checked yet (manage.py check_sources checks every address)."
        when = source.link_checked_at.strftime("%d %B %Y, %H:%M")
        if source.link_broken:
            reason = (
                f"answered {source.link_status}"
                if source.link_status
                else source.link_error or "no answer"
            )
            return f"Broken on {when}: {reason}."
        return f"Answered {source.link_status} on {when}."

    def save_model(self, request, obj, form, change):
        if "url" in form.changed_data:
            # The last check was of the old address.
            obj.link_status = obj.link_checked_at = None
            obj.link_error = ""
        super().save_model(request, obj, form, change)


@admin.register(BodyArea)
class BodyAreaAdmin(ImportExportAdmin, ContentAdmin):
    resource_classes = [resources.BodyAreaResource]
    list_display = ["name", "parent", "slug"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Effect)
class EffectAdmin(ImportExportAdmin, ContentAdmin):
    resource_classes = [resources.EffectResource]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ConditionFactInline(EditorInlineMixin, admin.TabularInline):
    model = ConditionFact
    fields = ["order", "text", "source", "source_location"]
    list_select_related = ["condition"]
    shared_choice_fields = ["source"]
    extra = 0


@admin.register(Condition)
class ConditionAdmin(ImportExportAdmin, ContentAdmin):
    resource_classes = [resources.ConditionResource, resources.ConditionFactResource]
    list_display = ["name", "summary"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ConditionFactInline]
