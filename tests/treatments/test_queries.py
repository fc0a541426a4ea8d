"""Each page costs a fixed number of queries, however big the catalogue.

With 2 and with 30 fully described treatments (areas, a session plan, side
effects, milestones), the count is the same and exact: an N+1 fails here.
"""

import pytest

from tests.factories import add_facts, make_area, make_source, make_treatment
from treatments.models import Condition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content_types_known")]

# A page rendered afresh reads the content version first and, once
# rendered, where what it shows is at (core/cache); a
# cached page costs that last read and nothing more.
# version, areas (with their stored counts), which invasiveness and
# anaesthesia choices any treatment has, count, page, body areas of the
# page, baselines, what it shows
LIST_QUERIES = 8
# version, treatment+plan+sources, side effects, milestones, areas,
# conditions, public change notes, the area tree (the body-area rule), the
# baselines and the treatments to compare it with, what it shows
DETAIL_QUERIES = 11
# version, areas (with their stored counts), a few treatments, their areas,
# how many there are, conditions, facts, comparisons, what it shows
HOME_QUERIES = 9


def catalogue(size):
    source = make_source()
    legs = make_area("Legs")
    areas = [legs, make_area("Thighs", parent=legs), make_area("Arms")]
    condition = Condition.objects.create(
        name="Cellulite", slug="cellulite", summary="s"
    )
    for order in (1, 2):
        condition.facts.create(
            order=order, text="A fact.", source=source, source_location="p. 1"
        )
    treatments = []
    for n in range(size):
        treatment = make_treatment(
            f"Treatment {n:02}",
            areas=areas,
            source=source,
            plan={"kind": "course", "sessions_typical": 4},
        )
        treatment.conditions.add(condition)
        treatments.append(add_facts(treatment))
    return treatments


@pytest.mark.parametrize("size", [2, 30])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?body_area=legs&invasiveness=non-invasive&max_sessions=5&q=treatment"
        "&sort=daily",
        # A search, best match first: over the whole catalogue, and narrowed.
        "?q=treatment",
        "?q=treatment&body_area=legs&sort=relevance",
    ],
)
def test_catalogue(client, django_assert_num_queries, size, query):
    catalogue(size)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(f"/treatments/{query}")
    assert len(response.context["treatments"]) == min(size, 12)


@pytest.mark.parametrize("size", [2, 30])
def test_treatment_page(client, django_assert_num_queries, size):
    treatments = catalogue(size)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(treatments[-1].get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["treatment"].side_effects.all()) == 3


@pytest.mark.parametrize("size", [2, 30])
def test_home(client, django_assert_num_queries, size):
    catalogue(size)
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    assert len(response.context["treatments"]) == min(size, 6)


def test_healthz(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200
