"""
What editors do with content in the admin.

- ContentAdmin: history, compare and restore for every record
  (django-reversion-compare), in plain words (editorial/history.py); and
  review (editorial/review.py): an edit of a record the public sees, by
  someone who may not publish it, is made in
  a transaction rolled back, exactly as a save would be (the same forms,
  the same checks), and kept as a version waiting for a publisher instead
  of being saved. The record's change form then shows that version (applied
  in a transaction rolled back) until it is published or dropped. Each
  record has a review page: what changed, and the publisher's decisions
  (publish, schedule, send back with a note), and preview links.
  Restoring from the history is an edit like any other: it never changes
  who can see a record (status and review dates stay as they are for
  someone who may not publish), and a page of the history restores only
  that record, of that model.
- ImportExportAdmin: import and export as CSV or XLSX, for editors: the
  import order and a template per kind of file on the import page, problems
  named by line, column and value, and a count of what a file changed
  (editorial/importing.py).
- PublishableAdmin: the status workflow of editorial/publishing.py. Editors
  write drafts and submit them for review; only publishers publish or
  unpublish, through the status field, the list's actions or the review
  page. Review-date filters, and a public change note on each save
  (editorial/changes.py), published with its version.
- ReadingAges: under each field of public prose (editorial/prose.py), its
  reading age and what would make it easier to read, measured on the
  server when the form is shown, when it is saved, and (static/js/
  reading.js, through reading_age_view) a moment after the editor stops
  typing; ReadableAdmin: a list's "reading age" column and its filter,
  from the reading each page stores.
"""

import datetime
import json
from dataclasses import dataclass

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import AdminTextInputWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.timezone import template_localtime
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from reversion.admin import VersionAdmin
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from core.admin import EditorFormsMixin, GrowingTextarea, MarkedBoundField
from core.text import tidy

from . import prose, readability, review, versions
from .changes import NOTE_LENGTH, ChangeNote, note_change
from .diffs import compare
from .forms import PublishForm, ScheduleForm, SendBackForm, UnpublishAtForm
from .history import PlainHistoryMixin
from .importing import EditorExportForm, EditorImportForm
from .imports import SafeImportMixin
from .pending import PendingVersion
from .previews import PreviewLink, rolled_back
from .publishing import Publishable, Status, a_year_after
from .queue import DUE_SOON_DAYS, queue_for


class _Unsaved(Exception):
    """The form did not save: undo what was applied for it."""

    def __init__(self, response):
        self.response = response


@dataclass
class Capture:
    """What an edit would have saved, caught before it is rolled back."""

    version: dict | None = None
    summary: str = ""
    note: str = ""


def render(response, template=None):
    if template is not None:
        response.template_name = template
    if hasattr(response, "render"):
        response.render()
    return response


# Reading ages on the forms and in the lists (editorial/prose.py).


def reading_hint(text):
    """What the editor reads under a text: its reading age and what would
    make it easier; nothing for a text too short to measure."""
    reading = readability.measure(text) if isinstance(text, str) else None
    return reading.advice() if reading is not None else ""


class ReadingWidgetMixin:
    """A text box with, after it, its reading age (reading_hint()), tied to
    it by aria-describedby (ReadingBoundField) and updated as the editor
    types (static/js/reading.js)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"data-reading": "", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        box_id = (attrs or {}).get("id") or self.attrs.get("id")
        if not box_id:
            return box
        return format_html(
            '{}<p class="reading-age" id="{}_reading" data-reading-url="{}">{}</p>',
            box,
            box_id,
            reverse("reading-age"),
            reading_hint(value),
        )


class ReadingTextarea(ReadingWidgetMixin, GrowingTextarea):
    pass


class ReadingTextInput(ReadingWidgetMixin, AdminTextInputWidget):
    pass


class ReadingBoundField(MarkedBoundField):
    """Its box described by its help text, its errors and its reading age."""

    @property
    def aria_describedby(self):
        described = super().aria_describedby
        if described is None or not self.auto_id or self.is_hidden:
            return described
        return " ".join(filter(None, [described, f"{self.auto_id}_reading"]))


class ReadingAges:
    """For model admins and inlines: each field of public prose (the
    registry, editorial/prose.py) shows its reading age under it."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        prose_field = prose.is_prose(db_field.model, db_field.name)
        if prose_field:
            kwargs["widget"] = (
                ReadingTextarea
                if isinstance(db_field, models.TextField)
                else ReadingTextInput
            )
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and prose_field:
            field.bound_field_class = ReadingBoundField
        return field


