"""Each page costs a fixed number of queries, however big the catalogue.

With 2 and with 30 fully described treatments (areas, a session plan, side
effects, milestones), all in the same body areas (a dense catalogue, as a
real one is), the count is the same and exact: an N+1 fails here. Counted
up to 20 here (COUNT_UP_TO), 30 treatments are past it: both ways of
saying how many a page lists cost the same.
"""

import pytest

from tests.factories import add_facts, make_area, make_source, make_treatment
from tests.support.content import made_once
from treatments import paging
from treatments.areas import recount_areas
from treatments.models import Condition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content_types_known")]

# A page rendered afresh reads the content version first and, once
# rendered, where what it shows is at (core/cache); a
# cached page costs that last read and nothing more.
# version, areas (with their stored counts), which invasiveness and
# anaesthesia choices any treatment has, the stored total or a count of the
# matches up to COUNT_UP_TO, page, body areas of the page, baselines, what
# it shows
LIST_QUERIES = 8
# One body area alone: its stored count comes with the areas.
ONE_AREA_QUERIES = LIST_QUERIES - 1
# version, treatment+plan+sources, side effects, milestones, areas,
# conditions, public change notes, the area tree (the body-area rule), the
# baselines and the treatments to compare it with, what it shows
DETAIL_QUERIES = 11
# version, areas (with their stored counts), a few treatments, their areas,
# how many there are (stored), conditions, facts, comparisons, what it shows
HOME_QUERIES = 9


@pytest.fixture(autouse=True)
def counted_up_to_20(monkeypatch):
    monkeypatch.setattr(paging, "COUNT_UP_TO", 20)


@made_once(params=[2, 30], ids=lambda size: f"{size} treatments")
def catalogue(size):
    """The catalogue the counts are taken with, made once for the module's
    tests of each size."""
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


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ("", LIST_QUERIES),
        (
            "?body_area=legs&invasiveness=non-invasive&max_sessions=5&q=treatment"
            "&sort=daily",
            LIST_QUERIES,
        ),
        # A search, best match first: over the whole catalogue, and narrowed.
        ("?q=treatment", LIST_QUERIES),
        ("?q=treatment&body_area=legs&sort=relevance", LIST_QUERIES),
        # Body areas: two at once, one with another filter, one alone.
        ("?body_area=thighs&body_area=arms", LIST_QUERIES),
        ("?body_area=thighs&invasiveness=non-invasive", LIST_QUERIES),
        ("?body_area=thighs", ONE_AREA_QUERIES),
        ("?body_area=thighs&page=2", ONE_AREA_QUERIES),
    ],
)
def test_catalogue(client, django_assert_num_queries, catalogue, query, queries):
    size = len(catalogue)
    # As when it commits; not committed()'s other work, which with Redis
    # publishes the content version there, and so saves a query.
    recount_areas()
    with django_assert_num_queries(queries):
        response = client.get(f"/treatments/{query}")
    # Page 2 of 2 treatments is page 1, the nearest there is.
    shown = min(size - 12, 12) if "page=2" in query and size > 12 else min(size, 12)
    assert len(response.context["treatments"]) == shown
    stored = queries == ONE_AREA_QUERIES or not query
    # Every treatment is in every area: counted, 30 is "more than 20".
    counted = size if stored else min(size, 21)
    assert response.context["paginator"].count == counted


def test_treatment_page(client, django_assert_num_queries, catalogue):
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(catalogue[-1].get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["treatment"].side_effects.all()) == 3


def test_home(client, django_assert_num_queries, catalogue):
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/")
    assert response.status_code == 200
    assert len(response.context["treatments"]) == min(len(catalogue), 6)


def test_healthz(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200
