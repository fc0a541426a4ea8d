"""Search input that cannot raise (treatments/search_input.py): runs of
operators and punctuation are folded before PostgreSQL's
websearch_to_tsquery reads them, and a search the database still refuses
reads "We could not understand that search", in every search box."""

from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_treatment
from treatments.models import search
from treatments.search_input import NOT_UNDERSTOOD, fold

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="websearch_to_tsquery is PostgreSQL's"
)

RUNS = ["-" * 33, "-" * 100, '"' * 100, "!" * 100, "|" * 100, "- " * 50]
PUNCTUATION = "-\"!|&()<>:*'@~^.,;?/\\+= "
# Runs of punctuation and operators, with a word or two among them.
search_text = st.lists(
    st.one_of(
        st.text(alphabet=PUNCTUATION, min_size=1, max_size=60),
        st.builds(lambda c, n: c * n, st.sampled_from(PUNCTUATION), st.integers(1, 99)),
        st.sampled_from(["laser", "or", "-laser", '"laser', "a-b"]),
    ),
    min_size=1,
    max_size=6,
).map(lambda parts: "".join(parts)[:100])

BOXES = ["/treatments/?q=", "/compare/?q="]
ADMIN_BOXES = [
    "/admin/treatments/treatment/?q=",
    "/admin/treatments/source/?q=",
    "/admin/comparisons/comparison/?q=",
    "/admin/editorial/changenote/?q=",
]


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("-" * 40, ""),
        ("laser " + "-" * 40 + "surgery", "laser -surgery"),
        ("laser -surgery", "laser -surgery"),
        ('"fat freezing" or laser', '"fat freezing" or laser'),
        ('"unclosed phrase', "unclosed phrase"),
        ("- - - x", "x"),
        ("anti-cellulite!!!|||", "anti-cellulite"),
        ("crème brûlée", "crème brûlée"),
    ],
)
def test_fold(typed, folded):
    assert fold(typed) == folded


def understood(text):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT websearch_to_tsquery('english', %s)", [text])
        cursor.fetchone()


@postgresql_only
@pytest.mark.parametrize("run", RUNS)
def test_postgresql_refused_these_unfolded(run):
    if run.startswith("-"):
        with pytest.raises(Exception, match="tsquery stack too small"):
            understood(run + "x" if run.endswith(" ") else run)
    understood(fold(run))


@postgresql_only
@given(text=search_text)
def test_folded_text_is_always_understood(text):
    understood(fold(text))


def get(client, box, text):
    with transaction.atomic():
        return client.get(box + quote(text))


@postgresql_only
@pytest.mark.parametrize("box", BOXES)
@pytest.mark.parametrize("run", RUNS)
def test_long_runs_in_every_search_box(client, box, run):
    make_treatment("Laser")
    response = client.get(box + quote(run))
    assert response.status_code == 200
    assert NOT_UNDERSTOOD not in response.content.decode()  # folded, understood


@postgresql_only
@given(text=search_text, box=st.sampled_from(BOXES))
def test_punctuation_runs_in_the_public_search_boxes(text, box):
    response = get(Client(), box, text)
    assert response.status_code == 200
    assert NOT_UNDERSTOOD not in response.content.decode()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=search_text, box=st.sampled_from(ADMIN_BOXES))
def test_punctuation_runs_in_the_admin_search_boxes(editor_client, text, box):
    assert get(editor_client, box, text).status_code == 200


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("box", BOXES)
def test_a_search_the_database_refuses_says_so(client, box, monkeypatch):
    """Should folding ever miss something, the page says it could not
    understand the search, and shows what it can without it."""
    make_treatment("Laser")
    monkeypatch.setattr(search, "fold", lambda text: text)  # as before
    response = client.get(box + quote("-" * 40))
    assert response.status_code == 200
    assert NOT_UNDERSTOOD in response.content.decode()
    assert "Laser" in response.content.decode()
