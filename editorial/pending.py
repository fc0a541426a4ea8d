"""
What waits for a publisher: a version of a record not yet public.

Two kinds (PendingVersion.Kind):

- A new page: a draft treatment or comparison submitted for publication
  ("In review"). The draft itself is the version: it is in the database,
  unpublished.
- A change to a record the public sees: an editor's save of a published
  treatment or comparison (and its facts), or of a source, condition, body
  area or side-effect kind. It is kept as data (editorial/versions.py), not
  applied: the public keeps what was published, and editors and publishers
  see and edit the change (editorial/admin.py, editorial/drafts.py) until a
  publisher publishes it or sends it back.

One of each kind at most is open (waiting, or sent back to its editor) per
record. A publisher may approve one to be published later (`publish_at`);
`manage.py publish_scheduled` publishes it then. What happens to them is
editorial/review.py's.

Why not a revision of django-reversion, unapplied? The history lists what
the public saw and when; a version that was never published, or not yet,
does not belong among them, and `deleterevisions` must not remove one
waiting. The data is the same (Django's serializers, the fields the
history keeps), and publishing it records a revision of its own.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .changes import NOTE_LENGTH


class PendingVersionQuerySet(models.QuerySet):
    def open(self):
        """Waiting for a publisher, or sent back to its editor."""
        return self.filter(state__in=PendingVersion.OPEN)

    def of(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
        )

    def of_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def due(self, now=None):
        """Approved to be published by now."""
        return self.filter(
            state=PendingVersion.State.WAITING,
            publish_at__lte=now or timezone.now(),
        ).order_by("publish_at", "pk")


class PendingVersion(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", "A new page"
        CHANGE = "change", "A change"

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for a publisher"
        SENT_BACK = "sent-back", "Sent back"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = (State.WAITING, State.SENT_BACK)

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # What the record is called, so lists need not load every record.
    object_repr = models.CharField("about", max_length=200)
    kind = models.CharField(max_length=10, choices=Kind)
    state = models.CharField(max_length=10, choices=State, default=State.WAITING)
    # A change: the record and its facts as the editor left them
    # (editorial/versions.py). A new page: none, the draft is the version.
    data = models.JSONField(encoder=DjangoJSONEncoder, null=True, blank=True)
    summary = models.TextField(
        "what changed", blank=True, help_text="The admin's account of the edit."
    )
    change_note = models.CharField(
        "public change note",
        max_length=NOTE_LENGTH,
        blank=True,
        help_text="Published with the version, on the page and in the feed.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    # Approved by a publisher to be published then (publish_scheduled).
    publish_at = models.DateTimeField("publish at", null=True, blank=True)
    # Whether publishing it marks the page reviewed that day.
    mark_reviewed = models.BooleanField(default=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The publisher's decision: published, or sent back with a note.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(
        "publisher's note",
        blank=True,
        help_text="Why it was sent back: for the editor.",
    )

    objects = PendingVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version waiting for a publisher"
        verbose_name_plural = "versions waiting for a publisher"
        ordering = ["submitted_at", "pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id"], name="pending_record_idx"
            ),
            models.Index(fields=["state", "publish_at"], name="pending_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(state__in=["waiting", "sent-back"]),
                name="editorial_pendingversion_one_open_per_kind",
                violation_error_message="A record has one open version of each "
                "kind at most.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="change") | Q(data__isnull=False),
                name="editorial_pendingversion_change_has_data",
                violation_error_message="A change holds its data.",
            ),
            models.CheckConstraint(
                condition=Q(publish_at__isnull=True) | Q(state="waiting"),
                name="editorial_pendingversion_scheduled_is_waiting",
                violation_error_message="Only a version waiting can be scheduled.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.object_repr}"

    def get_absolute_url(self):
        """Its record's review page."""
        return review_url(self.content_type, self.object_id)

    @property
    def is_open(self):
        return self.state in self.OPEN

    @property
    def is_scheduled(self):
        return self.publish_at is not None and self.state == self.State.WAITING


def review_url(content_type, object_id):
    return reverse(
        f"admin:{content_type.app_label}_{content_type.model}_review", args=[object_id]
    )
