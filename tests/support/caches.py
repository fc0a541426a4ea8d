"""The page cache as a test wants it: each process's memory cache, or a
Redis server of the test's own, to stop, fill or slow down.

The machine's shared Redis is never stopped or reconfigured: each test that
needs Redis to fail starts `redis-server` on a free port, with no
persistence, and points the page cache at it (through a Proxy, to slow it
down). Without redis-server the tests are skipped, or fail where Redis is
required (REQUIRE_REDIS=1, as in CI).
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.parse

import pytest
import redis
from django.core.cache import caches
from redis.backoff import NoBackoff
from redis.retry import Retry

from tests.support.proxy import Proxy


class RedisServer:
    def __init__(self, folder):
        self.folder = folder
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = None
        self.start()

    @property
    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def answers(self):
        """Whether it takes a connection now. Asked once: redis-py's own
        retries wait up to seconds between attempts (a jittered backoff
        from 1 s), and redis-server is up within milliseconds."""
        once = redis.Redis(
            host="127.0.0.1",
            port=self.port,
            socket_timeout=2,
            retry=Retry(NoBackoff(), 0),
        )
        try:
            return once.ping()
        except redis.ConnectionError:
            return False
        finally:
            once.close()

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None


def worker_redis_url(url):
    """`url` with a Redis database of this test process's own.

    The suite runs in several processes (pytest-xdist), and clearing a
    Django Redis cache empties its whole database: processes sharing one
    would empty, and read, each other's pages and content versions. The
    n-th process takes the n-th database after the one `url` names."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    parts = urllib.parse.urlsplit(url)
    database = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urllib.parse.urlunsplit(parts._replace(path=f"/{database % 16}"))


def page_cache_settings(port, prefix="faults"):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": prefix,
            # As config/settings.py sets them.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One private redis-server for the run (it starts slowly on a busy
    machine); each test gets it running, empty and with no memory limit."""
    if shutil.which("redis-server") is None:
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed; CI has it")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def private_redis(redis_server, settings):
    """The private Redis as the page cache, tried again at once after a
    failure (CACHE_RETRY_SECONDS=0), so a test sees it come back."""
    if not redis_server.running:
        redis_server.start()
    client = redis_server.client
    client.flushall()
    client.config_set("maxmemory", 0)
    client.config_set("maxmemory-policy", "noeviction")  # Redis's default
    settings.CACHES = page_cache_settings(redis_server.port)
    settings.CACHE_RETRY_SECONDS = 0
    return redis_server


@pytest.fixture
def slow_redis(private_redis, settings):
    """The private Redis behind a Proxy, to freeze."""
    proxy = Proxy(("127.0.0.1", private_redis.port))
    settings.CACHES = page_cache_settings(proxy.port)
    yield proxy
    proxy.cut()


@pytest.fixture
def memory_cache(settings):
    """Each process's own memory cache, as without REDIS_URL, whatever the
    run's settings (the PostgreSQL leg of CI sets REDIS_URL)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 300},
        }
    }
    # Memory caches of one location are shared in a process: start empty.
    caches["default"].clear()
