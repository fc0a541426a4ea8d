"""The text search, through the catalogue: full text with ranking and
misspelt names on PostgreSQL, a plain substring match on SQLite."""

import pytest
from django.db import connection

from core.models import ContentVersion
from tests.factories import make_area, make_treatment
from treatments.models import SearchEntry, Treatment

pytestmark = pytest.mark.django_db

LASER = "Laser cellulite reduction"
MESO = "Mesotherapy"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the fallback for the quick start"
)


def found(client, query):
    response = client.get(f"/treatments/?{query}")
    assert response.status_code == 200
    return [treatment.name for treatment in response.context["treatments"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # In the name, in the summary, in how it works.
        ("q=laser", [LASER]),
        ("q=injection", [MESO]),
        ("q=collagen", [LASER]),
        ("q=cellulite", [LASER, MESO]),
        ("q=nothing-matches-this", []),
        # Not the baseline ("no treatment"), which the catalogue never lists.
        ("q=diet", []),
    ],
)
def test_finds_words_in_name_summary_and_how_it_works(seeded, client, query, expected):
    assert sorted(found(client, query)) == expected


def test_what_people_type_is_never_an_error(seeded, client):
    for text in ['"laser', "laser -", "&|!():*", "'", "%", "\\", "laser OR"]:
        response = client.get("/treatments/", {"q": text})
        assert response.status_code == 200
        assert not response.context["filter"].errors


@postgresql_only
class TestFullText:
    def test_a_misspelt_name_is_found(self, seeded, client):
        assert found(client, "q=mesotherpy") == [MESO]
        assert found(client, "q=mesotherapy") == [MESO]

    def test_words_are_stemmed(self, seeded, client):
        assert found(client, "q=injections") == [MESO]

    def test_the_start_of_a_name_is_found_as_you_type(self, seeded, client):
        assert found(client, "q=meso") == [MESO]

    def test_best_match_first(self, client):
        make_treatment("Aardvark massage", how_it_works="Radiofrequency heats it.")
        make_treatment("Middle wave", summary="A radiofrequency device.")
        make_treatment("Zulu radiofrequency")
        make_treatment("Unrelated")
        # The name counts most, then the summary, then how it works.
        expected = ["Zulu radiofrequency", "Middle wave", "Aardvark massage"]
        assert found(client, "q=radiofrequency") == expected
        assert found(client, "q=radiofrequency&sort=relevance") == expected
        # A sort the visitor chose wins.
        assert found(client, "q=radiofrequency&sort=name") == sorted(expected)
        # With other filters too.
        legs = make_area("Legs")
        make_treatment("Legs radiofrequency", areas=[legs])
        make_treatment("Legs other", areas=[legs], how_it_works="radiofrequency")
        assert found(client, "q=radiofrequency&body_area=legs") == [
            "Legs radiofrequency",
            "Legs other",
        ]

    def test_pages_of_matches(self, client):
        for number in range(15):
            make_treatment(f"Wave {number:02}", how_it_works="wave" * (number % 3))
        response = client.get("/treatments/?q=wave")
        assert response.context["paginator"].count == 15
        first = [t.name for t in response.context["treatments"]]
        second = found(client, "q=wave&page=2")
        assert len(first) == 12 and len(second) == 3
        assert not set(first) & set(second)

    def test_entries_follow_every_change(self, client):
        """The triggers keep the search table in step with the treatments,
        however they change: saves, bulk updates, deletes."""
        treatment = make_treatment("Cryolipolysis", summary="Cooling fat.")
        assert found(client, "q=cryolipolysis") == ["Cryolipolysis"]

        treatment.name = "Fat freezing"
        treatment.save()
        assert found(client, "q=cryolipolysis") == []
        assert found(client, "q=freezing") == ["Fat freezing"]

        def bulk_update(**fields):  # no signals: the triggers still see it
            Treatment.objects.filter(pk=treatment.pk).update(**fields)
            ContentVersion.bump()  # as core/cache asks after a bulk update

        bulk_update(status="draft")
        assert found(client, "q=freezing") == []
        bulk_update(status="published")
        assert found(client, "q=freezing") == ["Fat freezing"]
        bulk_update(is_baseline=True)
        assert found(client, "q=freezing") == []

        treatment.refresh_from_db()
        treatment.delete()
        assert not SearchEntry.objects.filter(pk=treatment.pk).exists()

    def test_entries_are_not_content(self, seeded):
        """Backups and fixtures leave the table out; a restore rebuilds it."""
        assert SearchEntry.objects.count() == 2
        assert SearchEntry._default_manager.count() == 0


@sqlite_only
def test_without_postgresql_a_search_matches_what_is_typed(seeded, client):
    assert found(client, "q=mesoth") == [MESO]
    assert found(client, "q=mesotherpy") == []  # no misspellings here
    assert found(client, "q=LASER") == [LASER]
