"""
The review queue: what needs an editor or a publisher, for one person.

Shown on the admin's home page ("Needs attention") and on a page of its own
(the list of versions waiting for a publisher). Sections, each for those it
concerns:

- waiting for a publisher: new pages and changes, with who, when and what
  changed (for those who may publish them);
- sent back to you, with the publisher's note; your changes waiting;
- your drafts (drafts you started);
- scheduled publications and unpublications;
- reviews overdue, and due within 30 days;
- published pages that fail a line of their "About this information", as
  each page stores them (treatments/attention.py), the first few and how
  many in all, with a link to the rest;
- sources whose address was broken at the last check;
- sources whose text changed since the facts citing them were checked.

A fixed number of queries whatever the queue holds: one for the versions
waiting, one for the broken sources, one for the changed sources, four
for each kind of page (scheduled to be unpublished, your drafts, overdue,
due soon), and two for each kind of page that stores the lines it fails
(the first few, and how many). No page's report is worked out here: a
read of the stored lines, however large the catalogue.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.text import capfirst
from reversion.models import Version

from .changes import publishable_models
from .pending import PendingVersion, review_url
from .publishing import Status
from .review import may_publish, needs_review

DUE_SOON_DAYS = 30
# Enough to act on; each section links to the rest.
SHOWN = 10
# Pages failing a line are counted this far ("and at least 990 more").
COUNTED = 1000


@dataclass
class Section:
    title: str
    items: list
    more_url: str = ""
    more: bool = False
    # [(words, address)]: links to the rest, each kind of page on its own.
    more_links: list = field(default_factory=list)


@dataclass
class Queue:
    today: datetime.date
    sections: list = field(default_factory=list)
    scheduled: list = field(default_factory=list)

    @property
    def nothing_needs_you(self):
        return not any(section.items for section in self.sections)


def viewable(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def changelist(model, query=""):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{query}" if query else url


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def queue_for(user, today=None):
    today = today or datetime.date.today()
    reviewed = [
        model
        for model in {*publishable_models(), *_reviewed_models()}
        if viewable(user, model)
    ]
    content_types = ContentType.objects.get_for_models(*reviewed)
    publishes = {
        ct.pk for model, ct in content_types.items() if may_publish(user, model)
    }
    rows = list(
        PendingVersion.objects.open()
        .filter(content_type__in=list(content_types.values()))
        .select_related("content_type", "submitted_by", "decided_by", "approved_by")
        .order_by("submitted_at", "pk")
    )
    waiting = [
        row
        for row in rows
        if row.state == PendingVersion.State.WAITING and not row.is_scheduled
    ]
    queue = Queue(today)
    if publishes:
        queue.sections.append(
            Section(
                "Waiting for a publisher",
                [row for row in waiting if row.content_type_id in publishes],
            )
        )
    queue.sections.append(
        Section(
            "Sent back to you",
            [
                row
                for row in rows
                if row.state == PendingVersion.State.SENT_BACK
                and row.submitted_by_id == user.pk
            ],
        )
    )
    if not publishes:
        queue.sections.append(
            Section(
                "Your changes waiting for a publisher",
                [row for row in waiting if row.submitted_by_id == user.pk],
            )
        )
    queue.scheduled = [row for row in rows if row.is_scheduled]

    pages = [model for model in publishable_models() if model in reviewed]
    drafts, overdue, soon = [], [], []
    more_overdue = more_soon = False
    for model in pages:
        content_type = content_types[model]
        queue.scheduled += [
            Unpublishing(record, content_type)
            for record in model.objects.filter(unpublish_at__isnull=False).order_by(
                "unpublish_at"
            )[:SHOWN]
        ]
        if user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
            # Drafts you started: the first version in their history is yours.
            first = (
                Version.objects.filter(
                    content_type=content_type,
                    object_id=Cast(OuterRef("pk"), CharField()),
                )
                .order_by("pk")
                .values("revision__user")[:1]
            )
            # Only among the records you saved: as many as your own work,
            # not every draft of the catalogue.
            yours = (
                Version.objects.filter(content_type=content_type, revision__user=user)
                .annotate(record=Cast("object_id", model._meta.pk))
                .values("record")
            )
            drafts += [
                Record(record, content_type)
                for record in model.objects.filter(status=Status.DRAFT, pk__in=yours)
                .annotate(started_by=Subquery(first))
                .filter(started_by=user.pk)
                .order_by("-pk")[:SHOWN]
            ]
        found = list(
            model.objects.review_overdue(today).order_by("next_review_due")[: SHOWN + 1]
        )
        more_overdue |= len(found) > SHOWN
        overdue += [Record(record, content_type) for record in found[:SHOWN]]
        found = list(
            model.objects.filter(
                next_review_due__gte=today,
                next_review_due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
            ).order_by("next_review_due")[: SHOWN + 1]
        )
        more_soon |= len(found) > SHOWN
        soon += [Record(record, content_type) for record in found[:SHOWN]]
    # Published pages that fail a line of "About this information": those
    # whose queryset says how (treatments and comparisons store the lines
    # they fail).
    failing, totals = [], {}
    for model in pages:
        manager = model._default_manager
        if hasattr(manager, "quality_failures"):
            found, totals[model] = manager.quality_failures(today, SHOWN, COUNTED)
            failing += [
                Failing(record, content_types[model], labels)
                for record, labels in found
            ]
    queue.sections.append(Section("Your drafts", drafts))
    queue.sections.append(
        Section(
            "Reviews overdue",
            sorted(overdue, key=lambda item: item.record.next_review_due),
            more=more_overdue,
            more_url=_list_url(pages, "review=overdue"),
        )
    )
    queue.sections.append(
        Section(
            f"Reviews due within {DUE_SOON_DAYS} days",
            sorted(soon, key=lambda item: item.record.next_review_due),
            more=more_soon,
            more_url=_list_url(pages, "review=soon"),
        )
    )
    queue.sections.append(
        Section(
            "Published pages that fail a line of “About this information”",
            failing[:SHOWN],
            more_links=_more_failing(failing[:SHOWN], totals),
        )
    )
    queue.scheduled.sort(
        key=lambda item: (
            item.publish_at if isinstance(item, PendingVersion) else item.unpublish_at
        )
    )
    # Records whose address a check found broken: those whose queryset
    # says how (treatments.Source: `manage.py check_sources` records it).
    for model in apps.get_models():
        if hasattr(model._default_manager, "link_broken") and viewable(user, model):
            found = list(
                model._default_manager.link_broken().order_by(
                    *model._meta.ordering, "pk"
                )[: SHOWN + 1]
            )
            queue.sections.append(
                Section(
                    f"{capfirst(model._meta.verbose_name_plural)} whose address "
                    "is broken",
                    [Record(record, None) for record in found[:SHOWN]],
                    more=len(found) > SHOWN,
                    more_url=changelist(model, "link=broken"),
                )
            )
    # Records whose text changed since the facts citing them were checked
    # (treatments.Source: `manage.py check_sources` notices, an editor
    # confirms): those facts wait for an editor.
    for model in apps.get_models():
        if hasattr(model._default_manager, "text_changed") and viewable(user, model):
            found = list(
                model._default_manager.text_changed().order_by("text_changed_at", "pk")[
                    : SHOWN + 1
                ]
            )
            queue.sections.append(
                Section(
                    f"{capfirst(model._meta.verbose_name_plural)} changed since "
                    "their facts were checked",
                    [Changed(record, None) for record in found[:SHOWN]],
                    more=len(found) > SHOWN,
                    more_url=changelist(model, "text=changed"),
                )
            )
    return queue


def _more_failing(shown, totals):
    """[(words, address)]: "and 37 more treatments", linked to the
    changelist of those that fail a line, for each kind of page not all
    shown."""
    links = []
    for model, total in totals.items():
        more = total - sum(type(item.record) is model for item in shown)
        if more > 0:
            opts = model._meta
            links.append(
                (
                    f"and {'at least ' if total >= COUNTED else ''}{more:,} more "
                    f"{opts.verbose_name if more == 1 else opts.verbose_name_plural}",
                    changelist(model, "fails=any&status__exact=published"),
                )
            )
    return links


def _reviewed_models():
    return [model for model in apps.get_models() if needs_review(model)]


def _list_url(pages, query):
    return changelist(pages[0], query) if len(pages) == 1 else ""


@dataclass
class Record:
    """A page in a list of the queue."""

    record: object
    content_type: ContentType

    @property
    def name(self):
        return str(self.record)

    @property
    def url(self):
        return change_url(self.record)

    @property
    def kind(self):
        return self.record._meta.verbose_name


@dataclass
class Failing(Record):
    """A published page that fails a line of its report."""

    labels: list = field(default_factory=list)

    @property
    def detail(self):
        return "not met: " + "; ".join(
            label[:1].lower() + label[1:] for label in self.labels
        )


@dataclass
class Changed(Record):
    """A record whose text changed since the facts citing it were checked."""

    @property
    def detail(self):
        return "the facts citing it wait to be checked against its new text"


@dataclass
class Unpublishing(Record):
    publish_at = None

    @property
    def unpublish_at(self):
        return self.record.unpublish_at

    @property
    def url(self):
        return review_url(self.content_type, self.record.pk)
