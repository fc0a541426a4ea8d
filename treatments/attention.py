"""
The admin's index of "About this information" (treatments/quality.py): each
treatment and curated comparison stores the keys of the lines of its report
that it fails (`failing_lines`), so that "Needs attention" and the
changelists' filter "Fails a line" read a column, in a fixed number of
queries, instead of working out every published page's report on every
view of the admin's home page. The public page and the change form go on
working their report out from the data; this is only the admin's index
of it.

What is stored, and what is not:

- stored: the keys, space-separated, of the lines that follow from the
  record, its facts and the sources they cite (CITED, EVIDENCE, HARMS,
  SILENCES, NO_TREATMENT, READING); "" for none; NULL for not worked out
  yet (a record added by a bulk write, or by the migration that added the
  column: `migrate` works them out when it finishes);
- not stored: REVIEWED, which changes with the day. `failing()` works it
  out in the query from the stored review dates, so that a page that goes
  overdue tonight is listed tomorrow with no save.

When the keys are worked out, after the commit, once per transaction
(core/aftercommit.py; treatments/apps.py and comparisons/apps.py connect
the signals):

- a treatment, when it or one of its facts is saved or deleted: its
  report, in Python (`restate()`); and the comparisons that show it
  (comparisons/attention.py);
- when a source's checks may have changed (its text changed, its address
  broken: EVIDENCE), the one key of every treatment citing it, and of
  every comparison showing one: an UPDATE each, no report
  (`sources_rechecked`, sent by Source's saves and by what writes its
  checks with QuerySet.update());
- when a "no treatment" baseline is published, unpublished, made or
  deleted, the one key NO_TREATMENT of every treatment and comparison: an
  UPDATE each, no report. A baseline offered is all that line asks;
- all of them: `manage.py restate_quality` (after a release that changes
  how a report is worked out).

Why a column and not a table of (record, line) rows: the queue asks "which
published pages fail any line", which one partial index on the column
answers without a join, and a key is added or taken away from many
records in one UPDATE of the column, as a table would need a DELETE and an
INSERT. A line's keys are single words, none inside another, so
`failing_lines__contains=key` finds exactly that line.
"""

from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat, Replace, Trim
from django.dispatch import Signal

from core.aftercommit import gather

from . import quality
from .models import Milestone, SessionPlan, SideEffect, Source, TreatedArea, Treatment

FIELD = "failing_lines"
# The lines that are stored; REVIEWED is worked out in the query.
STORED = tuple(key for key in quality.LINES if key != quality.REVIEWED)
assert not any(a in b for a in quality.LINES for b in quality.LINES if a != b), (
    "a line's key inside another's: failing_lines__contains would find both"
)
# Records restated at a time: a fixed number of queries each.
BATCH = 200

# Sent with `pks`, the sources whose checks (text changed, address broken)
# may have changed, by whatever changed them; apps gather the work for the
# commit.
sources_rechecked = Signal()


def stored(report):
    """The keys to store of a report's failing lines."""
    return " ".join(line.key for line in report.failing if line.key in STORED)


def keys_of(record, today):
    """The keys of the lines `record` fails as of `today`, in LINES order:
    those stored, and REVIEWED from its dates."""
    found = set((getattr(record, FIELD) or "").split())
    if not quality.reviewed_line(record, today).met:
        found.add(quality.REVIEWED)
    return [key for key in quality.LINES if key in found]


def labels_of(keys):
    return [quality.LABELS[key] for key in keys]


def overdue(today):
    """REVIEWED not met: not reviewed, no next review set, or overdue
    (quality.reviewed_line())."""
    return (
        Q(last_reviewed__isnull=True)
        | Q(next_review_due__isnull=True)
        | Q(next_review_due__lt=today)
    )


def failing(today, key=None, *, published=False):
    """A Q: records that fail the line `key` (any line: None) as of
    `today`. `published`: of published records only, which are reviewed
    with a next review set (a constraint), so that overdue is one range
    of an index."""
    reviewed = Q(next_review_due__lt=today) if published else overdue(today)
    if key is None:
        return Q(**{f"{FIELD}__gt": ""}) | reviewed
    if key == quality.REVIEWED:
        return reviewed
    if key not in STORED:
        raise ValueError(f"no line {key!r}")
    return Q(**{f"{FIELD}__contains": key})