# The most text the form's script sends to be measured: more than any
# field holds, far less than a request may carry.
READING_TEXT_LIMIT = 20_000


@require_POST
def reading_age_view(request):
    """The reading hint of the text posted, as JSON, for static/js/
    reading.js: the server's formula is the one that counts. Mounted
    behind the admin's sign-in (config/urls.py)."""
    text = request.POST.get("text", "")
    if len(text) > READING_TEXT_LIMIT:
        return JsonResponse(
            {
                "error": f"Too long to measure as you type: more than "
                f"{READING_TEXT_LIMIT:,} characters. It is measured when saved."
            },
            status=400,
        )
    reading = readability.measure(text)
    return JsonResponse(
        {
            "advice": reading_hint(text),
            "age": reading.age if reading is not None else None,
        }
    )


class ReadingLevelFilter(admin.SimpleListFilter):
    """Pages whose texts read above the target, or at it (the reading they
    store: editorial/prose.py)."""

    title = "reading level"
    parameter_name = "reading"

    def lookups(self, request, model_admin):
        return [("above", "Above the target"), ("on", "On target")]

    def queryset(self, request, queryset):
        if self.value() == "above":
            return queryset.above_target()
        if self.value() == "on":
            return queryset.on_target()
        return queryset


class ReadableAdmin:
    """A list's "reading age" column, for pages that store their reading
    (prose.Readable): put "reading_age_column" in list_display and
    ReadingLevelFilter in list_filter."""

    @admin.display(description="reading age", ordering="reading_age")
    def reading_age_column(self, record):
        if record.reading_age is None:
            return "Too short to measure"
        said = []
        if record.reading_age > readability.TARGET_AGE:
            said.append("above the target")
        if record.texts_too_hard:
            said.append(
                ngettext(
                    "%(count)d text too hard",
                    "%(count)d texts too hard",
                    record.texts_too_hard,
                )
                % {"count": record.texts_too_hard}
            )
        age = f"{record.reading_age:.1f}"
        return f"{age}: {', '.join(said)}" if said else age


