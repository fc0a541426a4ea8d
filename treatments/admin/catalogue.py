"""What treatments refer to: sources, body areas, side-effect kinds,
conditions."""

from django.contrib import admin, messages
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date

from core.admin import EditorInlineMixin
from core.cache import ContentVersion
from editorial.admin import ContentAdmin, ImportExportAdmin, ReadingAges

from .. import resources
from ..attention import sources_rechecked
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


class TextFilter(admin.SimpleListFilter):
    title = "text"
    parameter_name = "text"

    def lookups(self, request, model_admin):
        return [("changed", "Changed since its facts were checked")]

    def queryset(self, request, queryset):
        if self.value() == "changed":
            return queryset.text_changed()
        return queryset


class CatalogueImportExport(ImportExportAdmin):
    """Import and export of the catalogue, whose files are imported in the
    order of resources.CATALOGUE."""

    import_sequence = resources.CATALOGUE


@admin.register(Source)
class SourceAdmin(CatalogueImportExport, ContentAdmin):
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
    list_filter = ["kind", LinkFilter, TextFilter]
    search_fields = ["title", "publisher", "author", "url"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["link_check", "text_check"]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("publisher", "author"), "date_updated"]}),
        (
            "How strong its evidence is",
            {"fields": ["kind", ("cites_studies", "funded_by_advertising")]},
        ),
        ("Address", {"fields": ["url", "link_check", "text_check"]}),
        ("For readers", {"fields": ["notes"]}),
    ]
    actions = ["confirm_facts"]

    @admin.action(
        description="I checked the facts against the new text", permissions=["change"]
    )
    def confirm_facts(self, request, queryset):
        """The facts citing these sources still hold (or were corrected):
        the pages stop saying that the source changed since they were
        checked. A check, not an edit of the source: no history, nothing
        waiting for a publisher."""
        changed = list(queryset.text_changed().order_by("title"))
        if not changed:
            self.message_user(
                request,
                "None of the selected sources has changed since its facts were "
                "checked: nothing to confirm.",
                messages.WARNING,
            )
            return
        with transaction.atomic():
            Source.objects.filter(pk__in=[s.pk for s in changed]).update(
                text_changed_at=None, facts_checked_at=timezone.now()
            )
            # The pages citing them drop their notice, and may meet
            # "About this information" again (treatments/attention.py).
            ContentVersion.bump()
            sources_rechecked.send(sender=Source, pks=[s.pk for s in changed])
        titles = ", ".join(f"“{source}”" for source in changed)
        self.message_user(
            request,
            f"The facts citing {titles} are checked against the new text: the "
            "pages no longer say that the source changed.",
            messages.SUCCESS,
        )

    @admin.display(boolean=True, description="address works")
    def link_works(self, source):
        """✓ answered, ✗ broken at the last check, blank if never checked."""
        if source.link_checked_at is None:
            return None
        return not source.link_broken

    @admin.display(description="last check")
    def link_check(self, source):
        if source.link_checked_at is None:
            return (
                "Not checked yet. The site checks every source's address "
                "regularly; a broken one is flagged in the list of sources."
            )
        when = source.link_checked_at.strftime("%d %B %Y, %H:%M")
        if source.link_broken:
            reason = (
                f"answered {source.link_status}"
                if source.link_status
                else source.link_error or "no answer"
            )
            return f"Broken on {when}: {reason}."
        return f"Answered {source.link_status} on {when}."

    @admin.display(description="its text")
    def text_check(self, source):
        if source.text_changed_at is not None:
            cited = source.citing_pages()
            by = f" They are on {cited}." if cited else ""
            when = format_date(timezone.localtime(source.text_changed_at), "j F Y")
            return (
                f"Changed on {when}"
                " since the facts citing it were checked: every page citing it "
                f"says so beside them.{by} Check them against the new text and "
                "correct any that no longer hold; then, in the list of sources, "
                "select it and choose “I checked the facts against the new text”."
            )
        if not source.text_fingerprint:
            return (
                "Not read yet. The regular check of its address also keeps a "
                "fingerprint of its text, and flags its facts when the text "
                "changes."
            )
        checked = (
            f" Its facts were last checked against it on "
            f"{format_date(timezone.localtime(source.facts_checked_at), 'j F Y')}."
            if source.facts_checked_at
            else ""
        )
        return f"Unchanged since its facts were checked.{checked}"


@admin.register(BodyArea)
class BodyAreaAdmin(CatalogueImportExport, ContentAdmin):
    resource_classes = [resources.BodyAreaResource]
    list_display = ["name", "parent", "slug"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Effect)
class EffectAdmin(CatalogueImportExport, ContentAdmin):
    resource_classes = [resources.EffectResource]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ConditionFactInline(ReadingAges, EditorInlineMixin, admin.TabularInline):
    model = ConditionFact
    fields = ["order", "text", "source", "source_location"]
    list_select_related = ["condition"]
    shared_choice_fields = ["source"]
    extra = 0


@admin.register(Condition)
class ConditionAdmin(CatalogueImportExport, ContentAdmin):
    resource_classes = [resources.ConditionResource, resources.ConditionFactResource]
    list_display = ["name", "summary"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ConditionFactInline]

    def has_delete_permission(self, request, obj=None):
        # Deleting a condition takes it off the pages of the treatments for
        # it: a publisher's decision while a published one treats it.
        if (
            obj is not None
            and not self.has_publish_permission(request)
            and obj.treatments.published().exists()
        ):
            return False
        return super().has_delete_permission(request, obj)
