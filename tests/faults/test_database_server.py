"""Cases 4 and 5 on a real PostgreSQL server, cut off and frozen through a
proxy of the test's own (tests/support/proxy.py): readers keep reading,
nothing waits for long, /healthz follows the database, and everything
recovers once it is back, in the same process with the same settings.

Requests go through the WSGI application as gunicorn calls it (`serve`).
"""

import time

import pytest
from django.core.management import call_command
from django.db import connection

from tests.support.proxy import serve

pytestmark = [
    # No test transaction: the connection must be free to close and connect
    # again. (pytest-django runs these after the other database tests.)
    pytest.mark.django_db(transaction=True),
]

CACHED = "/treatments/mesotherapy/"
UNCACHED = "/treatments/laser-cellulite-reduction/"
HEALTHY = (200, b"database: ok\ncache: ok\n")


def health():
    status, _, body = serve("/healthz")
    return status, body


@pytest.fixture
def site(database_proxy, settings):
    """The seeded site behind the proxy, asking the database again on the
    next request after a failure."""
    settings.DATABASE_RETRY_SECONDS = 0
    call_command("seed", "--strict", verbosity=0)
    return database_proxy


def timed(path):
    started = time.monotonic()
    status, headers, body = serve(path)
    return status, headers, body, time.monotonic() - started


def test_503_while_the_database_is_down_and_200_once_it_is_back(site):
    assert health() == HEALTHY
    first = connection.connection
    assert health() == HEALTHY
    assert connection.connection is first  # persistent: kept between requests

    site.cut()
    assert health() == (503, b"database: unavailable\ncache: ok\n")
    status, headers, body = serve("/")
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert b"This page is not available just now" in body

    site.restore()
    assert health() == HEALTHY
    assert connection.connection is not first
    assert serve("/")[0] == 200


def test_a_stale_persistent_connection_is_replaced(site):
    """The database went away and came back between two requests. The kept
    connection is dead; the health check before its first use notices, and
    Django connects again: even the first request after is answered."""
    assert health() == HEALTHY
    stale = connection.connection
    accepted = site.accepted
    site.cut()
    site.restore()
    assert health() == HEALTHY
    assert connection.connection is not stale
    assert site.accepted == accepted + 1
    status, _, body = serve("/")  # and the pages work again
    assert status == 200
    assert b"Side by Side" in body


@pytest.mark.parametrize("cache", ["memory", "redis"])
def test_a_refusing_database(site, cache, request):
    request.getfixturevalue("private_redis" if cache == "redis" else "memory_cache")
    assert serve(CACHED)[1]["X-Cache"] == "miss"
    site.cut()
    status, headers, _ = serve(CACHED)
    assert status == 200
    # With Redis the version is at hand: the copy is current, a plain hit.
    assert headers["X-Cache"] == ("stale" if cache == "memory" else "hit")
    assert serve(UNCACHED)[0] == 503
    site.restore()
    assert serve(CACHED)[1]["X-Cache"] == "hit"
    assert serve(UNCACHED)[0] == 200


@pytest.mark.parametrize("cache", ["memory", "redis"])
def test_a_frozen_database(site, cache, request, settings):
    """PostgreSQL accepts connections and never answers. Timeouts as in
    production (2 s to connect, 3 s per answer): /healthz says 503 within
    about 5 s, cached pages are served, others get the 503 page, and all
    is well again once it answers."""
    request.getfixturevalue("private_redis" if cache == "redis" else "memory_cache")
    assert serve(CACHED)[1]["X-Cache"] == "miss"
    assert health()[0] == 200  # a connection is open, to freeze mid-use
    site.freeze()

    status, _, body, seconds = timed("/healthz")
    assert status == 503
    assert body.startswith(b"database: unavailable\n")
    assert seconds < 8  # 3 s for the kept connection, 2 s for a new one

    status, headers, _, seconds = timed(CACHED)
    assert status == 200
    if cache == "redis":
        assert headers["X-Cache"] == "hit"
        assert seconds < 1  # no database round trip at all
    else:
        assert headers["X-Cache"] == "stale"
        assert seconds < 8

    status, _, body, seconds = timed(UNCACHED)
    assert status == 503
    assert b"This page is not available just now" in body
    assert seconds < 8

    site.thaw()
    assert health() == HEALTHY
    assert serve(UNCACHED)[0] == 200
    assert serve(CACHED)[1]["X-Cache"] == "hit"