def failures(queryset, today, limit, count_up_to):
    """([(record, labels of the lines it fails)], how many in all) of the
    published records of `queryset` that fail a line as of `today`: the
    first `limit` in the model's order, and how many there are, counted no
    further than `count_up_to`. Two queries."""
    matching = queryset.published().filter(failing(today, published=True))
    found = list(matching.order_by(*queryset.model._meta.ordering, "pk")[:limit])
    total = matching.order_by().values("pk")[:count_up_to].count()
    return [(record, labels_of(keys_of(record, today))) for record in found], total


def touches_baselines(instance):
    """A treatment that is, or was when loaded, a baseline: a few records,
    rarely saved, whose publishing every page's NO_TREATMENT follows."""
    loaded = getattr(instance, "named_as_loaded", None)
    was = loaded is not None and dict(zip(Treatment.NAMED_BY, loaded, strict=True))
    return bool(instance.is_baseline or (was and was["is_baseline"]))


# Keys added and taken away in bulk.


def set_key(queryset, key, condition):
    """Store `key` on those of these records (worked out already) where the
    Q `condition` holds, and take it away where it does not: two UPDATEs,
    of the records that change. Keys added come last, not in LINES order."""
    has = Q(**{f"{FIELD}__contains": key})
    known = queryset.filter(**{f"{FIELD}__isnull": False})
    column = F(FIELD)
    added = Trim(Concat(column, Value(f" {key}")))
    taken = Replace(Replace(column, Value(key), Value("")), Value("  "), Value(" "))
    taken = Trim(taken)
    return known.filter(condition).exclude(has).update(**{FIELD: added}) + (
        known.exclude(condition).filter(has).update(**{FIELD: taken})
    )


def citing(sources):
    """A Q: treatments that cite any of `sources` (a queryset), in their own
    description or in a fact (quality.facts_of())."""
    cited = Q(source__in=sources)
    for model in (SessionPlan, TreatedArea, SideEffect, Milestone):
        cited |= Q(
            Exists(model.objects.filter(treatment=OuterRef("pk"), source__in=sources))
        )
    return cited


def not_as_checked():
    """The sources that fail EVIDENCE for the pages citing them
    (quality.evidence_line()): changed since their facts were checked, or
    their address broken."""
    return Source.objects.text_changed() | Source.objects.link_broken()


def baseline_offered():
    """A Q that holds when a published baseline exists: the "no treatment"
    option a page offers (quality.no_treatment_line())."""
    return Q(Exists(Treatment.objects.published().baselines()))


# Worked out after the commit.


def restate(treatments):
    """Work out the report of each of these treatments (a queryset) and store
    its keys, BATCH at a time. Returns how many changed."""
    ids = list(treatments.order_by("pk").values_list("pk", flat=True))
    offered = list(quality.published_baselines()) if ids else []
    changed = 0
    for start in range(0, len(ids), BATCH):
        updated = []
        for treatment in Treatment.objects.filter(
            pk__in=ids[start : start + BATCH]
        ).for_comparison():
            report = quality.for_treatment(
                treatment, offered=[] if treatment.is_baseline else offered
            )
            keys = stored(report)
            if getattr(treatment, FIELD) != keys:
                setattr(treatment, FIELD, keys)
                updated.append(treatment)
        Treatment.objects.bulk_update(updated, [FIELD])
        changed += len(updated)
    return changed


def restate_treatments(pks):
    restate(Treatment.objects.filter(pk__in=pks))


def restate_evidence(source_pks):
    """EVIDENCE of the treatments citing these sources, as the sources'
    checks now stand."""
    set_key(
        Treatment.objects.filter(citing(Source.objects.filter(pk__in=source_pks))),
        quality.EVIDENCE,
        citing(not_as_checked()),
    )


def restate_no_treatment(_keys=None):
    """NO_TREATMENT of every treatment that is not a baseline, as the
    published baselines now stand."""
    set_key(
        Treatment.objects.filter(is_baseline=False),
        quality.NO_TREATMENT,
        ~baseline_offered(),
    )


# Signal handlers (treatments/apps.py).


def treatment_changed(sender, instance, **kwargs):
    """A treatment or a fact of one saved or deleted: its report after the
    commit; a baseline's, every page's "no treatment" line too."""
    if sender is Treatment:
        gather(restate_treatments, [instance.pk])
        if touches_baselines(instance):
            gather(restate_no_treatment, [True])
    else:
        gather(restate_treatments, [instance.treatment_id])


def source_saved(sender, instance, **kwargs):
    sources_rechecked.send(sender=Source, pks=[instance.pk])


def sources_changed(sender, pks, **kwargs):
    gather(restate_evidence, pks)
