"""Case 4, on either database: readers keep reading while the database
refuses connections, and everything recovers once it is back.

Every query fails here as it does when the server is gone (an execute
wrapper raising OperationalError); tests/faults/test_database_server.py
cuts and freezes a real PostgreSQL through a proxy."""

from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection

from core.models import ContentVersion
from core.versions import SCOPE_KEY
from treatments.models import Treatment

pytestmark = pytest.mark.django_db

CACHED = "/treatments/mesotherapy/"
UNCACHED = "/treatments/laser-cellulite-reduction/"
DOWN = "connection to server at 127.0.0.1, port 5432 failed: Connection refused"


@contextmanager
def database_down():
    """Every query fails; yields the queries that were tried."""
    tried = []

    def refuse(execute, sql, params, many, context):
        tried.append(sql)
        raise OperationalError(DOWN)

    with connection.execute_wrapper(refuse):
        yield tried


@pytest.fixture(autouse=True)
def retry_at_once(settings):
    # Ask the database again on the next request, to see it come back.
    settings.DATABASE_RETRY_SECONDS = 0


@pytest.fixture
def memory_site(seeded, memory_cache):
    """The seeded site with each process's memory cache: the content version
    is read from the database on every request, as before."""


def test_cached_pages_are_served_stale_and_others_get_a_503(memory_site, client):
    fresh = client.get(CACHED)
    assert fresh["X-Cache"] == "miss"
    with database_down():
        stale = client.get(CACHED)
        assert stale.status_code == 200
        assert stale["X-Cache"] == "stale"
        assert stale.content == fresh.content

        unavailable = client.get(UNCACHED)
        assert unavailable.status_code == 503
        assert unavailable["Retry-After"] == "30"
        page = unavailable.content.decode()
        assert "This page is not available just now" in page
        assert "OperationalError" not in page and "Traceback" not in page
        assert unavailable["Cache-Control"] == "no-store"

        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.content.startswith(b"database: unavailable\n")
        assert b"OperationalError" not in health.content

    # Back: no restart, the pages are fresh again and the others render.
    assert client.get(CACHED)["X-Cache"] == "hit"
    assert client.get(UNCACHED).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_a_page_cached_before_an_edit_is_still_served_stale(memory_site, client):
    client.get(CACHED)
    treatment = Treatment.objects.get(slug="mesotherapy")
    treatment.summary = "Edited, and not yet seen by anyone."
    treatment.save()
    with database_down():
        stale = client.get(CACHED)
    assert stale["X-Cache"] == "stale"
    assert b"Edited, and not yet seen" not in stale.content
    fresh = client.get(CACHED)
    assert fresh["X-Cache"] == "miss"
    assert b"Edited, and not yet seen" in fresh.content


def test_stale_only_for_the_configured_time(memory_site, client, settings):
    client.get(CACHED)
    settings.PAGE_CACHE_STALE_SECONDS = 0
    with database_down():
        assert client.get(CACHED).status_code == 503


def test_the_database_is_not_asked_again_at_once(memory_site, client, settings):
    """After a failure, cached pages are served stale for
    DATABASE_RETRY_SECONDS without trying the database on each request."""
    settings.DATABASE_RETRY_SECONDS = 60
    client.get(CACHED)
    with database_down() as tried:
        assert client.get(CACHED)["X-Cache"] == "stale"
        assert len(tried) == 1
        for _ in range(3):
            assert client.get(CACHED)["X-Cache"] == "stale"
        assert len(tried) == 1


def test_an_editor_gets_the_stale_page_too(memory_site, editor_client):
    from django.test import Client

    Client().get(CACHED)
    with database_down():
        response = editor_client.get(CACHED)
    assert response.status_code == 200
    assert response["X-Cache"] == "stale"


def test_the_admin_answers_503_too(seeded, editor_client):
    with database_down():
        response = editor_client.get("/admin/treatments/treatment/")
    assert response.status_code == 503
    assert b"This page is not available just now" in response.content


def test_with_redis_a_cached_page_needs_no_database(
    seeded, client, private_redis, django_assert_num_queries
):
    client.get(CACHED)
    meso = Treatment.objects.get(slug="mesotherapy").pk
    with database_down() as tried:
        with django_assert_num_queries(0):
            response = client.get(CACHED)
        # The numbers of what it shows are Redis's: a plain hit, as the
        # content cannot change.
        assert response["X-Cache"] == "hit"
        assert tried == []
        assert client.get(UNCACHED).status_code == 503
        # Once Redis's copies of those numbers expire, the page is stale.
        caches["default"].delete(SCOPE_KEY.format(f"treatments.treatment:{meso}"))
        assert client.get(CACHED)["X-Cache"] == "stale"
    assert client.get(CACHED)["X-Cache"] == "hit"


def test_with_redis_a_commit_publishes_the_version(seeded, private_redis):
    """Inside a transaction the copy is dropped, and when it commits the new
    number is written for every worker (the test's transaction never
    commits: its on_commit callbacks are run by hand)."""
    from django.test import TestCase

    cache = caches["default"]
    cache.set("content-version", ContentVersion.current())
    with TestCase.captureOnCommitCallbacks(execute=True):
        ContentVersion.bump()
        assert cache.get("content-version") is None
    assert cache.get("content-version") == ContentVersion.current()
