"""Counting no more than a page must (treatments/paging.py)."""

import pytest

from tests.factories import make_treatment
from treatments.models import Treatment
from treatments.paging import LAST_PAGE_COUNTED, CataloguePaginator, asked_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "page"),
    [
        (None, 1),
        ("", 1),
        ("abc", 1),
        ("2.5", 1),
        ("-3", 1),
        ("0", 1),
        ("7", 7),
        ("9" * 40, LAST_PAGE_COUNTED),
    ],
)
def test_the_page_asked_for(given, page):
    assert asked_page(given) == page


@pytest.fixture
def five():
    for number in range(5):
        make_treatment(f"Treatment {number}")
    return Treatment.objects.order_by("name")


def test_a_stored_count_is_read_not_counted(five, django_assert_num_queries):
    paginator = CataloguePaginator(five, 2, stored=9)
    with django_assert_num_queries(0):
        assert (paginator.count, paginator.num_pages) == (9, 5)
    assert paginator.more_than is None


def test_counted_up_to_a_figure_then_more_than_it(five, monkeypatch):
    monkeypatch.setattr("treatments.paging.COUNT_UP_TO", 3)
    paginator = CataloguePaginator(five, 2, asked=1)
    assert (paginator.count, paginator.more_than, paginator.num_pages) == (4, 3, 2)
    # Asked for a later page, it counts to the end of that page and one more.
    paginator = CataloguePaginator(five, 2, asked=2)
    assert (paginator.count, paginator.more_than) == (5, 4)
    paginator = CataloguePaginator(five, 2, asked=3)
    assert (paginator.count, paginator.more_than) == (5, None)


def test_without_either_it_counts_all_as_django_does(five):
    paginator = CataloguePaginator(five, 2)
    assert (paginator.count, paginator.more_than) == (5, None)


def test_a_page_holds_what_there_is_whatever_the_count_says(five):
    assert len(CataloguePaginator(five, 2, stored=1).page(1)) == 2
    assert len(CataloguePaginator(five, 2, stored=5).page(3)) == 1
