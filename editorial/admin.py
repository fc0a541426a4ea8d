"""
What editors do with content in the admin.

- ContentAdmin: history, compare and revert for every record
  (django-reversion-compare).
- ImportExportAdmin: import and export as CSV or XLSX.
- PublishableAdmin: the status workflow of editorial/publishing.py. Editors
  write drafts and submit them for review; only publishers publish or
  unpublish, through the status field or the list's actions. Review-date
  filters, and a public change note on each save (editorial/changes.py).
"""

import datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm
from reversion_compare.admin import CompareVersionAdmin

from core.admin import EditorFormsMixin
from core.text import tidy

from .changes import NOTE_LENGTH, ChangeNote, note_change
from .imports import SafeImportMixin
from .publishing import Status

DUE_SOON_DAYS = 30


class ContentAdmin(EditorFormsMixin, CompareVersionAdmin):
    """Every change is kept, with who made it and when: each page has a
    history, any two versions can be compared, and an earlier one restored
    (a treatment with its side effects, milestones, areas and session plan,
    which it follows; see the models' reversion.register)."""

    history_latest_first = True


class ImportExportAdmin(SafeImportMixin, ImportExportMixin):
    """Import and export as CSV or XLSX (django-import-export): the
    library's preview comes before anything is written, and a file with a
    bad row writes nothing (see treatments/resources.py). Those who may add
    and change records may import; those who may view them, export. Limits,
    private uploads and inert cells: editorial/imports.py."""

    # Every field of the chosen file, without the per-field tick boxes:
    # that form's "select all" is an inline script, which the site's
    # Content-Security-Policy refuses.
    export_form_class = ExportForm
    # The message on a bad row, with its line, and no traceback.
    import_error_display = ("message",)

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def process_import(self, request, *args, **kwargs):
        # One revision in the history for the whole file, with who and when.
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Imported from a file")
            return super().process_import(request, *args, **kwargs)


class ReviewDueFilter(admin.SimpleListFilter):
    title = "next review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("soon", f"Due within {DUE_SOON_DAYS} days"),
        ]

    def queryset(self, request, queryset):
        today = datetime.date.today()
        if self.value() == "overdue":
            return queryset.review_overdue(today)
        if self.value() == "soon":
            return queryset.filter(
                next_review_due__gte=today,
                next_review_due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
            )
        return queryset


class PublishableForm(forms.ModelForm):
    """The status an editor may choose, and a public note of what changed.

    `may_publish` is set per request by PublishableAdmin.get_form."""

    may_publish = False

    change_note = forms.CharField(
        label="Public change note",
        required=False,
        max_length=NOTE_LENGTH,
        help_text="Optional. For readers: what changed on this page, in a "
        "sentence. Shown, dated, on the page and in the site's feed of changes "
        "once it is published. Leave blank for corrections of wording.",
        widget=forms.TextInput(attrs={"class": "vLargeTextField"}),
    )

    def clean_change_note(self):
        return tidy(self.cleaned_data["change_note"])

    def clean_status(self):
        status = self.cleaned_data["status"]
        before = self.instance.status
        publishing = Status.PUBLISHED in (status, before) and status != before
        if publishing and not self.may_publish:
            raise ValidationError(
                "Only publishers may publish or unpublish. Choose “In review” "
                "to ask a publisher to publish it.",
                code="publish-permission",
            )
        return status


class PublishableAdmin(ContentAdmin):
    """Status and review dates (editorial/publishing.py) in the admin."""

    form = PublishableForm
    actions = ["submit_for_review", "publish", "unpublish"]
    publishing_fields = ["status", ("last_reviewed", "next_review_due"), "change_note"]

    def has_publish_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # modelform_factory made this class for this request alone.
        form.may_publish = self.has_publish_permission(request)
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # A published record stays published while an editor corrects it;
        # only a publisher may take it back to draft.
        if (
            obj is not None
            and obj.is_published
            and not self.has_publish_permission(request)
        ):
            readonly.append("status")
        return readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [
                (Status.DRAFT, Status.DRAFT.label),
                (Status.REVIEW, Status.REVIEW.label),
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        # A new record is written from its sources today.
        return {
            "last_reviewed": datetime.date.today(),
            **super().get_changeform_initial_data(request),
        }

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        note = form.cleaned_data.get("change_note")
        if note:
            # Inside the admin's revision: kept with it (editorial/changes.py).
            note_change(obj, note)

    def construct_change_message(self, request, form, formsets, add=False):
        # The note is not a field of the record: "Changed Public change
        # note" would say nothing.
        if "change_note" in form.changed_data:
            form.changed_data.remove("change_note")
        return super().construct_change_message(request, form, formsets, add)

    # The list's actions. Each saves record by record, so the page cache,
    # the history and anything else listening to saves hears of it.

    @admin.action(description="Submit the selected %(verbose_name_plural)s for review")
    def submit_for_review(self, request, queryset):
        self._set_status(
            request,
            queryset.filter(status=Status.DRAFT),
            Status.REVIEW,
            "submitted for review",
        )

    @admin.action(
        description="Publish the selected %(verbose_name_plural)s",
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "published")

    @admin.action(
        description="Unpublish the selected %(verbose_name_plural)s (back to draft)",
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        self._set_status(
            request,
            queryset.filter(status=Status.PUBLISHED),
            Status.DRAFT,
            "unpublished",
        )

    def _set_status(self, request, queryset, status, done):
        changed = 0
        for record in queryset.exclude(status=status):
            record.status = status
            record.save(update_fields=["status"])
            changed += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d %(name)s %(done)s.",
                "%(count)d %(names)s %(done)s.",
                changed,
            )
            % {
                "count": changed,
                "name": self.opts.verbose_name,
                "names": self.opts.verbose_name_plural,
                "done": done,
            },
            messages.SUCCESS,
        )


@admin.register(ChangeNote)
class ChangeNoteAdmin(admin.ModelAdmin):
    """Editors correct or remove a public note; new ones are written when
    saving the record."""

    list_display = ["text", "record_name", "created"]
    list_select_related = ["content_type"]
    fields = ["record_name", "created", "text"]
    readonly_fields = ["record_name"]
    search_fields = ["text"]
    date_hierarchy = "created"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("record")

    def has_add_permission(self, request):
        return False

    @admin.display(description="about")
    def record_name(self, note):
        return str(note.record) if note.record is not None else "(deleted)"
