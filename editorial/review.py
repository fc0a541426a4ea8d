"""
Review: nothing reaches the public without a publisher.

Which records need it: those of a model that declares a `publish_<model>`
permission (treatments and comparisons, which have a status; sources, body
areas, side-effect kinds and conditions, which every page citing or naming
them shows). Who may publish: whoever holds that permission (the
Publishers group, editorial/groups.py).

- A draft (a treatment or comparison not yet published) is edited in
  place; its editor submits it ("In review"), which opens a PendingVersion
  of the kind "new page" (`status_changed`), and a publisher publishes it.
- Once the public may see a record, an edit by someone who may not publish
  is kept as a PendingVersion of the kind "change" (editorial/admin.py)
  and the public keeps the published version until a publisher publishes
  the change. So is a draft a publisher has scheduled: what was approved
  is what goes out. A new source, body area, side-effect kind or condition
  is added at once: a page shows it only once a published page cites or
  treats it, and that page's change is reviewed (the home page lists the
  conditions that published treatments treat).
- Publishing (`publish`) applies the version with the record's save, in one
  transaction, as a revision of the history with its editor and publisher,
  and keeps its public change note; the record is published and, unless the
  publisher says the change was not a review, reviewed today.
- A publisher may send it back with a note for its editor (`send_back`),
  schedule it (`schedule`; `manage.py publish_scheduled` publishes it
  then), or schedule a published page to be unpublished.
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from . import versions
from .changes import note_change
from .pending import PendingVersion
from .publishing import Publishable, Status, a_year_after


def needs_review(model):
    """Whether changes to records of `model` wait for a publisher."""
    return any(
        codename == publish_codename(model) for codename, _ in model._meta.permissions
    )


def publish_codename(model):
    return f"publish_{model._meta.model_name}"


def may_publish(user, model):
    return user.has_perm(f"{model._meta.app_label}.{publish_codename(model)}")


def open_versions(record):
    """{kind: the open PendingVersion of that kind} of `record`: one query."""
    return {
        pending.kind: pending
        for pending in PendingVersion.objects.of(record)
        .open()
        .select_related("submitted_by", "decided_by", "approved_by")
    }


def changes_wait(record, open_rows):
    """Whether a change to `record` by someone who may not publish waits
    for a publisher rather than being saved (see the module's docstring)."""
    model = type(record)
    if not needs_review(model) or record.pk is None:
        return False
    if not issubclass(model, Publishable):
        return True
    scheduled = open_rows.get(PendingVersion.Kind.NEW)
    return (
        record.is_published
        or PendingVersion.Kind.CHANGE in open_rows
        or (scheduled is not None and scheduled.is_scheduled)
    )


def keep_for(user, model):
    """What a version may not change for `user`: who can see a record is a
    publisher's decision, whatever the version holds."""
    if may_publish(user, model):
        return ()
    return versions.PUBLISHING if issubclass(model, Publishable) else ()


@transaction.atomic
def submit_change(record, version, *, user, summary="", change_note=""):
    """Keep `version` of `record` as a change waiting for a publisher,
    replacing the one open. Returns it, or None if the version says what
    is published (then nothing waits any more)."""
    content_type = ContentType.objects.get_for_model(record)
    pending = (
        PendingVersion.objects.select_for_update()
        .filter(content_type=content_type, object_id=record.pk)
        .open()
        .filter(kind=PendingVersion.Kind.CHANGE)
        .first()
    )
    live = versions.capture(type(record)._base_manager.get(pk=record.pk))
    if versions.comparable(version) == versions.comparable(live):
        if pending is not None:
            pending.state = PendingVersion.State.WITHDRAWN
            pending.publish_at = None
            pending.save()
        return None
    if pending is None:
        pending = PendingVersion(
            content_type=content_type,
            object_id=record.pk,
            kind=PendingVersion.Kind.CHANGE,
        )
    pending.data = version
    pending.object_repr = str(record)[:200]
    pending.summary = summary
    pending.change_note = change_note
    pending.submitted_by = user
    pending.submitted_at = timezone.now()
    # A new version is a new request: what a publisher approved (a time to
    # publish it) or sent back was another.
    pending.state = PendingVersion.State.WAITING
    pending.publish_at = None
    pending.approved_at = pending.approved_by = None
    pending.save()
    versions.reserve_keys(version)
    return pending


def publish(record, *, user, pending=None, reviewed=True, now=None):
    """Publish `record`: the change `pending` applied, or the draft as it
    is. One transaction, one revision of the history (by the version's
    editor, published by `user`: None for the schedule); the version's
    change note goes with it. Returns the record."""
    now = now or timezone.now()
    model = type(record)
    with transaction.atomic(), reversion.create_revision():
        record = model._base_manager.select_for_update().get(pk=record.pk)
        if pending is not None:
            pending = PendingVersion.objects.select_for_update().get(pk=pending.pk)
            if not pending.is_open:
                return record  # decided meanwhile (another run of the schedule)
        due_before = getattr(record, "next_review_due", None)
        author = pending.submitted_by if pending is not None else None
        reversion.set_user(author or user)
        reversion.set_comment(publication_comment(pending, user))
        # Closed first: the status it saves then has nothing left to close.
        close_new(record, user=user, now=now)
        if pending is not None:
            pending.state = PendingVersion.State.PUBLISHED
            pending.publish_at = None
            pending.decided_by = user
            pending.decided_at = now
            pending.save()

        def prepare(record):
            if isinstance(record, Publishable):
                if not record.is_published:
                    record.unpublish_at = None
                record.status = Status.PUBLISHED
                if reviewed or record.last_reviewed is None:
                    mark_reviewed(
                        record, on=reviewed_on(pending, now), due_before=due_before
                    )

        if pending is not None and pending.data is not None:
            record = versions.apply(pending.data, prepare=prepare)
        else:
            prepare(record)
            record.save()
        if pending is not None:
            if pending.change_note and isinstance(record, Publishable):
                note_change(record, pending.change_note)
            pending.object_repr = str(record)[:200]
            pending.save(update_fields=["object_repr"])
    return record


def publication_comment(pending, user):
    if pending is None:
        return f"Published by {name(user)}."
    what = pending.summary or "Changed."
    by = "as scheduled" if user is None else f"by {name(user)}"
    return f"{what} Published {by}."


def name(user):
    return user.get_username() if user is not None else "the schedule"


def reviewed_on(pending, now):
    """The day a publisher looked at it: when they approved it, for a
    scheduled version."""
    when = pending.approved_at if pending is not None and pending.approved_at else now
    return timezone.localdate(when)


def mark_reviewed(record, *, on, due_before=None):
    """Reviewed on `on`: the next review a year later, unless the version
    itself sets another date after it."""
    record.last_reviewed = on
    chosen = record.next_review_due
    if chosen is None or chosen == due_before or chosen <= on:
        record.next_review_due = a_year_after(on)


def close_new(record, *, user, now):
    """The new page waiting, now published."""
    PendingVersion.objects.of(record).open().filter(
        kind=PendingVersion.Kind.NEW
    ).update(
        state=PendingVersion.State.PUBLISHED,
        publish_at=None,
        decided_by=user,
        decided_at=now,
    )


def saved_by_publisher(pending, *, user):
    """A publisher saved the record's form, which showed this change: it
    is part of what they saved (published, or the draft's)."""
    record = pending.record
    published = getattr(record, "is_published", True)
    pending.state = (
        PendingVersion.State.PUBLISHED if published else PendingVersion.State.WITHDRAWN
    )
    pending.publish_at = None
    pending.decided_by = user
    pending.decided_at = timezone.now()
    pending.save()


@transaction.atomic
def send_back(pending, *, user, note):
    """Back to its editor with a note. A new page goes back to draft."""
    pending.state = PendingVersion.State.SENT_BACK
    pending.publish_at = None
    pending.note = note
    pending.decided_by = user
    pending.decided_at = timezone.now()
    pending.save()
    record = pending.record
    if (
        pending.kind == PendingVersion.Kind.NEW
        and record is not None
        and record.status == Status.REVIEW
    ):
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(f"Sent back to its editor by {name(user)}.")
            record.status = Status.DRAFT
            record.save(update_fields=["status"])


@transaction.atomic
def withdraw(pending, *, user):
    """The editor's change dropped; a new page back to draft."""
    pending.state = PendingVersion.State.WITHDRAWN
    pending.publish_at = None
    pending.save()
    record = pending.record
    if pending.kind == PendingVersion.Kind.NEW and record is not None:
        if record.status == Status.REVIEW:
            with reversion.create_revision():
                reversion.set_user(user)
                reversion.set_comment("Withdrawn from review.")
                record.status = Status.DRAFT
                record.save(update_fields=["status"])


@transaction.atomic
def schedule(record, *, user, at, pending=None, reviewed=True):
    """Approve `pending` (or the draft `record`) to be published at `at`."""
    if pending is None:
        pending = (
            PendingVersion.objects.of(record)
            .open()
            .filter(kind=PendingVersion.Kind.NEW)
            .first()
        ) or PendingVersion(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            kind=PendingVersion.Kind.NEW,
            object_repr=str(record)[:200],
            submitted_by=user,
        )
    pending.state = PendingVersion.State.WAITING
    pending.publish_at = at
    pending.mark_reviewed = reviewed
    pending.approved_at = timezone.now()
    pending.approved_by = user
    pending.save()
    return pending


@transaction.atomic
def unschedule(pending):
    pending.publish_at = None
    pending.approved_at = pending.approved_by = None
    pending.save()


def schedule_unpublishing(record, at):
    record.unpublish_at = at
    record.save(update_fields=["unpublish_at"])


def unpublish(record, *, user, now=None):
    """Back to draft, as a revision of the history. A change waiting
    becomes part of the draft: the latest work stays the editors'."""
    now = now or timezone.now()
    model = type(record)
    with transaction.atomic(), reversion.create_revision():
        record = model._base_manager.select_for_update().get(pk=record.pk)
        if record.status != Status.PUBLISHED:
            return record  # unpublished meanwhile
        reversion.set_user(user)
        by = "as scheduled" if user is None else f"by {name(user)}"
        reversion.set_comment(f"Unpublished {by}.")
        for pending in PendingVersion.objects.of(record).open():
            if pending.kind == PendingVersion.Kind.CHANGE:
                record = versions.apply(pending.data, keep=versions.PUBLISHING)
            pending.state = PendingVersion.State.WITHDRAWN
            pending.publish_at = None
            pending.note = pending.note or "Unpublished: the change became the draft."
            pending.decided_by = user
            pending.decided_at = now
            pending.save()
        record.status = Status.DRAFT
        record.unpublish_at = None
        record.save()
    return record


def status_changed(sender, instance, created=False, raw=False, **kwargs):
    """post_save of a Publishable: a draft put in review opens a new page
    waiting for a publisher (with who did it, from the history's revision);
    one taken back to draft or published closes it."""
    if raw:
        return  # fixtures: the seed
    before = None if created else getattr(instance, "status_as_loaded", "")
    after = instance.status
    instance.status_as_loaded = after
    if before == after:
        return
    rows = PendingVersion.objects.of(instance).filter(kind=PendingVersion.Kind.NEW)
    user = reversion.get_user() if reversion.is_active() else None
    if after == Status.REVIEW:
        pending = rows.open().first()
        if pending is None:
            pending = PendingVersion(
                content_type=ContentType.objects.get_for_model(instance),
                object_id=instance.pk,
                kind=PendingVersion.Kind.NEW,
            )
        if pending.state == PendingVersion.State.SENT_BACK or pending.pk is None:
            pending.submitted_at = timezone.now()
            pending.submitted_by = user
        pending.state = PendingVersion.State.WAITING
        pending.object_repr = str(instance)[:200]
        pending.save()
    elif after == Status.DRAFT:
        rows.filter(state=PendingVersion.State.WAITING, publish_at__isnull=True).update(
            state=PendingVersion.State.WITHDRAWN
        )
    elif after == Status.PUBLISHED:
        rows.open().update(
            state=PendingVersion.State.PUBLISHED,
            publish_at=None,
            decided_by=user,
            decided_at=timezone.now(),
        )


def record_deleted(sender, instance, **kwargs):
    """post_delete of a record that needs review: nothing of it waits any
    more (a recovered record starts again)."""
    PendingVersion.objects.of(instance).open().update(
        state=PendingVersion.State.WITHDRAWN, publish_at=None
    )
