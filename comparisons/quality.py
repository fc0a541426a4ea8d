"""A curated comparison's "About this information" (treatments/quality.py
makes the lines), for its change form and the lines it stores for the
review queue (comparisons/attention.py). The public page makes the same
report from what it loaded (views.ComparisonView)."""

from django.db.models import Q

from editorial import prose
from treatments import quality
from treatments.models import Treatment

from .models import Comparison, ComparisonItem


def own_texts(comparison):
    """(label, text) of the comparison's own public texts (its
    introduction: the registry of public prose, editorial/prose.py), or
    none for a comparison of the reader's own choosing (None)."""
    if comparison is None:
        return []
    return [
        (prose.label(Comparison, name), text)
        for name, text in prose.texts_of(comparison)
    ]


def report_for(comparison, treatments, baselines, today=None):
    """The report of `comparison` showing `treatments`, with the published
    `baselines` it could offer to add."""
    shown = {t.pk for t in treatments}
    return quality.for_treatments(
        treatments,
        sources=[s for t in treatments for s in t.cited_sources()],
        reviewed=comparison,
        offered=[b for b in baselines if b.pk not in shown],
        today=today,
        extra_texts=own_texts(comparison),
    )


def loaded(comparisons):
    """{comparison pk: [its published treatments, in order]} and the
    published baselines, in one query of the treatments with their facts."""
    ids = {item.treatment_id for c in comparisons for item in c.items.all()}
    found = {
        t.pk: t
        for t in Treatment.objects.published()
        .for_comparison()
        .filter(Q(pk__in=ids) | Q(is_baseline=True))
    }
    shown = {
        c.pk: [found[i.treatment_id] for i in c.items.all() if i.treatment_id in found]
        for c in comparisons
    }
    return shown, [t for t in found.values() if t.is_baseline]


def report_of_saved(comparison, today=None):
    """The report of a comparison as saved (its change form)."""
    comparison = Comparison.objects.for_page().get(pk=comparison.pk)
    shown, baselines = loaded([comparison])
    return report_for(comparison, shown[comparison.pk], baselines, today)


def restate_reading_of_treatments(treatment_ids):
    """Restate the reading of the comparisons that show these treatments."""
    shown_in = ComparisonItem.objects.filter(treatment_id__in=treatment_ids)
    ids = set(shown_in.values_list("comparison_id", flat=True))
    if ids:
        restate_reading(ids)


def restate_reading(comparison_ids):
    """Store on these comparisons the reading of their pages: their own
    texts and their published treatments' (editorial/prose.py: the list's
    column and filter read it). comparisons/apps.py calls it when a
    comparison, one of its treatments or a treatment's fact is saved."""
    comparisons = list(Comparison.objects.filter(pk__in=comparison_ids).for_page())
    if not comparisons:
        return
    shown, _baselines = loaded(comparisons)
    for comparison in comparisons:
        found = quality.page_readings(shown[comparison.pk], own_texts(comparison))
        prose.store(
            Comparison, comparison.pk, prose.page_reading(r for _label, r in found)
        )