class ContentAdmin(
    ReadingAges, PlainHistoryMixin, EditorFormsMixin, CompareVersionAdmin
):
    """Every change is kept, with who made it and when: each page has a
    history, any two versions can be compared, and an earlier one restored
    (a treatment with its side effects, milestones, areas and session plan,
    which it follows; see the models' reversion.register). Changes to what
    the public sees wait for a publisher (see the module's docstring)."""

    history_latest_first = True
    change_form_template = "admin/editorial/change_form.html"
    revision_form_template = "admin/editorial/revision_form.html"
    recover_form_template = "admin/editorial/recover_form.html"

    def has_publish_permission(self, request):
        return review.may_publish(request.user, self.model)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name=f"{opts.app_label}_{opts.model_name}_review",
            ),
            *super().get_urls(),
        ]

    # Editing: at once, or as a version waiting for a publisher.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not review.needs_review(self.model):
            return super().change_view(request, object_id, form_url, extra_context)
        record = self.get_object(request, unquote(object_id))
        if record is None:
            return super().change_view(request, object_id, form_url, extra_context)
        # Read once: the change form asks again (`get_object`), unless a
        # version is applied first.
        request.editorial_record = record
        rows = review.open_versions(record)
        change = rows.get(PendingVersion.Kind.CHANGE)
        return self.edit(
            request,
            record,
            rows,
            start=change.data if change else None,
            form_url=form_url,
            extra_context=extra_context,
        )

    def edit(
        self,
        request,
        record,
        rows,
        *,
        start=None,
        form_url="",
        extra_context=None,
        template=None,
        restoring=None,
    ):
        """The change form of `record`, starting from version `start` (a
        change waiting, a version of the history) if given."""
        waits = not self.has_publish_permission(request) and review.changes_wait(
            record, rows
        )
        keep = review.keep_for(request.user, self.model)
        context = {
            **(extra_context or {}),
            "review": self.review_summary(request, record, rows, waits=waits),
        }
        request.editorial_open = rows
        object_id = quote(str(record.pk))
        if request.method != "POST":
            if start is None:
                return super().change_view(request, object_id, form_url, context)
            request.__dict__.pop("editorial_record", None)
            with rolled_back():
                versions.apply(start, keep=keep)
                response = render(
                    self._change_view(request, object_id, form_url, context), template
                )
            return response
        if start is not None:
            request.__dict__.pop("editorial_record", None)
        if waits:
            capture = request.editorial_capture = Capture()
            with rolled_back():
                if start is not None:
                    versions.apply(start, keep=keep)
                response = self._change_view(request, object_id, form_url, context)
                if capture.version is None:
                    render(response, template)
            del request.editorial_capture
            if capture.version is not None:
                self.keep_waiting(request, record, capture)
            return response
        try:
            with transaction.atomic(), self.create_revision(request):
                if start is not None:
                    versions.apply(start, keep=keep)
                response = self._change_view(request, object_id, form_url, context)
                if not isinstance(response, HttpResponseRedirect):
                    raise _Unsaved(render(response, template))
                if restoring is not None:
                    reversion.set_comment(restored_comment(restoring))
                change = rows.get(PendingVersion.Kind.CHANGE)
                if change is not None and start is change.data:
                    # A publisher saved the change (and its note, which the
                    # form showed): it is no longer waiting.
                    review.saved_by_publisher(change, user=request.user)
        except _Unsaved as unsaved:
            return unsaved.response
        return response

    def get_object(self, request, object_id, from_field=None):
        record = request.__dict__.pop("editorial_record", None)
        if record is not None and from_field is None and str(record.pk) == object_id:
            return record
        return super().get_object(request, object_id, from_field)

    def _change_view(self, request, object_id, form_url, context):
        # The admin's own, without django-reversion's revision around it:
        # edit() decides whether there is one.
        return super(VersionAdmin, self).change_view(
            request, object_id, form_url, context
        )

    def keep_waiting(self, request, record, capture):
        pending = review.submit_change(
            record,
            capture.version,
            user=request.user,
            summary=capture.summary,
            change_note=capture.note,
        )
        if pending is None:
            self.message_user(
                request,
                f"“{record}” is as published: nothing waits for a publisher.",
                messages.INFO,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        capture = getattr(request, "editorial_capture", None)
        if capture is not None:
            capture.version = versions.capture(form.instance)
            capture.note = form.cleaned_data.get("change_note", "")

    def log_change(self, request, obj, message):
        capture = getattr(request, "editorial_capture", None)
        if capture is not None:
            capture.summary = LogEntry(
                change_message=json.dumps(message)
            ).get_change_message()
            return None
        return super().log_change(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if (
            getattr(request, "editorial_capture", None) is not None
            and level == messages.SUCCESS
        ):
            message = (
                "Your change is kept and waits for a publisher: the public "
                "still see the published version."
            )
        return super().message_user(request, message, level, *args, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        change_row = getattr(request, "editorial_open", {}).get(
            PendingVersion.Kind.CHANGE
        )
        if change_row is not None and "change_note" in form.base_fields:
            # The note waits with its change.
            form.base_fields["change_note"].initial = change_row.change_note
        return form

    # The history: restoring is an edit like any other.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        object_id = unquote(object_id)
        version = get_object_or_404(
            Version.objects.get_for_object_reference(
                self.model, object_id
            ).select_related("revision"),
            pk=version_id,
        )
        record = self.get_object(request, object_id)
        if record is None:
            raise Http404("No such record.")
        return self.edit(
            request,
            record,
            review.open_versions(record),
            start=versions.from_revision(version.revision, self.model, record.pk),
            form_url=request.path,
            extra_context={
                "title": f"Restore “{version.object_repr}”",
                "revert": True,
                **(extra_context or {}),
            },
            template=self.revision_form_template,
            restoring=version,
        )

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted record of this model, back: as a draft for someone who
        may not publish (a new record), as it was for a publisher."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_deleted(self.model).select_related("revision"),
            pk=version_id,
        )
        start = versions.from_revision(version.revision, self.model, version.object_id)
        keep = review.keep_for(request.user, self.model)
        context = {
            "title": f"Recover “{version.object_repr}”",
            "recover": True,
            "may_publish": self.has_publish_permission(request),
            **(extra_context or {}),
        }
        if request.method != "POST":
            with rolled_back():
                record = versions.apply(start, keep=keep)
                return render(
                    self._change_view(
                        request, quote(str(record.pk)), request.path, context
                    ),
                    self.recover_form_template,
                )
        try:
            with transaction.atomic(), self.create_revision(request):
                record = versions.apply(start, keep=keep)
                response = self._change_view(
                    request, quote(str(record.pk)), request.path, context
                )
                if not isinstance(response, HttpResponseRedirect):
                    raise _Unsaved(render(response, self.recover_form_template))
                reversion.set_comment(restored_comment(version, recovered=True))
        except _Unsaved as unsaved:
            return unsaved.response
        return response

    # The review page.

    def review_summary(self, request, record, rows, *, waits):
        """What the change form says about review (admin/editorial/
        includes/review_notice.html)."""
        opts = self.model._meta
        return {
            "change": rows.get(PendingVersion.Kind.CHANGE),
            "new": rows.get(PendingVersion.Kind.NEW),
            "waits": waits,
            "may_publish": self.has_publish_permission(request),
            "url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_review", args=[record.pk]
            ),
            "unpublish_at": getattr(record, "unpublish_at", None),
        }

    def review_view(self, request, object_id):
        record = self.get_object(request, unquote(object_id))
        if record is None:
            return self._get_obj_does_not_exist_redirect(
                request, self.model._meta, object_id
            )
        if not self.has_view_or_change_permission(request, record):
            raise PermissionDenied
        rows = review.open_versions(record)
        may_publish = self.has_publish_permission(request)
        may_change = self.has_change_permission(request, record)
        if request.method == "POST":
            response = self.review_action(
                request, record, rows, may_publish, may_change
            )
            if response is not None:
                return response
        return self.review_page(request, record, rows, may_publish, may_change)

    def review_page(self, request, record, rows, may_publish, may_change, forms=None):
        change = rows.get(PendingVersion.Kind.CHANGE)
        new = rows.get(PendingVersion.Kind.NEW)
        publishable = isinstance(record, Publishable)
        unpublished = publishable and not record.is_published
        diff = None
        if change is not None:
            diff = compare(versions.capture(record), change.data)
        elif unpublished:
            diff = compare(None, versions.capture(record))
        opts = self.model._meta
        decided = change or new
        seen = {
            "version": decided.pk if decided else "",
            "seen": decided.submitted_at.isoformat() if decided else "",
        }
        forms = {
            "publish": PublishForm(initial=seen, prefix="publish"),
            "schedule": ScheduleForm(initial=seen, prefix="schedule"),
            "send_back": SendBackForm(initial=seen, prefix="send_back"),
            "unpublish_at": UnpublishAtForm(prefix="unpublish_at"),
            **(forms or {}),
        }
        if unpublished or not publishable:
            # A first publication is always a review, and a source (or the
            # like) has no review dates: nothing to choose.
            for name in ("publish", "schedule"):
                forms[name].fields.pop("reviewed", None)
        to_publish = change is not None or unpublished
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": f"Review “{record}”",
            "subtitle": None,
            "record": record,
            "publishable": publishable,
            "change": change,
            "new": new,
            "diff": diff,
            "first_publication": unpublished and change is None,
            "to_publish": to_publish,
            "may_publish": may_publish,
            "may_change": may_change,
            "forms": forms,
            "links": list(
                PreviewLink.objects.of(record).active().select_related("created_by")
            )
            if publishable
            else [],
            "may_link": publishable and to_publish and (may_change or may_publish),
            "preview_days": settings.PREVIEW_LINK_DAYS,
            "change_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]
            ),
            "history_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[record.pk]
            ),
            "page_url": record.get_absolute_url()
            if hasattr(record, "get_absolute_url")
            else "",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/editorial/review.html", context)

    def review_action(self, request, record, rows, may_publish, may_change):
        """Do what the review page's form asks; a response to send, or None
        to show the page again (with `request.review_forms` bound)."""
        action = request.POST.get("action", "")
        change = rows.get(PendingVersion.Kind.CHANGE)
        new = rows.get(PendingVersion.Kind.NEW)
        back = HttpResponseRedirect(request.path)
        publisher_actions = {
            "publish",
            "schedule",
            "unschedule",
            "send_back",
            "unpublish_at",
            "keep_published",
        }
        if action in publisher_actions and not may_publish:
            raise PermissionDenied
        if action in {"link", "revoke"} and not (may_change or may_publish):
            raise PermissionDenied

        if action in {"publish", "schedule", "send_back"}:
            form_class = {
                "publish": PublishForm,
                "schedule": ScheduleForm,
                "send_back": SendBackForm,
            }[action]
            form = form_class(request.POST, prefix=action)
            if not form.is_valid():
                return self.review_page(
                    request, record, rows, may_publish, may_change, forms={action: form}
                )
            decided = change or new
            if decided is not None and (
                form.cleaned_data["version"] != decided.pk
                or form.cleaned_data["seen"] != decided.submitted_at.isoformat()
            ):
                self.message_user(
                    request,
                    "It was changed after you opened this page: read what changed "
                    "again before deciding.",
                    messages.WARNING,
                )
                return back
            if action == "publish":
                if change is None and getattr(record, "is_published", True):
                    raise PermissionDenied  # nothing to publish
                review.publish(
                    record,
                    user=request.user,
                    pending=change or new,
                    reviewed=form.cleaned_data.get("reviewed", True),
                )
                self.message_user(
                    request, f"“{record}” is published.", messages.SUCCESS
                )
            elif action == "schedule":
                if change is None and getattr(record, "is_published", True):
                    raise PermissionDenied
                at = form.cleaned_data["publish_at"]
                review.schedule(
                    record,
                    user=request.user,
                    at=at,
                    pending=change,
                    reviewed=form.cleaned_data.get("reviewed", True),
                )
                self.message_user(
                    request,
                    f"“{record}” will be published on {when(at)}.",
                    messages.SUCCESS,
                )
            else:
                if decided is None:
                    raise PermissionDenied
                review.send_back(
                    decided, user=request.user, note=form.cleaned_data["note"]
                )
                self.message_user(
                    request,
                    f"Sent back to {decided.submitted_by or 'its editor'} with "
                    "your note.",
                    messages.SUCCESS,
                )
            return back
        if action == "unschedule":
            scheduled = [row for row in rows.values() if row.is_scheduled]
            for row in scheduled:
                review.unschedule(row)
            self.message_user(request, "The publication is no longer scheduled.")
            return back
        if action == "withdraw":
            row = rows.get(request.POST.get("kind"))
            if row is None:
                return back
            if not (
                may_publish or (may_change and row.submitted_by_id == request.user.pk)
            ):
                raise PermissionDenied
            review.withdraw(row, user=request.user)
            self.message_user(
                request,
                "Withdrawn: the public still see the published version."
                if row.kind == PendingVersion.Kind.CHANGE
                else "Withdrawn from review: it is a draft again.",
                messages.SUCCESS,
            )
            return back
        if action == "unpublish_at" and isinstance(record, Publishable):
            form = UnpublishAtForm(request.POST, prefix="unpublish_at")
            if not form.is_valid() or not record.is_published:
                return self.review_page(
                    request,
                    record,
                    rows,
                    may_publish,
                    may_change,
                    forms={"unpublish_at": form},
                )
            review.schedule_unpublishing(record, form.cleaned_data["unpublish_at"])
            self.message_user(
                request,
                f"“{record}” will be unpublished on "
                f"{when(form.cleaned_data['unpublish_at'])}.",
                messages.SUCCESS,
            )
            return back
        if action == "keep_published" and isinstance(record, Publishable):
            review.schedule_unpublishing(record, None)
            self.message_user(request, "It is no longer scheduled to be unpublished.")
            return back
        if action == "link" and isinstance(record, Publishable):
            link = PreviewLink.make(record, user=request.user)
            self.message_user(
                request,
                f"A preview link, until {when(link.expires_at)}: "
                f"{request.build_absolute_uri(link.get_absolute_url())}",
                messages.SUCCESS,
            )
            return back
        if action == "revoke":
            link = (
                PreviewLink.objects.of(record)
                .filter(pk=request.POST.get("link") or 0)
                .first()
            )
            if link is not None and link.revoked_at is None:
                link.revoked_at = timezone.now()
                link.revoked_by = request.user
                link.save(update_fields=["revoked_at", "revoked_by"])
                self.message_user(
                    request, "The preview link no longer works.", messages.SUCCESS
                )
            return back
        return back


