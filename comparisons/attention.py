"""
A curated comparison's stored keys of the lines of "About this information"
it fails (treatments/attention.py says what is stored and why; the report
is comparisons/quality.py's), worked out after the commit:

- its report, in Python, when it or one of its items is saved or deleted,
  or when a treatment it shows (or one of that treatment's facts) is:
  which treatments it shows, and what they say, make its report;
- EVIDENCE alone, in one UPDATE, when the checks of a source cited by a
  treatment it shows may have changed;
- NO_TREATMENT alone, in one UPDATE, when a baseline is published,
  unpublished, made or deleted: a comparison offers "no treatment" when a
  published baseline exists (in it, or offered to add).
"""

from django.db.models import Exists, OuterRef, Q

from core.aftercommit import gather
from editorial.publishing import Status
from treatments import attention
from treatments import quality as treatment_quality
from treatments.models import Source, Treatment

from . import quality
from .models import Comparison, ComparisonItem


def restate(comparisons):
    """Work out the report of each of these comparisons (a queryset) and
    store its keys, BATCH at a time. Returns how many changed."""
    ids = list(comparisons.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), attention.BATCH):
        found = list(
            Comparison.objects.filter(pk__in=ids[start : start + attention.BATCH])
            .for_page()
            .order_by("pk")
        )
        shown, baselines = quality.loaded(found)
        updated = []
        for comparison in found:
            report = quality.report_for(comparison, shown[comparison.pk], baselines)
            keys = attention.stored(report)
            if comparison.failing_lines != keys:
                comparison.failing_lines = keys
                updated.append(comparison)
        Comparison.objects.bulk_update(updated, [attention.FIELD])
        changed += len(updated)
    return changed


def restate_comparisons(pks):
    restate(Comparison.objects.filter(pk__in=pks))


def restate_showing(treatment_pks):
    """The comparisons that have any of these treatments in them."""
    restate(
        Comparison.objects.filter(
            Exists(
                ComparisonItem.objects.filter(
                    comparison=OuterRef("pk"), treatment__in=treatment_pks
                )
            )
        )
    )


def showing(treatments):
    """A Q: comparisons that show any of `treatments` (a queryset): in them,
    and published."""
    return Q(
        Exists(
            ComparisonItem.objects.filter(
                comparison=OuterRef("pk"),
                treatment__status=Status.PUBLISHED,
                treatment__in=treatments,
            )
        )
    )


def restate_evidence(source_pks):
    """EVIDENCE of the comparisons showing a treatment that cites these
    sources, as the sources' checks now stand."""
    cites = Treatment.objects.filter(
        attention.citing(Source.objects.filter(pk__in=source_pks))
    )
    attention.set_key(
        Comparison.objects.filter(showing(cites)),
        treatment_quality.EVIDENCE,
        showing(Treatment.objects.filter(attention.citing(attention.not_as_checked()))),
    )


def restate_no_treatment(_keys=None):
    attention.set_key(
        Comparison.objects.all(),
        treatment_quality.NO_TREATMENT,
        ~attention.baseline_offered(),
    )


# Signal handlers (comparisons/apps.py).


def comparison_changed(sender, instance, **kwargs):
    pk = instance.pk if sender is Comparison else instance.comparison_id
    gather(restate_comparisons, [pk])


def treatment_changed(sender, instance, **kwargs):
    """A treatment or a fact of one saved or deleted: the comparisons that
    have it in them, after the commit."""
    pk = instance.pk if sender is Treatment else instance.treatment_id
    gather(restate_showing, [pk])
    if sender is Treatment and attention.touches_baselines(instance):
        gather(restate_no_treatment, [True])


def sources_changed(sender, pks, **kwargs):
    gather(restate_evidence, pks)
