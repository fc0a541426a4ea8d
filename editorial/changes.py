"""
What changed, in public: the notes editors write for readers.

An editor may write a short public note when saving a treatment or a
comparison (editorial.admin.PublishableAdmin). The note is kept with the
django-reversion revision of that save (`reversion.add_meta`), so the
history shows which edit it describes, but it holds only what readers may
read: the record, when, and the text. The editor's name, the revision's
comment (the admin's list of changed fields) and everything else in the
history stay private.

Notes on a record that is not published are not public (`public()`): a
draft's notes appear once it is published.
"""

import reversion
from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from reversion.models import Revision

from core.scopes import LISTS, record_scope

from .publishing import Publishable

NOTE_LENGTH = 300


def publishable_models():
    return [model for model in apps.get_models() if issubclass(model, Publishable)]


class ChangeNoteQuerySet(models.QuerySet):
    def public(self):
        """Notes on published records only."""
        published = Q(pk__in=[])
        for model in publishable_models():
            published |= Q(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                object_id__in=model.objects.published().values("pk"),
            )
        return self.filter(published)

    def for_feed(self):
        return self.public().select_related("content_type").prefetch_related("record")


class ChangeNote(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    text = models.CharField(
        "what changed",
        max_length=NOTE_LENGTH,
        help_text="Public: shown on the page and in the site's feed of changes.",
    )
    created = models.DateTimeField("date", default=timezone.now)
    # The saved edit this note describes, for editors reading the history;
    # kept if old revisions are deleted.
    revision = models.ForeignKey(
        Revision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_notes",
        editable=False,
    )

    objects = ChangeNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "public change note"
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "created"],
                name="changenote_record_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="editorial_changenote_has_text",
                violation_error_message="A change note needs its text.",
            )
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return f"{self.record.get_absolute_url()}#change-{self.pk}"

    def cache_scopes(self, *, deleted=False):
        """Its record's pages, and the lists (the feed): core/scopes.py."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        return {record_scope(model._meta.label_lower, self.object_id), LISTS}


def note_change(record, text):
    """Keep a public note on this change of `record`: with the revision
    being saved, if there is one, else on its own."""
    values = {
        "content_type": ContentType.objects.get_for_model(record),
        "object_id": record.pk,
        "text": text,
    }
    if reversion.is_active():
        reversion.add_meta(ChangeNote, **values)
    else:
        ChangeNote.objects.create(**values)
