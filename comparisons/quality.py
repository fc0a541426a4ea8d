"""A curated comparison's "About this information" (treatments/quality.py
makes the lines), for its change form and the lines it stores for the
review queue (comparisons/attention.py). The public page makes the same
report from what it loaded (views.ComparisonView)."""

from django.db.models import Q

from treatments import quality
from treatments.models import Treatment

from .models import Comparison


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
        extra_texts=[("Introduction", comparison.introduction)],
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
