"""Settings for the whole suite; shared fixtures live in tests.support..

Factories are in tests/factories.py. No test module imports another.
"""

import os
import threading

import django.test.utils
import pytest
from django.conf import settings
from django.core.cache import caches
from django.test.signals import template_rendered
from hypothesis import settings as hypothesis_settings

from core.outages import cache_outage, database_outage

pytest_plugins = [
    "tests.support.content",
    "tests.support.admin",
    "tests.support.proxy",
    "tests.support.caches",
    "tests.support.api",
    "tests.support.fake_http",
]

# Hypothesis: a quick run by default, a thorough one in CI (.ci/run sets
# HYPOTHESIS_PROFILE=ci; `--hypothesis-profile=ci` does the same). No
# deadline: an example is a page render, whose time depends on the machine
# and the database, not on the input. Locally 10 examples a test: at 30,
# the fuzz tests of the pages, the search boxes and the API were a
# thirteenth of the fast suite. CI's 200 are the thorough search, and an
# example that once failed here is tried first again (.hypothesis/).
hypothesis_settings.register_profile("dev", max_examples=10, deadline=None)
hypothesis_settings.register_profile(
    "ci", max_examples=200, deadline=None, print_blob=True
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def outermost_render_recorded(template, context):
    """Django's test renderer (installed by setup_test_environment), telling
    the test client of the outermost template of a render only. Django's
    tells it of every one, each include, form widget and label included
    (an admin change form renders a thousand), and the client copies the
    context each time; tests read the page's own context and template."""
    if getattr(rendering, "depth", 0):
        return template.nodelist.render(context)
    template_rendered.send(sender=template, template=template, context=context)
    rendering.depth = 1
    try:
        return template.nodelist.render(context)
    finally:
        rendering.depth = 0


rendering = threading.local()
django.test.utils.instrumented_test_render = outermost_render_recorded


def pytest_configure(config):
    # With REDIS_URL (CI's PostgreSQL leg), a Redis database per process.
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("RedisCache"):
        from tests.support.caches import worker_redis_url

        cache["LOCATION"] = worker_redis_url(cache["LOCATION"])
    # The fingerprinting storage needs collectstatic first; tests render
    # pages without it. The browser tests and `make serve` use the real one.
    # Nor does the suite read staticfiles/ (which `make serve` and `make
    # bench` fill): WhiteNoise lists its 700 files for every test client
    # made, which made the suite half as slow again.
    settings.STATIC_ROOT = None
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    # The real hasher is slow by design (0.2 s a password); tests only need
    # a working one. For the whole run, not per test: accounts made once for
    # several tests (tests.support.content.made_once) are made outside any
    # test's settings.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items):
    """Within each module, the tests that need the seeded content run last,
    and those that share other content made once for them before those.

    The content is seeded once per module, at the first test that asks for
    it, and stays until the module's last test (tests.support.content.py);
    the tests before it see an empty database. This holds in several
    processes because pytest-xdist hands out whole modules (--dist=loadfile
    in pyproject.toml): with --dist=loadscope a class is handed out whole,
    and a class that seeds could run before another that must not see it.
    Content made once for a module's tests (made_once) stays until the
    module's last test too; for a class's tests, until the class's last.
    Content made once on the seeded content runs after the seeded tests
    that do not use it. The ranks are in tests.support.content. The sort
    keeps pytest's order otherwise (which runs together the tests of each
    parameter of such content).
    """
    from tests.support.content import SHARED_CONTENT

    modules = {}
    for item in items:
        modules.setdefault(item.module, len(modules))

    def rank(item):
        return max((SHARED_CONTENT.get(n, 0) for n in item.fixturenames), default=0)

    items.sort(key=lambda item: (modules[item.module], rank(item)))


@pytest.fixture(autouse=True)
def empty_caches():
    # Each test rolls the database back; its cached pages must go too, and
    # so does what a process remembers of failures (core/outages.py).
    for cache in caches.all():
        cache.clear()
    cache_outage.reset()
    database_outage.reset()
