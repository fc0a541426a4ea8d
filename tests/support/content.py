"""The site's real content, seeded once per test module."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """The fixtures, seeded once for the module in a transaction that is
    rolled back after its last test. Each test runs in a savepoint inside
    it (pytest-django's `db`), so what a test changes is undone after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        # What the seed leaves for its commit (the body areas' counts, see
        # treatments/areas.py) runs here: this transaction never commits.
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed", "--strict", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_module, db):
    """The site's real content, loaded the way `make run` loads it."""


def dump_content(apps=("treatments", "comparisons")):
    """The content as README.md's backup command writes it: natural-key
    JSON of the content apps."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        *apps,
        natural_foreign=True,
        natural_primary=True,
        indent=2,
        stdout=out,
    )
    return out.getvalue()
