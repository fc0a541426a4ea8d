"""Schemathesis fuzzes the whole API from its own schema, in-process
through the WSGI application (no server): every operation, with values the
schema allows (positive) and values it does not (negative), must answer
without a server error and with a response its schema documents (status,
media type, body), as Schemathesis's checks judge.

How many examples: the Hypothesis profile in tests/conftest.py (a quick run
by default, more in CI). Schemathesis's own pytest loader cannot yet run
under pytest 9, so each operation's strategy is driven by Hypothesis here.
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

pytestmark = pytest.mark.django_db

OPERATIONS = [
    "/api/v1/body-areas/",
    "/api/v1/changes/",
    "/api/v1/compare/",
    "/api/v1/comparisons/",
    "/api/v1/comparisons/{slug}/",
    "/api/v1/sources/",
    "/api/v1/treatments/",
    "/api/v1/treatments/{slug}/",
]


@contextmanager
def served_in_process():
    # Schemathesis's WSGI client names the host "localhost".
    with override_settings(ALLOWED_HOSTS=["localhost"]):
        # As Django's test client does: a request must not close the
        # test's connection (its transaction holds the seeded content).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            yield
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def schema(seeded_module, django_db_blocker):
    """The API's schema as the site serves it, read once for the module."""
    with django_db_blocker.unblock(), served_in_process():
        return schemathesis.openapi.from_wsgi(
            "/api/v1/openapi.json", get_wsgi_application()
        )


@pytest.fixture
def api_under_test(seeded, schema):
    with served_in_process():
        yield schema


def test_every_operation_is_fuzzed(api_under_test):
    operations = [result.ok() for result in api_under_test.get_all_operations()]
    assert sorted(operation.path for operation in operations) == OPERATIONS


# Every operation but the body areas' takes a parameter that values can
# break the schema of (a slug's pattern, an integer, an enum, a count).
RUNS = [
    *((path, GenerationMode.POSITIVE) for path in OPERATIONS),
    *(
        (path, GenerationMode.NEGATIVE)
        for path in OPERATIONS
        if path != "/api/v1/body-areas/"
    ),
]


@pytest.mark.parametrize(("path", "mode"), RUNS)
def test_the_api_keeps_to_its_schema(api_under_test, path, mode):
    operation = api_under_test[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def call(case):
        case.call_and_validate()

    call()
