"""
A comparison as the API gives it: the comparison page's own builders
(comparisons/table.py for the rows, comparisons/differences.py for the key
differences), never a second version of them.
"""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status

from comparisons.differences import key_differences
from comparisons.models import MAX_TREATMENTS, MIN_TREATMENTS
from comparisons.table import build_table
from treatments.evidence import assess

TREATMENTS = OpenApiParameter(
    "treatments",
    {
        "type": "array",
        "items": {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"},
        "minItems": MIN_TREATMENTS,
        "maxItems": MAX_TREATMENTS,
        "uniqueItems": True,
    },
    OpenApiParameter.QUERY,
    required=True,
    explode=True,
    style="form",
    description=f"The identifiers of {MIN_TREATMENTS} to {MAX_TREATMENTS} "
    "published treatments, in the order to show them: "
    "?treatments=a&treatments=b.",
)


class UnknownTreatment(exceptions.ValidationError):
    """A treatment we do not have: a 404 that names the parameter."""

    status_code = status.HTTP_404_NOT_FOUND


def compare(treatments, area_tree, *, reviewed):
    """What the comparison page says of these treatments, as data: its key
    differences (each with the row it speaks of), what only some sources
    cover, the note on baselines, and the evidence behind it all."""
    cited = {t.pk: t.cited_sources() for t in treatments}
    table = build_table(
        treatments,
        pair=treatments[:2],
        area_tree=area_tree,
        evidence={t.pk: assess(cited[t.pk]) for t in treatments},
    )
    return {
        "treatments": treatments,
        "key_differences": key_differences(table),
        "evidence": assess(
            [s for t in treatments for s in cited[t.pk]], reviewed=reviewed
        ),
        "reviewed": reviewed,
    }
