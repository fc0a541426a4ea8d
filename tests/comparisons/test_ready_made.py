"""Curated comparisons at any number: the home page shows a few, their own
page lists them all, a page at a time."""

import datetime
import itertools

import pytest

from comparisons.models import Comparison
from comparisons.views import READY_MADE_PAGE
from pages.views import HOME_COMPARISONS
from tests.factories import make_treatment

pytestmark = pytest.mark.django_db

# The version and content scopes, the count and one page of comparisons
# (with the two published treatments each must have).
LIST_QUERIES = 4


_numbers = itertools.count(1)


def curated(count, status="published"):
    """`count` comparisons of two published treatments, numbered on from
    those made before in the test."""
    first, second = make_treatment(), make_treatment()
    made = []
    for number in itertools.islice(_numbers, count):
        comparison = Comparison.objects.create(
            title=f"Comparison {number:03}",
            slug=f"comparison-{number:03}",
            introduction=f"Which of two, number {number}? More words.",
            status=status,
            last_reviewed=datetime.date(2026, 11, 21),
        )
        comparison.items.create(treatment=first, position=1)
        comparison.items.create(treatment=second, position=2)
        made.append(comparison)
    return made


def links(response):
    return [c.slug for c in response.context["comparisons"]]


def test_the_list_shows_published_comparisons_by_title_a_page_at_a_time(client):
    made = curated(READY_MADE_PAGE + 3)
    curated(1, status="draft")

    first = client.get("/compare/ready-made/")
    second = client.get("/compare/ready-made/?page=2")

    assert links(first) == [c.slug for c in made[:READY_MADE_PAGE]]
    assert links(second) == [c.slug for c in made[READY_MADE_PAGE:]]
    page = first.content.decode()
    assert 'href="/compare/comparison-001/"' in page
    assert "Which of two, number 1?" in page
    assert "More words" not in page  # the first sentence only
    assert 'href="?page=2" rel="next"' in page


@pytest.mark.parametrize("page", ["abc", "0", "999", "-1"])
def test_a_page_number_it_cannot_use_shows_a_page_not_an_error(client, page):
    curated(READY_MADE_PAGE + 1)
    response = client.get(f"/compare/ready-made/?page={page}")
    assert response.status_code == 200
    assert len(links(response)) in (1, READY_MADE_PAGE)


def test_with_none_the_page_says_so(client):
    curated(2, status="draft")
    page = client.get("/compare/ready-made/").content.decode()
    assert "There are no ready-made comparisons yet." in page


@pytest.mark.parametrize("size", [2, 40])
def test_the_list_costs_the_same_at_any_size(client, django_assert_num_queries, size):
    curated(size)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/compare/ready-made/")
    assert len(links(response)) == min(size, READY_MADE_PAGE)


def test_the_home_page_shows_a_few_and_links_to_the_rest(client):
    curated(HOME_COMPARISONS)
    page = client.get("/").content.decode()
    assert page.count('href="/compare/comparison-') == HOME_COMPARISONS
    assert 'href="/compare/ready-made/"' not in page

    curated(1)  # one more than the home page shows
    page = client.get("/").content.decode()
    assert page.count('href="/compare/comparison-') == HOME_COMPARISONS
    assert 'href="/compare/ready-made/">All ready-made comparisons</a>' in page