def when(moment):
    return localize(template_localtime(moment))


def restored_comment(version, recovered=False):
    done = "Recovered" if recovered else "Restored"
    return (
        f"{done} the version saved on "
        f"{localize(template_localtime(version.revision.date_created))}."
    )


TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImportExportAdmin(SafeImportMixin, ImportExportMixin):
    """Import and export as CSV or XLSX (django-import-export): the
    library's preview comes before anything is written, and a file with a
    bad row writes nothing (see treatments/resources.py). Those who may add
    and change records may import; those who may view them, export.

    The resources are EditorResources (editorial/importing.py): columns in
    plain words, a template per kind of file (import/template/<n>.csv or
    .xlsx), problems in words, a count of what changed. `import_sequence`
    is the order files are imported in, across the admin's pages. Limits,
    private uploads and inert cells: editorial/imports.py."""

    # Every field of the chosen file, without the per-field tick boxes:
    # that form's "select all" is an inline script, which the site's
    # Content-Security-Policy refuses.
    export_form_class = EditorExportForm
    import_form_class = EditorImportForm
    # The message on a bad row, with its line, and no traceback.
    import_error_display = ("message",)
    import_sequence = ()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/template/<int:index>.<str:extension>",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request, index, extension):
        """A kind of file's template: its headings and a line of help."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        classes = self.get_import_resource_classes(request)
        if extension not in TEMPLATE_TYPES or not 0 <= index < len(classes):
            raise Http404("No such template.")
        resource = classes[index](**self.get_import_resource_kwargs(request))
        if extension == "csv":
            content = resource.template_csv()
        else:
            content = resource.template_xlsx()
        response = HttpResponse(content, content_type=TEMPLATE_TYPES[extension])
        name = slugify(classes[index].get_display_name())
        response["Content-Disposition"] = (
            f'attachment; filename="{name}-template.{extension}"'
        )
        return response

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        info = self.opts.app_label, self.opts.model_name
        context["import_guide"] = [
            {
                "name": resource_class.get_display_name(),
                "columns": resource_class().columns(),
                **{
                    extension: reverse(
                        "admin:{}_{}_import_template".format(*info),
                        args=[index, extension],
                    )
                    for extension in TEMPLATE_TYPES
                },
            }
            for index, resource_class in enumerate(self.resource_classes)
        ]
        context["import_order"] = self.import_steps()
        return context

    def import_steps(self):
        """Each kind of file in `import_sequence`, with the import page it
        is imported on."""
        steps = []
        for resource_class in self.import_sequence:
            model_admin = next(
                (
                    model_admin
                    for model_admin in self.admin_site._registry.values()
                    if resource_class in getattr(model_admin, "resource_classes", ())
                ),
                None,
            )
            url = None
            if model_admin is not None:
                opts = model_admin.opts
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
            steps.append(
                {
                    "name": resource_class.get_display_name(),
                    "url": url,
                    "here": model_admin is self,
                }
            )
        return steps

    def add_success_message(self, result, request):
        summary = getattr(result, "summary", None)
        if summary is None:
            return super().add_success_message(result, request)
        messages.success(request, f"Imported {summary}.")

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

    def clean(self):
        cleaned = super().clean()
        # A publisher publishing it reviews it, today, unless they give
        # another date themselves.
        publishing = (
            cleaned.get("status") == Status.PUBLISHED
            and self.instance.status != Status.PUBLISHED
        )
        if (
            publishing
            and "last_reviewed" in self.fields
            and (
                "last_reviewed" not in self.changed_data or not cleaned["last_reviewed"]
            )
        ):
            today = datetime.date.today()
            cleaned["last_reviewed"] = today
            due = cleaned.get("next_review_due")
            if "next_review_due" not in self.changed_data or not due or due <= today:
                cleaned["next_review_due"] = a_year_after(today)
        return cleaned


class PublishableAdmin(ContentAdmin):
    """Status and review dates (editorial/publishing.py) in the admin."""

    form = PublishableForm
    actions = ["submit_for_review", "publish", "unpublish"]
    publishing_fields = ["status", ("last_reviewed", "next_review_due"), "change_note"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # modelform_factory made this class for this request alone.
        form.may_publish = self.has_publish_permission(request)
        return form

    def quality_report(self, obj):
        """The page's "About this information" report, as its public page
        shows it, for the top of its form; None for none. The content apps
        say how theirs is made (treatments/quality.py)."""
        return None

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = kwargs.get("obj")
        if obj is not None and obj.pk is not None:
            context["quality_report"] = self.quality_report(obj)
        return super().render_change_form(request, context, add, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.has_publish_permission(request):
            return readonly
        # Reviewed is what a publisher says, when publishing it.
        readonly.append("last_reviewed")
        # Who can see it is the publishers' decision: a published record
        # (or one whose publication is scheduled) stays as it is while an
        # editor corrects it; only a publisher may take it back to draft.
        rows = getattr(request, "editorial_open", {})
        if obj is not None and review.changes_wait(obj, rows):
            readonly.append("status")
        return readonly

    def has_delete_permission(self, request, obj=None):
        # Deleting a published page takes it from the public: a publisher's
        # decision (unpublish it first).
        if (
            obj is not None
            and obj.is_published
            and not self.has_publish_permission(request)
        ):
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [
                (Status.DRAFT, Status.DRAFT.label),
                (Status.REVIEW, Status.REVIEW.label),
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

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

    def get_queryset(self, request):
        """With what waits for a publisher and what is scheduled, for the
        list's "publishing" column: in the list's own query."""
        waiting = PendingVersion.objects.of_model(self.model).filter(
            object_id=OuterRef("pk")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                change_waiting=Exists(
                    waiting.open().filter(kind=PendingVersion.Kind.CHANGE)
                ),
                publish_at=Subquery(
                    waiting.filter(
                        state=PendingVersion.State.WAITING, publish_at__isnull=False
                    ).values("publish_at")[:1]
                ),
            )
        )

    @admin.display(description="waiting or scheduled")
    def publication(self, record):
        said = []
        if getattr(record, "change_waiting", False):
            said.append("A change waits for a publisher")
        if getattr(record, "publish_at", None):
            said.append(f"Publishes {when(record.publish_at)}")
        if record.unpublish_at:
            said.append(f"Unpublishes {when(record.unpublish_at)}")
        return "; ".join(said)

    # The list's actions. Each saves record by record, so the page cache,
    # the history and anything else listening to saves hears of it.

    @admin.action(description="Submit the selected %(verbose_name_plural)s for review")
    def submit_for_review(self, request, queryset):
        changed = 0
        for record in queryset.filter(status=Status.DRAFT):
            record.status = Status.REVIEW
            record.save(update_fields=["status"])
            changed += 1
        self._done(request, changed, "submitted for review")

    @admin.action(
        description="Publish the selected %(verbose_name_plural)s, with any "
        "change waiting",
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        changed = 0
        waiting = {
            row.object_id: row
            for row in PendingVersion.objects.of_model(self.model)
            .open()
            .filter(
                kind=PendingVersion.Kind.CHANGE,
                object_id__in=queryset.values("pk"),
            )
        }
        for record in queryset:
            change = waiting.get(record.pk)
            if record.is_published and change is None:
                continue
            review.publish(record, user=request.user, pending=change)
            changed += 1
        self._done(request, changed, "published")

    @admin.action(
        description="Unpublish the selected %(verbose_name_plural)s (back to draft)",
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        changed = 0
        for record in queryset.filter(status=Status.PUBLISHED):
            review.unpublish(record, user=request.user)
            changed += 1
        self._done(request, changed, "unpublished")

    def _done(self, request, changed, done):
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


@admin.register(PendingVersion)
class ReviewQueueAdmin(admin.ModelAdmin):
    """The review queue (editorial/queue.py) as a page of its own: what
    waits for a publisher and what needs the person looking. Versions are
    decided on their record's review page, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Review queue",
            "subtitle": None,
            "queue": queue_for(request.user),
            "due_soon_days": DUE_SOON_DAYS,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/editorial/queue.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pending = self.get_object(request, unquote(object_id))
        if pending is None or not self.has_view_permission(request, pending):
            raise Http404("No such version.")
        return HttpResponseRedirect(pending.get_absolute_url())
