"""Cases 2 and 3, and a slow Redis: a cache failure is never a page failure.

Each test has a Redis of its own (tests/support/caches.py) to fill,
stop or freeze, and checks the recovery once the fault ends."""

import logging
import time

import pytest
import redis

pytestmark = pytest.mark.django_db

PAGE = "/treatments/mesotherapy/"


def healthz(client):
    response = client.get("/healthz")
    return response.status_code, response.content.decode()


# What the public reads while the cache is down: no host, port or error.
CACHE_DOWN = "database: ok\ncache: unavailable\n"


def warnings_from(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "core.outages"]


def fill(server):
    """Redis at its memory limit, refusing writes (its default policy)."""
    client = server.client
    client.config_set("maxmemory-policy", "noeviction")
    for n in range(50):
        client.set(f"ballast:{n}", "x" * 10_000)
    client.config_set("maxmemory", client.info("memory")["used_memory"] // 2)
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        client.set("one-more", "x")


def test_a_full_redis_serves_every_page_and_says_so(
    seeded, client, private_redis, caplog, publisher_client
):
    client.get("/")  # cached before Redis filled up
    fill(private_redis)
    with caplog.at_level(logging.WARNING, logger="core.outages"):
        for _ in range(3):
            response = client.get(PAGE)
            assert response.status_code == 200
            assert response["X-Cache"] == "miss"  # rendered; not stored
            assert b"Mesotherapy" in response.content
        assert client.get("/")["X-Cache"] == "hit"  # what it holds, it serves
        status, body = healthz(client)
        staff_status, staff_body = healthz(publisher_client)
    assert (status, body) == (200, CACHE_DOWN)
    # Staff see why.
    assert staff_status == 200
    assert "cache: refusing writes (OutOfMemoryError" in staff_body
    # One warning for the outage, not one per request.
    (warning,) = warnings_from(caplog)
    assert "cache unavailable (OutOfMemoryError" in warning

    private_redis.client.config_set("maxmemory", 0)  # room again
    with caplog.at_level(logging.WARNING, logger="core.outages"):
        assert client.get(PAGE)["X-Cache"] == "miss"
        assert client.get(PAGE)["X-Cache"] == "hit"
    assert healthz(client) == (200, "database: ok\ncache: ok\n")
    assert "cache is back" in warnings_from(caplog)[-1]


def test_a_stopped_redis_serves_every_page_and_healthz_stays_200(
    seeded, client, private_redis, caplog, settings, publisher_client
):
    client.get(PAGE)
    assert client.get(PAGE)["X-Cache"] == "hit"
    private_redis.stop()
    with caplog.at_level(logging.WARNING, logger="core.outages"):
        for path in (PAGE, "/", "/treatments/", PAGE):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response["X-Cache"] == "miss"
        status, body = healthz(client)
        staff_body = healthz(publisher_client)[1]
    assert (status, body) == (200, CACHE_DOWN)
    port = str(private_redis.port)
    assert port not in body and "127.0.0.1" not in body and "Error" not in body
    # The log and staff have the detail.
    assert staff_body.startswith("database: ok\ncache: unavailable (ConnectionError")
    assert port in staff_body
    (warning,) = warnings_from(caplog)
    assert "ConnectionError" in warning and port in warning

    private_redis.start()  # empty, as a restarted Redis without persistence
    assert client.get(PAGE)["X-Cache"] == "miss"
    assert client.get(PAGE)["X-Cache"] == "hit"
    assert healthz(client) == (200, "database: ok\ncache: ok\n")


def test_a_stopped_redis_is_left_alone_for_a_while(
    seeded, client, private_redis, settings
):
    """After a failure the cache is not asked again for CACHE_RETRY_SECONDS:
    a dead or slow Redis costs one timeout now and then, not every request."""
    settings.CACHE_RETRY_SECONDS = 60
    private_redis.stop()
    client.get(PAGE)
    private_redis.start()
    assert client.get(PAGE)["X-Cache"] == "miss"  # not asked: still resting
    assert private_redis.client.dbsize() == 0


def test_a_frozen_redis_costs_a_fraction_of_a_second(
    seeded, client, slow_redis, settings
):
    """Redis accepts connections and never answers: the first call gives up
    after its socket timeout (0.25 s), and then the cache is left alone for
    CACHE_RETRY_SECONDS (here 1 s; the fixtures' 0 would have each of the
    request's cache calls wait out its own timeout, some 2.4 s)."""
    settings.CACHE_RETRY_SECONDS = 1
    client.get(PAGE)
    slow_redis.freeze()
    started = time.monotonic()
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response["X-Cache"] == "miss"
    # One timeout and a page render; a timeout per cache call would be 2 s+.
    assert time.monotonic() - started < 1.5
    slow_redis.thaw()
    time.sleep(1)  # the rest is over: the cache is asked again
    assert client.get(PAGE)["X-Cache"] in {"hit", "miss"}
    assert client.get(PAGE)["X-Cache"] == "hit"
