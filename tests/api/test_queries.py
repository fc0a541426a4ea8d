"""Each API address costs a fixed number of queries, however big the
catalogue: the same, exact count with 2 and with 60 fully described
treatments (areas, a session plan, side effects, milestones, a change note),
so an N+1 fails here."""

import datetime

import pytest

from comparisons.models import Comparison
from editorial.changes import note_change
from tests.factories import add_facts, make_area, make_source, make_treatment
from tests.support.content import made_once
from treatments.models import Condition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content_types_known")]

# Every address first reads the content version, and once rendered, where
# the scopes it shows are at (core/cache/): 2 queries of the page cache.
CACHE = 2
QUERIES = {
    # the area tree (the FilterSet), the count, the page, its body areas
    "/api/v1/treatments/": CACHE + 4,
    # the same, searching and narrowed (one query counts and ranks, SQLite)
    "/api/v1/treatments/?q=treatment&body_area=thighs&max_sessions=5&sort=daily": (
        CACHE + 4
    ),
    # treatment + plan + sources, side effects, milestones, areas,
    # conditions, change notes
    "/api/v1/treatments/treatment-01/": CACHE + 6,
    # the area tree
    "/api/v1/body-areas/": CACHE + 1,
    # the count, the page
    "/api/v1/sources/": CACHE + 2,
    # the count, the page, its treatments
    "/api/v1/comparisons/": CACHE + 3,
    # the comparison, its items; its treatments, their side effects,
    # milestones, areas, conditions; the area tree
    "/api/v1/comparisons/curated/": CACHE + 8,
    # the treatments (and the baselines), their side effects, milestones,
    # areas, conditions; the area tree
    "/api/v1/compare/?treatments=treatment-00&treatments=treatment-01": CACHE + 6,
    # the count, the page, the treatments and the comparisons noted
    "/api/v1/changes/": CACHE + 4,
    # the body areas, for the body_area filter's values
    "/api/v1/openapi.json": CACHE + 1,
}


@made_once(params=[2, 60], ids=lambda size: f"{size} treatments")
def catalogue(size):
    """The catalogue the counts are taken with, made once for the module's
    tests of each size."""
    source = make_source()
    legs = make_area("Legs")
    areas = [legs, make_area("Thighs", parent=legs), make_area("Arms")]
    condition = Condition.objects.create(
        name="Cellulite", slug="cellulite", summary="s"
    )
    treatments = []
    for n in range(size):
        treatment = make_treatment(
            f"Treatment {n:02}",
            areas=areas,
            source=make_source() if n % 2 else source,
            plan={"kind": "course", "sessions_typical": 4},
        )
        treatment.conditions.add(condition)
        treatments.append(add_facts(treatment))
        note_change(treatment, f"Note {n}.")
    comparison = Comparison.objects.create(
        title="Curated",
        slug="curated",
        introduction="Which?",
        status="published",
        last_reviewed=datetime.date(2026, 11, 21),
    )
    for position, treatment in enumerate(treatments[:2], start=1):
        comparison.items.create(treatment=treatment, position=position)
    note_change(comparison, "A note on the comparison.")
    return treatments


@pytest.mark.parametrize("url", list(QUERIES))
def test_a_fixed_number_of_queries(client, django_assert_num_queries, catalogue, url):
    with django_assert_num_queries(QUERIES[url]):
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]


def test_a_cached_answer_costs_one_query(
    client, django_assert_num_queries, memory_cache, catalogue
):
    """With each process's memory cache, a cached answer reads the numbers
    of what it shows (with Redis, not even that)."""
    client.get("/api/v1/treatments/")
    with django_assert_num_queries(1):
        assert client.get("/api/v1/treatments/")["X-Cache"] == "hit"
